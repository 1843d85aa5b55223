"""The history as the window reads it: one screen of the newest entries, how many there are, or all of them.

Read through `ctx.reads()`, so a window reads its history without importing the storage engine (`logbook`
holds the writes and the whole-log reads, and hands these out too).
"""

from __future__ import annotations

from datetime import datetime

from ..domain.entries import LogEntry, parse_kind
from .replay import KIND_BY_VALUE, LOG_KINDS, latest_entries, require_patient, to_entries


def history(ctx, patient_id: int, kind: str | None = None) -> list[LogEntry]:
    """Latest versions, newest first (by when each happened); retracted entries left out."""
    kinds = (parse_kind(kind).value,) if kind is not None else LOG_KINDS
    with ctx.reads() as reads:
        require_patient(reads, patient_id)
        entries = to_entries(reads.entry_rows(patient_id, kinds), ctx.zone)
    entries.sort(key=page_key, reverse=True)
    return entries


def history_page(ctx, patient_id: int, kind: str | None = None, limit: int = 50,
                 before: tuple[datetime, int] | None = None) -> list[LogEntry]:
    """One screen of `history`: the newest `limit` entries, in the same order, read without the whole log.

    `before` is `page_key(entry)` of the last entry already shown; the page then continues after it.
    """
    kinds = (parse_kind(kind).value,) if kind is not None else LOG_KINDS
    if limit <= 0:
        return []
    with ctx.reads() as reads:
        rows = reads.newest_entry_rows(patient_id, kinds, limit, before)
        if not rows.plain and not rows.corrected:
            require_patient(reads, patient_id)  # a patient with nothing logged, or no such patient
    zone = ctx.zone
    # The uncorrected rows come newest first already: only corrected ones need a place among them.
    entries = [LogEntry(entry_id, KIND_BY_VALUE[kind], moment.astimezone(zone), fields)
               for entry_id, kind, moment, fields in rows.plain]
    if rows.corrected:
        entries += latest_entries(rows.corrected, zone)
        if before is not None:
            entries = [e for e in entries if page_key(e) < before]
        entries.sort(key=page_key, reverse=True)
    return entries[:limit]


def history_count(ctx, patient_id: int) -> int:
    """How many entries `history` holds (without reading them): for "N entries" beside a paged history."""
    with ctx.reads() as reads:
        return reads.entry_count(patient_id, LOG_KINDS)


def page_key(entry: LogEntry) -> tuple[datetime, int]:
    """Where an entry stands in the history (newest first): by when it happened, then by id."""
    return (entry.at, entry.entry_id)
