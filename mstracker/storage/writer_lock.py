"""Who has a SQLite file open for writing, so that a file swap never strands a writer.

Every writable open holds a shared lock on `<db>.writers` for as long as it is open. Restoring a backup and
encrypting replace the file itself: they take that lock exclusively, so no other process can still be
writing into the file being replaced (its entries would end up in neither the saved copy nor the new file).
A writer that starts during a swap waits for it and then writes into the new file. SQLite's own locking
cannot do this: it guards a file's contents, not the file's place in the folder.

A swap first closes a gate (`<db>.swap`, exclusively) that every new writer passes through (shared, for a
moment), then waits for the writers already in to finish: a busy writer cannot keep a restore out for ever.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from ..domain.errors import UserError

OPEN_WAIT_SECONDS = 15.0  # a restore or encryption of a large file takes a few seconds
SWAP_WAIT_SECONDS = 5.0  # other commands' writes are short
_POLL_SECONDS = 0.05


def writers_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".writers")


def gate_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".swap")


class WriterLock:
    def __init__(self, *fds: int) -> None:
        self._fds = list(fds)

    @property
    def held(self) -> bool:
        return bool(self._fds)

    def release(self) -> None:
        while self._fds:
            os.close(self._fds.pop())  # closing a descriptor drops its flock

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class _Busy(Exception):
    pass


class _NoLocking(Exception):
    """The folder cannot be written or the file system has no flock: SQLite's own locking is all there is
    (and a writable open or a swap fails on its own, clearly, where nothing can be written)."""


def _take(path: Path, mode: int, deadline: float) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # beside health data: the owner's only
    except OSError:
        raise _NoLocking from None
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise _Busy from None
            time.sleep(_POLL_SECONDS)
        except OSError:
            os.close(fd)
            raise _NoLocking from None


def hold_for_writing(db_path: Path, wait: float | None = None) -> WriterLock:
    """Shared with the other writers; waits while a restore or an encryption replaces the file."""
    deadline = time.monotonic() + (OPEN_WAIT_SECONDS if wait is None else wait)
    try:
        gate = _take(gate_path(db_path), fcntl.LOCK_SH, deadline)
        try:
            return WriterLock(_take(writers_path(db_path), fcntl.LOCK_SH, deadline))
        finally:
            os.close(gate)  # through the gate: a swap may close it behind us and wait for us to finish
    except _NoLocking:
        return WriterLock()
    except _Busy:
        raise UserError(f"{db_path} is being restored or encrypted by another mstracker command; nothing was "
                        "changed — try again when it has finished") from None


def hold_for_swap(db_path: Path, what: str, wait: float | None = None) -> WriterLock:
    """Alone: no other process has the file open for writing while it is replaced."""
    deadline = time.monotonic() + (SWAP_WAIT_SECONDS if wait is None else wait)
    gate = None
    try:
        gate = _take(gate_path(db_path), fcntl.LOCK_EX, deadline)  # no new writers from now on
        return WriterLock(gate, _take(writers_path(db_path), fcntl.LOCK_EX, deadline))
    except _NoLocking:
        if gate is not None:
            os.close(gate)
        return WriterLock()
    except _Busy:
        if gate is not None:
            os.close(gate)
        raise UserError(f"cannot {what}: another mstracker command or window is writing to {db_path}; nothing "
                        "was changed — wait for it to finish (or close it) and try again") from None
