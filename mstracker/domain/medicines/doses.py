"""Doses and their statuses by the clock, and adherence over the last 7 days (docs/medicines.md).

A dose is `pending` until recorded, `taken` (late when taken more than 4 hours after its time), `skipped`,
or `missed` once the clock has passed its time + 4 hours with nothing recorded. Elapsed time is measured
between real moments (UTC), so a daylight-saving change neither adds nor removes an hour; the doses
themselves stay at their local wall-clock times.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum

from ..dates import localize
from ..errors import UserError
from .course import Course

LATE_AFTER = timedelta(hours=4)
MISSED_AFTER = timedelta(hours=4)
RECORD_AHEAD = timedelta(hours=12)  # a dose may be recorded up to 12 hours before its time
NEAREST_WITHIN = timedelta(hours=12)  # `med taken` without --dose looks this far either side
ADHERENCE_WINDOW = timedelta(hours=168)


class DoseStatus(StrEnum):
    PENDING = "pending"
    TAKEN = "taken"
    SKIPPED = "skipped"
    MISSED = "missed"


@dataclass(frozen=True)
class DoseRecord:
    """What the patient recorded for one dose: taken (with when) or skipped (with an optional reason).
    `entry_id` is the record's id in the log (amend and retract name it)."""

    course_id: int
    due: datetime  # naive local wall time of the dose
    taken: bool
    at: datetime | None = None  # naive local wall time it was taken
    reason: str = ""
    entry_id: int = 0


@dataclass(frozen=True)
class Dose:
    course: Course
    due: datetime  # naive local wall time
    status: DoseStatus
    taken_at: datetime | None = None
    late: bool = False
    reason: str = ""
    record_id: int | None = None

    def to_json(self) -> dict:
        return {"course": self.course.id, "name": self.course.name, "due": _text(self.due),
                "status": self.status.value, "taken_at": _text(self.taken_at) if self.taken_at else None,
                "late": self.late}


def _text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def real(wall: datetime, zone: tzinfo) -> datetime:
    """A local wall time as a real moment (UTC), for elapsed-time comparisons."""
    return localize(wall, zone).astimezone(timezone.utc)


# No zone moves its clock by more than this at once: wall-time differences beyond it need no zone arithmetic.
_WALL_SLACK = timedelta(hours=3)


def elapsed_more_than(start: datetime, end: datetime, span: timedelta, zone: tzinfo) -> bool:
    """Whether more than `span` of real time passed from local wall time `start` to `end`. The zone is
    consulted only near the boundary (reading it is most of the cost over two years of doses)."""
    wall = end - start
    if wall > span + _WALL_SLACK:
        return True
    if wall < span - _WALL_SLACK:
        return False
    return real(end, zone) - real(start, zone) > span


def is_late(due: datetime, taken_at: datetime, zone: tzinfo) -> bool:
    return elapsed_more_than(due, taken_at, LATE_AFTER, zone)


def dose_status(due: datetime, record: DoseRecord | None, now: datetime, zone: tzinfo) -> tuple:
    """The status of one dose at `now` (aware). Returns (status, taken_at, late, reason, record id)."""
    if record is not None:
        if record.taken:
            late = record.at is not None and is_late(due, record.at, zone)
            return (DoseStatus.TAKEN, record.at, late, record.reason, record.entry_id)
        return (DoseStatus.SKIPPED, None, False, record.reason, record.entry_id)
    if elapsed_more_than(due, now.astimezone(zone).replace(tzinfo=None), MISSED_AFTER, zone):
        return (DoseStatus.MISSED, None, False, "", None)
    return (DoseStatus.PENDING, None, False, "", None)


def doses_between(courses: Iterable[Course], records: Iterable[DoseRecord], start: date, end: date,
                  now: datetime, zone: tzinfo) -> list[Dose]:
    """Every dose of `courses` on the days from `start` to `end` (both included) with its status at `now`,
    sorted by due time, then name. A recorded dose always shows, even where the course no longer puts one
    (an anchor moved, the course was stopped before it): recorded doses are never removed."""
    by_key: dict[tuple[int, datetime], DoseRecord] = {}
    for record in records:
        if start <= record.due.date() <= end:
            by_key[(record.course_id, record.due)] = record
    out: list[Dose] = []
    seen: set[tuple[int, datetime]] = set()
    known = {c.id: c for c in courses}
    for course in known.values():
        for due in course.doses(start, end):
            seen.add((course.id, due))
            out.append(Dose(course, due, *dose_status(due, by_key.get((course.id, due)), now, zone)))
    for key, record in by_key.items():
        if key not in seen and record.course_id in known:
            out.append(Dose(known[record.course_id], record.due, *dose_status(record.due, record, now, zone)))
    out.sort(key=lambda d: (d.due, d.course.name.casefold(), d.course.id))
    return out


def window_days(now: datetime, back: timedelta) -> tuple[date, date]:
    """The local days that a look `back` from `now` can touch (a day either side for DST)."""
    wall = now.replace(tzinfo=None)
    return (wall - back - timedelta(days=1)).date(), wall.date() + timedelta(days=1)


def adherence(doses: Sequence[Dose], now: datetime, zone: tzinfo) -> float | None:
    """taken ÷ (taken + skipped + missed) over the doses due after now − 168 h and at or before now;
    pending doses do not count. None when no dose counts."""
    limit = now.astimezone(timezone.utc)
    counted = [d for d in doses if limit - ADHERENCE_WINDOW < real(d.due, zone) <= limit
               and d.status is not DoseStatus.PENDING]
    if not counted:
        return None
    return sum(1 for d in counted if d.status is DoseStatus.TAKEN) / len(counted)


# ---- recording ------------------------------------------------------------------------------------

def check_recordable(course: Course, due: datetime, now: datetime, zone: tzinfo,
                     recorded: Iterable[DoseRecord]) -> None:
    """Refuse a dose that is not one of the course's, is already recorded, or is more than 12 hours ahead."""
    if not course.is_dose(due):
        when = f"{course.times_text} ({course.rhythm_text})"
        span = ("not scheduled yet" if course.first_day is None else
                f"from {course.first_day.isoformat()}" + (f" to {course.last_day.isoformat()}" if course.last_day else ""))
        raise UserError(f"{_text(due)} is not a dose of course {course.id} ({course.name}: {when}, {span}); "
                        f"`mstracker med doses PATIENT` lists them")
    if any(r.course_id == course.id and r.due == due for r in recorded):
        raise UserError(f"the {_text(due)} dose of {course.name} is already recorded; to correct it, "
                        "`mstracker amend ID` or `mstracker retract ID --reason ...`")
    if real(due, zone) - now.astimezone(timezone.utc) > RECORD_AHEAD:
        raise UserError(f"the {_text(due)} dose of {course.name} is more than 12 hours ahead; "
                        "record it when it is taken")


def nearest_open_dose(course: Course, at: datetime, zone: tzinfo, recorded: Iterable[DoseRecord]) -> datetime:
    """The course's dose nearest to `at` (a naive local time) that is not yet recorded, within 12 hours
    either side; on a tie the earlier one."""
    taken = {r.due for r in recorded if r.course_id == course.id}
    candidates = [due for due in course.doses((at - NEAREST_WITHIN).date(), (at + NEAREST_WITHIN).date())
                  if due not in taken and abs(real(due, zone) - real(at, zone)) <= NEAREST_WITHIN]
    if not candidates:
        raise UserError(f"no dose of {course.name} waits to be recorded within 12 hours of {_text(at)}; "
                        "name it with --dose YYYY-MM-DDTHH:MM (`mstracker med doses PATIENT` lists them)")
    return min(candidates, key=lambda due: (abs(real(due, zone) - real(at, zone)), due))
