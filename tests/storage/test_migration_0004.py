"""Migration 0004 (the caregiver's calendar tables) from a database at its down_revision, with data in it."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from mstracker.services import calendar_publishing, logbook, patients
from mstracker.services.context import open_context
from mstracker.storage import schema_version
from mstracker.storage.backups import list_backups
from tests.migrations import at_revision, names, previous, rows, run

NOW = datetime(2027, 6, 20, 10, 0)
TABLES = {"calendar_publication", "calendar_object", "calendar_outbox"}


def _previous() -> str:
    """0004's down_revision, as the migration itself names it (it follows whatever landed before it)."""
    return previous("0004")


def _at_previous(path) -> None:
    at_revision(path, _previous())


def _tables(path) -> set[str]:
    return names(path, "table")


def _columns(path, table: str) -> set[str]:
    return {row[1] for row in rows(path, f"PRAGMA table_info({table})")}


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
    run(db, ("upgrade", "0004"), ("downgrade", _previous()))
    assert _tables(db) == before
