"""The medicine courses and recorded doses for the ics, csv, pdf and fhir writers (`ExportData` fields)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from ..domain.medicines.doses import adherence, doses_between, is_late
from ..exports.model import CourseItem, DoseItem
from ..storage import medicine_rows as rows
from .medicine_status import STATUS_LOOKBACK, course_of, dose_records


def medicine_fields(s, patient_id: int, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """`courses`, `doses` and `adherence_7d` for one patient as of `now` (aware), read in the caller's snapshot."""
    courses = [course_of(r) for r in rows.courses(s, patient_id)]
    if not courses:
        return {}
    records = dose_records(rows.dose_events(s, [patient_id]))
    week = doses_between(courses, records, (now - STATUS_LOOKBACK).date(), now.date(), now, zone)
    items = tuple(CourseItem(
        id=c.id, uid=c.uid, name=c.name, dose=c.dose, route=c.route.value, times=c.times, first_day=c.first_day,
        last_day=c.last_day, every_days=c.every_days, weekdays=c.weekdays, purpose=c.purpose, source=c.source.value,
        status=c.status(now.date()).value, adherence_7d=adherence([d for d in week if d.course.id == c.id], now, zone),
    ) for c in courses)
    doses = tuple(DoseItem(
        record_id=r.entry_id, course_id=r.course_id, due=r.due, status="taken" if r.taken else "skipped",
        taken_at=r.at, late=bool(r.taken and r.at and is_late(r.due, r.at, zone)), reason=r.reason,
    ) for r in sorted(records, key=lambda r: (r.due, r.course_id)))
    return {"courses": items, "doses": doses, "adherence_7d": adherence(week, now, zone)}
