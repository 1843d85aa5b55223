"""Migrations: from nothing, from the previous revision's database with data in it, and never from the future.

To test an upgrade "from the previous release" the tests add a throwaway revision NEXT (after the real
head) in a copy of the migrations folder (a batch ALTER of `patient`, which SQLite does by copying
and dropping the table: the foreign-key trap: a copy that drops the table must not cascade) and open a database of this release, full of
data, with it.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from mstracker.domain.errors import ReadOnlyError, UserError
from mstracker.domain.phases import Phase
from mstracker.services import journeys, logbook, patients, transfer
from mstracker.services.context import open_context
from mstracker.storage import migrate, schema_version
from mstracker.storage.backups import list_backups

NOW = datetime(2027, 6, 20, 10, 0)
CURRENT = schema_version.HEAD  # this release's newest revision
NEXT = f"{int(CURRENT) + 1:04d}"  # the throwaway revision of "the next release"
FAKE_0002 = '''"""test only: a nickname for patients (a batch alter of a table with children)

Revision ID: {revision}
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite: copy the table and drop the old one (the foreign-key trap); PostgreSQL: a plain ALTER.
    recreate = "always" if op.get_bind().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("patient", recreate=recreate) as batch:
        batch.add_column(sa.Column("nickname", sa.String(50)))


def downgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("nickname")
'''


def _open(target: str, role: str = "patient"):
    return open_context(target, role=role, clock=lambda: NOW)


def _fill(target: str) -> int:
    ctx = _open(target, "coordinator")
    try:
        pid = patients.add_patient(ctx, "Anna Example", date(1990, 4, 2))
        journeys.start_journey(ctx, pid, "cy-atg", date(2027, 3, 1), Phase.MOBILIZATION)
        journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 3, 12))
        entry = logbook.log(ctx, pid, "lab", datetime(2027, 6, 5, 7, 0), {"anc": "0.4"})
        logbook.amend(ctx, entry, None, {"anc": "0.5"})
        return pid
    finally:
        ctx.close()


def _export(target: str, pid: int) -> dict:
    ctx = _open(target, "coordinator")
    try:
        return transfer.export_data(ctx, pid)
    finally:
        ctx.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def next_release(tmp_path, monkeypatch):
    """This version plus a revision NEXT: the code of the next release, for a database made by this one."""
    scripts = tmp_path / "migrations-next"
    shutil.copytree(migrate.SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / f"{NEXT}_test_nickname.py").write_text(FAKE_0002.format(revision=NEXT, down=schema_version.HEAD))

    def use() -> None:
        monkeypatch.setattr(migrate, "SCRIPTS", scripts)
        monkeypatch.setattr(schema_version, "HEAD", NEXT)
        monkeypatch.setattr(schema_version, "KNOWN", (*schema_version.KNOWN, NEXT))

    return use


def test_head_is_the_newest_revision_in_the_folder():
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    assert ScriptDirectory.from_config(config).get_heads() == [schema_version.HEAD]
    assert schema_version.KNOWN[-1] == schema_version.HEAD


def test_a_new_file_is_created_at_head(tmp_path):
    db = tmp_path / "new.sqlite3"
    ctx = _open(str(db))
    try:
        assert {"patient", "journey", "event", "reminder", "patient_state"} <= set(ctx.db.table_names())
    finally:
        ctx.close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema_version.HEAD,)]
    conn.close()
    assert list_backups(db) == []  # nothing to back up before creating


def test_an_empty_file_is_migrated(tmp_path):
    db = tmp_path / "empty.sqlite3"
    db.write_bytes(b"")
    pid = _fill(str(db))
    assert _export(str(db), pid)["patient"]["name"] == "Anna Example"


def test_a_current_file_with_data_opens_unchanged(tmp_path):
    db = tmp_path / "current.sqlite3"
    pid = _fill(str(db))
    before, exported = _digest(db), _export(str(db), pid)
    ctx = _open(str(db), "caregiver")
    ctx.close()
    assert _digest(db) == before and _export(str(db), pid) == exported
    assert list_backups(db) == []


def test_a_file_from_a_newer_version_is_refused_untouched(tmp_path, cli):
    db = tmp_path / "future.sqlite3"
    _fill(str(db))
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = _digest(db)
    for role in ("patient", "caregiver"):
        result = cli("patient", "list", db_path=db, role=role)
        assert result.code == 2 and result.err.startswith("error: ") and "newer version" in result.err
    assert _digest(db) == before
    assert list_backups(db) == []


def test_upgrade_from_the_previous_revision_keeps_everything(db_target, next_release):
    pid = _fill(db_target)
    exported = _export(db_target, pid)
    next_release()
    ctx = _open(db_target, "coordinator")
    try:
        with ctx.db.reading() as s:
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == NEXT
            assert s.execute(text("SELECT nickname FROM patient")).all() == [(None,)]
        journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 5, 25))  # still writable afterwards
    finally:
        ctx.close()
    after = _export(db_target, pid)
    assert after["events"][:len(exported["events"])] == exported["events"]
    if db_target.startswith("postgresql"):
        return
    # SQLite: a backup at the old revision was taken first, and no reference was broken by the table copy.
    db = Path(db_target)
    [backup] = list_backups(db)
    assert backup.reason == "before-migration"
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(CURRENT,)]
    assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == len(exported["events"])
    conn.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_a_caregiver_cannot_upgrade_an_older_file(tmp_path, cli, next_release):
    db = tmp_path / "older.sqlite3"
    _fill(str(db))
    before = _digest(db)
    next_release()
    with pytest.raises(ReadOnlyError, match="older schema"):
        _open(str(db), "caregiver")
    result = cli("patient", "list", db_path=db, role="caregiver")
    assert result.code == 2 and result.err.startswith("error: read-only: ") and "older schema" in result.err
    assert _digest(db) == before and list_backups(db) == []


def test_a_plain_sqlite_file_of_something_else_is_refused(tmp_path):
    db = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(db)
    with pytest.raises(UserError, match="not an mstracker database"):
        _open(str(db))
    assert _digest(db) == before
