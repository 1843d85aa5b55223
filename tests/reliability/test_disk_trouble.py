"""Full disk, read-only file or drive, missing folder: one clear `error:` line, exit 2, nothing half-written."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from datetime import datetime

import pytest
from sqlalchemy import event

from mstracker.domain.errors import ReadOnlyError, UserError
from mstracker.services import logbook, patients, transfer
from mstracker.services.context import open_context
from mstracker.services.logbook import NewEntry
from mstracker.storage import database

from .procs import env, sqlite_integrity

NOW = datetime(2027, 6, 20, 10, 0)


def open_context_at_now(target: str, role: str = "patient"):
    return open_context(target, role=role, clock=lambda: NOW)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cap_pages(engine, spare: int) -> None:
    """A disk with room for `spare` more pages: every new connection gets PRAGMA max_page_count."""

    @event.listens_for(engine, "connect")
    def _cap(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + spare}")

    engine.dispose()


# ---- full disk ----------------------------------------------------------------------------------
def test_full_disk_refuses_a_batch_whole(tmp_path):
    ctx = open_context_at_now(str(tmp_path / "full.sqlite3"))
    pid = patients.add_patient(ctx, "Anna Example")
    logbook.log(ctx, pid, "note", datetime(2027, 1, 1, 9, 0), {"text": "before the disk filled"})
    before = transfer.export_data(ctx, pid)
    _cap_pages(ctx.db.engine, 2)
    batch = [NewEntry("note", datetime(2027, 1, 2, 9, 0), {"text": "x" * 900}) for _ in range(200)]
    with pytest.raises(UserError) as refused:
        logbook.log_many(ctx, pid, batch)
    assert "is full" in str(refused.value) and "nothing was saved" in str(refused.value)
    assert transfer.export_data(ctx, pid) == before
    ctx.close()
    assert sqlite_integrity(tmp_path / "full.sqlite3") == ["ok"]


def test_full_disk_on_the_command_line(cli, monkeypatch):
    assert cli("patient", "add", "--name", "Anna Example").code == 0
    real_make_engine = database.make_engine

    def tight(*args, **kwargs):
        engine = real_make_engine(*args, **kwargs)
        _cap_pages(engine, 0)
        return engine

    monkeypatch.setattr(database, "make_engine", tight)
    saved = []
    for n in range(20):  # the disk fills up as entries come in
        result = cli("log", "1", "note", "--at", "2027-06-19T09:00", f"text={n:02d}" + "y" * 1900)
        if result.code != 0:
            break
        saved.append(int(result.out))
    assert result.code == 2 and result.out == "", "the disk never filled"
    assert result.err.startswith("error: the disk holding ") and result.err.count("\n") == 1
    monkeypatch.setattr(database, "make_engine", real_make_engine)
    shown = cli("history", "1", "--json").json()
    assert sorted(e["id"] for e in shown) == saved
    assert sqlite_integrity(cli.db) == ["ok"]


# ---- read-only ----------------------------------------------------------------------------------
def _on_readonly_drive(folder, *argv: str) -> subprocess.CompletedProcess:
    """Run `mstracker ARGV` with `folder` bind-mounted read-only, in a private mount namespace (root here:
    chmod would not stop it)."""
    cli_argv = " ".join(f"'{a}'" for a in argv)
    script = (f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}' '{folder}' && "
              f"exec '{sys.executable}' -m mstracker.cli {cli_argv}")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env())
    assert "mount:" not in done.stderr and "unshare:" not in done.stderr, \
        f"this test needs a private read-only bind mount (root, unshare -m): {done.stderr}"
    return done


@pytest.fixture
def stored(tmp_path):
    folder = tmp_path / "drive"
    db = folder / "db.sqlite3"
    ctx = open_context_at_now(str(db))
    pid = patients.add_patient(ctx, "Anna Example")
    logbook.log(ctx, pid, "note", datetime(2027, 1, 1, 9, 0), {"text": "kept"})
    ctx.close()
    return folder, db


def test_readonly_drive_refuses_writes_and_still_reads(stored):
    folder, db = stored
    before, files = _digest(db), sorted(p.name for p in folder.iterdir())
    done = _on_readonly_drive(folder, "--db", str(db), "log", "1", "note", "--at", "2027-06-19", "text=lost?")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: read-only: ") and done.stderr.count("\n") == 1
    read = _on_readonly_drive(folder, "--db", str(db), "--role", "caregiver", "history", "1")
    assert read.returncode == 0 and "text=kept" in read.stdout, read.stderr
    assert _digest(db) == before and sorted(p.name for p in folder.iterdir()) == files


def test_file_turned_readonly_while_open_is_refused_cleanly(stored):
    """The drive goes read-only under an open app: SQLite's error becomes a ReadOnlyError, nothing is saved."""
    _folder, db = stored
    ctx = open_context_at_now(str(db))
    try:
        with ctx.db.engine.connect() as conn:  # the same pool the app writes through, now refusing writes
            conn.exec_driver_sql("PRAGMA query_only = ON")
            conn.commit()
        with pytest.raises(ReadOnlyError, match="read-only: .*nothing was saved"):
            logbook.log(ctx, 1, "note", datetime(2027, 1, 2, 9, 0), {"text": "lost?"})
    finally:
        ctx.close()
    assert sqlite_integrity(db) == ["ok"]


# ---- missing folder -----------------------------------------------------------------------------
def test_folder_that_cannot_exist(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = cli("patient", "add", "--name", "Anna", db_path=blocker / "sub" / "db.sqlite3")
    assert result.code == 2 and result.err.startswith("error: cannot create the folder ")
    assert blocker.read_text() == "not a folder"


def test_folder_removed_while_open(tmp_path):
    folder = tmp_path / "usb"
    ctx = open_context_at_now(str(folder / "db.sqlite3"))
    pid = patients.add_patient(ctx, "Anna Example")
    shutil.rmtree(folder)
    try:
        with pytest.raises(UserError, match="has gone missing.*nothing was saved"):
            logbook.log(ctx, pid, "note", datetime(2027, 1, 2, 9, 0), {"text": "into the void?"})
    finally:
        ctx.close()


def test_caregiver_on_a_missing_file(cli, tmp_path):
    result = cli("patient", "list", db_path=tmp_path / "nowhere" / "db.sqlite3", role="caregiver")
    assert result.code == 2 and result.err.startswith("error: there is no database at ")
    assert not (tmp_path / "nowhere").exists()


def test_backup_into_a_folder_that_cannot_exist(cli, tmp_path):
    assert cli("patient", "add", "--name", "Anna").code == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = cli("backup", "--out", blocker / "b.sqlite3")
    assert result.code == 2 and result.err.startswith("error: cannot create the folder ")
    assert list(tmp_path.glob("**/*.partial")) == []
