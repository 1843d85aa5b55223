"""Queries and writes on a Session. Returns plain records; knows nothing of clinical rules."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from .models import EventRow, JourneyRow, PatientRow, PatientStateRow, ReminderRow


@dataclass(frozen=True)
class StoredEvent:
    id: int
    patient_id: int
    entry_id: int  # the first version's event id (its own id for an original)
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    user: str
    role: str
    payload: dict[str, Any]
    supersedes: int | None


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were written as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _to_db(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _stored(row: EventRow) -> StoredEvent:
    return StoredEvent(
        id=row.id, patient_id=row.patient_id, entry_id=row.entry_id or row.id, kind=row.kind,
        occurred_at=as_utc(row.occurred_at), recorded_at=as_utc(row.recorded_at), user=row.user, role=row.role,
        payload=json.loads(row.payload), supersedes=row.supersedes,
    )


# ---- patients ---------------------------------------------------------------------------------
def insert_patient(s: Session, *, name: str, born: date | None, diagnosed: date | None, ms_type: str | None,
                   now: datetime) -> int:
    row = PatientRow(name=name, born=born, diagnosed=diagnosed, ms_type=ms_type, created_at=_to_db(now))
    s.add(row)
    s.flush()
    s.add(PatientStateRow(patient_id=row.id, day_zero_planned=False))
    return row.id


def get_patient(s: Session, patient_id: int) -> PatientRow | None:
    return s.get(PatientRow, patient_id)


def patients_with_state(s: Session) -> list[tuple[PatientRow, PatientStateRow | None]]:
    rows = s.execute(
        select(PatientRow, PatientStateRow).outerjoin(PatientStateRow, PatientStateRow.patient_id == PatientRow.id)
        .order_by(PatientRow.id)
    ).all()
    return [(p, st) for p, st in rows]


def get_state(s: Session, patient_id: int) -> PatientStateRow | None:
    return s.get(PatientStateRow, patient_id)


def save_state(s: Session, patient_id: int, **values: Any) -> None:
    row = s.get(PatientStateRow, patient_id)
    if row is None:
        row = PatientStateRow(patient_id=patient_id, day_zero_planned=False)
        s.add(row)
    for key, value in values.items():
        setattr(row, key, value)


def overdue_counts(s: Session, before_due: str) -> dict[int, int]:
    """Pending reminders whose due is before `before_due` (or snoozed past it), per patient."""
    effective = func.coalesce(ReminderRow.snoozed_until, ReminderRow.due)
    rows = s.execute(
        select(ReminderRow.patient_id, func.count())
        .where(ReminderRow.status.in_(("pending", "snoozed")), effective < before_due)
        .group_by(ReminderRow.patient_id)
    ).all()
    return {pid: n for pid, n in rows}


def next_due_after(s: Session, after: str) -> dict[int, tuple[str, str]]:
    """The first pending reminder at or after `after`, per patient: (due, title)."""
    sub = (
        select(ReminderRow.patient_id, func.min(ReminderRow.due).label("due"))
        .where(ReminderRow.status == "pending", ReminderRow.due >= after)
        .group_by(ReminderRow.patient_id).subquery()
    )
    rows = s.execute(
        select(sub.c.patient_id, sub.c.due, func.min(ReminderRow.title))
        .join(ReminderRow, and_(ReminderRow.patient_id == sub.c.patient_id, ReminderRow.due == sub.c.due,
                                ReminderRow.status == "pending"))
        .group_by(sub.c.patient_id, sub.c.due)
    ).all()
    return {pid: (due, title) for pid, due, title in rows}


# ---- journeys ---------------------------------------------------------------------------------
def get_journey(s: Session, patient_id: int) -> JourneyRow | None:
    return s.scalars(select(JourneyRow).where(JourneyRow.patient_id == patient_id)
                     .order_by(JourneyRow.id.desc()).limit(1)).first()


def insert_journey(s: Session, *, patient_id: int, protocol_name: str, protocol_text: str, now: datetime) -> JourneyRow:
    row = JourneyRow(patient_id=patient_id, protocol_name=protocol_name, protocol_text=protocol_text,
                     created_at=_to_db(now))
    s.add(row)
    s.flush()
    return row


# ---- events -----------------------------------------------------------------------------------
def append_event(s: Session, *, patient_id: int, kind: str, occurred_at: datetime, recorded_at: datetime,
                 user: str, role: str, payload: dict[str, Any], entry_id: int | None = None,
                 supersedes: int | None = None) -> int:
    result = s.execute(insert(EventRow).returning(EventRow.id), [{
        "patient_id": patient_id, "kind": kind, "occurred_at": _to_db(occurred_at),
        "recorded_at": _to_db(recorded_at), "user": user, "role": role,
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True), "entry_id": entry_id,
        "supersedes": supersedes,
    }])
    return result.scalar_one()


def append_events(s: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """A list insert (one statement, many rows) for imports, the demo and batch logging; ids in order."""
    if not rows:
        return []
    prepared = [{
        **row, "occurred_at": _to_db(row["occurred_at"]), "recorded_at": _to_db(row["recorded_at"]),
        "payload": json.dumps(row["payload"], ensure_ascii=False, sort_keys=True),
        "entry_id": row.get("entry_id"), "supersedes": row.get("supersedes"),
    } for row in rows]
    result = s.execute(insert(EventRow).returning(EventRow.id, sort_by_parameter_order=True), prepared)
    return list(result.scalars())


def events(s: Session, patient_id: int, kinds: Iterable[str] | None = None) -> list[StoredEvent]:
    query = select(EventRow).where(EventRow.patient_id == patient_id)
    if kinds is not None:
        query = query.where(EventRow.kind.in_(list(kinds)))
    return [_stored(r) for r in s.scalars(query.order_by(EventRow.id))]


def all_events(s: Session, patient_id: int | None = None) -> list[StoredEvent]:
    query = select(EventRow)
    if patient_id is not None:
        query = query.where(EventRow.patient_id == patient_id)
    return [_stored(r) for r in s.scalars(query.order_by(EventRow.id))]


def entry_events(s: Session, entry_id: int) -> list[StoredEvent]:
    """Every version of one log entry (the original, amendments, a retraction), oldest first."""
    rows = s.scalars(select(EventRow).where(or_(EventRow.id == entry_id, EventRow.entry_id == entry_id))
                     .order_by(EventRow.id))
    return [_stored(r) for r in rows]


def last_event_id(s: Session, patient_id: int) -> int | None:
    return s.scalar(select(func.max(EventRow.id)).where(EventRow.patient_id == patient_id))


# ---- reminders --------------------------------------------------------------------------------
def reminders(s: Session, patient_id: int, *, from_due: str | None = None, to_due: str | None = None) -> list[ReminderRow]:
    query = select(ReminderRow).where(ReminderRow.patient_id == patient_id)
    if from_due is not None:
        query = query.where(ReminderRow.due >= from_due)
    if to_due is not None:
        query = query.where(ReminderRow.due <= to_due)
    return list(s.scalars(query.order_by(ReminderRow.due, ReminderRow.kind, ReminderRow.title)))


def get_reminder(s: Session, reminder_id: int) -> ReminderRow | None:
    return s.get(ReminderRow, reminder_id)


def insert_reminders(s: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        s.execute(insert(ReminderRow), list(rows))


def update_reminder(s: Session, reminder_id: int, **values: Any) -> None:
    s.execute(update(ReminderRow).where(ReminderRow.id == reminder_id).values(**values))


def first_pending_due(s: Session, patient_id: int) -> str | None:
    return s.scalar(select(func.min(ReminderRow.due))
                    .where(ReminderRow.patient_id == patient_id, ReminderRow.status == "pending"))
