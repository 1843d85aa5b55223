"""Engines: SQLite pragmas and transaction control, PostgreSQL, read-only and encrypted opening."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ..domain.errors import UserError

BUSY_TIMEOUT_MS = 15000


@dataclass(frozen=True)
class Target:
    """Where the data lives: a SQLite file or a server URL."""

    url: str
    path: Path | None  # the SQLite file, when it is one

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_encrypted_dialect(self) -> bool:
        return self.url.startswith("sqlite+pysqlcipher")

    def describe(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string(hide_password=True)


def resolve_target(target: str) -> Target:
    if "://" in target:
        url = make_url(target)
        if url.get_backend_name() == "sqlite":
            db = url.database
            if not db or db == ":memory:":
                raise UserError("an in-memory database keeps nothing; give a file path with --db")
            return Target(f"sqlite:///{Path(db).expanduser().resolve()}", Path(db).expanduser().resolve())
        if url.get_backend_name() != "postgresql":
            raise UserError(f"unsupported database {url.get_backend_name()!r}; use a SQLite file or postgresql+psycopg://…")
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return Target(url.render_as_string(hide_password=False), None)
    path = Path(target).expanduser().resolve()
    return Target(f"sqlite:///{path}", path)


def is_sqlcipher_file(path: Path) -> bool:
    """A plain SQLite file starts with its magic header; an encrypted one looks like noise."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return len(head) == 16 and head != b"SQLite format 3\x00"


def _sqlite_listeners(engine: Engine, *, readonly: bool, passphrase: str | None) -> None:
    @event.listens_for(engine, "connect", insert=True)
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        # Take transaction control away from pysqlite (SQLAlchemy's documented recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if passphrase is not None:
            cur.execute("PRAGMA cipher_log_level = NONE")
            cur.execute("PRAGMA key = " + _quote(passphrase))
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            # WAL itself is switched on by Database.open once the file is known to be ours (it rewrites the header).
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # Writers take the write lock up front, so two writers wait instead of failing halfway.
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate and not readonly else "BEGIN")


def _on_readonly_drive(path: Path) -> bool:
    wal = Path(str(path) + "-wal")
    try:
        readonly = bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
        return readonly and (not wal.exists() or wal.stat().st_size == 0)
    except OSError:
        return False


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def make_engine(target: Target, *, readonly: bool = False, passphrase: str | None = None) -> Engine:
    if target.is_sqlite:
        assert target.path is not None
        if readonly:
            if not target.path.exists():
                raise UserError(f"there is no database at {target.path}; a read-only role cannot create one")
            url = f"sqlite:///file:{target.path}?mode=ro&uri=true"
            if _on_readonly_drive(target.path):
                # SQLite cannot make the WAL index on a read-only drive; nobody can write there, so reading it
                # as unchanging is safe (unless a write-ahead log was left behind, which must be read).
                url += "&immutable=1"
        else:
            url = target.url
        kwargs: dict = {}
        if passphrase is not None:
            import sqlcipher3  # encrypted files only: the key is set first in the connect listener

            kwargs["module"] = sqlcipher3.dbapi2
        if os.environ.get("MSTRACKER_NULLPOOL"):
            kwargs["poolclass"] = NullPool
        engine = create_engine(url, **kwargs)
        _sqlite_listeners(engine, readonly=readonly, passphrase=passphrase)
        return engine
    # Timestamps are stored as UTC wall times: the session zone must be UTC whatever the server's default.
    engine = create_engine(target.url, pool_pre_ping=True, connect_args={"options": "-c timezone=UTC"})
    if readonly:
        @event.listens_for(engine, "connect")
        def _pg_readonly(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.read_only = True
    return engine
