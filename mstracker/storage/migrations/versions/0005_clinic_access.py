"""who sees what on a clinic server: group roles, a membership table, grants and forced row-level security

Revision ID: 0005
Revises: 0004

PostgreSQL only (a no-op on SQLite). Run by the database's owner, who needs CREATEROLE (or a superuser):
- the group roles `<database>_coordinator`, `_patient` and `_caregiver`; CONNECT on the database only for them
  (and the owner), taken away from PUBLIC;
- `clinic_membership` (login, patient_id): which patients a patient or caregiver login may see; each login sees
  only its own rows;
- row-level security, FORCEd, with USING and WITH CHECK policies on every table with a patient's data that
  exists when it runs (`patient` by its id, every table with a `patient_id` column: so the tables of the
  migrations before it are covered too), through clinic_schema.protect_patient_table, which later migrations
  call for their own tables; the event log append-only for every login but the owner;
- `clinic_grant` and `clinic_revoke`, SECURITY DEFINER functions that only coordinators may run: the one way
  to create a login, change its group and its patients (coordinators never need CREATEROLE themselves).
"""
import sqlalchemy as sa
from alembic import op

from mstracker.storage import clinic_schema as cs

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

APPEND_ONLY = {"event"}

GRANT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION @schema@.clinic_grant(p_login text, p_role text, p_patients integer[], p_verifier text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    groups text[] := ARRAY[@coordinator@, @patient@, @caregiver@];
    target text;
    previous text;
    unknown integer[];
    g text;
BEGIN
    IF p_role IS NULL OR p_role NOT IN ('coordinator', 'patient', 'caregiver') THEN
        RAISE EXCEPTION 'unknown role %; use coordinator, patient or caregiver', p_role USING ERRCODE = '22023';
    END IF;
    target := groups[array_position(ARRAY['coordinator', 'patient', 'caregiver'], p_role)];
    IF p_login IS NULL OR p_login !~ '^[[:alpha:]_][[:alnum:]_$]*$' OR octet_length(p_login) > 63
            OR p_login ~* '^pg_' OR p_login = ANY(groups) THEN
        RAISE EXCEPTION '% is not a login name that can be granted', quote_literal(p_login) USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_login AND (r.rolsuper OR NOT r.rolcanlogin
            OR r.rolname = (SELECT t.tableowner FROM pg_tables t WHERE t.schemaname = '@schema_name@'
                            AND t.tablename = 'event'))) THEN
        RAISE EXCEPTION '% is the owner, a superuser or not a login; it cannot be granted a role', p_login
            USING ERRCODE = '22023';
    END IF;
    p_patients := coalesce(p_patients, '{}');
    IF p_role = 'coordinator' AND cardinality(p_patients) > 0 THEN
        RAISE EXCEPTION 'a coordinator sees every patient; give no patients' USING ERRCODE = '22023';
    ELSIF p_role = 'patient' AND cardinality(p_patients) <> 1 THEN
        RAISE EXCEPTION 'a patient login sees exactly one patient; give one' USING ERRCODE = '22023';
    ELSIF p_role = 'caregiver' AND cardinality(p_patients) = 0 THEN
        RAISE EXCEPTION 'a caregiver login needs the patients it may see' USING ERRCODE = '22023';
    END IF;
    SELECT array_agg(x) INTO unknown FROM unnest(p_patients) AS x
        WHERE NOT EXISTS (SELECT 1 FROM @schema@.patient p WHERE p.id = x);
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown patient %', array_to_string(unknown, ', ') USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_login) THEN
        IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\$' THEN
            RAISE EXCEPTION 'a new login needs a password (a SCRAM-SHA-256 verifier)' USING ERRCODE = '22023';
        END IF;
        EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L', p_login, p_verifier);
    END IF;
    SELECT g2.rolname INTO previous FROM pg_auth_members a JOIN pg_roles g2 ON g2.oid = a.roleid
        JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = p_login AND g2.rolname = ANY(groups) LIMIT 1;
    FOREACH g IN ARRAY groups LOOP
        IF g <> target AND EXISTS (SELECT 1 FROM pg_auth_members a JOIN pg_roles g2 ON g2.oid = a.roleid
                JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = p_login AND g2.rolname = g) THEN
            EXECUTE format('REVOKE %I FROM %I', g, p_login);
        END IF;
    END LOOP;
    IF previous IS DISTINCT FROM target THEN
        EXECUTE format('GRANT %I TO %I', target, p_login);
    END IF;
    IF p_role <> 'caregiver' OR previous IS DISTINCT FROM target THEN
        DELETE FROM @schema@.clinic_membership WHERE login = p_login;
    END IF;
    INSERT INTO @schema@.clinic_membership (login, patient_id)
        SELECT p_login, x FROM unnest(p_patients) AS x ON CONFLICT DO NOTHING;
END
$fn$
"""

REVOKE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION @schema@.clinic_revoke(p_login text, p_patients integer[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    groups text[] := ARRAY[@coordinator@, @patient@, @caregiver@];
    current_group text;
    missing integer[];
    g text;
BEGIN
    SELECT g2.rolname INTO current_group FROM pg_auth_members a JOIN pg_roles g2 ON g2.oid = a.roleid
        JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = p_login AND g2.rolname = ANY(groups) LIMIT 1;
    IF current_group IS NULL THEN
        RAISE EXCEPTION '% has no access to this database; nothing to revoke', p_login USING ERRCODE = '22023';
    END IF;
    IF p_patients IS NULL THEN
        DELETE FROM @schema@.clinic_membership WHERE login = p_login;
        FOREACH g IN ARRAY groups LOOP
            IF EXISTS (SELECT 1 FROM pg_auth_members a JOIN pg_roles g2 ON g2.oid = a.roleid
                    JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = p_login AND g2.rolname = g) THEN
                EXECUTE format('REVOKE %I FROM %I', g, p_login);
            END IF;
        END LOOP;
        RETURN;
    END IF;
    IF current_group = groups[1] THEN
        RAISE EXCEPTION '% is a coordinator, who sees every patient: revoke the login without patients, or grant it a narrower role',
            p_login USING ERRCODE = '22023';
    END IF;
    SELECT array_agg(x) INTO missing FROM unnest(p_patients) AS x WHERE NOT EXISTS (
        SELECT 1 FROM @schema@.clinic_membership c WHERE c.login = p_login AND c.patient_id = x);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '% has no grant for patient %', p_login, array_to_string(missing, ', ')
            USING ERRCODE = '22023';
    END IF;
    DELETE FROM @schema@.clinic_membership WHERE login = p_login AND patient_id = ANY(p_patients);
END
$fn$
"""


def upgrade() -> None:
    bind = op.get_bind()
    if not cs.is_postgresql(bind):
        return  # one person's own file: the file itself is the boundary
    groups = cs.current_groups(bind)
    q = lambda name: cs.quote(bind, name)  # noqa: E731
    existing = {r[0] for r in bind.exec_driver_sql("SELECT rolname FROM pg_roles")}
    for group in groups.all:
        if group not in existing:
            cs.run(bind, f"CREATE ROLE {q(group)} NOLOGIN")
    database = q(bind.exec_driver_sql("SELECT current_database()").scalar_one())
    everyone = ", ".join(q(g) for g in groups.all)
    cs.run(bind, f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
    cs.run(bind, f"GRANT CONNECT ON DATABASE {database} TO {everyone}")
    schema = q(bind.exec_driver_sql("SELECT current_schema()").scalar_one())
    cs.run(bind, f"GRANT USAGE ON SCHEMA {schema} TO {everyone}")
    cs.run(bind, f"GRANT SELECT ON alembic_version TO {everyone}")

    op.create_table(
        cs.MEMBERSHIP,
        sa.Column("login", sa.String(63), primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), primary_key=True),
    )
    op.create_index("ix_clinic_membership_patient", cs.MEMBERSHIP, ["patient_id"])
    _protect_membership(bind, groups)

    for table, column in cs.patient_tables(bind):
        cs.protect_patient_table(bind, table, patient_column=column, append_only=table in APPEND_ONLY)

    values = {"@schema@": schema, "@schema_name@": bind.exec_driver_sql("SELECT current_schema()").scalar_one(),
              **{f"@{role}@": cs.literal(groups.name(role)) for role in cs.ROLES}}
    for body, signature in ((GRANT_FUNCTION, "clinic_grant(text, text, integer[], text)"),
                            (REVOKE_FUNCTION, "clinic_revoke(text, integer[])")):
        for key, value in values.items():
            body = body.replace(key, value)
        cs.run(bind, body)
        cs.run(bind, f"REVOKE ALL ON FUNCTION {schema}.{signature} FROM PUBLIC")
        cs.run(bind, f"GRANT EXECUTE ON FUNCTION {schema}.{signature} TO {q(groups.coordinator)}")


def _protect_membership(bind, groups: cs.Groups) -> None:
    """Every login reads its own memberships; coordinators read them all; only the grant and revoke
    functions (running as the owner) write them."""
    q = lambda name: cs.quote(bind, name)  # noqa: E731
    t = q(cs.MEMBERSHIP)
    cs.run(bind, f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
    cs.run(bind, f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
    owner = q(cs.table_owner(bind, cs.MEMBERSHIP))
    cs.run(bind, f"CREATE POLICY mstracker_owner ON {t} FOR ALL TO {owner} USING (true) WITH CHECK (true)")
    cs.run(bind, f"CREATE POLICY mstracker_coordinator ON {t} FOR SELECT TO {q(groups.coordinator)} USING (true)")
    cs.run(bind, f"CREATE POLICY mstracker_own ON {t} FOR SELECT TO {q(groups.patient)}, {q(groups.caregiver)} "
                 "USING (login = current_user)")
    cs.run(bind, f"REVOKE ALL ON {t} FROM PUBLIC")
    cs.run(bind, f"GRANT SELECT ON {t} TO {', '.join(q(g) for g in groups.all)}")


def downgrade() -> None:
    bind = op.get_bind()
    if not cs.is_postgresql(bind):
        return
    groups = cs.current_groups(bind)
    q = lambda name: cs.quote(bind, name)  # noqa: E731
    schema = q(bind.exec_driver_sql("SELECT current_schema()").scalar_one())
    cs.run(bind, f"DROP FUNCTION IF EXISTS {schema}.clinic_grant(text, text, integer[], text)")
    cs.run(bind, f"DROP FUNCTION IF EXISTS {schema}.clinic_revoke(text, integer[])")
    for table, _column in cs.patient_tables(bind):
        cs.unprotect_patient_table(bind, table)
    op.drop_table(cs.MEMBERSHIP)
    database = q(bind.exec_driver_sql("SELECT current_database()").scalar_one())
    everyone = ", ".join(q(g) for g in groups.all)
    cs.run(bind, f"REVOKE ALL ON alembic_version FROM {everyone}")
    cs.run(bind, f"REVOKE ALL ON SCHEMA {schema} FROM {everyone}")
    cs.run(bind, f"REVOKE ALL ON DATABASE {database} FROM {everyone}")
    cs.run(bind, f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO PUBLIC")
    for group in groups.all:
        cs.run(bind, f"DROP ROLE IF EXISTS {q(group)}")
