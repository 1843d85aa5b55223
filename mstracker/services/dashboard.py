"""Red flags for the coordinators' dashboard, for every patient at once from a few bulk queries.

A cheap screen, not the full alert rules of `status` (which replay one patient's whole log): it reads
only recent temperature, lab and relapse entries, in their latest versions, and flags
- `fever`: a temperature ≥ 38.0 °C in the last 24 h;
- `low_platelets`: the latest platelet count (of the last 14 days) < 20;
- `neutropenia`: the latest ANC (of the last 14 days) < 0.5;
- `relapse`: a relapse logged in the last 30 days (not one the MS team marked `confirmed=no`).
Opening the patient shows the full, authoritative alerts. `missed_doses` counts, per patient, the medicine
doses that became missed in the last 24 hours (the `missed_dose` warning of `status`).

Each takes an AppContext or a QuickContext and reads through `ctx.reads()` only, so that the coordinators'
window can show the dashboard from sqlite3 alone, before (or without) loading the storage engine.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from ..domain.clinical.alerts import FEVER, PLATELETS_LOW
from ..domain.clinical.engraftment import ANC_THRESHOLD
from ..domain.entries import LogEntry, LogKind
from .medicine_status import missed_by_patient
from .replay import latest_entries

if TYPE_CHECKING:
    from .context import AppContext
    from .quick_context import QuickContext

FEVER_WINDOW = timedelta(hours=24)
LAB_WINDOW = timedelta(days=14)
RELAPSE_WINDOW = timedelta(days=30)
COMING_DAYS = 30  # as far ahead as the patient's own reminders list looks

FLAG_WORDS = {
    "fever": "fever ≥ 38.0 °C",
    "low_platelets": "platelets < 20",
    "neutropenia": "ANC < 0.5",
    "relapse": "relapse",
}


def coming_reminders(ctx: AppContext | QuickContext, days: int = COMING_DAYS) -> dict[int, list[tuple[str, str]]]:
    """patient id → (kind, title) of each reminder still to do up to `days` ahead (overdue ones included):
    what a search for "blood" or "MRI" finds, beyond the one next reminder the list shows."""
    end = (ctx.now().replace(tzinfo=None) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
    with ctx.reads() as reads:
        rows = reads.open_reminders_until(end)
    coming: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, kind, title in rows:
        coming[pid].append((kind, title))
    return dict(coming)


def alert_flags(ctx: AppContext | QuickContext) -> dict[int, list[str]]:
    """patient id → flag codes (in FLAG_WORDS order); patients with none are left out."""
    now = ctx.now()
    # Each kind only as far back as its flag looks: a clinic logs many temperatures, few relapses.
    since = {LogKind.TEMPERATURE.value: now - FEVER_WINDOW, LogKind.LAB.value: now - LAB_WINDOW,
             LogKind.RELAPSE.value: now - RELAPSE_WINDOW}
    with ctx.reads() as reads:
        events = reads.recent_entry_events(since, until=now)
    by_patient = defaultdict(list)
    for e in events:
        by_patient[e.patient_id].append(e)
    flags: dict[int, list[str]] = {}
    for pid, patient_events in by_patient.items():
        # In UTC: the flags need no local time, and converting to the local zone costs more than the query.
        entries = [x for x in latest_entries(patient_events, UTC) if x.at <= now]
        codes = _flags(entries, now)
        if codes:
            flags[pid] = codes
    return flags


def _flags(entries: list[LogEntry], now) -> list[str]:
    entries = sorted(entries, key=lambda x: (x.at, x.entry_id))
    found = set()
    if any(e.kind is LogKind.TEMPERATURE and now - e.at < FEVER_WINDOW and _num(e, "celsius") >= FEVER
           for e in entries):
        found.add("fever")
    labs = [e for e in entries if e.kind is LogKind.LAB and now - e.at < LAB_WINDOW]
    platelets = [v for e in labs if (v := _num(e, "platelets")) >= 0]
    if platelets and platelets[-1] < PLATELETS_LOW:
        found.add("low_platelets")
    anc = [v for e in labs if (v := _num(e, "anc")) >= 0]
    if anc and anc[-1] < ANC_THRESHOLD:
        found.add("neutropenia")
    if any(e.kind is LogKind.RELAPSE and now - e.at < RELAPSE_WINDOW and e.fields.get("confirmed") != "no"
           for e in entries):
        found.add("relapse")
    return [code for code in FLAG_WORDS if code in found]


def _num(entry: LogEntry, name: str) -> float:
    """The field as a number, or −1 when absent."""
    value = entry.fields.get(name)
    return float(value) if isinstance(value, int | float) else -1.0


def missed_doses(ctx: AppContext | QuickContext) -> dict[int, int]:
    """patient id → doses missed in the last 24 hours, for a dashboard column (patients with none left out)."""
    with ctx.reads() as reads:
        return missed_by_patient(reads, ctx.now(), ctx.zone)
