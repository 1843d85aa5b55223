"""Issue 19, finding 5: an encryption killed part way never leaves a plaintext copy behind; the next open
finishes or removes what it left (and what killed backups and restores left)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from mstracker.storage import sqlitefiles
from mstracker.storage.backups import list_backups
from tests.cli.conftest import ok

KEY = "correct horse battery staple"


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs (no cleanup handler catches a BaseException here)."""


@pytest.fixture
def plain(cli, monkeypatch):
    ok(cli("patient", "add", "--name", "Anna Example"))
    ok(cli("log", "1", "note", "--at", "2027-06-19T09:00", "text=Confidential remark"))
    ok(cli("status", "1", now="2027-06-21T10:00"))  # a second daily backup
    assert len(list_backups(cli.db)) >= 2
    return cli


def _plain_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and sqlitefiles.is_plain_sqlite(p))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith((".encrypting", ".restoring", ".partial",
                                                                       ".partial-journal")))


def _encrypt_killed(cli, monkeypatch, where: str) -> None:
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", KEY)

    def kill(*_args, **_kwargs):
        raise Killed

    monkeypatch.setattr(where, kill)
    with pytest.raises(Killed):
        cli("db", "encrypt")
    monkeypatch.undo()


def test_killed_after_the_swap_the_next_open_encrypts_the_plain_backups(plain, monkeypatch):
    cli = plain
    _encrypt_killed(cli, monkeypatch, "mstracker.storage.leftovers.encrypt_in_place")
    folder = cli.db.parent
    assert not sqlitefiles.is_plain_sqlite(cli.db)
    before = [b for b in list_backups(cli.db) if b.reason == "before-encrypt"]
    assert before and not sqlitefiles.is_plain_sqlite(before[0].path), "the backup taken before was plaintext"
    assert _plain_files(folder / "backups")  # the daily backups the kill did not reach
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", KEY)
    ok(cli("status", "1"))
    assert _plain_files(folder) == []
    assert _leftovers(folder) == []
    assert ok(cli("db", "check")).strip() == "sound"
    for b in list_backups(cli.db):
        assert b"Confidential remark" not in b.path.read_bytes()


def test_killed_before_the_swap_the_staged_copy_is_removed_and_encrypt_runs_again(plain, monkeypatch):
    cli = plain
    _encrypt_killed(cli, monkeypatch, "mstracker.storage.sqlitefiles.atomic_replace")
    assert sqlitefiles.is_plain_sqlite(cli.db)
    assert _leftovers(cli.db.parent)
    ok(cli("status", "1"))
    assert _leftovers(cli.db.parent) == []
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", KEY)
    ok(cli("db", "encrypt"))
    assert _plain_files(cli.db.parent) == []


def test_leftovers_of_killed_backups_and_restores_are_removed(plain, monkeypatch):
    cli = plain
    folder = cli.db.parent / "backups"
    newest = list_backups(cli.db)[0].path
    for name in ("x.sqlite3.partial", "x.sqlite3.partial-journal", "y.sqlite3.encrypting"):
        shutil.copyfile(newest, folder / name)
    shutil.copyfile(newest, cli.db.with_name(cli.db.name + ".restoring"))
    shutil.copyfile(newest, folder / "in-progress.sqlite3.partial")  # another command's, being written
    old = time.time() - 3600
    for name in ("x.sqlite3.partial", "x.sqlite3.partial-journal"):
        os.utime(folder / name, (old, old))
    ok(cli("status", "1"))
    assert _leftovers(cli.db.parent) == ["in-progress.sqlite3.partial"]
    # once the database is encrypted, a plaintext partial is removed whatever its age
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", KEY)
    ok(cli("db", "encrypt"))
    assert _leftovers(cli.db.parent) == []
    assert _plain_files(cli.db.parent) == []
