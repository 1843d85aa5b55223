"""Folders and files that hold health data: readable by their owner only, whatever the umask.

Folders are created 0700 and files 0600 where they are created, so nothing is readable by others even
for the moment between creation and a later chmod. Light (no SQLAlchemy): the app's first paint uses it.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.errors import UserError

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_dir(folder: Path) -> Path:
    """`folder`, created 0700 when it does not exist (its parents as the system makes them; an existing
    folder is left as its owner set it)."""
    folder = Path(folder)
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not folder.is_dir():  # a file of that name: the caller says it cannot be created
                raise
    return folder


def create_private(path: Path) -> None:
    """An empty file at `path`, 0600, unless one is there already (SQLite then opens it and keeps its mode
    for its write-ahead log and journal)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass


def open_private(path: Path, flags: int) -> int:
    """os.open with the file created 0600 if it is new."""
    return os.open(path, flags | os.O_CREAT, FILE_MODE)


def write_private(target: Path, data: bytes) -> None:
    """`data` into `target` through a temporary file (0600) and a rename: never half-written."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def refuse_existing(out: Path, overwrite: bool) -> None:
    """A file the user named is replaced only when they said so (--force, or yes in a file dialog)."""
    if not overwrite and out.exists() and not out.is_dir():
        raise UserError(f"{out} exists already; give --force to replace it, or choose another name")
