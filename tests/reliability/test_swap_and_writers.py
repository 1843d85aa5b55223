"""A restore or an encryption replaces the database file: no other process may still be writing into the file
being replaced, or its entries would end up in neither the saved copy nor the new file (writer_lock.py)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from mstracker.domain.errors import UserError
from mstracker.services import logbook, maintenance, patients
from mstracker.services.context import open_context
from mstracker.storage import writer_lock

from .procs import NOW, Reader, env, sqlite_ids, sqlite_integrity, start_writer


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setenv("MSTRACKER_NOW", NOW)


def _notes(path: Path) -> set[tuple[int, str]]:
    """(id, text) of every note: ids alone repeat across files once a restore has gone back to older ones."""
    conn = sqlite3.connect(path)
    try:
        return {(r[0], json.loads(r[1])["fields"]["text"])
                for r in conn.execute("SELECT id, payload FROM event WHERE kind = 'note'")}
    finally:
        conn.close()


def _with_backup(tmp_path) -> tuple[Path, Path, int]:
    db = tmp_path / "clinic.sqlite3"
    ctx = open_context(str(db))
    try:
        pid = patients.add_patient(ctx, "Anna Example")
        logbook.log(ctx, pid, "note", datetime(2027, 1, 1, 8, 0), {"text": "before the backup"})
        backup = maintenance.backup(ctx, tmp_path / "backup.sqlite3")
    finally:
        ctx.close()
    return db, backup, pid


def test_a_restore_is_refused_while_another_writer_stays_and_changes_nothing(tmp_path):
    db, backup, pid = _with_backup(tmp_path)
    writer = open_context(str(db))  # another command with the file open for writing
    try:
        logbook.log(writer, pid, "note", datetime(2027, 1, 2, 8, 0), {"text": "after the backup"})
        before = sqlite_ids(db)
        with pytest.raises(UserError, match="another mstracker command or window is writing to .*try again"):
            maintenance.restore_file(db, backup, passphrase=None)
        assert sqlite_ids(db) == before
        assert not (db.parent / "backups").exists() or not any((db.parent / "backups").glob("*before-restore*"))
        logbook.log(writer, pid, "note", datetime(2027, 1, 3, 8, 0), {"text": "still writing"})
    finally:
        writer.close()
    maintenance.restore_file(db, backup, passphrase=None)  # the writer has gone: now it goes through
    assert len(sqlite_ids(db)) == len(sqlite_ids(backup))


def test_a_writer_that_starts_during_a_swap_waits_and_writes_into_the_new_file(tmp_path):
    db, backup, pid = _with_backup(tmp_path)
    swap = writer_lock.hold_for_swap(db, "restore")
    done = threading.Event()
    outcome: dict = {}

    def write() -> None:
        try:
            ctx = open_context(str(db))
            try:
                outcome["id"] = logbook.log(ctx, pid, "note", datetime(2027, 1, 4, 8, 0), {"text": "during"})
            finally:
                ctx.close()
        except Exception as exc:  # noqa: BLE001 (reported below)
            outcome["error"] = exc
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        assert not done.wait(0.5)  # held at the gate while the file is being replaced
        (tmp_path / "other.sqlite3").write_bytes(backup.read_bytes())
        (tmp_path / "other.sqlite3").replace(db)  # the swap itself
    finally:
        swap.release()
    assert done.wait(30)
    thread.join()
    assert "error" not in outcome, outcome
    assert outcome["id"] in sqlite_ids(db)  # in the new file, not in the replaced one


def test_an_encryption_is_refused_while_another_writer_stays(tmp_path):
    db, _backup, pid = _with_backup(tmp_path)
    writer = open_context(str(db))
    ctx = open_context(str(db), passphrase="correct horse")
    try:
        before = sqlite_ids(db)
        with pytest.raises(UserError, match="cannot encrypt the database: another mstracker command"):
            maintenance.encrypt(ctx)
        assert sqlite_ids(db) == before  # still the plain file, every entry in it
        logbook.log(ctx, pid, "note", datetime(2027, 1, 5, 8, 0), {"text": "usable after the refusal"})
        assert len(sqlite_ids(db)) == len(before) + 1
    finally:
        ctx.close()
        writer.close()


RESTORE = """
import sys
from mstracker.cli import main
sys.exit(main(["--db", sys.argv[1], "restore", sys.argv[2]]))
"""


def test_cli_writers_during_cli_restores_lose_no_entry(tmp_path):
    """Entries saved while restores run are each in the final file or in a copy a restore saved first."""
    db, backup, pid = _with_backup(tmp_path)
    writer = start_writer("cli", str(db), pid, 60)
    reader = Reader(writer)
    assert reader.ready.wait(60)
    restores = []
    for _ in range(3):
        restores.append(subprocess.run([sys.executable, "-c", RESTORE, str(db), str(backup)],
                                       capture_output=True, text=True, env=env(), timeout=120))
    assert writer.wait(180) == 0, writer.stderr.read()
    writer.stderr.close()
    reported = reader.finish()
    assert not [x for x in reported if x.startswith("failed")], reported
    for done in restores:  # each went through, or was refused with the reason and changed nothing
        assert done.returncode == 0 or "is writing to" in done.stderr, done.stderr
    assert any(done.returncode == 0 for done in restores), [d.stderr for d in restores]
    kept = _notes(db)
    saved_copies = list((db.parent / "backups").glob("*before-restore*"))
    for saved in saved_copies:
        kept |= _notes(saved)
    assert len(saved_copies) == sum(done.returncode == 0 for done in restores)
    # The writer (writer.py, cli mode) logs note i with the text "entry i" and prints its id.
    assert [i for i, x in enumerate(reported) if (int(x), f"entry {i}") not in kept] == []
    assert sqlite_integrity(db) == ["ok"]
