"""Queries and writes on a Session; knows nothing of clinical rules.

Events come back as plain `StoredEvent` records. Patients, journeys, states and reminders come back as their
ORM rows: callers read them inside the session's transaction (their plain columns only), and the services
turn them into domain values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import String, and_, bindparam, func, insert, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from .models import EVENT_COLUMNS, EventRow, JourneyRow, PatientRow, PatientStateRow, ReminderRow
from .stored_events import StoredEvent, from_row, to_db


# ---- patients ---------------------------------------------------------------------------------
def insert_patient(s: Session, *, name: str, born: date | None, diagnosed: date | None, ms_type: str | None,
                   now: datetime) -> int:
    row = PatientRow(name=name, born=born, diagnosed=diagnosed, ms_type=ms_type, created_at=to_db(now))
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


def patient_summaries(s: Session, overdue_before: str, today: str) -> list[tuple]:
    """Every patient for the coordinators' list in one query, by id: (id, name, phase, day_zero,
    day_zero_planned, overdue count, next due, next title). Overdue: pending or snoozed reminders whose
    (snoozed) due is before `overdue_before`; next: the first pending reminder due on or after `today`."""
    rows = s.execute(_patient_summaries_query(), {"overdue_before": overdue_before, "today": today})
    result = []
    for pid, name, phase, day_zero, planned, overdue, upcoming in rows:
        due, _bar, title = upcoming.partition("|") if upcoming else (None, None, None)
        result.append((pid, name, phase, _date(day_zero), bool(planned), overdue, due, title))
    return result


def _date(value: date | str | None) -> date | None:
    """SQLite gives the stored text (read as text: parsing it here costs a tenth of a typed read)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


@cache
def _patient_summaries_query():
    """Built once: correlated lookups per patient, each an index search, in place of grouping every reminder."""
    patient, state, reminder = PatientRow.__table__, PatientStateRow.__table__, ReminderRow.__table__
    overdue = select(func.count()).where(
        reminder.c.patient_id == patient.c.id, reminder.c.status.in_(("pending", "snoozed")),
        func.coalesce(reminder.c.snoozed_until, reminder.c.due) < bindparam("overdue_before"),
    ).scalar_subquery()
    # Due and title of the first pending reminder in one lookup; a due (YYYY-MM-DDTHH:MM) holds no "|".
    upcoming = (select(reminder.c.due + "|" + reminder.c.title)
                .where(reminder.c.patient_id == patient.c.id, reminder.c.status == "pending",
                       reminder.c.due >= bindparam("today"))
                .order_by(reminder.c.due, reminder.c.title).limit(1).scalar_subquery())
    return (select(patient.c.id, patient.c.name, state.c.phase, type_coerce(state.c.day_zero, String),
                   state.c.day_zero_planned, overdue, upcoming)
            .select_from(patient.outerjoin(state, state.c.patient_id == patient.c.id)).order_by(patient.c.id))


# ---- journeys ---------------------------------------------------------------------------------
def get_journey(s: Session, patient_id: int) -> JourneyRow | None:
    return s.scalars(select(JourneyRow).where(JourneyRow.patient_id == patient_id)
                     .order_by(JourneyRow.id.desc()).limit(1)).first()


def insert_journey(s: Session, *, patient_id: int, protocol_name: str, protocol_text: str, now: datetime) -> JourneyRow:
    row = JourneyRow(patient_id=patient_id, protocol_name=protocol_name, protocol_text=protocol_text,
                     created_at=to_db(now))
    s.add(row)
    s.flush()
    return row


# ---- events -----------------------------------------------------------------------------------
def written(s: Session) -> set[int]:
    """The patients this transaction appended events for (what the commit hooks look at)."""
    return s.info.setdefault("patients_written", set())


def append_event(s: Session, *, patient_id: int, kind: str, occurred_at: datetime, recorded_at: datetime,
                 user: str, role: str, payload: dict[str, Any], entry_id: int | None = None,
                 supersedes: int | None = None) -> int:
    written(s).add(patient_id)
    result = s.execute(insert(EventRow).returning(EventRow.id), [{
        "patient_id": patient_id, "kind": kind, "occurred_at": to_db(occurred_at),
        "recorded_at": to_db(recorded_at), "user": user, "role": role,
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True), "entry_id": entry_id,
        "supersedes": supersedes,
    }])
    return result.scalar_one()


# One encoder for every payload: json.dumps with options builds a new one per call (a cost per row in bulk).
_PAYLOAD_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_SQLITE_INSERT_EVENT = (
    'INSERT INTO event (id, patient_id, entry_id, kind, occurred_at, recorded_at, "user", role, payload, supersedes) '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def append_events(s: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """A list insert (one statement, many rows) for imports, the demo and batch logging; ids in order."""
    if not rows:
        return []
    written(s).update(row["patient_id"] for row in rows)
    if s.get_bind().dialect.name == "sqlite":
        return _append_events_sqlite(s, rows)
    prepared = [{
        **{k: v for k, v in row.items() if k != "payload_json"},
        "occurred_at": to_db(row["occurred_at"]), "recorded_at": to_db(row["recorded_at"]),
        "payload": row.get("payload_json") or _PAYLOAD_JSON.encode(row["payload"]),
        "entry_id": row.get("entry_id"), "supersedes": row.get("supersedes"),
    } for row in rows]
    result = s.execute(insert(EventRow.__table__).returning(EventRow.id, sort_by_parameter_order=True), prepared)
    return list(result.scalars())


def encode_payload(payload: dict[str, Any]) -> str:
    """The stored JSON form of a payload; a row may carry it ready as `payload_json` (computed once per batch)."""
    return _PAYLOAD_JSON.encode(payload)


def _utc_text_converter() -> Callable[[datetime], str]:
    """Aware moments to stored UTC text, fast for many moments in a few zones and days.

    A zone's offset is looked up once per local day when it is the same at the day's start and end (no clock
    change that day); on a day with a change each moment is converted on its own.
    """
    offsets: dict[tuple[int, date], timedelta | None] = {}  # by id: some tzinfo classes are unhashable

    def convert(moment: datetime) -> str:
        key = (id(moment.tzinfo), moment.date())
        if key not in offsets:
            offsets[key] = _steady_offset(moment)
        offset = offsets[key]
        if offset is None:
            return to_db(moment).isoformat(" ", "microseconds")
        # SQLAlchemy's own form; combine() drops the zone at a tenth of replace(tzinfo=None)'s cost
        return (datetime.combine(moment.date(), moment.time()) - offset).isoformat(" ", "microseconds")

    return convert


def _steady_offset(moment: datetime) -> timedelta | None:
    """The zone's offset on the moment's local day, if the same all day. A day's start and end suffice: no
    zone changes its clocks twice in one day (a third look cost a seventh of an import of 100,000 entries)."""
    day, zone = moment.date(), moment.tzinfo
    start, end = (datetime.combine(day, at, zone).utcoffset() for at in (time(0, 0), time(23, 59, 59)))
    return start if start == end and start is not None else None


def _append_events_sqlite(s: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """One executemany with the ids given: RETURNING makes SQLite write row by row, ten times slower.

    The ids follow the largest one; the write transaction (BEGIN IMMEDIATE) keeps other writers out, and
    a clash would fail the whole insert on the primary key rather than number anything twice.
    """
    conn = s.connection()
    first = (conn.exec_driver_sql("SELECT max(id) FROM event").scalar() or 0) + 1
    last_moment: datetime | None = None
    last_text = ""

    def text(moment: datetime) -> str:
        nonlocal last_moment, last_text
        if moment is not last_moment:  # a batch shares one recorded_at: convert it once
            last_moment, last_text = moment, to_db(moment).isoformat(" ", "microseconds")
        return last_text

    db_text = _utc_text_converter()
    encode = _PAYLOAD_JSON.encode
    params = [(first + i, row["patient_id"], row.get("entry_id"), row["kind"], db_text(row["occurred_at"]),
               text(row["recorded_at"]), row["user"], row["role"],
               row.get("payload_json") or encode(row["payload"]), row.get("supersedes"))
              for i, row in enumerate(rows)]
    conn.exec_driver_sql(_SQLITE_INSERT_EVENT, params)
    return list(range(first, first + len(rows)))


def events(s: Session, patient_id: int, kinds: Iterable[str] | None = None) -> list[StoredEvent]:
    query = select(*EVENT_COLUMNS).where(EventRow.patient_id == patient_id)
    if kinds is not None:
        query = query.where(EventRow.kind.in_(list(kinds)))
    return [from_row(r) for r in s.execute(query.order_by(EventRow.id))]


def all_events(s: Session, patient_id: int | None = None) -> list[StoredEvent]:
    query = select(*EVENT_COLUMNS)
    if patient_id is not None:
        query = query.where(EventRow.patient_id == patient_id)
    return [from_row(r) for r in s.execute(query.order_by(EventRow.id))]


def entry_events(s: Session, entry_id: int) -> list[StoredEvent]:
    """Every version of one log entry (the original, amendments, a retraction), oldest first."""
    rows = s.execute(select(*EVENT_COLUMNS).where(or_(EventRow.id == entry_id, EventRow.entry_id == entry_id))
                     .order_by(EventRow.id))
    return [from_row(r) for r in rows]


def last_event_id(s: Session, patient_id: int) -> int | None:
    return s.scalar(select(func.max(EventRow.id)).where(EventRow.patient_id == patient_id))


# ---- reminders --------------------------------------------------------------------------------
def reminders(s: Session, patient_id: int, *, from_due: str | None = None, to_due: str | None = None) -> list[ReminderRow]:
    query = select(ReminderRow).where(ReminderRow.patient_id == patient_id)
    if from_due is not None:
        query = query.where(ReminderRow.due >= from_due)
    if to_due is not None:
        query = query.where(ReminderRow.due <= to_due)
    return list(s.scalars(query.order_by(ReminderRow.due, ReminderRow.kind, ReminderRow.title, ReminderRow.id)))


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
