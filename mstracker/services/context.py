"""Who is acting, on which database, and when: everything a use case needs from outside."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from ..domain.errors import UserError
from ..storage.clinic import ServerAccess, server_access
from ..storage.database import Database
from ..storage.session_reads import SessionReads
from .clock import Clocked, local_zone
from .places import default_db_target
from .roles import ROLE_NAMES, Role, refuse_if_read_only


def current_user() -> str:
    if os.environ.get("MSTRACKER_USER"):
        return os.environ["MSTRACKER_USER"]
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


@dataclass
class AppContext(Clocked):
    db: Database
    role: Role = Role.PATIENT
    user: str = field(default_factory=current_user)
    zone: tzinfo = field(default_factory=local_zone)
    clock: Callable[[], datetime] | None = None
    # On a clinic server: the login and what the server grants it (None on a SQLite file).
    server: ServerAccess | None = None

    def __post_init__(self) -> None:
        self.role = Role(self.role)  # a plain name is accepted; an unknown one fails here, not at the first check

    @property
    def readonly(self) -> bool:
        return self.role.read_only or self.db.readonly

    def require_write(self, what: str) -> None:
        refuse_if_read_only(self.readonly, what)

    @property
    def file(self) -> Path | None:
        """The database file (None on a clinic server)."""
        return self.db.target.path

    @property
    def where(self) -> str:
        """The file or server, as the user knows it (no password)."""
        return self.db.target.describe()

    @property
    def target_text(self) -> str:
        """What opens this database again (a URL may hold a password: never shown, logged or put in argv)."""
        return str(self.db.target.path) if self.db.target.path else self.db.target.url

    @property
    def passphrase(self) -> str | None:
        return self.db.passphrase

    @contextmanager
    def reads(self) -> Iterator[SessionReads]:
        """One read transaction, as the reads that compute a status or the patients' list take it."""
        with self.db.reading() as s:
            yield SessionReads(s)

    def close(self) -> None:
        self.db.dispose()


def open_context(target: str | None = None, *, role: str | None = None, passphrase: str | None = None,
                 clock: Callable[[], datetime] | None = None) -> AppContext:
    """The database at `target`, opened for `role`.

    On a SQLite file the role is taken as given (default: patient). On a clinic server (PostgreSQL) the
    server's grants decide: without a role the login acts in the role its group gives it, and a role given
    here can narrow that but never widen it; the audit trail names the PostgreSQL login.
    """
    requested = Role.parse(role) if role is not None else None
    if role is not None and requested is None:
        raise UserError(f"unknown role {role!r}; use one of: {', '.join(ROLE_NAMES)}")
    if passphrase is None and os.environ.get("MSTRACKER_PASSPHRASE"):
        passphrase = os.environ["MSTRACKER_PASSPHRASE"]
    where = target or default_db_target()
    db = Database.open(where, readonly=requested is not None and requested.read_only, passphrase=passphrase)
    if db.target.is_sqlite:
        return _with_calendar(AppContext(db=db, role=requested or Role.PATIENT, clock=clock))
    try:
        access = server_access(db.engine, db.target.describe())
        if access.role is None:
            raise UserError(f"not allowed: the login {access.login} has no access to {db.target.describe()}; "
                            f"ask a coordinator to grant it (`mstracker clinic grant {access.login} --role …`)")
        granted = Role(access.role)
        acting = (requested or granted).narrowed_to(granted)
        if acting.read_only and not db.readonly:
            db.dispose()  # opened again so that no statement of this connection can write
            db = Database.open(where, readonly=True)
    except BaseException:
        db.dispose()
        raise
    return _with_calendar(AppContext(db=db, role=acting, user=access.login, clock=clock, server=access))


def _with_calendar(ctx: AppContext) -> AppContext:
    if not ctx.db.readonly:
        ctx.db.before_commit.append(_calendar_hook(ctx))
    return ctx


def _calendar_hook(ctx: AppContext) -> Callable[[object], None]:
    """Queues a published patient's calendar changes in the write that caused them (calendar_outbox.py).

    The calendar's modules (icalendar and the exports) are imported only for a published patient.
    """
    def hook(session) -> None:
        touched = session.info.get("patients_written")
        if touched:
            from ..storage.calendar_store import published_among

            if published_among(session, touched):
                from .calendar_outbox import on_commit

                on_commit(ctx, session)
    return hook
