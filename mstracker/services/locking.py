"""One app instance per database file: a plain file lock beside it (`<db>.lock`), released at process exit.

The ui calls `acquire_instance_lock` after opening; on None it tells the user another instance has the
database and offers read-only. Restore and encryption take the same lock, so they never swap a file that
an open app is writing to. Short CLI writers do not take it: SQLite's own locking keeps them apart, and the
storage's writer lock (storage/writer_lock.py) keeps them out of a file while it is being swapped.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window's lazy context holds the file too
    from .context import AppContext


@dataclass
class Lock:
    path: Path | None  # None: a server database, where many clients at once are normal
    fd: int | None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock
            self.fd = None

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def acquire_path_lock(db_path: Path | None) -> Lock | None:
    """The lock for the SQLite file at `db_path`, or None while another process (or descriptor) holds it
    or when the folder cannot be written (then the file cannot be written either: read-only is all there is)."""
    if db_path is None:
        return Lock(None, None)
    path = _lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # beside health data: the owner's only
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    try:  # who holds it, for a message; the lock does not depend on it
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError:
        pass
    return Lock(path, fd)


def acquire_instance_lock(ctx: AppContext) -> Lock | None:
    return acquire_path_lock(ctx.file)


def lock_holder(db_path: Path) -> int | None:
    """The process id written by the current holder, if it can be read."""
    try:
        return int(_lock_path(db_path).read_text().strip())
    except (OSError, ValueError):
        return None
