"""What the migration tests share: Alembic run on a file, and a file left at an older revision with a patient
and a week of temperatures in it, written as that revision's tables take them."""

from __future__ import annotations

import sqlite3

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from mstracker.storage import migrate
from mstracker.storage.engine import make_engine, resolve_target


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    return config


def previous(revision: str) -> str:
    """The revision before `revision`, as the migration itself names it (it follows whatever landed before)."""
    down = ScriptDirectory.from_config(alembic_config()).get_revision(revision).down_revision
    assert isinstance(down, str)
    return down


def run(path, *steps: tuple[str, str]) -> None:
    """Alembic's ("upgrade" | "downgrade", revision) steps on the file, in one transaction."""
    engine = make_engine(resolve_target(str(path)))
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        for step, revision in steps:
            getattr(command, step)(config, revision)
    engine.dispose()


def at_revision(path, revision: str) -> None:
    """A new file at `revision`, with patient 1 ("Old File") and seven morning temperatures, 1 to 7 June 2027."""
    run(path, ("upgrade", revision))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO patient (id, name, created_at) VALUES (1, 'Old File', '2027-01-01 10:00:00.000000')")
        conn.execute("INSERT INTO patient_state (patient_id, day_zero_planned) VALUES (1, 0)")
        conn.executemany(
            "INSERT INTO event (patient_id, kind, occurred_at, recorded_at, user, role, payload) "
            "VALUES (1, 'temperature', ?, '2027-06-01 10:00:00.000000', 'u', 'patient', ?)",
            [(f"2027-06-0{d} 07:00:00.000000", f'{{"fields": {{"celsius": 36.{d}}}}}') for d in range(1, 8)])
    conn.close()


def rows(path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def names(path, kind: str) -> set[str]:
    """The names of the file's tables ("table") or indexes ("index")."""
    return {name for (name,) in rows(path, f"SELECT name FROM sqlite_master WHERE type = '{kind}'")}
