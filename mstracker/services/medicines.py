"""Medicines taken at home: courses (add, list, stop, change dose), their doses with statuses, recording a
dose taken or skipped, adherence and the missed-dose warning (docs/medicines.md).

The command line and the desktop app call these. Reads: `list_courses`, `doses`, `today` (today's doses
with their status and the week's adherence, for the patient's and the caregiver's views),
`missed_last_24h` (the coordinators' dashboard); `medicine_status` has where the medicines stand for
`status`. Writes (refused for a caregiver with a ReadOnlyError): `add_course`, `stop_course`, `change_dose`,
`record_taken`, `record_skip` (each returns what it wrote), `record_many` (a batch). Every write is one
transaction; a refusal raises a UserError with a message written for the person (show it as it is) and
changes nothing. Times in and out are naive local wall times; `ctx` brings the clock and the zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from ..domain.dates import format_moment
from ..domain.errors import NotFoundError, UserError
from ..domain.medicines import course as rules
from ..domain.medicines.course import Course, CourseStatus, Route, Source, weekday_names
from ..domain.medicines.doses import (
    RECORD_AHEAD,
    Dose,
    DoseRecord,
    check_recordable,
    doses_between,
    nearest_open_dose,
    real,
)
from ..domain.medicines.template import final_day
from ..storage import medicine_rows as rows
from ..storage import repository as repo
from ..storage.session_reads import SessionReads
from ..storage.stored_events import StoredEvent
from .context import AppContext
from .medicine_status import (
    course_of,
    dose_records,
    doses_from,
    missed_by_patient,
    records_since_day,
)
from .records import load_journey, record, require_patient

DOSE_KIND = rows.DOSE_KIND


@dataclass(frozen=True)
class CourseView:
    """A course as `med list` shows it."""

    course: Course
    status: CourseStatus
    stopped_on: date | None = None

    def to_json(self) -> dict[str, Any]:
        c = self.course
        return {"id": c.id, "name": c.name, "dose": c.dose, "route": c.route.value,
                "times": [t.strftime("%H:%M") for t in c.times], "every_days": c.every_days,
                "weekdays": weekday_names(c.weekdays), "from": _d(c.first_day), "to": _d(c.last_day),
                "source": c.source.value, "status": self.status.value, "purpose": c.purpose}


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None


# ---- from rows to domain values ---------------------------------------------------------------------

def _records_since(s, patient_ids: Sequence[int] | None, first_day: date | None, zone: tzinfo,
                   as_of: datetime | None = None) -> list[DoseRecord]:
    return dose_records(rows.dose_events(s, patient_ids, records_since_day(first_day, zone)), as_of)


# ---- courses ------------------------------------------------------------------------------------------

def _course_row(s, course_id: int):
    row = rows.get_course(s, course_id)
    if row is None:
        raise NotFoundError(f"no course with id {course_id}; `mstracker med list PATIENT` shows the ids")
    return row


def add_course(ctx: AppContext, patient_id: int, *, name: str, times: Sequence[time], first_day: date,
               last_day: date | None = None, every_days: int | None = None, weekdays: Sequence[int] | None = None,
               dose: str = "", route: Route = Route.ORAL, purpose: str = "") -> int:
    """A course of the patient's own (from their prescription); returns its id."""
    ctx.require_write("add a medicine")
    with ctx.db.writing() as s:
        return _add_course(ctx, s, patient_id, name=name, times=times, first_day=first_day, last_day=last_day,
                           every_days=every_days, weekdays=weekdays, dose=dose, route=route, purpose=purpose)


def _add_course(ctx: AppContext, s, patient_id: int, *, name: str, times: Sequence[time], first_day: date,
                last_day: date | None, every_days: int | None, weekdays: Sequence[int] | None, dose: str,
                route: Route, purpose: str) -> int:
    name = rules.check_text(name, "--name", rules.NAME_LIMIT, empty=False)
    dose = rules.check_text(dose or "", "--dose") or "as prescribed"
    purpose = rules.check_text(purpose or "", "--purpose")
    if not times:
        raise UserError("--times: give one or more times of day as HH:MM[,HH:MM…], e.g. 08:00,20:00")
    rules.check_rhythm(every_days, tuple(weekdays) if weekdays is not None else None)
    rules.check_span(first_day, last_day)
    times_text = ",".join(t.strftime("%H:%M") for t in sorted(times))
    days_text = ",".join(rules.WEEKDAYS[d] for d in sorted(weekdays)) if weekdays else None
    require_patient(s, patient_id)
    course_id = rows.insert_course(
        s, patient_id=patient_id, journey_id=None, key=None, source=Source.OWN.value, name=name, dose=dose,
        route=route.value, times=times_text, every_days=None if days_text else (every_days or 1),
        weekdays=days_text, first_day=first_day, last_day=last_day, pinned=False, purpose=purpose,
        ended_on=final_day(load_journey(s, patient_id)),
    )
    record(ctx, s, patient_id, "med_course", ctx.now(), {
        "course": course_id, "name": name, "dose": dose, "route": route.value, "times": times_text,
        "every_days": None if days_text else (every_days or 1), "weekdays": days_text,
        "from": first_day.isoformat(), "to": _d(last_day), "purpose": purpose,
    })
    return course_id


def list_courses(ctx: AppContext, patient_id: int) -> list[CourseView]:
    """Every course of the patient, the protocol's and their own, by id."""
    today = ctx.today()
    with ctx.db.reading() as s:
        require_patient(s, patient_id)
        found = rows.courses(s, patient_id)
    return [CourseView(c, c.status(today), r.stopped_on) for r in found for c in (course_of(r),)]


def stop_course(ctx: AppContext, course_id: int, on: date, reason: str | None = None) -> CourseView:
    """`on` is the last day with doses (it may be ahead: a planned end). Recorded doses are kept."""
    ctx.require_write("stop a medicine")
    with ctx.db.writing() as s:
        row = _stop_course(ctx, s, course_id, on, reason)
        return CourseView(course_of(row), course_of(row).status(ctx.today()), row.stopped_on)


def _stop_course(ctx: AppContext, s, course_id: int, on: date, reason: str | None):
    reason = rules.check_text(reason or "", "--reason")
    row = _course_row(s, course_id)
    course = course_of(row)
    if course.first_day is not None and on < course.first_day - timedelta(days=1):
        raise UserError(f"--on {on.isoformat()} is before the course's first day "
                        f"({course.first_day.isoformat()}); to stop it before it starts, use --on "
                        f"{(course.first_day - timedelta(days=1)).isoformat()}")
    if course.last_day is not None and course.last_day <= on:
        raise UserError(f"course {course_id} ({course.name}) already ends on {course.last_day.isoformat()}")
    rows.update_course(s, course_id, stopped_on=on)
    payload = {"course": course_id, "name": course.name, "on": on.isoformat()}
    if reason:
        payload["reason"] = reason
    record(ctx, s, row.patient_id, "med_stop", ctx.now(), payload)
    s.refresh(row)
    return row


def change_dose(ctx: AppContext, course_id: int, dose: str, from_day: date) -> int:
    """A new dose from `from_day`: the course stops the day before and a new course of the patient's own takes
    over with the same medicine and rhythm, so the history keeps both. Returns the new course's id."""
    ctx.require_write("change a dose")
    dose = rules.check_text(dose, "--dose")  # in its own words, before the stop's reason quotes it
    with ctx.db.writing() as s:  # one transaction: never the old course stopped without the new one
        row = _course_row(s, course_id)
        course = course_of(row)
        if course.first_day is None or from_day <= course.first_day:
            raise UserError(f"the new dose must start after the course's first day "
                            f"({course.first_day.isoformat() if course.first_day else 'not scheduled yet'})")
        _stop_course(ctx, s, course_id, from_day - timedelta(days=1), f"dose changed to {dose.strip()}")
        return _add_course(ctx, s, row.patient_id, name=course.name, times=course.times, first_day=from_day,
                           last_day=course.last_day, every_days=course.every_days, weekdays=course.weekdays,
                           dose=dose, route=course.route, purpose=course.purpose)


# ---- doses --------------------------------------------------------------------------------------------

def _doses(s, patient_id: int, start: date, end: date, now: datetime, zone: tzinfo,
           as_of: datetime | None = None) -> list[Dose]:
    return doses_from(SessionReads(s), patient_id, start, end, now, zone, as_of)


def doses(ctx: AppContext, patient_id: int, start: date | None = None, end: date | None = None) -> list[Dose]:
    """The doses from `start` to `end` (both included), sorted by due time, then name, each with its status now.
    Without either: today; with one of them: that day."""
    today = ctx.today()
    start = start or end or today
    end = end or start
    if end < start:
        raise UserError(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    with ctx.db.reading() as s:
        require_patient(s, patient_id)
        return _doses(s, patient_id, start, end, ctx.now(), ctx.zone)


def _write_dose(ctx: AppContext, course_id: int, due: datetime | None, *, taken: bool, at: datetime | None,
                reason: str) -> tuple[int, Dose]:
    now = ctx.now()
    zone = ctx.zone
    with ctx.db.writing() as s:
        row = _course_row(s, course_id)
        course = course_of(row)
        # A record of this dose happened no earlier than 12 hours before it (or before `at`, for the nearest).
        earliest = min(x for x in (due, at, now.replace(tzinfo=None)) if x is not None)
        records = _records_since(s, [row.patient_id], (earliest - timedelta(days=1)).date(), zone)
        if due is None:
            assert at is not None
            due = nearest_open_dose(course, at, zone, records)
        check_recordable(course, due, now, zone, records)
        if at is not None and real(due, zone) - real(at, zone) > RECORD_AHEAD:
            raise UserError(f"--at {format_moment(at)} is more than 12 hours before the {format_moment(due)} dose; "
                            "check the dose and the time")
        payload: dict[str, Any] = {"course": course_id, "name": course.name, "due": format_moment(due),
                                   "status": "taken" if taken else "skipped",
                                   "taken_at": format_moment(at) if at else None}
        if reason:
            payload["reason"] = reason
        entry_id = record(ctx, s, row.patient_id, DOSE_KIND, ctx.local(at) if at else now, payload)
        if not row.pinned:
            rows.update_course(s, course_id, pinned=True)
        dose = doses_between([course], [DoseRecord(course_id, due, taken, at, reason, entry_id)],
                             due.date(), due.date(), now, zone)
        return entry_id, next(d for d in dose if d.due == due)


def record_taken(ctx: AppContext, course_id: int, dose: datetime | None = None,
                 at: datetime | None = None) -> tuple[int, Dose]:
    """Records a dose taken at `at` (naive local; default now). Without `dose`, the course's dose nearest to
    `at` not yet recorded, within 12 hours either side. Returns (the record's id, the dose)."""
    ctx.require_write("record a dose")
    now_wall = ctx.now().replace(tzinfo=None, second=0, microsecond=0)
    at = at or now_wall
    if at > now_wall:
        raise UserError(f"--at {format_moment(at)} is in the future (now is {format_moment(now_wall)}); "
                        "record a dose once it is taken")
    return _write_dose(ctx, course_id, dose, taken=True, at=at, reason="")


def record_skip(ctx: AppContext, course_id: int, dose: datetime, reason: str | None = None) -> tuple[int, Dose]:
    """Records a dose deliberately not taken, with an optional reason."""
    ctx.require_write("record a dose")
    return _write_dose(ctx, course_id, dose, taken=False, at=None,
                       reason=rules.check_text(reason or "", "--reason"))


def undo_record(ctx: AppContext, record_id: int) -> None:
    """Takes back `record_taken` or `record_skip` (the app's Undo): the record is retracted, its reason saying
    it was undone; the dose is pending (or missed) again."""
    from .logbook import undo_log  # the log's own retraction: a recorded dose is corrected like an entry

    undo_log(ctx, record_id)


def record_many(ctx: AppContext, patient_id: int, records: Sequence[DoseRecord]) -> int:
    """Many doses recorded at once (the demo, a bulk load): one transaction and one list insert. Each must be a
    dose of its course, not yet recorded, and not ahead of now; returns how many were written."""
    ctx.require_write("record doses")
    now = ctx.now()
    if not records:
        return 0
    with ctx.db.writing() as s:
        courses = {r.id: r for r in rows.courses(s, patient_id)}
        earliest = min(r.due for r in records)
        recorded = {(r.course_id, r.due) for r in _records_since(s, [patient_id], earliest.date(), ctx.zone)}
        out = []
        for r in records:
            row = courses.get(r.course_id)
            if row is None:
                raise NotFoundError(f"no course with id {r.course_id} for patient {patient_id}")
            course = course_of(row)
            if not course.is_dose(r.due) or (r.course_id, r.due) in recorded or real(r.due, ctx.zone) > now:
                raise UserError(f"the {format_moment(r.due)} dose of {course.name} cannot be recorded "
                                "(not one of its doses, already recorded, or ahead)")
            recorded.add((r.course_id, r.due))
            at = r.at if r.taken else None
            payload: dict[str, Any] = {"course": r.course_id, "name": course.name, "due": format_moment(r.due),
                                       "status": "taken" if r.taken else "skipped",
                                       "taken_at": format_moment(at) if at else None}
            if r.reason:
                payload["reason"] = r.reason
            out.append({"patient_id": patient_id, "kind": DOSE_KIND, "occurred_at": ctx.local(at or r.due),
                        "recorded_at": now, "user": ctx.user, "role": ctx.role, "payload": payload})
        repo.append_events(s, out)
        for course_id in {r.course_id for r in records}:
            rows.update_course(s, course_id, pinned=True)
        repo.save_state(s, patient_id, last_event_id=repo.last_event_id(s, patient_id))
    return len(out)


def amend_dose(ctx: AppContext, s, versions: list[StoredEvent], at: datetime | None, fields: dict[str, Any]) -> None:
    """`mstracker amend ID` on a recorded dose: --at changes when it was taken, reason=TEXT its reason."""
    unknown = set(fields) - {"reason"}
    if unknown:
        raise UserError(f"a recorded dose has no field {sorted(unknown)[0]!r}; correct its time with --at "
                        "or its reason with reason=TEXT")
    current = dose_records(versions)
    if not current:
        raise UserError(f"dose record {versions[0].id} was retracted; record the dose again instead")
    dose = current[0]
    values: dict[str, Any] = {}
    if "reason" in fields:
        values["reason"] = rules.check_text(str(fields["reason"]), "reason")
    if at is not None:
        if not dose.taken:
            raise UserError("a skipped dose has no time taken; retract it and record the dose as taken")
        if real(dose.due, ctx.zone) - real(at, ctx.zone) > RECORD_AHEAD:
            raise UserError(f"--at {format_moment(at)} is more than 12 hours before the dose it records")
        values["taken_at"] = format_moment(at)
    moment = ctx.local(at) if at is not None else versions[-1].occurred_at
    record(ctx, s, versions[0].patient_id, "amend", moment, {"fields": values, "log_kind": DOSE_KIND},
           entry_id=versions[0].id, supersedes=versions[-1].id)


# ---- the coordinators' dashboard ---------------------------------------------------------------------

def missed_last_24h(ctx: AppContext) -> dict[int, int]:
    """patient id → how many doses became missed in the last 24 hours (patients with none left out)."""
    with ctx.reads() as reads:
        return missed_by_patient(reads, ctx.now(), ctx.zone)
