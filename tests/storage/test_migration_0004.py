"""Migration 0004 (the caregiver's calendar tables) from a database at its down_revision, with data in it."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from mstracker.services import calendar_publishing, logbook, patients
from mstracker.services.context import open_context
from mstracker.storage import migrate, schema_version
from mstracker.storage.backups import list_backups
from mstracker.storage.engine import make_engine, resolve_target

NOW = datetime(2027, 6, 20, 10, 0)
TABLES = {"calendar_publication", "calendar_object", "calendar_outbox"}


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    return config


def _previous() -> str:
    """0004's down_revision, as the migration itself names it (it follows whatever landed before it)."""
    return ScriptDirectory.from_config(_config()).get_revision("0004").down_revision


def _at_previous(path) -> None:
    engine = make_engine(resolve_target(str(path)))
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, _previous())
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


def _tables(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def _columns(path, table: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def test_a_file_at_the_previous_revision_gains_the_calendar_tables_and_keeps_everything(tmp_path):
    db = tmp_path / "old.sqlite3"
    _at_previous(db)
    assert not TABLES & _tables(db)
    ctx = open_context(str(db))
    ctx.clock = lambda: NOW.replace(tzinfo=ctx.zone)
    try:
        assert patients.list_patients(ctx)[0].name == "Old File"
        assert [e.fields["celsius"] for e in logbook.history(ctx, 1)][:2] == [36.7, 36.6]
        assert calendar_publishing.state(ctx, 1) is None  # the new tables answer
        logbook.log(ctx, 1, "temperature", datetime(2027, 6, 20, 8, 0), {"celsius": "37.0"})
    finally:
        ctx.close()
    assert TABLES <= _tables(db)
    for table in TABLES:  # every table holding a patient's data names the patient
        assert "patient_id" in _columns(db, table)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema_version.HEAD,)]
    assert conn.execute("SELECT count(*) FROM event").fetchone() == (8,)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    [backup] = list_backups(db)
    assert backup.reason == "before-migration"
    old = sqlite3.connect(backup.path)
    assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [(_previous(),)]
    old.close()


def test_the_downgrade_removes_only_the_calendar_tables(tmp_path):
    db = tmp_path / "old.sqlite3"
    _at_previous(db)
    before = _tables(db)
    engine = make_engine(resolve_target(str(db)))
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        command.downgrade(config, _previous())
    engine.dispose()
    assert _tables(db) == before
