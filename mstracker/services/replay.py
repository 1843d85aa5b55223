"""From stored events and rows to the values the use cases hand out (journeys, log entries, reminders),
whichever read produced them: a session's or the driver-only `storage.sqlite_reads`. No database here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from ..domain.dates import format_moment
from ..domain.entries import LogEntry, LogKind
from ..domain.errors import NotFoundError
from ..domain.journey import Journey, JourneyEvent, JourneyEventKind, replay
from ..domain.local_times import for_zone
from ..domain.phases import Phase
from ..domain.protocol import Protocol, load_protocol
from ..domain.reminder_times import effective_due
from ..storage.stored_events import EntryRows, StoredEvent

JOURNEY_KINDS = tuple(k.value for k in JourneyEventKind)
LOG_KINDS = tuple(k.value for k in LogKind)
KIND_BY_VALUE = {kind.value: kind for kind in LogKind}  # a dict look-up: LogKind(value) costs more, row by row


def require_patient(reads, patient_id: int):
    patient = reads.patient(patient_id)
    if patient is None:
        raise NotFoundError(f"no patient with id {patient_id}; `mstracker patient list` shows the ids")
    return patient


def journey_event(e: StoredEvent) -> JourneyEvent:
    p = e.payload
    return JourneyEvent(
        event_id=e.id, kind=JourneyEventKind(e.kind), phase=Phase(p["phase"]) if p.get("phase") else None,
        on=date.fromisoformat(p["on"]) if p.get("on") else None, reason=p.get("reason"), target=e.supersedes,
    )


def journey_of(reads, patient_id: int) -> Journey:
    return replay([journey_event(e) for e in reads.events(patient_id, JOURNEY_KINDS)])


def protocol_of(reads, patient_id: int) -> Protocol | None:
    """The protocol the patient's journey started with (its stored copy), None before any journey."""
    row = reads.latest_journey(patient_id)
    if row is None:
        return None
    return load_protocol(row.protocol_text, f"journey of patient {patient_id} ({row.protocol_name})")


def latest_entries(events: Iterable[StoredEvent], zone: tzinfo, *, include_retracted: bool = False) -> list[LogEntry]:
    """Each log entry in its latest version: amendments change only the fields they name."""
    entries: dict[int, LogEntry] = {}
    local = for_zone(zone).local
    for e in sorted(events, key=lambda x: x.id):
        if e.kind in LOG_KINDS:
            entries[e.id] = LogEntry(e.id, LogKind(e.kind), local(e.occurred_at), dict(e.payload["fields"]))
        elif e.kind == "amend" and e.entry_id in entries:
            old = entries[e.entry_id]
            at = datetime.fromisoformat(e.payload["at"]).astimezone(zone) if e.payload.get("at") else old.at
            entries[e.entry_id] = LogEntry(old.entry_id, old.kind, at, {**old.fields, **e.payload.get("fields", {})},
                                           amended=True, retracted=old.retracted)
        elif e.kind == "retract" and e.entry_id in entries:
            old = entries[e.entry_id]
            entries[e.entry_id] = LogEntry(old.entry_id, old.kind, old.at, old.fields, old.amended, retracted=True)
        elif e.kind == "unretract" and e.entry_id in entries:
            old = entries[e.entry_id]
            entries[e.entry_id] = LogEntry(old.entry_id, old.kind, old.at, old.fields, old.amended, retracted=False)
    return [x for x in entries.values() if include_retracted or not x.retracted]


def to_entries(rows: EntryRows, zone: tzinfo) -> list[LogEntry]:
    """Log entries in their latest versions from `EntryRows` (the fast reads of a long log): uncorrected
    entries as they were logged, corrected ones replayed with their corrections (retracted ones left out).
    Unordered."""
    local = for_zone(zone).local
    entries = [LogEntry(entry_id, KIND_BY_VALUE[kind], local(moment), fields) for entry_id, kind, moment, fields in rows.plain]
    entries += latest_entries(rows.corrected, zone)
    return entries


def wall(text: str) -> datetime:
    """A stored wall time (YYYY-MM-DDTHH:MM, as `wall_text` writes it): fromisoformat, a tenth of strptime's
    cost, and a schedule is read whole on every status."""
    return datetime.fromisoformat(text)


def wall_text(moment: datetime) -> str:
    return format_moment(moment)


@dataclass(frozen=True)
class Reminder:
    id: int
    patient_id: int
    due: datetime  # naive local wall time
    kind: str
    title: str
    status: str
    snoozed_until: datetime | None = None
    done_at: datetime | None = None
    uid: str = ""
    item_id: str = ""
    occurrence: int = 0
    edited: bool = False

    def to_json(self) -> dict:
        return {"id": self.id, "due": wall_text(self.due), "kind": self.kind, "title": self.title,
                "status": self.status}

    @property
    def effective_due(self) -> datetime:
        return effective_due(self.due, self.status, self.snoozed_until)


def reminder_from_row(row) -> Reminder:
    return Reminder(
        id=row.id, patient_id=row.patient_id, due=wall(row.due), kind=row.kind, title=row.title, status=row.status,
        snoozed_until=wall(row.snoozed_until) if row.snoozed_until else None,
        done_at=wall(row.done_at) if row.done_at else None, uid=row.uid, item_id=row.item_id,
        occurrence=row.occurrence, edited=row.edited,
    )
