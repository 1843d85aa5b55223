"""Schema version checks at open, and Alembic upgrades (imported only when the schema is behind)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from ..domain.errors import UserError
from . import schema_version

SCRIPTS = Path(__file__).parent / "migrations"  # a test points this at a copy with a newer revision


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_content(conn: Connection) -> bool:
    names = set(inspect(conn).get_table_names())
    if "event" in names:
        return conn.execute(text("SELECT 1 FROM event LIMIT 1")).first() is not None
    return bool(names - {"alembic_version"})


def check_not_newer(revision: str | None, where: str) -> None:
    if revision is not None and revision not in schema_version.KNOWN:
        raise UserError(
            f"the database {where} was written by a newer version of mstracker (schema {revision}); "
            "update mstracker to open it — it has been left untouched"
        )


def upgrade(engine: Engine, *, sqlite: bool) -> None:
    """Bring the schema to HEAD with Alembic in one transaction.

    On SQLite, foreign keys go off before the transaction (inside one the pragma does nothing), so that
    batch table copies keep child rows; a foreign-key check runs before the commit.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(immediate=True).begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise RuntimeError(f"the migration left broken references: {problems[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
