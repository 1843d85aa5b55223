"""Bulk reads for the coordinators' dashboard: a few queries over all patients, never one per patient."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .models import EVENT_COLUMNS, EventRow, ReminderRow
from .stored_events import CORRECTIONS, StoredEvent, from_row, to_db


def recent_entry_events(s: Session, since: Mapping[str, datetime], until: datetime | None = None) -> list[StoredEvent]:
    """Log entries of each kind in `since` that happened at or after its moment (aware), and not after `until`,
    for every patient, with every correction of them (amend, retract, unretract) so that callers can take each
    entry's latest version. An entry amended into the window from an older date is not found (its original is
    older). `until` keeps a clock set back (or a database from elsewhere) from reading every later entry."""
    window = [and_(EventRow.kind == kind, EventRow.occurred_at >= to_db(moment)) for kind, moment in since.items()]
    originals = select(EventRow.id).where(or_(*window))
    if until is not None:
        originals = originals.where(EventRow.occurred_at <= to_db(until))
    # Plain columns, not ORM objects: thousands of rows per refresh, read and dropped.
    query = select(*EVENT_COLUMNS).where(or_(
        EventRow.id.in_(originals),
        EventRow.kind.in_(CORRECTIONS) & EventRow.entry_id.in_(originals),
    )).order_by(EventRow.id)
    return [from_row(r) for r in s.execute(query)]


def open_reminders_until(s: Session, end: str) -> list[tuple[int, str, str]]:
    """(patient id, kind, title) of every reminder still to do (pending or snoozed) whose (snoozed) due time is
    at or before `end` (YYYY-MM-DDTHH:MM, local wall time), for every patient, in due order."""
    effective = func.coalesce(ReminderRow.snoozed_until, ReminderRow.due)
    query = (select(ReminderRow.patient_id, ReminderRow.kind, ReminderRow.title)
             .where(ReminderRow.status.in_(("pending", "snoozed")), effective <= end)
             .order_by(ReminderRow.patient_id, effective, ReminderRow.id))  # id: ties in one order, either read
    return [(pid, kind, title) for pid, kind, title in s.execute(query)]
