"""The backups folder beside a SQLite database: names, listing, and how many of each kind are kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

FOLDER = "backups"
KEEP_DAILY = 7  # the last seven days' backups...
KEEP_WEEKLY = 4  # ...and one for each of the four weeks before them
KEEP_OTHER = 10  # of each one-off kind (before a migration, a restore, encryption)
_TAIL = re.compile(r"^(?P<stamp>\d{8}T\d{12})(?:-\d+)?-(?P<reason>[a-z][a-z-]*)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # UTC
    reason: str


def folder_for(db_path: Path) -> Path:
    return db_path.parent / FOLDER


def new_path(db_path: Path, reason: str, at: datetime) -> Path:
    """A fresh name: `<stem>-<UTC stamp>-<reason>.sqlite3` (a counter keeps names unique under a fixed clock)."""
    stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = folder_for(db_path)
    path = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    n = 1
    while path.exists():
        path = folder / f"{db_path.stem}-{stamp}-{n}-{reason}.sqlite3"
        n += 1
    return path


def list_backups(db_path: Path) -> list[BackupFile]:
    """This database's backups, newest first."""
    folder = folder_for(db_path)
    if not folder.is_dir():
        return []
    found = []
    prefix = f"{db_path.stem}-"
    for path in folder.iterdir():
        if not path.name.startswith(prefix):
            continue
        match = _TAIL.match(path.name[len(prefix):])
        if match and path.is_file():
            taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
            found.append(BackupFile(path, taken, match["reason"]))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def daily_due(backups: list[BackupFile], today: date, zone: tzinfo) -> bool:
    """No daily backup has been taken yet on `today` (a local date)."""
    return not any(b.reason == "daily" and b.taken_at.astimezone(zone).date() >= today for b in backups)


def to_keep(backups: list[BackupFile], zone: tzinfo) -> set[Path]:
    """The newest KEEP_DAILY dailies, one per ISO week for KEEP_WEEKLY older weeks, KEEP_OTHER of each other kind."""
    keep: set[Path] = set()
    dailies = [b for b in backups if b.reason == "daily"]
    recent = dailies[:KEEP_DAILY]
    keep.update(b.path for b in recent)
    weeks_seen = {b.taken_at.astimezone(zone).isocalendar()[:2] for b in recent}
    weekly = 0
    for b in dailies[KEEP_DAILY:]:
        week = b.taken_at.astimezone(zone).isocalendar()[:2]
        if week in weeks_seen:
            continue
        if weekly >= KEEP_WEEKLY:
            break
        weeks_seen.add(week)
        keep.add(b.path)
        weekly += 1
    counts: dict[str, int] = {}
    for b in backups:
        if b.reason == "daily":
            continue
        counts[b.reason] = counts.get(b.reason, 0) + 1
        if counts[b.reason] <= KEEP_OTHER:
            keep.add(b.path)
    return keep


def prune(db_path: Path, zone: tzinfo) -> list[Path]:
    """Delete the backups that fall out of the retention; returns them."""
    backups = list_backups(db_path)
    keep = to_keep(backups, zone)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed
