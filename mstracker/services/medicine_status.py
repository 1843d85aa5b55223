"""A patient's doses between two days and where the medicines stand as of a moment (today's doses, the week's
adherence, the doses missed lately; for every patient at once, the count the coordinators' dashboard shows), from
either read (`SessionReads` or the driver-only `SqliteReads`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from ..domain.journey import Journey
from ..domain.medicines import course as rules
from ..domain.medicines.alerts import MISSED_SHOWS, missed_dose_alerts, recently_missed
from ..domain.medicines.course import Course, Route, Source
from ..domain.medicines.doses import (
    ADHERENCE_WINDOW,
    MISSED_AFTER,
    RECORD_AHEAD,
    Dose,
    DoseRecord,
    adherence,
    doses_between,
    real,
)
from ..domain.medicines.template import min_day
from ..storage.stored_events import DOSE_KIND, StoredEvent

# Records are read from this long before a window's first dose: a dose may be recorded up to 12 hours early.
RECORD_LEAD = RECORD_AHEAD + timedelta(hours=1)
STATUS_LOOKBACK = ADHERENCE_WINDOW + timedelta(hours=8)  # the week's adherence and the last day's missed doses


def course_of(row) -> Course:
    """The course as it runs: its last day is the earliest of its own, a stop and the journey's end."""
    times = tuple(time.fromisoformat(t) for t in row.times.split(","))
    weekdays = rules.parse_weekdays(row.weekdays) if row.weekdays else None
    return Course(
        id=row.id, name=row.name, times=times, first_day=row.first_day,
        last_day=min_day(row.last_day, row.stopped_on, row.ended_on),
        every_days=None if weekdays is not None else (row.every_days or 1), weekdays=weekdays, dose=row.dose,
        route=Route(row.route), purpose=row.purpose or "", source=Source(row.source), key=row.key, uid=row.uid,
    )


def dose_records(events: Iterable[StoredEvent], as_of: datetime | None = None) -> list[DoseRecord]:
    """Each recorded dose in its latest version (amendments, retractions applied). With `as_of` (aware),
    only records that had happened by then."""
    latest: dict[int, dict[str, Any]] = {}
    for e in sorted(events, key=lambda x: x.id):
        if e.kind == DOSE_KIND:
            if as_of is None or e.occurred_at <= as_of:
                latest[e.id] = {**e.payload, "retracted": False}
        elif e.entry_id in latest:
            if e.kind == "amend":
                latest[e.entry_id] = {**latest[e.entry_id], **e.payload.get("fields", {})}
            elif e.kind in ("retract", "unretract"):
                latest[e.entry_id]["retracted"] = e.kind == "retract"
    out = []
    for entry_id, p in latest.items():
        if p["retracted"]:
            continue
        at = p.get("taken_at")
        out.append(DoseRecord(course_id=p["course"], due=_wall(p["due"]), taken=p["status"] == "taken",
                              at=_wall(at) if at else None, reason=p.get("reason") or "", entry_id=entry_id))
    return out


def _wall(text: str) -> datetime:
    # fromisoformat, not strptime: ten times quicker, and two years of doses are thousands of these.
    return datetime.fromisoformat(text)


def records_since_day(first_day: date | None, zone: tzinfo) -> datetime | None:
    """From when recorded doses are read for a window starting on `first_day` (None: all of them)."""
    return None if first_day is None else real(datetime.combine(first_day, time()), zone) - RECORD_LEAD


def doses_from(reads, patient_id: int, start: date, end: date, now: datetime, zone: tzinfo,
               as_of: datetime | None = None) -> list[Dose]:
    """The doses from `start` to `end` (both included) with each one's status at `now`."""
    courses = [course_of(r) for r in reads.courses(patient_id)]
    if not courses:
        return []
    records = dose_records(reads.dose_events(patient_id, records_since_day(start, zone)), as_of)
    return doses_between(courses, records, start, end, now, zone)


@dataclass(frozen=True)
class MedicationStatus:
    due_today: list[Dose]
    adherence_7d: float | None
    missed: list[Dose]  # within the last 24 hours


def medication_status(reads, patient_id: int, moment: datetime, zone: tzinfo) -> MedicationStatus:
    """Today's doses, the week's adherence and the recently missed doses as of `moment` (aware)."""
    day = moment.date()
    week = doses_from(reads, patient_id, (moment - STATUS_LOOKBACK).date(), day, moment, zone, as_of=moment)
    return MedicationStatus(due_today=[d for d in week if d.due.date() == day],
                            adherence_7d=adherence(week, moment, zone), missed=recently_missed(week, moment, zone))


def medication_alerts(status: MedicationStatus, journey: Journey, moment: datetime, zone: tzinfo):
    def phase_on(day: date):
        return journey.as_of(day).phase

    return missed_dose_alerts(status.missed, moment, zone, phase_on)


def missed_by_patient(reads, moment: datetime, zone: tzinfo) -> dict[int, int]:
    """patient id → how many doses became missed in the 24 hours up to `moment` (aware), for every patient
    from two reads (patients with none left out)."""
    start, end = (moment - MISSED_SHOWS - MISSED_AFTER - timedelta(days=1)).date(), moment.date()
    by_patient: dict[int, list[Course]] = defaultdict(list)
    for r in reads.every_course():
        by_patient[r.patient_id].append(course_of(r))
    if not by_patient:
        return {}
    by_course: dict[int, list[DoseRecord]] = defaultdict(list)
    for rec in dose_records(reads.every_dose_event(records_since_day(start, zone)), moment):
        by_course[rec.course_id].append(rec)
    counts: dict[int, int] = {}
    for pid, courses in by_patient.items():
        mine = [rec for c in courses for rec in by_course.get(c.id, ())]
        missed = recently_missed(doses_between(courses, mine, start, end, moment, zone), moment, zone)
        if missed:
            counts[pid] = len(missed)
    return counts
