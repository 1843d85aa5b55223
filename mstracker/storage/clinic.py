"""A clinic server's access rules as the server holds them: which group a login is in, who may see which
patients, and the grant and revoke functions (clinic_schema.py and migration 0005 set them up)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from ..domain.errors import UserError
from .clinic_schema import MEMBERSHIP, ROLES, groups_for
from .errors import storage_error


@dataclass(frozen=True)
class ServerAccess:
    """What the server lets the connected login do.

    `role` is the widest role the server gives it (None: no grant here); `owner` is true for the tables'
    owner and superusers, who act as coordinators and are the only ones who may change the schema.
    """

    login: str
    role: str | None
    owner: bool


@dataclass(frozen=True)
class Login:
    login: str
    role: str
    patients: tuple[int, ...] | None  # None: every patient (a coordinator)

    def to_json(self) -> dict:
        return {"login": self.login, "role": self.role,
                "patients": "all" if self.patients is None else list(self.patients)}


_ACCESS = text("""
SELECT current_user::text,
       r.rolsuper OR coalesce(pg_has_role(current_user, t.tableowner::name, 'USAGE'), false),
       (SELECT array_agg(g.rolname::text) FROM pg_roles g
         WHERE g.rolname = ANY(CAST(:groups AS text[])) AND pg_has_role(current_user, g.oid, 'USAGE'))
FROM pg_roles r
LEFT JOIN pg_tables t ON t.schemaname = current_schema() AND t.tablename = 'event'
WHERE r.rolname = current_user
""")


def server_access(engine: Engine, where: str) -> ServerAccess:
    try:
        with engine.connect() as conn:
            groups = groups_for(conn.exec_driver_sql("SELECT current_database()").scalar_one())
            login, owner, member_of = conn.execute(_ACCESS, {"groups": list(groups.all)}).one()
    except DBAPIError as exc:  # the server went away or refused the login since the schema check
        raise storage_error(exc, where) or UserError(
            f"cannot read this login's access on {where}: {' '.join(str(exc.orig).split())}") from None
    if owner:
        return ServerAccess(login, "coordinator", True)
    held = set(member_of or ())
    role = next((r for r in ROLES if groups.name(r) in held), None)  # ROLES runs from the widest
    return ServerAccess(login, role, False)


def login_exists(engine: Engine, login: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}).first() is not None


def encrypt_password(engine: Engine, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of a password, computed by libpq on this side: the password itself never
    travels to the server, so it cannot show in the server's statement log."""
    raw = engine.raw_connection()
    try:
        pgconn = raw.driver_connection.pgconn
        return pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()
    finally:
        raw.close()


def logins(engine: Engine) -> list[Login]:
    with engine.connect() as conn:
        groups = groups_for(conn.exec_driver_sql("SELECT current_database()").scalar_one())
        by_group = {groups.name(r): r for r in ROLES}
        members = conn.execute(text(
            "SELECT m.rolname::text, g.rolname::text FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
            "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = ANY(CAST(:groups AS text[])) ORDER BY 1"),
            {"groups": list(by_group)}).all()
        patients: dict[str, list[int]] = {}
        for login, pid in conn.execute(text(f"SELECT login, patient_id FROM {MEMBERSHIP} ORDER BY login, patient_id")):
            patients.setdefault(login, []).append(pid)
    found: dict[str, str] = {}
    for login, group in members:  # a login in two groups (set up by hand) counts in the wider one
        role = by_group[group]
        if login not in found or ROLES.index(role) < ROLES.index(found[login]):
            found[login] = role
    return [Login(login, role, None if role == "coordinator" else tuple(patients.get(login, ())))
            for login, role in found.items()]


def grant(engine: Engine, login: str, role: str, patients: list[int], verifier: str | None) -> None:
    _call(engine, "SELECT clinic_grant(:login, :role, CAST(:patients AS integer[]), :verifier)",
          {"login": login, "role": role, "patients": patients, "verifier": verifier})


def revoke(engine: Engine, login: str, patients: list[int] | None) -> None:
    _call(engine, "SELECT clinic_revoke(:login, CAST(:patients AS integer[]))", {"login": login, "patients": patients})


def _call(engine: Engine, sql: str, params: dict) -> None:
    """One transaction; the functions' own refusals (bad input, sqlstate 22023) come back as UserError."""
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    except DBAPIError as exc:
        orig = exc.orig
        if getattr(orig, "sqlstate", None) == "22023":
            raise UserError(f"{orig.diag.message_primary}; nothing was changed") from None
        raise
