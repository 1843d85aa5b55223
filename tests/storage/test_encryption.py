"""Encryption at rest (SQLCipher): `db encrypt`, `db rekey`, and a file that is unreadable without its passphrase."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mstracker.domain.errors import UserError
from mstracker.services import maintenance, patients
from mstracker.services.context import open_context
from mstracker.storage.backups import list_backups
from mstracker.storage.sqlitefiles import MAGIC
from tests.cli_results import ok as _ok
from tests.cli_results import refused as _refused
from tests.reliability.procs import env


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _unreadable_by_sqlite(path: Path) -> None:
    assert path.read_bytes()[:16] != MAGIC
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT name FROM patient").fetchall()
    finally:
        conn.close()


@pytest.fixture
def filled(cli, monkeypatch):
    monkeypatch.delenv("MSTRACKER_PASSPHRASE", raising=False)
    _ok(cli("patient", "add", "--name", "Anna Example"))
    _ok(cli("journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-03-01"))
    _ok(cli("log", "1", "note", "--at", "2027-06-19", "text=Confidential remark"))
    _ok(cli("backup", "--out", cli.db.parent / "backups" / "manual-note.sqlite3"))  # not ours: left alone
    ctx = open_context(str(cli.db))
    maintenance.daily_backup_if_due(ctx)
    ctx.close()
    return cli


def _encrypt(cli, monkeypatch, passphrase: str = "correct horse"):
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", passphrase)
    result = cli("db", "encrypt")
    _ok(result)
    return result


def test_encrypt_keeps_the_data_and_hides_them(filled, monkeypatch):
    cli = filled
    before = {cmd: _ok(cli(*cmd)) for cmd in (("history", "1", "--json"), ("status", "1", "--json"),
                                               ("schedule", "1", "--json"), ("patient", "list", "--json"))}
    _encrypt(cli, monkeypatch)
    _unreadable_by_sqlite(cli.db)
    assert b"Confidential remark" not in cli.db.read_bytes()
    for cmd, out in before.items():
        assert _ok(cli(*cmd)) == out, cmd
    assert _ok(cli("db", "check")).strip() == "sound"
    # The rolling backups were encrypted too (the one taken just before included); none is left readable.
    ours = list_backups(cli.db)
    assert {b.reason for b in ours} == {"daily", "before-encrypt"}
    for b in ours:
        _unreadable_by_sqlite(b.path)
    # Still writable, and read-only for a caregiver who has the passphrase.
    _ok(cli("log", "1", "note", "--at", "2027-06-19", "text=after encryption"))
    assert "after encryption" in _ok(cli("history", "1", role="caregiver"))


def test_wrong_or_missing_passphrase_touches_nothing(filled, monkeypatch):
    cli = filled
    _encrypt(cli, monkeypatch)
    before = _digest(cli.db)
    beside = sorted(p.name for p in cli.db.parent.iterdir())
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", "wrong")
    _refused(cli("history", "1"), "wrong passphrase")
    _refused(cli("log", "1", "note", "--at", "2027-06-19", "text=x"), "wrong passphrase")
    monkeypatch.delenv("MSTRACKER_PASSPHRASE")
    _refused(cli("history", "1"), "encrypted", "MSTRACKER_PASSPHRASE")
    _refused(cli("db", "check"), "encrypted", "MSTRACKER_PASSPHRASE")
    assert _digest(cli.db) == before and sorted(p.name for p in cli.db.parent.iterdir()) == beside


def test_wrong_passphrase_is_one_line_from_a_real_process(filled, monkeypatch):
    """SQLCipher's own log lines (`ERROR CORE ... hmac check failed`) go to the process's stderr, past Python."""
    cli = filled
    _encrypt(cli, monkeypatch)
    before = _digest(cli.db)
    done = subprocess.run([sys.executable, "-m", "mstracker.cli", "--db", str(cli.db), "history", "1"],
                          capture_output=True, text=True, env={**env(), "MSTRACKER_PASSPHRASE": "wrong"})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: wrong passphrase"), done.stderr
    assert _digest(cli.db) == before


def test_rekey(filled, monkeypatch):
    cli = filled
    _encrypt(cli, monkeypatch, "first")
    history = _ok(cli("history", "1"))
    monkeypatch.setenv("MSTRACKER_NEW_PASSPHRASE", "second")
    _ok(cli("db", "rekey"))
    _refused(cli("history", "1"), "wrong passphrase")
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", "second")
    assert _ok(cli("history", "1")) == history
    for b in list_backups(cli.db):  # the backups follow the new passphrase
        report = maintenance.check_target(str(b.path), passphrase="second")
        assert report.sound, (b.path, report.message())
    # Refusals: same passphrase, no new one, a plain file.
    _refused(cli("db", "rekey"), "the same as the old one")
    monkeypatch.delenv("MSTRACKER_NEW_PASSPHRASE")
    _refused(cli("db", "rekey"), "new passphrase", "MSTRACKER_NEW_PASSPHRASE")


def test_refusals(cli, monkeypatch, tmp_path):
    _ok(cli("patient", "add", "--name", "Anna Example"))
    monkeypatch.setenv("MSTRACKER_NEW_PASSPHRASE", "x")
    _refused(cli("db", "rekey"), "is not encrypted", "db encrypt")
    _refused(cli("db", "encrypt"), "passphrase")  # none given, nobody at a prompt
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", "secret")
    _refused(cli("db", "encrypt", role="caregiver"), "error: read-only")
    _ok(cli("db", "encrypt"))
    _refused(cli("db", "encrypt"), "already encrypted", "db rekey")


def test_a_new_file_opened_with_a_passphrase_is_encrypted_from_the_start(tmp_path):
    db = tmp_path / "new.sqlite3"
    ctx = open_context(str(db), passphrase="from the start")
    try:
        patients.add_patient(ctx, "Anna Example")
        assert ctx.db.encrypted
    finally:
        ctx.close()
    _unreadable_by_sqlite(db)
    with pytest.raises(UserError, match="encrypted"):
        open_context(str(db))
    ctx = open_context(str(db), role="caregiver", passphrase="from the start")
    try:
        assert [p.name for p in patients.list_patients(ctx)] == ["Anna Example"]
    finally:
        ctx.close()


def test_restore_an_encrypted_backup(filled, monkeypatch, tmp_path):
    cli = filled
    _encrypt(cli, monkeypatch)
    saved = tmp_path / "enc-copy.sqlite3"
    _ok(cli("backup", "--out", saved))
    _unreadable_by_sqlite(saved)
    _ok(cli("patient", "add", "--name", "Added later"))
    monkeypatch.delenv("MSTRACKER_PASSPHRASE")
    _refused(cli("restore", saved), "passphrase")
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", "correct horse")
    _ok(cli("restore", saved))
    assert [r["name"] for r in cli("patient", "list", "--json").json()] == ["Anna Example"]
