"""What a killed backup, restore or encryption can leave beside a SQLite database, found and finished or
removed on the next writable open — so that no plaintext copy of an encrypted database stays behind.

Called while the caller holds the writer lock: no restore or encryption is running then (they take it
exclusively), so a staged `.encrypting` or `.restoring` file is a leftover, never work in progress. A
`.partial` backup may be another command's backup being written: a plaintext one beside an encrypted
database is removed at once (nothing writes those any more), any other only when it is old.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import backups, sqlitefiles

STAGED = (".encrypting", ".restoring")
PARTIAL = ".partial"
STALE_SECONDS = 600  # no backup takes this long to write


def tidy(db_path: Path, passphrase: str | None) -> list[Path]:
    """Remove the leftovers beside `db_path` and in its backups folder; when the database is encrypted,
    encrypt any plaintext backup of it (an encryption killed before it reached them). Returns what was
    removed or encrypted."""
    done: list[Path] = []
    for staged in _staged_beside(db_path):
        done += _remove(staged)
    folder = backups.folder_for(db_path)
    if not folder.is_dir():
        return done
    now = time.time()
    for path in list(folder.iterdir()):
        name = path.name
        if name.endswith(STAGED):
            done += _remove(path)
        elif name.endswith(PARTIAL) or name.endswith(PARTIAL + "-journal"):
            plain_leak = passphrase is not None and sqlitefiles.is_plain_sqlite(path)
            if plain_leak or _age(path, now) > STALE_SECONDS:
                done += _remove(path)
    if passphrase is not None:
        for b in backups.list_backups(db_path):
            if sqlitefiles.is_plain_sqlite(b.path):
                encrypt_in_place(b.path, passphrase)
                done.append(b.path)
    return done


def present(db_path: Path) -> bool:
    """Whether anything `tidy` looks at is there (a quick read then leaves the command to the full open)."""
    if any(path.exists() for path in _staged_beside(db_path)):
        return True
    folder = backups.folder_for(db_path)
    return folder.is_dir() and any(path.name.endswith((*STAGED, PARTIAL, PARTIAL + "-journal"))
                                   for path in folder.iterdir())


def _staged_beside(db_path: Path) -> list[Path]:
    return [db_path.with_name(db_path.name + suffix) for suffix in STAGED]


def encrypt_in_place(path: Path, key: str) -> None:
    """A plain SQLite file replaced by its encrypted copy (staged beside it, then renamed over it)."""
    staged = path.with_name(path.name + ".encrypting")
    sqlitefiles.export_encrypted(path, staged, key)
    sqlitefiles.atomic_replace(staged, path)
    sqlitefiles.remove_sidecars(path)


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


def _remove(path: Path) -> list[Path]:
    found = [p for p in (path, *(Path(str(path) + s) for s in sqlitefiles.SIDECARS)) if p.exists()]
    for p in found:
        try:
            os.unlink(p)
        except OSError:
            pass
    return found[:1]
