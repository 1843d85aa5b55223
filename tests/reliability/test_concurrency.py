"""Two writers at once (busy timeout, BEGIN IMMEDIATE on SQLite; transactions on PostgreSQL) lose nothing."""

from __future__ import annotations

import pytest

from mstracker.services import logbook, patients
from mstracker.services.context import open_context

from .procs import Reader, sqlite_integrity, start_writer

N = 30


def _two_writers(target: str, mode: str, role: str) -> None:
    ctx = open_context(target, role=role)
    pid = patients.add_patient(ctx, "Anna Example")
    ctx.close()
    procs = [start_writer(mode, target, pid, N, role) for _ in range(2)]
    readers = [Reader(p) for p in procs]
    for p in procs:
        assert p.wait(120) == 0, p.stderr.read()
        p.stderr.close()
    reported = [line for r in readers for line in r.finish()]
    assert not [x for x in reported if x.startswith("failed")], reported
    ids = [int(x) for x in reported]
    assert len(ids) == 2 * N and len(set(ids)) == 2 * N
    ctx = open_context(target, role=role)
    try:
        stored = [e.entry_id for e in logbook.history(ctx, pid)]
    finally:
        ctx.close()
    assert sorted(stored) == sorted(ids)


def test_two_cli_writers_on_sqlite(tmp_path):
    db = tmp_path / "shared.sqlite3"
    _two_writers(str(db), "cli", "patient")
    assert sqlite_integrity(db) == ["ok"]


@pytest.mark.postgres
def test_two_coordinators_on_postgresql(postgres_url):
    _two_writers(postgres_url, "cli", "coordinator")


@pytest.mark.postgres
def test_two_service_writers_on_postgresql(postgres_url):
    _two_writers(postgres_url, "service", "coordinator")
