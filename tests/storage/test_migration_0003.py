"""Migration 0003 (medicine courses) from a database of the revision before it, with data in it.

The previous revision is read from the migration's own `down_revision`, so that this test keeps testing the
step into 0003 whatever migrations come after it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from mstracker.services import medicines
from mstracker.services.context import open_context
from mstracker.storage import migrate, schema_version
from mstracker.storage.engine import make_engine, resolve_target

NOW = datetime(2027, 6, 20, 10, 0)


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    return config


def _previous() -> str:
    down = ScriptDirectory.from_config(_config()).get_revision("0003").down_revision
    assert isinstance(down, str)
    return down


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


def _rows(path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_file_of_the_previous_revision_gains_the_course_table_and_keeps_its_data(tmp_path):
    db = tmp_path / "old.sqlite3"
    _at_previous(db)
    before = _rows(db, "SELECT * FROM event ORDER BY id")
    ctx = open_context(str(db), clock=lambda: NOW)
    try:
        course = medicines.add_course(ctx, 1, name="aciclovir", times=[datetime(2027, 1, 1, 8).time()],
                                      first_day=NOW.date())
        assert [v.course.id for v in medicines.list_courses(ctx, 1)] == [course]
    finally:
        ctx.close()
    assert _rows(db, "SELECT version_num FROM alembic_version") == [(schema_version.HEAD,)]
    columns = {row[1] for row in _rows(db, "PRAGMA table_info(medicine_course)")}
    assert {"patient_id", "first_day", "last_day", "uid"} <= columns
    after = _rows(db, "SELECT * FROM event ORDER BY id")
    assert after[:len(before)] == before and [r[3] for r in after[len(before):]] == ["med_course"]


def test_the_migration_goes_down_and_up_again(tmp_path):
    db = tmp_path / "old.sqlite3"
    _at_previous(db)
    engine = make_engine(resolve_target(str(db)))
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        command.downgrade(config, _previous())
        command.upgrade(config, "0003")
    engine.dispose()
    assert _rows(db, "SELECT count(*) FROM patient") == [(1,)]
