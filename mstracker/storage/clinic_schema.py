"""Who sees what on a clinic's PostgreSQL server: the group roles, grants and row-level security policies.

Migrations call these helpers (and nothing else does), so that every table that holds a patient's data gets the
same protection: the one that brings in the access rules (0005) for the tables of its time, and every later one
for the tables it adds. On SQLite each helper does nothing (one person's own file: the file is the boundary).

The rules, enforced by the server whatever client connects:
- three group roles per database, `<database>_coordinator`, `<database>_patient`, `<database>_caregiver`; a login
  is a member of one of them, and `clinic_membership` (login, patient_id) says which patients a patient or a
  caregiver login may see;
- row-level security, FORCEd (the tables' owner is held to it too), with one policy per group: coordinators and
  the owner every row, patients their own rows for reading and writing, caregivers their patients' rows for
  reading only;
- the policies ask `patient_id IN (SELECT … WHERE login = current_user)`: PostgreSQL runs that subquery once per
  statement (a hashed subplan or a semi-join), not once per row, and applies a policy only to the groups it is
  written for, so a coordinator's queries carry no filter at all;
- grants: SELECT for every group; INSERT, UPDATE and DELETE for patients and coordinators, except on an
  append-only table (the event log), where nobody but the owner may UPDATE or DELETE.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection

MEMBERSHIP = "clinic_membership"
ROLES = ("coordinator", "patient", "caregiver")
WRITES = ("INSERT", "UPDATE", "DELETE")
POLICY_PREFIX = "mstracker_"
_NAME_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1


@dataclass(frozen=True)
class Groups:
    """The group roles of one database."""

    coordinator: str
    patient: str
    caregiver: str

    def name(self, role: str) -> str:
        return getattr(self, role)

    @property
    def all(self) -> tuple[str, str, str]:
        return self.coordinator, self.patient, self.caregiver


def group_name(database: str, role: str) -> str:
    """`<database>_<role>`; a database name too long for that is shortened and given a hash (names are unique
    within the server, whose role names are shared by all its databases)."""
    name = f"{database}_{role}"
    if len(name.encode()) <= _NAME_BYTES:
        return name
    digest = hashlib.sha256(database.encode()).hexdigest()[:8]
    room = _NAME_BYTES - len(f"_{digest}_{role}")
    head = database.encode()[:room].decode(errors="ignore")
    return f"{head}_{digest}_{role}"


def groups_for(database: str) -> Groups:
    return Groups(*(group_name(database, role) for role in ROLES))


def is_postgresql(bind: Connection) -> bool:
    return bind.dialect.name == "postgresql"


def run(bind: Connection, sql: str) -> None:
    """SQL as it is, on the driver's connection (inside the migration's transaction): no bind parameters, so
    that `%` and `:` in function bodies are never taken for placeholders."""
    bind.connection.driver_connection.execute(sql)


def quote(bind: Connection, name: str) -> str:
    return bind.dialect.identifier_preparer.quote_identifier(name)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def current_groups(bind: Connection) -> Groups:
    return groups_for(bind.exec_driver_sql("SELECT current_database()").scalar_one())


def table_owner(bind: Connection, table: str) -> str:
    return bind.exec_driver_sql(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = %(t)s",
        {"t": table}).scalar_one()


def member_patients(bind: Connection) -> str:
    """The patients of the current login, as a subquery that PostgreSQL evaluates once per statement."""
    return f"(SELECT m.patient_id FROM {quote(bind, MEMBERSHIP)} m WHERE m.login = current_user)"


def patient_tables(bind: Connection) -> list[tuple[str, str]]:
    """Every table that holds a patient's data, with the column that names the patient: `patient` by its `id`,
    every other table with a `patient_id` column (the membership table aside: it has rules of its own)."""
    rows = bind.exec_driver_sql(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' "
        "WHERE c.table_schema = current_schema() AND c.column_name = 'patient_id' ORDER BY 1")
    return [("patient", "id")] + [(name, "patient_id") for (name,) in rows if name != MEMBERSHIP]


def protect_patient_table(bind: Connection, table: str, *, patient_column: str = "patient_id",
                          append_only: bool = False) -> None:
    """Row-level security (forced) and grants on one table holding patients' data. Call it from the migration
    that creates the table; a no-op on SQLite."""
    if not is_postgresql(bind):
        return
    groups = current_groups(bind)
    t, column = quote(bind, table), quote(bind, patient_column)
    mine = f"{column} IN {member_patients(bind)}"
    run(bind, f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
    run(bind, f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
    policies = (
        ("owner", quote(bind, table_owner(bind, table)), "ALL", "true", "true"),
        ("coordinator", quote(bind, groups.coordinator), "ALL", "true", "true"),
        ("patient", quote(bind, groups.patient), "ALL", mine, mine),
        ("caregiver", quote(bind, groups.caregiver), "SELECT", mine, None),
    )
    for name, to, command, using, check in policies:
        policy = quote(bind, f"{POLICY_PREFIX}{name}")
        run(bind, f"DROP POLICY IF EXISTS {policy} ON {t}")
        sql = f"CREATE POLICY {policy} ON {t} FOR {command} TO {to} USING ({using})"
        run(bind, sql + (f" WITH CHECK ({check})" if check else ""))
    writers = f"{quote(bind, groups.patient)}, {quote(bind, groups.coordinator)}"
    run(bind, f"REVOKE ALL ON {t} FROM PUBLIC, {writers}, {quote(bind, groups.caregiver)}")
    run(bind, f"GRANT SELECT ON {t} TO {writers}, {quote(bind, groups.caregiver)}")
    writes = ("INSERT",) if append_only else WRITES
    run(bind, f"GRANT {', '.join(writes)} ON {t} TO {writers}")
    for sequence in _sequences(bind, table):
        run(bind, f"GRANT USAGE, SELECT ON SEQUENCE {quote(bind, sequence)} TO {writers}")


def unprotect_patient_table(bind: Connection, table: str) -> None:
    """The inverse of protect_patient_table (for a migration's downgrade)."""
    if not is_postgresql(bind):
        return
    groups = current_groups(bind)
    t = quote(bind, table)
    for name in ("owner", *ROLES):
        run(bind, f"DROP POLICY IF EXISTS {quote(bind, POLICY_PREFIX + name)} ON {t}")
    run(bind, f"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY")
    run(bind, f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")
    run(bind, f"REVOKE ALL ON {t} FROM {', '.join(quote(bind, g) for g in groups.all)}")
    for sequence in _sequences(bind, table):
        run(bind, f"REVOKE ALL ON SEQUENCE {quote(bind, sequence)} FROM "
                  f"{', '.join(quote(bind, g) for g in groups.all)}")


def _sequences(bind: Connection, table: str) -> list[str]:
    """The sequences that number the table's rows (its serial or identity columns)."""
    rows = bind.exec_driver_sql(
        "SELECT s.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
        "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE s.relkind = 'S' AND t.relname = %(t)s AND n.nspname = current_schema()", {"t": table})
    return [r[0] for r in rows]
