"""Opening a database: engine, schema check and migration (after a backup), sessions for reads and writes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from ..domain.errors import ReadOnlyError, UserError
from . import backups, leftovers, migrate, schema_version, sqlitefiles
from .engine import Target, is_sqlcipher_file, make_engine, resolve_target
from .errors import storage_error
from .private import create_private, private_dir
from .writer_lock import WriterLock, hold_for_writing


class Database:
    def __init__(self, target: Target, engine: Engine, *, readonly: bool, passphrase: str | None,
                 offered_passphrase: str | None = None) -> None:
        self.target = target
        self.engine = engine
        self.readonly = readonly
        self.passphrase = passphrase  # the key in use (None: a plain file)
        # A passphrase given for a plain file: kept for `db encrypt`, not used to open it.
        self.offered_passphrase = offered_passphrase
        self._write_engine = engine.execution_options(immediate=True)
        self._writer_lock: WriterLock | None = None  # held while open for writing (see writer_lock.py)
        self._batch: Session | None = None  # the one transaction of `batch()`, while it runs
        # Run with the session at the end of every write transaction, before its commit: what they write
        # commits with the change, or neither does (the calendar's outbox is written this way).
        self.before_commit: list[Callable[[Session], None]] = []

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    # ---- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, target_text: str, *, readonly: bool = False, passphrase: str | None = None) -> Database:
        target = resolve_target(target_text)
        offered = None
        if target.is_sqlite:
            assert target.path is not None
            if not readonly:
                _check_writable_place(target.path)
            if target.path.exists() and not is_sqlcipher_file(target.path) and passphrase is not None:
                # Plain (or empty) file: the passphrase is for `db encrypt`; new files are created encrypted.
                offered, passphrase = passphrase, None
            if passphrase is None and target.path.exists() and is_sqlcipher_file(target.path):
                raise UserError(f"{target.path} is encrypted or not a database; give its passphrase "
                                "(MSTRACKER_PASSPHRASE) or check the path")
        else:
            passphrase = None  # a server's data are protected by the server (TLS, disk encryption)
        writer = hold_for_writing(target.path) if target.is_sqlite and not readonly else None
        try:
            if target.is_sqlite and not readonly:
                assert target.path is not None
                create_private(target.path)  # 0600 before SQLite writes (its -wal and -shm take the same mode)
            engine = make_engine(target, readonly=readonly, passphrase=passphrase)
        except Exception:
            if writer is not None:
                writer.release()
            raise
        db = cls(target, engine, readonly=readonly, passphrase=passphrase, offered_passphrase=offered)
        db._writer_lock = writer
        try:
            db._ensure_schema()
        except Exception:
            db.dispose()
            raise
        if writer is not None:
            db._tidy()
        return db

    def _tidy(self) -> None:
        """Finish or remove what a killed backup, restore or encryption left (we hold the writer lock, so
        none is running). Best effort: a leftover that cannot be handled now is tried at the next open."""
        assert self.target.path is not None
        try:
            leftovers.tidy(self.target.path, self.passphrase)
        except (OSError, *sqlitefiles.driver_errors(self.passphrase)):
            pass

    def _ensure_schema(self) -> None:
        where = self.target.describe()
        try:
            with self.engine.connect() as conn:
                revision = migrate.current_revision(conn)
                content = migrate.has_content(conn) if revision != schema_version.HEAD else True
        except (DatabaseError, OperationalError) as exc:
            raise _open_error(exc, where, self.passphrase is not None) from None
        migrate.check_not_newer(revision, where)
        if revision != schema_version.HEAD:
            if self.readonly:
                if revision is None and not content:
                    raise UserError(f"{where} holds no mstracker data yet; open it once as a patient or coordinator")
                raise ReadOnlyError(f"read-only: {where} has an older schema; open it once as a patient or "
                                    "coordinator to update it")
            if revision is None and content:
                raise UserError(f"{where} is not an mstracker database; choose another file with --db")
        if self.target.is_sqlite and not self.readonly:
            self._use_wal()  # only now: a file that is refused above is left byte for byte as it was
        if revision == schema_version.HEAD:
            return
        if content and self.target.is_sqlite:
            self.backup_to(self.automatic_backup_path("before-migration"))
        try:
            migrate.upgrade(self.engine, sqlite=self.target.is_sqlite)
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "42501":
                raise UserError(f"not allowed: {where} has an older schema, which only the database's owner may "
                                "update; ask the clinic's database administrator to open it once with this version "
                                "of mstracker") from None
            raise storage_error(exc, where) or exc from None

    def _use_wal(self) -> None:
        """WAL journal (kept in the file once set): readers never wait for the writer."""
        raw = self.engine.raw_connection()
        try:
            conn = raw.driver_connection
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        except sqlitefiles.driver_errors(self.passphrase) as exc:
            raise storage_error(exc, self.target.describe()) or UserError(
                f"cannot open {self.target.describe()}: {exc}") from None
        finally:
            raw.close()

    # ---- sessions -----------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Session]:
        if self._batch is not None:  # inside `batch()`: reads see what the batch wrote so far
            yield self._batch
            return
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as exc:
            raise storage_error(exc, self.target.describe()) or exc from None

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE on SQLite): all or nothing.

        What the disk or the server refuses (full, read-only, gone, damaged, busy) becomes a UserError that
        says nothing was saved: the transaction has been rolled back by then.
        """
        if self._batch is not None:  # inside `batch()`: part of its one transaction
            yield self._batch
            return
        if self.readonly:
            raise ReadOnlyError("read-only: this database was opened read-only (caregiver); nothing was changed")
        if self.target.path is not None and not self.target.path.exists():
            # A folder moved or a drive removed while open: writes would go to a file nobody can find again.
            raise UserError(f"the database {self.target.path} has gone missing (was its folder moved or its drive "
                            "removed?); nothing was saved — put it back or choose it again with --db")
        if self.target.is_sqlite and self._writer_lock is None:
            # Disposed and used again (a failed restore leaves the database as it was): a writer again.
            assert self.target.path is not None
            self._writer_lock = hold_for_writing(self.target.path)
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                yield session
                for hook in self.before_commit:
                    hook(session)
        except DBAPIError as exc:
            raise storage_error(exc, self.target.describe()) or exc from None

    @contextmanager
    def batch(self) -> Iterator[Session]:
        """One write transaction around many use cases (each `writing()` inside joins it): a command that
        writes many records writes all of them or, on any refusal, none."""
        if self._batch is not None:
            yield self._batch
            return
        with self.writing() as session:
            self._batch = session
            try:
                yield session
            finally:
                self._batch = None

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None

    # ---- backups --------------------------------------------------------------------------------
    @property
    def backup_dir(self) -> Path:
        assert self.target.path is not None
        return self.target.path.parent / "backups"

    def automatic_backup_path(self, reason: str, at: datetime | None = None) -> Path:
        assert self.target.path is not None
        return backups.new_path(self.target.path, reason, at or datetime.now(UTC))

    def automatic_backup(self, reason: str, *, at: datetime | None = None, zone: tzinfo | None = None) -> Path:
        """A backup into the backups folder, then the folder pruned to its retention."""
        self._require_sqlite("backups")
        assert self.target.path is not None
        out = self.backup_to(self.automatic_backup_path(reason, at))
        backups.prune(self.target.path, zone or UTC)
        return out

    def list_backups(self) -> list[backups.BackupFile]:
        assert self.target.path is not None
        return backups.list_backups(self.target.path)

    def integrity_problems(self, *, quick: bool = False) -> list[str]:
        """SQLite's own check of every page and index ([] when sound); WAL content included."""
        self._require_sqlite("db check")
        raw = self.engine.raw_connection()
        try:
            rows = raw.driver_connection.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        except sqlitefiles.driver_errors(self.passphrase) as exc:
            return [str(exc)]
        finally:
            raw.close()
        found = [str(r[0]) for r in rows]
        return [] if found == ["ok"] else found

    def _require_sqlite(self, what: str) -> None:
        if not self.target.is_sqlite:
            raise UserError(f"{what} of a PostgreSQL database belong to the server's own tools "
                            "(pg_dump and pg_restore, TLS, disk encryption); ask the clinic's database administrator")

    def backup_to(self, out: Path) -> Path:
        """A consistent copy through SQLite's online backup API (safe while the app is running).

        The copy of an encrypted database is encrypted with the same passphrase.
        """
        self._require_sqlite("backups")
        out = Path(out).expanduser().resolve()
        if self.target.path is not None and out == self.target.path:
            raise UserError("the backup cannot overwrite the database itself; choose another file")
        if out.is_dir():
            raise UserError(f"{out} is a folder; give a file name for the backup")
        try:
            private_dir(out.parent)
        except OSError as exc:
            raise UserError(f"cannot create the folder {out.parent}: {exc.strerror}; choose another place") from None
        raw = self.engine.raw_connection()
        try:
            return sqlitefiles.copy_database(raw.driver_connection, out, passphrase=self.passphrase)
        finally:
            raw.close()

    def table_names(self) -> list[str]:
        with self.engine.connect() as conn:
            return inspect(conn).get_table_names()


def _check_writable_place(path: Path) -> None:
    """The folder exists (or can be made) and the file can be written — checked before anything is opened."""
    try:
        private_dir(path.parent)
    except OSError as exc:
        raise UserError(f"cannot create the folder {path.parent}: {exc.strerror}; "
                        "choose another place with --db") from None
    if not os.access(path.parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ReadOnlyError(f"read-only: {path} (or its folder) cannot be written by this user or is on a "
                            "read-only drive; open it with --role caregiver to read it, or copy it somewhere "
                            "writable and use --db")


def _open_error(exc: Exception, where: str, encrypted: bool) -> UserError:
    text = str(getattr(exc, "orig", exc))
    if "file is not a database" in text or "file is encrypted" in text:
        if encrypted:
            return UserError(f"wrong passphrase for {where}, or the file is not an mstracker database")
        return UserError(f"{where} is not a readable database (encrypted or damaged); "
                         "give its passphrase, or run `mstracker db check`")
    if "unable to open" in text:
        return UserError(f"cannot open {where}: the file or its folder is missing or not readable")
    if "malformed" in text:
        return UserError(f"{where} is damaged; run `mstracker db check`, which names the newest good backup, "
                         "and `mstracker restore` it")
    if "permission denied for database" in text:
        return UserError(f"not allowed: this login may not connect to {where} (it has no grant there, or its "
                         "grants were revoked); ask a coordinator")
    if "password authentication failed" in text or "role" in text and "does not exist" in text:
        return UserError(f"the server refused the login for {where}: unknown login or wrong password")
    return UserError(f"cannot open {where}: {' '.join(text.split())}")
