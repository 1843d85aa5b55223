"""Small helpers shared by the clinical rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone

from ..entries import LogEntry, LogKind


def utc(moment: datetime) -> datetime:
    """An aware moment in UTC: differences and comparisons of these are real elapsed time (DST-safe)."""
    return moment.astimezone(timezone.utc)


def number(entry: LogEntry, name: str) -> float | None:
    value = entry.fields.get(name)
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def usable(entries: Iterable[LogEntry], *, until: datetime | None = None,
           until_day: date | None = None) -> list[LogEntry]:
    """Entries that count: not retracted, dated at or before `until` / on or before `until_day`.

    Sorted by real time (then id), whatever order they came in.
    """
    limit = utc(until) if until is not None else None
    kept = [e for e in entries if not e.retracted
            and (limit is None or utc(e.at) <= limit)
            and (until_day is None or e.at.date() <= until_day)]
    return sorted(kept, key=lambda e: (utc(e.at), e.entry_id))


def of_kind(entries: Iterable[LogEntry], kind: LogKind) -> list[LogEntry]:
    return [e for e in entries if e.kind is kind]


def counted_relapses(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """Relapses that count: all logged ones except those the MS team marked `confirmed=no`."""
    return [e for e in entries if e.kind is LogKind.RELAPSE and e.fields.get("confirmed") != "no"]


def mri_active(entry: LogEntry) -> bool:
    return (number(entry, "new_t2") or 0) > 0 or (number(entry, "gd_enhancing") or 0) > 0


def fmt_day(day: date) -> str:
    return day.isoformat()


def fmt_moment(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def fmt_num(value: float) -> str:
    return f"{value:g}"
