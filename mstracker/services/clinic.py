"""Who sees what on a clinic server: the logins, their role and patients; granting and revoking.

The calls that the command line (`clinic grant | revoke | logins`) and the desktop app's "Clinic access…"
dialog share. The server itself enforces the rules (row-level security, grants; see docs/clinic-server.md);
these calls check the input first so that a mistake is said plainly, and change nothing when refused.

- `access(ctx)`: what the connected login is (login, the role its grant gives it, owner or not); None on SQLite.
- `title_note(ctx)`: the words a window title adds for it, e.g. "caregiver login carol"; None on SQLite.
- `list_logins(ctx)`: every login granted on this database, with its role and patients (coordinators only).
- `check_grant(ctx, login, role, patients)`: what `grant` would refuse, refused first; true when the grant
  would create the login (ask for its password then).
- `grant(ctx, login, role, patients, password)` / `revoke(ctx, login, patients)`.
"""

from __future__ import annotations

import re

from ..domain.errors import NotFoundError, UserError
from ..storage import clinic as store
from ..storage import repository as repo
from ..storage.clinic import Login, ServerAccess
from .context import AppContext
from .roles import Role

__all__ = ["Login", "ServerAccess", "access", "check_grant", "grant", "list_logins", "revoke", "title_note",
           "valid_login"]

# A PostgreSQL identifier: a letter or underscore, then letters, digits, underscores or dollars; at most 63 bytes.
_IDENTIFIER = re.compile(r"[^\W\d][\w$]*")
_MAX_BYTES = 63
FEATURE = "a clinic-server feature: it needs a PostgreSQL database (--db postgresql+psycopg://LOGIN@HOST/DATABASE)"


def access(ctx: AppContext) -> ServerAccess | None:
    return ctx.server


def title_note(ctx: AppContext) -> str | None:
    """How the connection acts, for a window's title: "caregiver login carol" (the role it acts in, which
    `--role` may have narrowed), "coordinator login dba (owner)"; None on a SQLite file."""
    if ctx.server is None:
        return None
    return f"{ctx.role} login {ctx.server.login}" + (" (owner)" if ctx.server.owner else "")


def valid_login(login: str) -> str:
    """The login, or UserError when it is not a name PostgreSQL takes as an identifier."""
    if not _IDENTIFIER.fullmatch(login or "") or len(login.encode()) > _MAX_BYTES:
        raise UserError(f"{login!r} is not a valid PostgreSQL login name: use a letter or _ first, then letters, "
                        "digits, _ or $ (at most 63 bytes); nothing was changed")
    if login.lower().startswith("pg_"):
        raise UserError(f"{login!r}: login names starting with pg_ are reserved by PostgreSQL; nothing was changed")
    return login


def _server(ctx: AppContext) -> ServerAccess:
    if ctx.server is None:
        raise UserError(f"`clinic` is {FEATURE}")
    return ctx.server


def _require_coordinator(ctx: AppContext, what: str) -> None:
    server = _server(ctx)
    if server.role != Role.COORDINATOR.value or ctx.role != Role.COORDINATOR.value:
        raise UserError(f"not allowed: only a coordinator login or the database's owner may {what} "
                        f"({server.login} acts as {ctx.role}); nothing was changed")


def list_logins(ctx: AppContext) -> list[Login]:
    _require_coordinator(ctx, "list the clinic's logins")
    return store.logins(ctx.db.engine)


def check_grant(ctx: AppContext, login: str, role: str, patients: list[int] | None = None) -> bool:
    """Everything `grant` would refuse, checked before anyone is asked for a password; True when the login
    does not exist yet (its password is then needed)."""
    _check_grant(ctx, login, role, patients)
    return not store.login_exists(ctx.db.engine, login)


def grant(ctx: AppContext, login: str, role: str, patients: list[int] | None = None,
          password: str | None = None) -> Login:
    """Gives `login` the role (and for a patient or caregiver, the patients); creates the login with
    `password` when it does not exist yet. A caregiver's patients are added to those it had; a patient
    login's one patient replaces the one it had."""
    kind, wanted = _check_grant(ctx, login, role, patients)
    verifier = None
    if not store.login_exists(ctx.db.engine, login):
        if not password:
            raise UserError(f"{login} is a new login: give its password in MSTRACKER_NEW_PASSWORD or at the prompt; "
                            "nothing was changed")
        verifier = store.encrypt_password(ctx.db.engine, login, password)
    store.grant(ctx.db.engine, login, kind.value, wanted, verifier)
    return next(x for x in store.logins(ctx.db.engine) if x.login == login)


def _check_grant(ctx: AppContext, login: str, role: str, patients: list[int] | None) -> tuple[Role, list[int]]:
    _require_coordinator(ctx, "grant access")
    valid_login(login)
    kind = Role.parse(role)
    if kind is None:
        raise UserError(f"unknown role {role!r}; use caregiver, patient or coordinator")
    wanted = sorted(set(patients or ()))
    if kind is Role.COORDINATOR and wanted:
        raise UserError("a coordinator sees every patient: leave out --patients; nothing was changed")
    if kind is Role.PATIENT and len(wanted) != 1:
        raise UserError(f"--role patient takes exactly one patient (--patients ID), not {len(wanted)}; "
                        "nothing was changed")
    if kind is Role.CAREGIVER and not wanted:
        raise UserError("say which patients the caregiver may see: --patients ID[,ID…]; nothing was changed")
    _require_patients(ctx, wanted)
    if login == _server(ctx).login:
        raise UserError("a login cannot change its own grant; ask another coordinator; nothing was changed")
    return kind, wanted


def revoke(ctx: AppContext, login: str, patients: list[int] | None = None) -> None:
    """Without patients: every grant, and the login may no longer connect to this database. With patients:
    only those (the login keeps its role)."""
    _require_coordinator(ctx, "revoke access")
    valid_login(login)
    if login == _server(ctx).login:
        raise UserError("a login cannot revoke its own access; ask another coordinator; nothing was changed")
    wanted = sorted(set(patients)) if patients else None
    if wanted:
        _require_patients(ctx, wanted)
    store.revoke(ctx.db.engine, login, wanted)


def _require_patients(ctx: AppContext, ids: list[int]) -> None:
    with ctx.db.reading() as s:
        for pid in ids:
            if repo.get_patient(s, pid) is None:
                raise NotFoundError(f"unknown patient {pid}; `mstracker patient list` shows them; nothing was changed")
