"""Backups (by hand and rolling), restore, and `db check`; and the server's own tools on PostgreSQL."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from dateutil import tz

from mstracker.services import logbook, maintenance, patients
from mstracker.services.context import open_context
from mstracker.storage.backups import KEEP_DAILY, KEEP_WEEKLY, BackupFile, list_backups, to_keep
from tests.cli_results import ok as _ok
from tests.cli_results import refused as _refused

NOW = datetime(2027, 6, 20, 10, 0)
LONDON = tz.gettz("Europe/London")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM patient ORDER BY id")]
    finally:
        conn.close()


def _damage(db: Path) -> None:
    """Scribble over the pages after the first (the schema survives, the tables do not)."""
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(b"\xa5" * (size - 4096 * 2))


# ---- backup --out -----------------------------------------------------------------------------------
def test_backup_out_is_a_consistent_standalone_copy(cli, tmp_path):
    _ok(cli("patient", "add", "--name", "Anna Example"))
    out = tmp_path / "copies" / "anna.sqlite3"
    assert Path(_ok(cli("backup", "--out", out)).strip()) == out
    assert _names(out) == ["Anna Example"]
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, nothing beside it
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert sorted(p.name for p in out.parent.iterdir()) == ["anna.sqlite3"]
    _refused(cli("backup", "--out", cli.db), "cannot overwrite the database")
    _refused(cli("backup", "--out", tmp_path), "is a folder")


# ---- rolling backups --------------------------------------------------------------------------------
def test_daily_backup_once_a_day_with_retention(tmp_path):
    db = tmp_path / "daily.sqlite3"
    day = [datetime(2027, 1, 1, 9, 0)]
    ctx = open_context(str(db), clock=lambda: day[0])
    try:
        patients.add_patient(ctx, "Anna Example")
        first = maintenance.daily_backup_if_due(ctx)
        assert first is not None and _names(first) == ["Anna Example"]
        day[0] += timedelta(hours=5)
        assert maintenance.daily_backup_if_due(ctx) is None  # same day
        for _ in range(59):  # two months of daily use
            day[0] += timedelta(days=1)
            assert maintenance.daily_backup_if_due(ctx) is not None
    finally:
        ctx.close()
    kept = [b for b in list_backups(db) if b.reason == "daily"]
    assert len(kept) == KEEP_DAILY + KEEP_WEEKLY
    local = [b.taken_at.astimezone(LONDON).date() for b in kept]
    assert local[:KEEP_DAILY] == [date(2027, 3, 1) - timedelta(days=n) for n in range(KEEP_DAILY)]
    weeks = [d.isocalendar()[:2] for d in local[KEEP_DAILY:]]
    assert len(set(weeks)) == KEEP_WEEKLY and local[-1] >= date(2027, 1, 25)


def test_retention_rule():
    start = datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
    dailies = [BackupFile(Path(f"d{n}"), start + timedelta(days=n), "daily") for n in range(40)]
    migrations = [BackupFile(Path(f"m{n}"), start + timedelta(hours=n), "before-migration") for n in range(12)]
    newest_first = sorted(dailies + migrations, key=lambda b: b.taken_at, reverse=True)
    keep = to_keep(newest_first, UTC)
    assert {f"d{n}" for n in range(33, 40)} <= {p.name for p in keep}  # the last seven days
    older = sorted((p.name for p in keep if p.name.startswith("d") and int(p.name[1:]) < 33),
                   key=lambda n: int(n[1:]))
    assert len(older) == KEEP_WEEKLY
    assert len({(start + timedelta(days=int(n[1:]))).isocalendar()[1] for n in older}) == KEEP_WEEKLY
    assert {p.name for p in keep if p.name.startswith("m")} == {f"m{n}" for n in range(2, 12)}


def test_a_backup_is_taken_before_restore_and_kept(cli, tmp_path):
    _ok(cli("patient", "add", "--name", "Anna Example"))
    saved = tmp_path / "saved.sqlite3"
    _ok(cli("backup", "--out", saved))
    _ok(cli("patient", "add", "--name", "Added after the backup"))
    result = cli("restore", saved)
    _ok(result)
    previous = Path(result.err.strip().rsplit(" ", 1)[-1])
    assert "the previous database was saved as" in result.err and previous.parent == cli.db.parent / "backups"
    assert _names(previous) == ["Anna Example", "Added after the backup"]
    assert _names(cli.db) == ["Anna Example"]
    assert [line.split("\t")[1] for line in _ok(cli("patient", "list")).splitlines()] == ["Anna Example"]
    assert not list(cli.db.parent.glob("*.restoring*")) and not list(cli.db.parent.glob("*.partial"))


# ---- restore refusals -------------------------------------------------------------------------------
@pytest.fixture
def live(cli):
    _ok(cli("patient", "add", "--name", "Anna Example"))
    _ok(cli("log", "1", "note", "--at", "2027-06-19", "text=kept"))
    return cli


def _backups(cli) -> list[str]:
    folder = cli.db.parent / "backups"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_restore_refuses_what_is_not_a_sound_mstracker_backup(live, tmp_path):
    cli = live
    before, backups_before = _digest(cli.db), _backups(cli)
    _refused(cli("restore", tmp_path / "missing.sqlite3"), "there is no backup file")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    _refused(cli("restore", junk), "encrypted or not a database")
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    _refused(cli("restore", other), "not an mstracker database")
    newer = tmp_path / "newer.sqlite3"
    _ok(cli("backup", "--out", newer))
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    _refused(cli("restore", newer), "newer version")
    damaged = tmp_path / "damaged.sqlite3"
    _ok(cli("backup", "--out", damaged))
    _damage(damaged)
    _refused(cli("restore", damaged), "not a sound database")
    _refused(cli("restore", cli.db), "the database itself")
    _refused(cli("restore", newer, role="caregiver"), "error: read-only")
    assert _digest(cli.db) == before and _backups(cli) == backups_before


def test_restore_over_a_damaged_database_keeps_the_damaged_file(live, tmp_path):
    cli = live
    good = tmp_path / "good.sqlite3"
    _ok(cli("backup", "--out", good))
    for n in range(30):  # enough pages to damage
        _ok(cli("log", "1", "note", "--at", "2027-06-19", f"text={'x' * 500} {n}"))
    _damage(cli.db)
    damaged = _digest(cli.db)
    assert cli("history", "1").code == 2
    result = cli("restore", good)
    _ok(result)
    previous = Path(result.err.strip().rsplit(" ", 1)[-1])
    assert _digest(previous) == damaged
    assert "text=kept" in _ok(cli("history", "1"))


# ---- db check ---------------------------------------------------------------------------------------
def test_db_check_sound(live):
    assert _ok(live("db", "check")).strip() == "sound"
    assert _ok(live("db", "check", role="caregiver")).strip() == "sound"


def test_db_check_names_the_newest_good_backup(live, tmp_path):
    cli = live
    ctx = open_context(str(cli.db), clock=lambda: NOW + timedelta(days=1))
    older = maintenance.daily_backup_if_due(ctx)
    ctx.close()
    assert older is not None
    for n in range(30):
        _ok(cli("log", "1", "note", "--at", "2027-06-19", f"text={'x' * 500} {n}"))
    ctx = open_context(str(cli.db), clock=lambda: NOW + timedelta(days=2))
    newest = maintenance.daily_backup_if_due(ctx)
    ctx.close()
    _damage(newest)  # the newest backup is no good either: the one before it is named
    _damage(cli.db)
    damaged = _digest(cli.db)
    line = _refused(cli("db", "check"), "is damaged", str(older), "mstracker restore")
    assert str(newest) not in line
    assert _digest(cli.db) == damaged


def test_db_check_finds_a_projection_that_does_not_follow_the_events(live):
    cli = live
    _ok(cli("journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-03-01"))
    assert _ok(cli("db", "check")).strip() == "sound"
    conn = sqlite3.connect(cli.db)
    conn.execute("UPDATE patient_state SET phase = 'follow_up'")
    conn.commit()
    conn.close()
    daily = [b.path for b in list_backups(cli.db) if b.reason == "daily"]
    assert len(daily) == 1  # the command line's backup of the day, taken before its first command
    _refused(cli("db", "check"), "stored phase is follow_up, the events give mobilization", str(daily[0]))


def test_the_command_line_takes_the_daily_backup_before_the_first_command(cli):
    _ok(cli("patient", "add", "--name", "Anna Example"))
    [first] = list_backups(cli.db)
    assert first.reason == "daily" and _names(first.path) == []  # the state before the day's changes
    _ok(cli("patient", "add", "--name", "Ben Beispiel"))
    assert list_backups(cli.db) == [first]
    _ok(cli("patient", "list", now="2027-06-21T08:00"))
    assert [_names(b.path) for b in list_backups(cli.db)] == [["Anna Example", "Ben Beispiel"], []]


def test_db_check_finds_moved_reminders(live):
    cli = live
    _ok(cli("journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-03-01"))
    _ok(cli("journey", "plan", "1", "transplant", "--on", "2027-05-31"))
    conn = sqlite3.connect(cli.db)
    conn.execute("UPDATE reminder SET due = '2030-01-01T09:00' WHERE id = (SELECT min(id) FROM reminder)")
    conn.commit()
    conn.close()
    _refused(cli("db", "check"), "do not follow the journey's dates")


# ---- PostgreSQL: the server's tools ------------------------------------------------------------------
@pytest.mark.parametrize("args", [("backup", "--out", "x.sqlite3"), ("restore", "x.sqlite3"), ("db", "check"),
                                  ("db", "encrypt"), ("db", "rekey")])
def test_server_maintenance_belongs_to_the_server(cli, postgres_url, monkeypatch, tmp_path, args):
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", "secret")
    monkeypatch.setenv("MSTRACKER_NEW_PASSPHRASE", "other")
    monkeypatch.chdir(tmp_path)
    ctx = open_context(postgres_url, role="coordinator", clock=lambda: NOW)
    patients.add_patient(ctx, "Anna Example")
    logbook.log(ctx, 1, "note", datetime(2027, 6, 19, 9, 0), {"text": "kept"})
    ctx.close()
    _refused(cli(*args, db_path=postgres_url, role="coordinator"), "pg_dump")
    assert list(tmp_path.iterdir()) == []


def test_restore_onto_a_new_machine(cli, tmp_path):
    """No database yet (a new computer): the backup becomes it."""
    _ok(cli("patient", "add", "--name", "Anna Example"))
    saved = tmp_path / "carried.sqlite3"
    _ok(cli("backup", "--out", saved))
    fresh = tmp_path / "new-machine" / "data" / "mstracker.sqlite3"
    result = cli("restore", saved, db_path=fresh)
    assert _ok(result) == "" and "there was no database to replace" in result.err
    assert [p["name"] for p in cli("patient", "list", "--json", db_path=fresh).json()] == ["Anna Example"]


def test_the_app_restores_under_its_own_instance_lock(tmp_path):
    from mstracker.services.locking import acquire_instance_lock

    db = tmp_path / "app.sqlite3"
    ctx = open_context(str(db), clock=lambda: NOW)
    try:
        lock = acquire_instance_lock(ctx)
        assert lock is not None
        patients.add_patient(ctx, "Anna Example")
        saved = maintenance.backup(ctx, tmp_path / "saved.sqlite3")
        patients.add_patient(ctx, "Added later")
        previous = maintenance.restore(ctx, saved, lock=lock)
        assert previous is not None and _names(previous) == ["Anna Example", "Added later"]
        assert [p.name for p in patients.list_patients(ctx)] == ["Anna Example"]  # ctx follows the new file
        patients.add_patient(ctx, "After the restore")
        assert maintenance.check(ctx).sound
        assert acquire_instance_lock(ctx) is None  # still held by the app
    finally:
        ctx.close()
