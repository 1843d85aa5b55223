"""What docs/clinic-server.md tells a clinic's IT to do, done as it says: a database owned by a login that is
no superuser, the first coordinator, who grants a patient and a caregiver; each sees what their role allows,
in mstracker and in plain SQL; and the owner's pg_dump backup holds every row."""

from __future__ import annotations

import json
import subprocess

import psycopg
import pytest

from tests.cli_results import ok, refused

from .conftest import PASSWORD, run_cli

pytestmark = pytest.mark.postgres


def test_the_documented_set_up(postgres_cluster, monkeypatch, tmp_path):
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    c = postgres_cluster
    db = f"clinic_{c.port}_{id(tmp_path) % 10000}"
    owner = f"{db}_owner"
    with psycopg.connect(host="127.0.0.1", port=c.port, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN CREATEROLE PASSWORD \'{PASSWORD}\'')
        conn.execute(f'CREATE DATABASE "{db}" OWNER "{owner}"')

    def url(login: str) -> str:
        return f"postgresql+psycopg://{login}:{PASSWORD}@127.0.0.1:{c.port}/{db}"

    def as_login(login: str, *args: str):
        return run_cli(["--db", url(login), *args])

    # The owner's first command creates the schema and the access rules; then the first coordinator.
    anna = int(ok(as_login(owner, "patient", "add", "--name", "Anna Example")))
    monkeypatch.setenv("MSTRACKER_NEW_PASSWORD", PASSWORD)
    alice, pat, carol = f"{db}_alice", f"{db}_anna", f"{db}_carol"
    ok(as_login(owner, "clinic", "grant", alice, "--role", "coordinator"))
    ben = int(ok(as_login(alice, "patient", "add", "--name", "Ben Example")))
    ok(as_login(alice, "clinic", "grant", pat, "--role", "patient", "--patients", str(anna)))
    ok(as_login(alice, "clinic", "grant", carol, "--role", "caregiver", "--patients", str(anna)))
    ok(as_login(pat, "log", str(anna), "temperature", "--at", "2027-06-19T08:00", "celsius=37.2"))

    def listed(login: str) -> set[int]:
        return {p["id"] for p in json.loads(ok(as_login(login, "patient", "list", "--json")))}

    assert listed(owner) == listed(alice) == {anna, ben}
    assert listed(pat) == listed(carol) == {anna}
    refused(as_login(carol, "log", str(anna), "note", "--at", "2027-06-19", "text=x"), "read-only")
    refused(as_login(pat, "status", str(ben)), "no patient")
    for login, sees in ((alice, 2), (pat, 1), (carol, 1)):
        with psycopg.connect(host="127.0.0.1", port=c.port, user=login, password=PASSWORD, dbname=db) as conn:
            assert conn.execute("SELECT count(*) FROM patient").fetchone()[0] == sees

    # The owner's backup: pg_dump reads every row (row security enabled for the owner's own policies).
    dump = subprocess.run([str(c.bin / "pg_dump"), "--enable-row-security", "-h", "127.0.0.1", "-p", str(c.port),
                           "-U", owner, "-d", db], capture_output=True, text=True,
                          env={"PGPASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"})
    assert dump.returncode == 0, dump.stderr
    assert "Anna Example" in dump.stdout and "Ben Example" in dump.stdout and "37.2" in dump.stdout
