"""SQLite files as files: raw connections (plain or SQLCipher), integrity checks, consistent copies, atomic
replacement, encryption and re-keying. No ORM here: these work even on a file the app cannot open."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

from ..domain.errors import UserError
from .private import create_private

MAGIC = b"SQLite format 3\x00"
SIDECARS = ("-wal", "-shm", "-journal")
BUSY_TIMEOUT_MS = 15000


def sql_text(text: str) -> str:
    """A quoted SQL string literal (pragmas take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def is_plain_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == MAGIC
    except OSError:
        return False


def driver(passphrase: str | None) -> ModuleType:
    if passphrase is None:
        return sqlite3
    import sqlcipher3  # only encrypted files need it

    return sqlcipher3.dbapi2


def driver_errors(passphrase: str | None) -> tuple[type[BaseException], ...]:
    return (sqlite3.Error, driver(passphrase).Error)


def connect(path: Path, *, passphrase: str | None = None, readonly: bool = False) -> Any:
    """A raw DB-API connection in autocommit mode; SQLCipher's key (and log silence) first."""
    module = driver(passphrase)
    if readonly:
        conn = module.connect(f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None)
    else:
        conn = module.connect(str(path), isolation_level=None)
    try:
        if passphrase is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute("PRAGMA key = " + sql_text(passphrase))
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def integrity_problems(path: Path, *, passphrase: str | None = None, quick: bool = False) -> list[str]:
    """[] when SQLite finds the file sound; otherwise what it reports (or why it could not look)."""
    if not Path(path).is_file():
        return [f"there is no file {path}"]
    try:
        conn = connect(path, passphrase=passphrase, readonly=True)
        try:
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except driver_errors(passphrase) as exc:
        return [str(exc)]
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def read_revision(path: Path, *, passphrase: str | None = None) -> str | None:
    """The Alembic revision a file is stamped with (None: not an mstracker database)."""
    conn = connect(path, passphrase=passphrase, readonly=True)
    try:
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def table_names(path: Path, *, passphrase: str | None = None) -> set[str]:
    conn = connect(path, passphrase=passphrase, readonly=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def fsync_file(path: Path) -> None:
    """To the disk: a file's bytes, or a folder's entries (after a rename into it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_replace(tmp: Path, dest: Path) -> None:
    """Make `tmp` durable, then rename it over `dest` in one step (same folder) and make the rename durable."""
    fsync_file(tmp)
    os.replace(tmp, dest)
    fsync_file(dest.parent)


def remove_sidecars(path: Path) -> None:
    for suffix in SIDECARS:
        Path(str(path) + suffix).unlink(missing_ok=True)


COPY_STEP_PAGES = 1024  # pages copied between two reports of `progress` (4 MB at the default page size)


def copy_database(source: Any, out: Path, *, passphrase: str | None,
                  progress: Callable[[int, int], None] | None = None) -> Path:
    """A consistent copy of an open connection's database through SQLite's online backup API.

    The copy is written beside `out`, switched to a rollback journal (so that it is one self-contained
    file) and renamed into place only when complete. An encrypted source gives a copy under the same key.
    """
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    remove_sidecars(tmp)
    try:
        create_private(tmp)
        dest = connect(tmp, passphrase=passphrase)
        try:
            if progress is None:
                source.backup(dest)
            else:
                source.backup(dest, pages=COPY_STEP_PAGES,
                              progress=lambda _status, remaining, total: progress(total - remaining, total))
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        atomic_replace(tmp, out)
    except OSError as exc:
        _discard(tmp)
        raise UserError(f"cannot write the backup {out}: {exc.strerror}") from None
    except driver_errors(passphrase) as exc:
        _discard(tmp)
        raise UserError(f"cannot write the backup {out}: {exc}") from None
    return out


def copy_file(path: Path, out: Path, *, passphrase: str | None,
              progress: Callable[[int, int], None] | None = None) -> Path:
    """`copy_database` from a file on disk (opened read-only); `progress(pages done, pages)` as it goes."""
    source = connect(path, passphrase=passphrase, readonly=True)
    try:
        return copy_database(source, out, passphrase=passphrase, progress=progress)
    finally:
        source.close()


def export_encrypted(path: Path, out: Path, passphrase: str) -> None:
    """Write an encrypted copy of the plain database at `path` to `out` (SQLCipher's sqlcipher_export)."""
    import sqlcipher3

    out.unlink(missing_ok=True)
    create_private(out)
    conn = sqlcipher3.dbapi2.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute(f"ATTACH DATABASE {sql_text(str(out))} AS encrypted KEY {sql_text(passphrase)}")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def rekey(path: Path, old: str, new: str) -> None:
    conn = connect(path, passphrase=old)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails here on a wrong key
        conn.execute("PRAGMA rekey = " + sql_text(new))
    finally:
        conn.close()


def _discard(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    remove_sidecars(tmp)
