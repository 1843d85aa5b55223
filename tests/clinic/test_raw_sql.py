"""The server is the boundary: each rule checked with raw SQL (psycopg, as psql would) as each login."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from mstracker.storage.clinic_schema import groups_for

pytestmark = pytest.mark.postgres

PATIENT_TABLES = {"patient": "id", "journey": "patient_id", "event": "patient_id", "reminder": "patient_id",
                  "patient_state": "patient_id", "clinic_membership": "patient_id"}


def _patient_tables(conn: psycopg.Connection) -> dict[str, str]:
    """Every table with a patient's data, as the catalogue lists them (a new one must not be missed)."""
    rows = conn.execute("SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND column_name = 'patient_id'").fetchall()
    return {"patient": "id", **{name: "patient_id" for (name,) in rows}}


def _seen(conn: psycopg.Connection, table: str, column: str) -> set[int]:
    return {r[0] for r in conn.execute(f'SELECT DISTINCT "{column}" FROM "{table}"')}


def test_every_patient_table_has_forced_row_level_security(clinic):
    with clinic.sql(None) as conn:
        tables = _patient_tables(conn)
        assert set(PATIENT_TABLES) <= set(tables)
        flags = dict((name, (on, forced)) for name, on, forced in conn.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND relkind = 'r'"))
        policies = {(t, cmd) for t, cmd in conn.execute(
            "SELECT tablename, cmd FROM pg_policies WHERE schemaname = current_schema()")}
    missing = [t for t in tables if flags.get(t) != (True, True)]
    assert missing == [], f"tables with patients' data but no forced row-level security: {missing}"
    assert all(any(p[0] == t for p in policies) for t in tables)


def test_select_on_every_table_as_each_login(clinic):
    with clinic.sql(None) as conn:
        tables = _patient_tables(conn)
        # Tables that hold rows for only some patients (a calendar publication) are judged by what is there.
        held = {table: _seen(conn, table, column) for table, column in tables.items()}
    expected = {"coord": {clinic.anna, clinic.ben}, "anna": {clinic.anna}, "ben": {clinic.ben},
                "carol": {clinic.anna}}
    for kind, sees in expected.items():
        with clinic.sql(kind) as conn:
            for table, column in tables.items():
                seen = _seen(conn, table, column)
                if table == "clinic_membership":
                    own = {r[0] for r in conn.execute("SELECT DISTINCT login FROM clinic_membership")}
                    assert own <= {clinic.login(kind)} or kind == "coord", (kind, own)
                    continue
                assert seen == sees & held[table], (kind, table, seen)


def _ben_events(clinic) -> int:
    with clinic.sql(None) as conn:
        return conn.execute("SELECT count(*) FROM event WHERE patient_id = %s", (clinic.ben,)).fetchone()[0]


def test_a_patient_login_cannot_insert_another_patients_rows(clinic):
    before = _ben_events(clinic)
    with clinic.sql("anna") as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO event (patient_id, kind, occurred_at, recorded_at, \"user\", role, payload) "
                         "VALUES (%s, 'note', now(), now(), 'x', 'patient', '{}')", (clinic.ben,))
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO patient (name, created_at) VALUES ('Someone New', now())")
        # Within its own rows the side effects of a write work: an event, the projection, a reminder's state.
        conn.execute("INSERT INTO event (patient_id, kind, occurred_at, recorded_at, \"user\", role, payload) "
                     "VALUES (%s, 'note', now(), now(), current_user, 'patient', '{}')", (clinic.anna,))
        assert conn.execute("UPDATE patient_state SET next_due = next_due WHERE true").rowcount == 1
        assert conn.execute("UPDATE reminder SET edited = edited WHERE patient_id = %s", (clinic.ben,)).rowcount == 0
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("UPDATE reminder SET patient_id = %s WHERE patient_id = %s", (clinic.ben, clinic.anna))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO clinic_membership (login, patient_id) VALUES (current_user, %s)", (clinic.ben,))
    assert _ben_events(clinic) == before


def test_a_caregiver_login_writes_nothing(clinic):
    with clinic.sql("carol") as conn:
        for sql in ("INSERT INTO event (patient_id, kind, occurred_at, recorded_at, \"user\", role, payload) "
                    f"VALUES ({clinic.anna}, 'note', now(), now(), 'x', 'caregiver', '{{}}')",
                    "UPDATE reminder SET status = 'done'", "UPDATE patient SET name = 'x'",
                    "DELETE FROM patient_state", "INSERT INTO journey (patient_id, protocol_name, protocol_text, "
                    f"created_at) VALUES ({clinic.anna}, 'x', 'x', now())"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)


@pytest.mark.parametrize("kind", ["coord", "anna", "carol"])
def test_the_event_log_is_append_only_for_every_login_but_the_owner(clinic, kind):
    with clinic.sql(kind) as conn:
        for sql in ("UPDATE event SET payload = '{}'", "DELETE FROM event", "TRUNCATE event"):
            with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
                conn.execute(sql)
    with clinic.sql(None) as conn:
        groups = groups_for(clinic.database)
        for group in groups.all:
            for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
                assert conn.execute("SELECT has_table_privilege(%s, 'event', %s)", (group, privilege)).fetchone() \
                    == (False,)
        assert conn.execute("SELECT count(*) FROM event").fetchone()[0] >= 4


def test_set_role_cannot_widen_a_login(clinic):
    groups = groups_for(clinic.database)
    for kind in ("anna", "carol"):
        with clinic.sql(kind) as conn:
            for other in (groups.coordinator, clinic.login("coord"), "postgres"):
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(f'SET ROLE "{other}"')
            # Its own group is no wider: as the group (no login of its own) it sees no patient at all.
            own = groups.patient if kind == "anna" else groups.caregiver
            conn.execute(f'SET ROLE "{own}"')
            assert conn.execute("SELECT count(*) FROM patient").fetchone() == (0,)


def test_a_revoked_login_can_no_longer_connect(clinic):
    assert clinic.cli(None, "clinic", "revoke", clinic.login("carol")).code == 0
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        clinic.sql("carol")
    # Revoking one patient of a caregiver leaves the others.
    assert clinic.cli(None, "clinic", "grant", clinic.login("carol"), "--role", "caregiver", "--patients",
                      f"{clinic.anna},{clinic.ben}").code == 0
    assert clinic.cli(None, "clinic", "revoke", clinic.login("carol"), "--patients", str(clinic.anna)).code == 0
    with clinic.sql("carol") as conn:
        assert _seen(conn, "patient", "id") == {clinic.ben}


def test_a_coordinator_cannot_change_grants_by_hand_only_through_the_functions(clinic):
    groups = groups_for(clinic.database)
    with clinic.sql("coord") as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f'GRANT "{groups.coordinator}" TO "{clinic.login("carol")}"')
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO clinic_membership (login, patient_id) VALUES (%s, %s)",
                         (clinic.login("carol"), clinic.ben))
        conn.execute("SELECT clinic_grant(%s, 'caregiver', %s, NULL)", (clinic.login("carol"), [clinic.ben]))
    with clinic.sql("carol") as conn:
        assert _seen(conn, "patient", "id") == {clinic.anna, clinic.ben}
    for kind in ("anna", "carol"):
        with clinic.sql(kind) as conn, pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT clinic_grant(current_user, 'coordinator', NULL, NULL)")


def test_the_password_is_stored_as_a_scram_verifier_only(clinic):
    with clinic.sql(None) as conn:
        [(stored,)] = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (clinic.login("anna"),))
    assert stored.startswith("SCRAM-SHA-256$") and "horse" not in stored
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host="127.0.0.1", port=clinic.cluster.port, dbname=clinic.database,
                        user=clinic.login("anna"), password="wrong")
