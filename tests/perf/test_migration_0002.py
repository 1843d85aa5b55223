"""Migration 0002 (read indexes) from a database of revision 0001 with data in it."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from alembic import command
from alembic.config import Config

from mstracker.services import logbook, patients
from mstracker.services.context import open_context
from mstracker.storage import migrate, schema_version
from mstracker.storage.backups import list_backups
from mstracker.storage.engine import make_engine, resolve_target

NOW = datetime(2027, 6, 20, 10, 0)
NEW_INDEXES = {"ix_event_patient_kind_occurred", "ix_reminder_status_patient"}


def _at_0001(path) -> None:
    engine = make_engine(resolve_target(str(path)))
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO patient (id, name, created_at) VALUES (1, 'Old File', '2027-01-01 10:00:00.000000')")
        conn.execute("INSERT INTO patient_state (patient_id, day_zero_planned) VALUES (1, 0)")
        conn.executemany(
            "INSERT INTO event (patient_id, kind, occurred_at, recorded_at, user, role, payload) "
            "VALUES (1, 'temperature', ?, '2027-06-01 10:00:00.000000', 'u', 'patient', ?)",
            [(f"2027-06-0{d} 07:00:00.000000", f'{{"fields": {{"celsius": 36.{d}}}}}') for d in range(1, 8)])
    conn.close()


def _indexes(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def test_0001_file_with_data_gains_the_indexes_and_keeps_everything(tmp_path):
    db = tmp_path / "old.sqlite3"
    _at_0001(db)
    assert not NEW_INDEXES & _indexes(db)
    ctx = open_context(str(db), clock=lambda: NOW.replace(tzinfo=None))
    ctx.clock = lambda: NOW.replace(tzinfo=ctx.zone)
    try:
        assert [e.fields["celsius"] for e in logbook.history_page(ctx, 1, limit=3)] == [36.7, 36.6, 36.5]
        assert patients.list_patients(ctx)[0].name == "Old File"
        logbook.log(ctx, 1, "temperature", datetime(2027, 6, 20, 8, 0), {"celsius": "37.0"})
    finally:
        ctx.close()
    assert NEW_INDEXES <= _indexes(db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema_version.HEAD,)]
    assert conn.execute("SELECT count(*) FROM event").fetchone() == (8,)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    [backup] = list_backups(db)
    assert backup.reason == "before-migration"
    old = sqlite3.connect(backup.path)
    assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    assert old.execute("SELECT count(*) FROM event").fetchone() == (7,)
    old.close()


def test_a_new_file_has_the_indexes(tmp_path):
    db = tmp_path / "new.sqlite3"
    open_context(str(db)).close()
    assert NEW_INDEXES <= _indexes(db)
