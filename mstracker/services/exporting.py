"""One patient's timeline gathered into plain data (`ExportData`) for the writers of exports/formats.py.

transfer.py renders and writes the files (and the lossless JSON form, which needs no ExportData).
"""

from __future__ import annotations

import os
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo
from functools import lru_cache
from pathlib import Path

from ..domain.journey import Journey
from ..domain.local_times import for_zone
from ..domain.phases import FINAL, PLAIN_WORDS, Phase
from ..domain.protocol import Protocol, ProtocolError, load_protocol
from ..exports.model import AlertNote, Entry, EventRecord, ExportData, PatientInfo, PhaseSpan, ScheduledItem
from ..storage import event_reads
from ..storage import repository as repo
from ..storage.stored_events import StoredEvent
from .context import AppContext
from .medicine_exports import medicine_fields
from .records import load_journey, require_patient
from .replay import JOURNEY_KINDS, LOG_KINDS, latest_entries

_PAYLOAD_COLUMNS = {"fields", "phase", "on", "reason", "log_kind"}


def gather(ctx: AppContext, patient_id: int, *, entries: bool = True, events: bool = True,
           entry_kinds: Sequence[str] | None = None) -> ExportData:
    """Everything the writers need, read in one consistent snapshot; without `entries` or `events`, those
    are left empty (a writer that does not read them), and with `entry_kinds` only those kinds' entries
    are read."""
    with ctx.db.reading() as s:
        return gather_in(ctx, s, patient_id, entries=entries, events=events, entry_kinds=entry_kinds)


def gather_in(ctx: AppContext, s, patient_id: int, *, entries: bool = True, events: bool = True,
              entry_kinds: Sequence[str] | None = None) -> ExportData:
    """`gather` within a session (the calendar publication reads it inside a write, without the log)."""
    now = ctx.now()
    p = require_patient(s, patient_id)
    patient = PatientInfo(p.id, p.name, p.born, p.diagnosed, p.ms_type)
    jrow = repo.get_journey(s, patient_id)
    protocol = _protocol(patient_id, jrow.protocol_name, jrow.protocol_text) if jrow else None
    journey = load_journey(s, patient_id)
    stored = event_reads.all_events(s, patient_id) if events else []
    reminders = tuple(_scheduled(r) for r in repo.reminders(s, patient_id))
    medicines = medicine_fields(s, patient_id, now, ctx.zone)
    day_zero, planned_zero = journey.day_zero, journey.day_zero_is_planned

    def day_of(d: date) -> int | None:
        return None if day_zero is None else (d - day_zero).days

    found = _entries(s, patient_id, LOG_KINDS if entry_kinds is None else entry_kinds, ctx.zone, day_of) \
        if entries else []
    return ExportData(
        patient=patient, generated_at=now, zone_key=zone_key(), zone=ctx.zone,
        journey_id=jrow.id if jrow else None, protocol_name=protocol.name if protocol else None,
        protocol_title=protocol.title if protocol else None, autologous=protocol.autologous if protocol else True,
        phase=journey.phase.value if journey.phase else None,
        phase_label=PLAIN_WORDS[journey.phase] if journey.phase else None,
        day=day_of(now.date()), day_zero=day_zero, day_zero_is_planned=planned_zero,
        admitted=journey.admitted, discharged=journey.discharged, length_of_stay_days=journey.length_of_stay_days,
        phases=tuple(_phase_spans(journey, day_of)),
        reminders=reminders,
        entries=tuple(found),
        events=tuple(_event_records(stored, ctx)),
        **medicines,
    )


def with_alerts(data: ExportData, alerts) -> ExportData:
    """`data` with the status rules' current alerts (the PDF leads with them)."""
    return replace(data, alerts=tuple(AlertNote(a.level, a.message) for a in alerts))


def _protocol(patient_id: int, name: str, text: str) -> Protocol:
    """The journey's protocol, parsed once for every journey that holds the same text (a clinic's patients
    share a few protocols, and parsing one costs more than reading a patient's journey)."""
    try:
        return _parsed_protocol(name, text)
    except ProtocolError:  # said again naming this patient's journey (a failed parse is not cached)
        return load_protocol(text, f"journey of patient {patient_id} ({name})")


@lru_cache(maxsize=32)
def _parsed_protocol(name: str, text: str) -> Protocol:
    return load_protocol(text, f"protocol {name}")


def _scheduled(row) -> ScheduledItem:
    """A reminder row as the writers take it (its times are stored as local wall times, YYYY-MM-DDTHH:MM)."""
    return ScheduledItem(row.id, row.uid, _wall(row.due), row.kind, row.title, row.status, _wall(row.snoozed_until),
                         _wall(row.done_at))


def _wall(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _entries(s, patient_id: int, kinds: Sequence[str], zone: tzinfo,
             day_of: Callable[[date], int | None]) -> list[Entry]:
    """Every log entry of `kinds` in its latest version, retracted ones included, in the order they
    happened: the uncorrected ones (most of a log) straight from their rows, the few corrected ones replayed
    with their corrections."""
    rows = event_reads.entry_rows(s, patient_id, kinds)
    local = for_zone(zone).local
    found = []
    for entry_id, kind, moment, fields in rows.plain:
        at = local(moment)
        found.append(Entry(entry_id, kind, at, fields, day=day_of(at.date())))
    found += [Entry(e.entry_id, e.kind.value, e.at, e.fields, e.amended, e.retracted, day_of(e.at.date()))
              for e in latest_entries(rows.corrected, zone, include_retracted=True)]
    found.sort(key=lambda e: (e.at, e.entry_id))
    return found


def _phase_spans(journey: Journey, day_of) -> list[PhaseSpan]:
    spans = []
    attempts: dict[Phase, int] = defaultdict(int)
    transitions = journey.transitions
    for i, t in enumerate(transitions):
        attempts[t.phase] += 1
        end = transitions[i + 1].on if i + 1 < len(transitions) else None
        spans.append(PhaseSpan(t.phase.value, PLAIN_WORDS[t.phase], t.on, end, False, attempts[t.phase], t.reason,
                               day_of(t.on)))
    if journey.phase not in FINAL:
        # A planned date shows until that phase is entered; it then becomes the real one (same attempt number).
        for phase, on in sorted(journey.planned.items(), key=lambda x: x[1]):
            if phase not in attempts:
                spans.append(PhaseSpan(phase.value, PLAIN_WORDS[phase], on, None, True, 1, None, day_of(on)))
    return spans


def _event_records(events: list[StoredEvent], ctx: AppContext) -> list[EventRecord]:
    status_of = _event_status(events)
    local = for_zone(ctx.zone).local
    records = []
    for e in events:
        p = e.payload
        entry_kind = e.kind if e.kind in LOG_KINDS else p.get("log_kind")
        on = p.get("on") if e.kind in JOURNEY_KINDS else None
        records.append(EventRecord(
            event_id=e.id, entry_id=e.entry_id, kind=e.kind, occurred_at=local(e.occurred_at),
            recorded_at=local(e.recorded_at), user=e.user, role=e.role, status=status_of[e.id],
            entry_kind=entry_kind, phase=p.get("phase") if isinstance(p.get("phase"), str) else None,
            on=_date(on), fields=dict(p.get("fields") or {}), reason=p.get("reason"), supersedes=e.supersedes,
            details={k: v for k, v in p.items() if k not in _PAYLOAD_COLUMNS},
        ))
    return records


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def _event_status(events: list[StoredEvent]) -> dict[int, str]:
    """current | superseded | retracted | correction for every event (see exports/csv_export.py)."""
    result: dict[int, str] = {}
    versions: dict[int, list[int]] = defaultdict(list)  # log entry -> its versions, in order
    retracted: dict[int, bool] = {}
    amends_of: dict[int, list[int]] = defaultdict(list)  # transition -> its date corrections
    undone: set[int] = set()
    plans: dict[str, list[int]] = defaultdict(list)
    for e in events:  # written order
        if e.kind in LOG_KINDS or e.kind in ("amend", "med_dose"):  # a recorded dose is amended like an entry
            versions[e.entry_id].append(e.id)
        elif e.kind in ("retract", "unretract"):
            retracted[e.entry_id] = e.kind == "retract"
            result[e.id] = "correction"
        elif e.kind == "transition_amend" and e.supersedes is not None:
            amends_of[e.supersedes].append(e.id)
        elif e.kind == "transition_undo":
            if e.supersedes is not None:
                undone.add(e.supersedes)
            result[e.id] = "correction"
        elif e.kind == "plan":
            plans[str(e.payload.get("phase"))].append(e.id)
        else:
            result[e.id] = "current"
    for entry_id, ids in versions.items():
        for i, event_id in enumerate(ids):
            if retracted.get(entry_id):
                result[event_id] = "retracted"
            else:
                result[event_id] = "current" if i == len(ids) - 1 else "superseded"
    for e in events:
        if e.kind in ("start", "transition"):
            chain = [e.id] + amends_of.get(e.id, [])
            for i, event_id in enumerate(chain):
                if e.id in undone:
                    result[event_id] = "retracted"
                else:
                    result[event_id] = "current" if i == len(chain) - 1 else "superseded"
    for ids in plans.values():
        for i, event_id in enumerate(ids):
            result[event_id] = "current" if i == len(ids) - 1 else "superseded"
    for e in events:
        result.setdefault(e.id, "current")
    return result


def zone_key() -> str | None:
    """The IANA name of the local zone (TZ where set, else the system's), or None when it has none."""
    candidates = []
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        candidates.append(tz)
    else:
        try:
            candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
        except OSError:
            pass
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for key in candidates:
        try:
            zoneinfo.ZoneInfo(key)
            return key
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return None

