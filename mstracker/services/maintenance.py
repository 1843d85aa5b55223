"""Backups, restore, integrity checks and encryption (SQLite files; a clinic server has its own tools)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ..domain.errors import UserError
from ..storage import backups as backup_files
from ..storage import leftovers, migrate, schema_version, sqlitefiles
from ..storage.database import Database
from ..storage.engine import resolve_target
from ..storage.private import create_private, private_dir, refuse_existing
from ..storage.writer_lock import hold_for_swap
from .check_report import CheckReport
from .context import AppContext
from .integrity import projection_problems
from .locking import Lock, acquire_path_lock

Progress = Callable[[int, int], None]  # (done, total)

SERVER_TOOLS = ("{what} of a PostgreSQL database belong to the server's own tools (pg_dump and pg_restore, "
                "TLS, disk encryption); ask the clinic's database administrator")


def _sqlite_path(target_path: Path | None, what: str) -> Path:
    if target_path is None:
        raise UserError(SERVER_TOOLS.format(what=what))
    return target_path


def _locked(db_path: Path, lock: Lock | None, what: str) -> tuple[Lock, bool]:
    """The caller's instance lock, or one taken now (and released by the caller: second item True)."""
    if lock is not None:
        return lock, False
    taken = acquire_path_lock(db_path)
    if taken is None:
        raise UserError(f"cannot {what}: {db_path} is open in another mstracker window; close it there and try again")
    return taken, True


# ---- backups ------------------------------------------------------------------------------------
def backup(ctx: AppContext, out: Path, *, overwrite: bool = True) -> Path:
    """A consistent copy of the whole database (encrypted under the same passphrase when the database is).
    Without `overwrite`, an existing file is refused (the desktop app's file dialog has asked already)."""
    target = Path(out).expanduser().resolve()
    if target != ctx.db.target.path:  # the database itself is refused below, with its own reason
        refuse_existing(target, overwrite)
    return ctx.db.backup_to(out)


def daily_backup_if_due(ctx: AppContext) -> Path | None:
    """Once a day (local date by ctx's clock), a backup into the backups folder; the folder keeps the last
    7 daily backups and one for each of the 4 weeks before them. None when not due or not a SQLite file."""
    if ctx.db.target.path is None or ctx.db.readonly:
        return None
    if not backup_files.daily_due(ctx.db.list_backups(), ctx.today(), ctx.zone):
        return None
    return ctx.db.automatic_backup("daily", at=ctx.now(), zone=ctx.zone)


def list_backups(ctx: AppContext) -> list[backup_files.BackupFile]:
    if ctx.db.target.path is None:
        return []
    return ctx.db.list_backups()


# ---- restore ------------------------------------------------------------------------------------
def _validate_backup(source: Path, passphrase: str | None) -> str:
    """A sound mstracker database at a schema this version knows: returns its revision, else UserError."""
    source = Path(source).expanduser()
    if not source.is_file():
        raise UserError(f"there is no backup file {source}; check the path")
    encrypted = not sqlitefiles.is_plain_sqlite(source)
    if encrypted and passphrase is None:
        raise UserError(f"{source} is encrypted or not a database; give its passphrase (MSTRACKER_PASSPHRASE)")
    key = passphrase if encrypted else None
    problems = sqlitefiles.integrity_problems(source, passphrase=key)
    if problems:
        hint = "wrong passphrase, or " if encrypted else ""
        raise UserError(f"{source} is not a sound database ({hint}{problems[0]}); nothing was changed")
    revision = sqlitefiles.read_revision(source, passphrase=key)
    if revision is None or not {"patient", "event"} <= sqlitefiles.table_names(source, passphrase=key):
        raise UserError(f"{source} is not an mstracker database; nothing was changed")
    migrate.check_not_newer(revision, str(source))
    return revision


def restore(ctx: AppContext, source: Path, *, lock: Lock | None = None) -> Path | None:
    """Replace ctx's database with a backup; returns where the previous database was saved.
    ctx.db is reopened on the restored file (and migrated, after a backup, if it is older)."""
    ctx.require_write("restore a backup")
    path = _sqlite_path(ctx.db.target.path, "restore")
    passphrase = ctx.db.passphrase or ctx.db.offered_passphrase
    ctx.db.dispose()
    saved = restore_file(path, Path(source), passphrase=passphrase, lock=lock)
    key = None if sqlitefiles.is_plain_sqlite(path) else passphrase
    ctx.db = Database.open(str(path), passphrase=key)
    return saved


def restore_target(target: str, source: Path, *, passphrase: str | None = None,
                   lock: Lock | None = None, progress: Progress | None = None) -> Path | None:
    """Restore without opening the current database first (it may be damaged beyond opening, or gone:
    then there is nothing to save and None is returned). `progress(done, total)` hears the pages copied."""
    return restore_file(_sqlite_path(resolve_target(target).path, "restore"), Path(source),
                        passphrase=passphrase, lock=lock, progress=progress)


def restore_file(db_path: Path, source: Path, *, passphrase: str | None, lock: Lock | None = None,
                 progress: Progress | None = None) -> Path | None:
    source = source.expanduser().resolve()
    if source == db_path:
        raise UserError("that is the database itself; choose a backup file")
    _validate_backup(source, passphrase)
    try:
        private_dir(db_path.parent)
    except OSError as exc:
        raise UserError(f"cannot create the folder {db_path.parent}: {exc.strerror}; choose another --db") from None
    held, mine = _locked(db_path, lock, "restore")
    try:
        # No other process writing from here to the swap: its entries would be in neither file.
        with hold_for_swap(db_path, "restore"):
            saved = _save_previous(db_path, passphrase) if db_path.exists() else None
            key = None if sqlitefiles.is_plain_sqlite(source) else passphrase
            incoming = db_path.with_name(db_path.name + ".restoring")
            sqlitefiles.copy_file(source, incoming, passphrase=key, progress=progress)
            # The old file's write-ahead log belongs to it alone: left beside the new file it would be replayed
            # into it.
            sqlitefiles.remove_sidecars(db_path)
            sqlitefiles.atomic_replace(incoming, db_path)
    finally:
        if mine:
            held.release()
    return saved


def _save_previous(db_path: Path, passphrase: str | None) -> Path:
    """The current database into the backups folder: a consistent copy, or its bytes as they are when it is too
    damaged to read (with its write-ahead log beside it) — never overwritten, never lost."""
    out = backup_files.new_path(db_path, "before-restore", datetime.now(UTC))
    private_dir(out.parent)
    key = None if sqlitefiles.is_plain_sqlite(db_path) else passphrase
    if not sqlitefiles.integrity_problems(db_path, passphrase=key):
        try:
            return sqlitefiles.copy_file(db_path, out, passphrase=key)
        except UserError:
            pass
    create_private(out)  # copyfile keeps the mode of a file that is there
    shutil.copyfile(db_path, out)
    wal = Path(str(db_path) + "-wal")
    if wal.exists():
        create_private(Path(str(out) + "-wal"))
        shutil.copyfile(wal, Path(str(out) + "-wal"))
    sqlitefiles.fsync_file(out)
    return out


# ---- checks -------------------------------------------------------------------------------------
def check(ctx: AppContext) -> CheckReport:
    """SQLite's integrity check and the projection check on an open database."""
    path = _sqlite_path(ctx.db.target.path, "db check")
    problems = ctx.db.integrity_problems()
    projection = [] if problems else projection_problems(ctx.db)
    good = None if not (problems or projection) else newest_good_backup(path, ctx.db.passphrase)
    return CheckReport(str(path), problems, projection, good)


def startup_check(ctx: AppContext) -> CheckReport:
    """The quick check for start-up (PRAGMA quick_check; run it off the UI thread). Sound on a server."""
    path = ctx.db.target.path
    if path is None:
        return CheckReport(ctx.db.target.describe())
    problems = ctx.db.integrity_problems(quick=True)
    good = newest_good_backup(path, ctx.db.passphrase) if problems else None
    return CheckReport(str(path), problems, [], good)


def check_target(target: str, *, passphrase: str | None = None) -> CheckReport:
    """The check for a file that may not open at all: integrity first, the projection when it is sound."""
    path = _sqlite_path(resolve_target(target).path, "db check")
    if not path.exists():
        raise UserError(f"there is no database at {path}; check --db")
    key = None if sqlitefiles.is_plain_sqlite(path) else passphrase
    if key is None and not sqlitefiles.is_plain_sqlite(path) and path.stat().st_size > 0:
        raise UserError(f"{path} is encrypted or not a database; give its passphrase (MSTRACKER_PASSPHRASE)")
    problems = sqlitefiles.integrity_problems(path, passphrase=key)
    projection: list[str] = []
    if not problems and sqlitefiles.read_revision(path, passphrase=key) is None and sqlitefiles.table_names(
            path, passphrase=key):
        raise UserError(f"{path} is not an mstracker database (its tables are another program's); check --db")
    if not problems:
        try:
            db = Database.open(str(path), readonly=True, passphrase=key)
        except UserError as exc:  # e.g. an older schema: the pages are sound, the projection waits
            projection = [] if "older schema" in str(exc) else [str(exc)]
        else:
            try:
                projection = projection_problems(db)
            finally:
                db.dispose()
    good = None if not (problems or projection) else newest_good_backup(path, passphrase)
    return CheckReport(str(path), problems, projection, good)


def newest_good_backup(db_path: Path, passphrase: str | None = None) -> Path | None:
    for b in backup_files.list_backups(db_path):
        key = None if sqlitefiles.is_plain_sqlite(b.path) else passphrase
        if key is None and not sqlitefiles.is_plain_sqlite(b.path):
            continue
        if sqlitefiles.integrity_problems(b.path, passphrase=key):
            continue
        try:
            revision = sqlitefiles.read_revision(b.path, passphrase=key)
        except sqlitefiles.driver_errors(key):
            continue
        if revision in schema_version.KNOWN:
            return b.path
    return None


# ---- encryption ---------------------------------------------------------------------------------
def needs_passphrase(target: str) -> bool:
    """The target is an existing SQLite file that is not plain SQLite (encrypted, as far as can be told)."""
    try:
        path = resolve_target(target).path
    except UserError:
        return False
    return (path is not None and path.is_file() and path.stat().st_size > 0
            and not sqlitefiles.is_plain_sqlite(path))


def _check_passphrase(passphrase: str | None, what: str) -> str:
    if passphrase is None or passphrase == "":
        raise UserError(f"{what} is empty; set it in MSTRACKER_PASSPHRASE or type it at the prompt")
    return passphrase


def encrypt(ctx: AppContext, passphrase: str | None = None, *, lock: Lock | None = None,
            progress: Progress | None = None) -> Path:
    """Encrypt the database in place (SQLCipher): an encrypted copy checked against the original, kept as the
    backup taken before, then an atomic swap. The plain backups in the backups folder are encrypted too; a
    kill part way leaves no plaintext copy that the next open does not encrypt or remove (storage/leftovers).
    Returns the backup taken before. ctx.db is reopened with the passphrase. `progress(done, total)` hears
    the steps: the copy, its check, the swap, then each plain backup encrypted."""
    ctx.require_write("encrypt the database")
    path = _sqlite_path(ctx.db.target.path, "Encryption")
    if ctx.db.encrypted:
        raise UserError(f"{path} is already encrypted; `mstracker db rekey` changes its passphrase")
    key = _check_passphrase(passphrase if passphrase is not None else ctx.db.offered_passphrase, "the passphrase")
    held, mine = _locked(path, lock, "encrypt the database")
    plain = [b.path for b in backup_files.list_backups(path) if sqlitefiles.is_plain_sqlite(b.path)]
    step = _steps(progress, 3 + len(plain))
    try:
        before = ctx.db.automatic_backup_path("before-encrypt")
        ctx.db.dispose()
        # No other process writing from the count to the swap: its entries would be in neither file.
        with hold_for_swap(path, "encrypt the database"):
            expected = _counts(path, None)
            staged = path.with_name(path.name + ".encrypting")
            sqlitefiles.remove_sidecars(staged)
            sqlitefiles.export_encrypted(path, staged, key)
            step()
            if sqlitefiles.integrity_problems(staged, passphrase=key) or _counts(staged, key) != expected:
                staged.unlink(missing_ok=True)
                raise UserError("the encrypted copy did not match the database; nothing was changed")
            # The backup taken before is the checked encrypted copy: a plaintext one is never written.
            _copy_private(staged, before)
            step()
            sqlitefiles.remove_sidecars(path)
            sqlitefiles.atomic_replace(staged, path)
            step()
        for b in plain:  # the backups that were plain when encryption began: each one a step
            if b.exists() and sqlitefiles.is_plain_sqlite(b):
                leftovers.encrypt_in_place(b, key)
            step()
        backup_files.prune(path, ctx.zone)
    finally:
        if mine:
            held.release()
    ctx.db = Database.open(str(path), passphrase=key)
    return before


def _copy_private(source: Path, out: Path) -> None:
    private_dir(out.parent)
    tmp = out.with_name(out.name + ".encrypting")  # a leftover of this name is removed on the next open
    create_private(tmp)
    shutil.copyfile(source, tmp)
    sqlitefiles.atomic_replace(tmp, out)


def _steps(progress: Progress | None, total: int) -> Callable[[], None]:
    """A function to call after each of `total` steps: it tells `progress` how many are done."""
    done = 0

    def step() -> None:
        nonlocal done
        done = min(done + 1, total)
        if progress:
            progress(done, total)

    return step


def _counts(path: Path, key: str | None) -> dict[str, int]:
    conn = sqlitefiles.connect(path, passphrase=key, readonly=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def rekey(ctx: AppContext, new_passphrase: str | None, *, lock: Lock | None = None) -> Path:
    """Change the passphrase (PRAGMA rekey) after a backup; the backups folder follows the new passphrase.
    Returns the backup taken before. ctx.db is reopened with the new passphrase."""
    ctx.require_write("change the passphrase")
    path = _sqlite_path(ctx.db.target.path, "Encryption")
    if not ctx.db.encrypted:
        raise UserError(f"{path} is not encrypted; `mstracker db encrypt` encrypts it")
    old = ctx.db.passphrase
    assert old is not None
    new = _check_passphrase(new_passphrase, "the new passphrase (MSTRACKER_NEW_PASSPHRASE)")
    if new == old:
        raise UserError("the new passphrase is the same as the old one; nothing was changed")
    held, mine = _locked(path, lock, "change the passphrase")
    try:
        before = ctx.db.automatic_backup("before-rekey", zone=ctx.zone)
        ctx.db.dispose()
        sqlitefiles.rekey(path, old, new)
        for b in backup_files.list_backups(path):
            try:
                sqlitefiles.rekey(b.path, old, new)
            except sqlitefiles.driver_errors(old):
                pass  # made under another passphrase (or plain): left as it is
    finally:
        if mine:
            held.release()
    ctx.db = Database.open(str(path), passphrase=new)
    from .passphrases import remember_passphrase, stored_passphrase

    if stored_passphrase(str(path)) == old:  # a remembered passphrase follows the change
        remember_passphrase(str(path), new)
    return before
