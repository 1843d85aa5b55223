"""Migration 0002 (read indexes) from a database of revision 0001 with data in it."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from mstracker.services import logbook, patients
from mstracker.services.context import open_context
from mstracker.storage import schema_version
from mstracker.storage.backups import list_backups
from tests.migrations import at_revision, names

NOW = datetime(2027, 6, 20, 10, 0)
NEW_INDEXES = {"ix_event_patient_kind_occurred", "ix_reminder_status_patient"}


def _at_0001(path) -> None:
    at_revision(path, "0001")


def _indexes(path) -> set[str]:
    return names(path, "index")


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
