"""Stored events as the read paths hand them out: the record, the correction kinds, and the UTC helpers.

Every read of the event table (the repository, the history pages, the dashboard) builds its records here,
from a plain tuple of the event's columns in table order, so that a stored event means the same everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .models import EventRow

# The kinds of event that correct an earlier log entry rather than add one: an entry's latest version is
# its original with these applied in order.
CORRECTIONS: tuple[str, ...] = ("amend", "retract", "unretract")
# The event's columns in table order, as `from_row` takes them: plain values, no ORM object per row (a
# ten-year log has tens of thousands).
EVENT_COLUMNS = (EventRow.id, EventRow.patient_id, EventRow.entry_id, EventRow.kind, EventRow.occurred_at,
                 EventRow.recorded_at, EventRow.user, EventRow.role, EventRow.payload, EventRow.supersedes)


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


def as_utc(moment: datetime | str) -> datetime:
    """A stored moment as an aware UTC datetime. SQLite hands back naive datetimes (written as UTC), or the
    stored text itself where a read takes it as text (parsing it here costs a tenth of SQLAlchemy's typed read)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_db(moment: datetime) -> datetime:
    """An aware moment as it is stored: naive UTC (the same on SQLite and PostgreSQL)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_row(row: Sequence[Any]) -> StoredEvent:
    """A stored event from its columns in table order: id, patient, entry, kind, occurred, recorded, user,
    role, payload (JSON text), supersedes."""
    id_, patient_id, entry_id, kind, occurred, recorded, user, role, payload, supersedes = row
    return StoredEvent(id=id_, patient_id=patient_id, entry_id=entry_id or id_, kind=kind,
                       occurred_at=as_utc(occurred), recorded_at=as_utc(recorded), user=user, role=role,
                       payload=json.loads(payload), supersedes=supersedes)
