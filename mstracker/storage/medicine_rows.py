"""Medicine courses and recorded doses: queries and writes on a Session (no clinical rules here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from .models import EVENT_COLUMNS, EventRow, MedicineCourseRow
from .stored_events import CORRECTIONS, DOSE_KIND, StoredEvent, from_row, to_db


def courses(s: Session, patient_id: int) -> list[MedicineCourseRow]:
    return list(s.scalars(select(MedicineCourseRow).where(MedicineCourseRow.patient_id == patient_id)
                          .order_by(MedicineCourseRow.id)))


def courses_of(s: Session, patient_ids: Sequence[int] | None = None) -> list[MedicineCourseRow]:
    """Every course of these patients (all patients when None)."""
    query = select(MedicineCourseRow)
    if patient_ids is not None:
        query = query.where(MedicineCourseRow.patient_id.in_(list(patient_ids)))
    return list(s.scalars(query.order_by(MedicineCourseRow.id)))


def patients_with_courses(s: Session) -> list[int]:
    return list(s.scalars(select(MedicineCourseRow.patient_id).distinct().order_by(MedicineCourseRow.patient_id)))


def get_course(s: Session, course_id: int) -> MedicineCourseRow | None:
    return s.get(MedicineCourseRow, course_id)


def insert_course(s: Session, **values: Any) -> int:
    """A new course; its calendar UID, when not given, is made from its id (stable for its life)."""
    row = MedicineCourseRow(**{"uid": values.pop("uid", None) or "pending", **values})
    s.add(row)
    s.flush()
    if row.uid == "pending":
        row.uid = f"course-{row.id}@mstracker"
        s.flush()
    return row.id


def update_course(s: Session, course_id: int, **values: Any) -> None:
    s.execute(update(MedicineCourseRow).where(MedicineCourseRow.id == course_id).values(**values))


def dose_events(s: Session, patient_ids: Sequence[int] | None, since: datetime | None = None) -> list[StoredEvent]:
    """Recorded doses (kind med_dose) of these patients (all when None) that happened at or after `since`
    (aware; None: all), with every correction of them, oldest first. One statement, rows read as tuples
    rather than ORM objects: a two-year course twice a day is 1,460 of them."""
    originals = select(EventRow.id).where(EventRow.kind == DOSE_KIND)
    if patient_ids is not None:
        originals = originals.where(EventRow.patient_id.in_(list(patient_ids)))
    if since is not None:
        originals = originals.where(EventRow.occurred_at >= to_db(since))
    query = select(*EVENT_COLUMNS).where(or_(
        EventRow.id.in_(originals),
        EventRow.kind.in_(CORRECTIONS) & EventRow.entry_id.in_(originals),
    )).order_by(EventRow.id)
    return [from_row(r) for r in s.execute(query)]


def course_events(s: Session, patient_id: int) -> list[StoredEvent]:
    """The courses' own events (added, stopped), oldest first."""
    rows = s.execute(select(*EVENT_COLUMNS).where(EventRow.patient_id == patient_id,
                                             or_(EventRow.kind == "med_course", EventRow.kind == "med_stop"))
                     .order_by(EventRow.id))
    return [from_row(r) for r in rows]


def insert_courses(s: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        s.execute(insert(MedicineCourseRow), list(rows))
