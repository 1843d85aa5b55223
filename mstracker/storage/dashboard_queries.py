"""Bulk reads for the coordinators' dashboard: a few queries over all patients, never one per patient."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .models import EventRow
from .repository import StoredEvent, _stored, _to_db

CORRECTIONS = ("amend", "retract", "unretract")


def recent_entry_events(s: Session, kinds: Sequence[str], since: datetime) -> list[StoredEvent]:
    """Log entries of `kinds` that happened at or after `since` (aware), for every patient, with every
    correction of them (amend, retract, unretract) so that callers can take each entry's latest version."""
    originals = select(EventRow.id).where(EventRow.kind.in_(list(kinds)), EventRow.occurred_at >= _to_db(since))
    query = select(EventRow).where(or_(
        EventRow.id.in_(originals),
        EventRow.kind.in_(CORRECTIONS) & EventRow.entry_id.in_(originals),
    )).order_by(EventRow.id)
    return [_stored(r) for r in s.scalars(query)]
