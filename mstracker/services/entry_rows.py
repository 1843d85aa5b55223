"""Log entries in their latest versions from `storage.event_reads` rows (the fast reads of a long log)."""

from __future__ import annotations

from datetime import tzinfo

from ..domain.entries import LogEntry, LogKind
from ..domain.local_times import for_zone
from ..storage.event_reads import EntryRows
from .records import latest_entries


def to_entries(rows: EntryRows, zone: tzinfo) -> list[LogEntry]:
    """Uncorrected entries as they were logged; corrected ones replayed with their corrections (retracted
    ones left out). Unordered."""
    local = for_zone(zone).local
    entries = [LogEntry(entry_id, LogKind(kind), local(moment), fields) for entry_id, kind, moment, fields in rows.plain]
    entries += latest_entries(rows.corrected, zone)
    return entries
