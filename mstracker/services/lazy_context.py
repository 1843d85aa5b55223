"""The window's context on a plain SQLite file: reads the quick way until something needs the full open.

Opening the database the full way imports SQLAlchemy and every service (about 50 MB, and most of a second
before the window can show anything). What a window shows at start (where the patient stands, the history's
first page, the plan, today's doses, the patients' list) is read with Python's own sqlite3 instead
(`storage.sqlite_reads`), through `reads()`. The first write, or a read that only the full open serves, opens
the database the full way (`full`), off the UI thread since every read and write runs in a worker; from
then on every read goes through it too.

`open_lazy` says None wherever the full open has work to do first (see `quick_context.open_quick`): then
the window opens the full way from the start, as before. A daily backup that is due is no such work: the
window's start check takes it after the window is complete (`daily_backup_if_due`, sqlite3 alone).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import UserError
from ..storage import backups
from ..storage.peek import open_read_only
from ..storage.private import private_dir
from ..storage.sqlite_reads import open_reads
from ..storage.sqlitefiles import copy_database
from .clock import Clocked, local_zone
from .quick_context import open_quick
from .roles import Role, refuse_if_read_only

if TYPE_CHECKING:  # imported when the database is opened the full way
    from ..storage.database import Database
    from .context import AppContext


@dataclass(eq=False)
class LazyContext(Clocked):
    path: Path
    role: Role = Role.PATIENT
    zone: tzinfo = field(default_factory=local_zone)
    clock: Callable[[], datetime] | None = None
    server: None = None  # a file, never a clinic server
    _full: AppContext | None = field(default=None, repr=False)
    _opening: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _closed: bool = field(default=False, repr=False)

    # ---- what needs no database call -------------------------------------------------------------
    @property
    def readonly(self) -> bool:
        return self.role.read_only

    def require_write(self, what: str) -> None:
        refuse_if_read_only(self.readonly, what)

    @property
    def file(self) -> Path:
        return self.path

    @property
    def where(self) -> str:
        return str(self.path)

    @property
    def target_text(self) -> str:
        return str(self.path)

    @property
    def passphrase(self) -> None:
        return None  # a plain file: an encrypted one is opened the full way

    @property
    def is_open_fully(self) -> bool:
        return self._full is not None

    # ---- reads ---------------------------------------------------------------------------------------
    @contextmanager
    def reads(self) -> Iterator:
        """One read snapshot: sqlite3 alone until the full open has happened, its session after."""
        if self._full is not None:
            with self._full.reads() as reads:
                yield reads
            return
        quick = open_reads(self.path)
        if quick is None:  # replaced by something only the full open reads (a restore, encryption)
            with self.full.reads() as reads:
                yield reads
            return
        try:
            with quick:
                yield quick
        finally:
            quick.close()

    def daily_backup_if_due(self) -> Path | None:
        """The day's backup into the backups folder, as the full open's (`maintenance.daily_backup_if_due`),
        copied with sqlite3 alone through SQLite's online backup API; None when not due or read-only."""
        if self.readonly:
            return None
        where = self.path.resolve()
        if not backups.daily_due(backups.list_backups(where), self.today(), self.zone):
            return None
        out = backups.new_path(where, "daily", self.now())
        private_dir(out.parent)
        opened = open_read_only(where, timeout=10.0)
        if opened is None:
            raise UserError(f"cannot read {where} to back it up")
        source, _revision = opened
        try:
            copy_database(source, out, passphrase=None)
        finally:
            source.close()
        backups.prune(where, self.zone)
        return out

    # ---- the full open -----------------------------------------------------------------------------
    @property
    def full(self) -> AppContext:
        """The database opened the full way (once; on first use, in whichever worker needs it)."""
        with self._opening:
            if self._closed:
                raise RuntimeError("the window's database is closed")
            if self._full is None:
                from .context import open_context

                self._full = open_context(str(self.path), role=self.role.value, clock=self.clock)
                self._full.zone = self.zone
            return self._full

    @property
    def db(self) -> Database:
        return self.full.db

    @db.setter
    def db(self, database: Database) -> None:
        self.full.db = database  # a restore opens the restored file in place of the old

    @property
    def user(self) -> str:
        return self.full.user

    def close(self) -> None:
        with self._opening:
            self._closed = True
            if self._full is not None:
                self._full.close()


def open_lazy(target: str, role: Role) -> LazyContext | None:
    """A lazy context on the plain SQLite file `target`, or None where the full open must run first."""
    try:
        quick = open_quick(target, role, backup_due_ok=True)
    except (OSError, sqlite3.Error):
        return None
    if quick is None:
        return None
    return LazyContext(quick.path, role, quick.zone)
