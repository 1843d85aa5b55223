"""Stored events as the read paths hand them out: the record, the correction kinds, and the UTC helpers.

Every read of the event table (the repository, the history pages, the dashboard, the driver-only reads of
`sqlite_reads`) builds its records here, from a plain tuple of the event's columns in table order, so that a
stored event means the same everywhere. No SQLAlchemy here: the quick read path imports this module too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

# The kinds of event that correct an earlier log entry rather than add one: an entry's latest version is
# its original with these applied in order.
CORRECTIONS: tuple[str, ...] = ("amend", "retract", "unretract")
DOSE_KIND = "med_dose"  # a dose of a medicine course recorded as taken or skipped (corrected like an entry)
# The event table's columns in table order, as `from_row` takes them (models.EVENT_COLUMNS, by name).
EVENT_COLUMN_NAMES = ("id", "patient_id", "entry_id", "kind", "occurred_at", "recorded_at", "user", "role",
                      "payload", "supersedes")
# A row of a read that mixes plain entries and corrections says which it is in its first column.
PLAIN, CORRECTED = 0, 1


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
        if "+" not in moment[19:] and "-" not in moment[19:]:  # naive UTC, as SQLite holds it
            return datetime.fromisoformat(moment + "+00:00")  # a fifth of the cost of parse-then-replace
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
                       payload=orjson.loads(payload), supersedes=supersedes)


@dataclass(frozen=True)
class EntryRows:
    plain: list[tuple[int, str, datetime, dict[str, Any]]]  # uncorrected entries: id, kind, UTC moment, fields
    corrected: list[StoredEvent]  # every correction and every original it corrects, oldest first


def split_entry_rows(result: Iterable[Sequence[Any]]) -> EntryRows:
    """Rows of (PLAIN or CORRECTED, the event's columns in table order) as `EntryRows`; an event read twice
    (an original that is also among the plain kinds' corrected) counts once."""
    plain, corrected, seen = [], [], set()
    for part, *row in result:
        if part == PLAIN:
            plain.append((row[0], row[3], as_utc(row[4]), orjson.loads(row[8])["fields"]))
        elif row[0] not in seen:
            seen.add(row[0])
            corrected.append(from_row(row))
    corrected.sort(key=lambda e: e.id)
    return EntryRows(plain, corrected)


def may_stand(corrections: Iterable[Sequence[Any]], cutoff: str | None) -> list[int]:
    """The corrected entries that may stand at or after `cutoff` (a stored moment as text; without one: all
    that are shown), from every correction of a patient as (id, entry id, kind, stored moment as text).

    An amendment is stored at the entry's new moment, so an amended entry stands at its latest amendment's
    time; one retracted for good is not shown at all; the few others (restored, never amended) are read
    anyway. Older ones cannot displace any entry of a full page."""
    moved: dict[int, tuple[int, str]] = {}  # entry id -> (latest amendment's id, its moment)
    shown: dict[int, tuple[int, bool]] = {}  # entry id -> (latest retract/unretract's id, shown after it)
    for id_, entry_id, kind, occurred in corrections:
        if kind == "amend":
            if entry_id not in moved or moved[entry_id][0] < id_:
                moved[entry_id] = (id_, occurred)
        elif entry_id not in shown or shown[entry_id][0] < id_:
            shown[entry_id] = (id_, kind == "unretract")
    wanted = []
    for entry in moved.keys() | shown.keys():
        if entry in shown and not shown[entry][1]:
            continue
        if entry in moved and cutoff is not None and moved[entry][1] < cutoff:
            continue
        wanted.append(entry)
    return sorted(wanted)
