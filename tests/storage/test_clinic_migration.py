"""Migration 0005 (who sees what on a clinic server): from its previous revision with data in it on
PostgreSQL, back down and up again, and a no-op on SQLite."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from mstracker.services import logbook, patients
from mstracker.services.context import open_context
from mstracker.storage import migrate, schema_version
from mstracker.storage.clinic_schema import groups_for

CLINIC = "0005"


def _previous() -> str:
    """The revision 0005 follows (read from the script: it moves when revisions land before it)."""
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    return ScriptDirectory.from_config(config).get_revision(CLINIC).down_revision


PREVIOUS = _previous()
NOW = datetime(2027, 6, 20, 10, 0)


def _alembic(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


def _raw(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)


def _fill_at_previous(url: str) -> None:
    """A database of the previous revision with a patient, its projection and two events (plain SQL: the
    services of this version expect the newest schema)."""
    _alembic(url, PREVIOUS)
    with _raw(url) as conn:
        conn.execute("INSERT INTO patient (id, name, created_at) VALUES (1, 'Anna Example', now())")
        conn.execute("INSERT INTO patient_state (patient_id, day_zero_planned) VALUES (1, false)")
        for i in (1, 2):
            conn.execute("INSERT INTO event (id, patient_id, kind, occurred_at, recorded_at, \"user\", role, payload) "
                         "VALUES (%s, 1, 'note', now(), now(), 'tester', 'patient', %s)", (i, f'{{"text": "{i}"}}'))
        conn.execute("SELECT setval('patient_id_seq', 1), setval('event_id_seq', 2)")


def _state(url: str) -> dict:
    with _raw(url) as conn:
        return {
            "version": conn.execute("SELECT version_num FROM alembic_version").fetchone()[0],
            "events": conn.execute("SELECT id, payload FROM event ORDER BY id").fetchall(),
            "rls": conn.execute("SELECT relname FROM pg_class WHERE relforcerowsecurity ORDER BY 1").fetchall(),
            "membership": conn.execute("SELECT to_regclass('clinic_membership') IS NOT NULL").fetchone()[0],
            "groups": conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)",
                                   (list(groups_for(url.rsplit("/", 1)[1]).all),)).fetchone()[0],
        }


@pytest.mark.postgres
def test_upgrade_from_the_previous_revision_keeps_the_data_and_protects_it(postgres_url):
    _fill_at_previous(postgres_url)
    before = _state(postgres_url)
    assert before["rls"] == [] and not before["membership"]
    ctx = open_context(postgres_url, clock=lambda: NOW)  # the owner opens it: migrated to the newest schema
    try:
        assert ctx.role == "coordinator" and ctx.server.owner
        logbook.log(ctx, 1, "note", NOW, {"text": "after"})
        assert [p.name for p in patients.list_patients(ctx)] == ["Anna Example"]
    finally:
        ctx.close()
    after = _state(postgres_url)
    assert after["version"] == schema_version.HEAD
    assert after["events"][:2] == before["events"] and len(after["events"]) == 3
    assert [r[0] for r in after["rls"]] == sorted(["calendar_object", "calendar_outbox", "calendar_publication",
                                                   "clinic_membership", "event", "journey", "medicine_course",
                                                   "patient", "patient_state", "reminder"])
    assert after["membership"] and after["groups"] == 3


@pytest.mark.postgres
def test_down_to_the_previous_revision_and_up_again(postgres_url):
    _fill_at_previous(postgres_url)
    _alembic(postgres_url, CLINIC)
    _alembic(postgres_url, PREVIOUS, down=True)
    down = _state(postgres_url)
    assert down["rls"] == [] and not down["membership"] and down["groups"] == 0
    assert len(down["events"]) == 2
    _alembic(postgres_url, CLINIC)
    assert _state(postgres_url)["groups"] == 3


def test_on_sqlite_it_changes_nothing(tmp_path):
    db = tmp_path / "own.sqlite3"
    ctx = open_context(str(db), clock=lambda: NOW)
    try:
        assert ctx.role == "patient" and ctx.server is None
        assert "clinic_membership" not in ctx.db.table_names()
    finally:
        ctx.close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema_version.HEAD,)]
    conn.close()


LATER = '''"""test only: a later table with a patient's data, protected by the same helper"""
import sqlalchemy as sa
from alembic import op

from mstracker.storage import clinic_schema

revision, down_revision, branch_labels, depends_on = "{revision}", "{down}", None, None


def upgrade() -> None:
    op.create_table("side_note", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False),
                    sa.Column("text", sa.Text, nullable=False))
    clinic_schema.protect_patient_table(op.get_bind(), "side_note")


def downgrade() -> None:
    op.drop_table("side_note")
'''


@pytest.mark.postgres
def test_a_later_migrations_table_is_protected_by_the_same_helper(postgres_url, tmp_path, monkeypatch):
    from mstracker.services import clinic

    ctx = open_context(postgres_url, clock=lambda: NOW)
    try:
        anna, ben = (patients.add_patient(ctx, name) for name in ("Anna Example", "Ben Example"))
        login = f"anna_{postgres_url.rsplit('/', 1)[1]}"
        clinic.grant(ctx, login, "patient", [anna], password="pw for anna")
    finally:
        ctx.close()
    later = f"{int(schema_version.HEAD) + 1:04d}"
    scripts = tmp_path / "migrations-later"
    shutil.copytree(migrate.SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / f"{later}_side_note.py").write_text(LATER.format(revision=later, down=schema_version.HEAD))
    monkeypatch.setattr(migrate, "SCRIPTS", scripts)
    monkeypatch.setattr(schema_version, "HEAD", later)
    monkeypatch.setattr(schema_version, "KNOWN", (*schema_version.KNOWN, later))
    open_context(postgres_url).close()  # the owner opens it: the later revision runs
    with _raw(postgres_url) as conn:
        conn.execute("INSERT INTO side_note (patient_id, text) VALUES (%s, 'a'), (%s, 'b')", (anna, ben))
        assert conn.execute("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'side_note'").fetchone() == (True,)
    as_anna = postgres_url.replace("postgres@", f"{login}:pw%20for%20anna@")
    with _raw(as_anna) as conn:
        assert conn.execute("SELECT patient_id FROM side_note").fetchall() == [(anna,)]
        conn.execute("INSERT INTO side_note (patient_id, text) VALUES (%s, 'mine')", (anna,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO side_note (patient_id, text) VALUES (%s, 'not mine')", (ben,))
