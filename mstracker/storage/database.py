"""Opening a database: engine, schema check and migration (after a backup), sessions for reads and writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from ..domain.errors import ReadOnlyError, UserError
from . import migrate
from .engine import Target, is_sqlcipher_file, make_engine, resolve_target


class Database:
    def __init__(self, target: Target, engine: Engine, *, readonly: bool, passphrase: str | None) -> None:
        self.target = target
        self.engine = engine
        self.readonly = readonly
        self.passphrase = passphrase
        self._write_engine = engine.execution_options(immediate=True)

    # ---- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, target_text: str, *, readonly: bool = False, passphrase: str | None = None) -> Database:
        target = resolve_target(target_text)
        if target.is_sqlite:
            assert target.path is not None
            if not readonly:
                try:
                    target.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise UserError(f"cannot create the folder {target.path.parent}: {exc.strerror}; "
                                    "choose another place with --db") from None
            if passphrase is None and target.path.exists() and is_sqlcipher_file(target.path):
                raise UserError(f"{target.path} is encrypted or not a database; give its passphrase "
                                "(MSTRACKER_PASSPHRASE) or check the path")
        engine = make_engine(target, readonly=readonly, passphrase=passphrase)
        db = cls(target, engine, readonly=readonly, passphrase=passphrase)
        try:
            db._ensure_schema()
        except Exception:
            engine.dispose()
            raise
        return db

    def _ensure_schema(self) -> None:
        where = self.target.describe()
        try:
            with self.engine.connect() as conn:
                revision = migrate.current_revision(conn)
                content = migrate.has_content(conn) if revision != migrate.HEAD else True
        except (DatabaseError, OperationalError) as exc:
            raise _open_error(exc, where, self.passphrase is not None) from None
        migrate.check_not_newer(revision, where)
        if revision == migrate.HEAD:
            return
        if self.readonly:
            if revision is None and not content:
                raise UserError(f"{where} holds no mstracker data yet; open it once as a patient or coordinator")
            raise ReadOnlyError(f"read-only: {where} has an older schema; open it once as a patient or "
                                "coordinator to update it")
        if revision is None and content:
            raise UserError(f"{where} is not an mstracker database; choose another file with --db")
        if content and self.target.is_sqlite:
            self.backup_to(self.automatic_backup_path("before-migration"))
        migrate.upgrade(self.engine, sqlite=self.target.is_sqlite)

    # ---- sessions -----------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE on SQLite): all or nothing."""
        if self.readonly:
            raise ReadOnlyError("read-only: this database was opened read-only (caregiver); nothing was changed")
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    # ---- backups --------------------------------------------------------------------------------
    @property
    def backup_dir(self) -> Path:
        assert self.target.path is not None
        return self.target.path.parent / "backups"

    def automatic_backup_path(self, reason: str) -> Path:
        assert self.target.path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        return self.backup_dir / f"{self.target.path.stem}-{stamp}-{reason}.sqlite3"

    def backup_to(self, out: Path) -> Path:
        """A consistent copy through SQLite's online backup API (safe while the app is running)."""
        if not self.target.is_sqlite:
            raise UserError("backups of a PostgreSQL database belong to the server's own tools (pg_dump)")
        out = Path(out).expanduser().resolve()
        if self.target.path is not None and out == self.target.path:
            raise UserError("the backup cannot overwrite the database itself; choose another file")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the folder {out.parent}: {exc.strerror}") from None
        tmp = out.with_name(out.name + ".partial")
        raw = self.engine.raw_connection()
        try:
            source = raw.driver_connection
            dest_module = type(source).__module__.split(".")[0]
            if dest_module == "sqlcipher3":
                import sqlcipher3

                dest = sqlcipher3.dbapi2.connect(str(tmp))
                dest.execute("PRAGMA key = '" + (self.passphrase or "").replace("'", "''") + "'")
            else:
                dest = sqlite3.connect(str(tmp))
            try:
                source.backup(dest)
            finally:
                dest.close()
            tmp.replace(out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise UserError(f"cannot write the backup {out}: {exc.strerror}") from None
        except sqlite3.Error as exc:
            tmp.unlink(missing_ok=True)
            raise UserError(f"cannot write the backup {out}: {exc}") from None
        finally:
            raw.close()
        return out

    def table_names(self) -> list[str]:
        with self.engine.connect() as conn:
            return inspect(conn).get_table_names()


def _open_error(exc: Exception, where: str, encrypted: bool) -> UserError:
    text = str(getattr(exc, "orig", exc))
    if "file is not a database" in text or "file is encrypted" in text:
        if encrypted:
            return UserError(f"wrong passphrase for {where}, or the file is not an mstracker database")
        return UserError(f"{where} is not a readable database (encrypted or damaged); "
                         "give its passphrase, or run `mstracker db check`")
    if "unable to open" in text:
        return UserError(f"cannot open {where}: the file or its folder is missing or not readable")
    return UserError(f"cannot open {where}: {text}")
