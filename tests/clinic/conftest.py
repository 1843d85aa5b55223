"""A clinic database on the throwaway PostgreSQL server, with one login of each kind.

Two patients with a journey, log entries and reminders; a coordinator login, a patient login for each
patient, and a caregiver login for the first. Login names carry the database's name: logins belong to the
whole server, which the tests share.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from datetime import date, datetime

import psycopg
import pytest

from mstracker.cli import main
from mstracker.domain.phases import Phase
from mstracker.services import journeys, logbook, patients
from mstracker.services.context import open_context
from tests.postgres_fixture import Cluster, postgres_cluster, postgres_url  # noqa: F401

NOW = "2027-06-20T10:00"
PASSWORD = "correct horse battery"


@dataclass
class Clinic:
    cluster: Cluster
    url: str  # as the superuser who created the database (its owner here)
    database: str
    anna: int  # patient ids
    ben: int

    def login(self, kind: str) -> str:
        """The login name of `kind` (coord, anna, ben, carol) in this database."""
        return f"{kind}_{self.database}"

    def url_of(self, kind: str, password: str = PASSWORD) -> str:
        return self.cluster.login_url(self.url, self.login(kind), password)

    def sql(self, kind: str | None) -> psycopg.Connection:
        """A raw connection (psql's view) as that login; None: the superuser."""
        user, password = ("postgres", None) if kind is None else (self.login(kind), PASSWORD)
        return psycopg.connect(host="127.0.0.1", port=self.cluster.port, dbname=self.database, user=user,
                               password=password, autocommit=True)

    def cli(self, kind: str | None, *args: str, role: str | None = None) -> CliResult:
        argv = ["--db", self.url if kind is None else self.url_of(kind)]
        if role:
            argv += ["--role", role]
        return run_cli(argv + list(args))

    def run_as(self, url: str, *args: str) -> CliResult:
        return run_cli(["--db", url, *args])


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(argv: list[str]) -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def clinic(postgres_cluster, postgres_url, monkeypatch) -> Clinic:  # noqa: F811
    monkeypatch.setenv("MSTRACKER_NOW", NOW)
    monkeypatch.setenv("MSTRACKER_NEW_PASSWORD", PASSWORD)
    ctx = open_context(postgres_url, role="coordinator")
    try:
        ids = []
        for name, start in (("Anna Example", date(2027, 3, 1)), ("Ben Example", date(2027, 4, 1))):
            pid = patients.add_patient(ctx, name)
            journeys.start_journey(ctx, pid, "cy-atg", start, Phase.MOBILIZATION)
            journeys.plan(ctx, pid, Phase.TRANSPLANT, date(2027, 7, 1))  # the follow-up plan: reminders
            logbook.log(ctx, pid, "temperature", datetime(2027, 6, 1, 8, 0), {"celsius": "37.1"})
            ids.append(pid)
    finally:
        ctx.close()
    database = postgres_url.rsplit("/", 1)[1]
    found = Clinic(postgres_cluster, postgres_url, database, *ids)
    for kind, role, pids in (("coord", "coordinator", None), ("anna", "patient", [found.anna]),
                             ("ben", "patient", [found.ben]), ("carol", "caregiver", [found.anna])):
        args = ["clinic", "grant", found.login(kind), "--role", role]
        if pids:
            args += ["--patients", ",".join(map(str, pids))]
        result = found.cli(None, *args)
        assert result.code == 0, result.err
    return found
