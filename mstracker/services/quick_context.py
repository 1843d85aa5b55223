"""A context for one-line read commands (`status`, `patient list`) on a plain SQLite file: the answer read
with Python's own sqlite3 (`storage.sqlite_reads`), so that the command does not pay for importing SQLAlchemy
and every service (two thirds of a second) to print a few lines.

`open_quick` says None wherever the full open has work to do or knows better: a server, an encrypted file,
a schema to upgrade, a file it cannot read this way, a daily backup that is due (the full open takes it), or
what a killed backup, restore or encryption left beside the file (the full open finishes or removes it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from ..storage import backups, leftovers
from ..storage.sqlite_reads import SqliteReads, open_reads
from .clock import Clocked, local_zone
from .roles import Role


@dataclass
class QuickContext(Clocked):
    path: Path
    role: Role = Role.PATIENT
    zone: tzinfo = field(default_factory=local_zone)
    clock: Callable[[], datetime] | None = None

    @contextmanager
    def reads(self) -> Iterator[SqliteReads]:
        reads = open_reads(self.path)
        if reads is None:  # replaced meanwhile by something only the full open reads (a restore, encryption)
            raise QuickUnavailable(self.path)
        try:
            with reads:
                yield reads
        except sqlite3.Error as exc:  # busy, damaged: the full open waits longer and says what is wrong
            raise QuickUnavailable(self.path) from exc
        finally:
            reads.close()


class QuickUnavailable(Exception):
    """The file can no longer be read the quick way: answer the full way."""


def open_quick(target: str, role: Role, *, backup_due_ok: bool = False) -> QuickContext | None:
    """A quick context on the plain SQLite file `target`, or None. `backup_due_ok`: the caller takes a daily
    backup that is due itself (the window does, after start)."""
    if "://" in target:
        return None
    path = Path(target).expanduser()
    probe = open_reads(path)
    if probe is None:
        return None
    probe.close()
    ctx = QuickContext(path, role)
    if role.read_only:
        return ctx  # a read-only open neither backs up nor tidies
    where = path.resolve()
    backup_due = not backup_due_ok and backups.daily_due(backups.list_backups(where), ctx.today(), ctx.zone)
    if backup_due or leftovers.present(where):
        return None  # the full open takes the day's backup, or finishes what a killed command left, first
    return ctx
