"""What the disk or the server refused, said for the person at the keyboard (SQLite and PostgreSQL)."""

from __future__ import annotations

from ..domain.errors import ReadOnlyError, UserError

NOTHING = "nothing was saved"


def storage_error(exc: BaseException, where: str) -> UserError | None:
    """A UserError for the failures a user can act on; None for the rest (bugs stay unexpected errors)."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if "database or disk is full" in text or "no space left" in text or sqlstate in ("53100", "54000"):
        return UserError(f"the disk holding {where} is full; {NOTHING} — free some space (or move the database "
                         "with --db) and try again")
    if "readonly database" in text or "read-only transaction" in text or sqlstate == "25006":
        return ReadOnlyError(f"read-only: {where} cannot be written (a read-only file, folder or drive, or a "
                             f"read-only role); {NOTHING}")
    if sqlstate == "42501":  # a privilege or a row-level security policy of a clinic server
        return UserError(f"not allowed: the server of {where} does not let this login do that (it may only "
                         f"see and change the patients granted to it); {NOTHING}")
    if "unable to open database file" in text:
        return UserError(f"cannot write {where}: the file or its folder is missing or not writable; {NOTHING} — "
                         "check the path and the drive")
    if "disk i/o error" in text:
        return UserError(f"the drive holding {where} reported an error; {NOTHING} — check the drive, then run "
                         "`mstracker db check`")
    if "database is locked" in text or "database table is locked" in text:
        return UserError(f"{where} is busy: another mstracker kept it locked for too long; {NOTHING} — try again "
                         "in a moment")
    if "malformed" in text or "file is not a database" in text:
        return UserError(f"{where} is damaged; {NOTHING} — run `mstracker db check`, which names the newest good "
                         "backup, and `mstracker restore` it")
    return None
