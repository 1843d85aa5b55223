"""Two coordinators, each with their own login, writing at once on the clinic server lose nothing."""

from __future__ import annotations

import json

import pytest

from tests.cli_results import ok
from tests.reliability.procs import Reader, start_writer

pytestmark = pytest.mark.postgres
N = 20


@pytest.mark.parametrize("mode", ["cli", "service"])
def test_two_coordinator_logins_writing_at_once_lose_nothing(clinic, mode):
    ok(clinic.cli(None, "clinic", "grant", clinic.login("coord2"), "--role", "coordinator"))
    before = {e["id"] for e in json.loads(ok(clinic.cli(None, "history", str(clinic.anna), "--json")))}
    # The writers take their role from the server (no --role given to them would widen it anyway).
    procs = [start_writer(mode, clinic.url_of(kind), clinic.anna, N, "coordinator") for kind in ("coord", "coord2")]
    readers = [Reader(p) for p in procs]
    for p in procs:
        assert p.wait(120) == 0, p.stderr.read()
        p.stderr.close()
    reported = [line for r in readers for line in r.finish()]
    ids = [int(x) for x in reported]
    assert len(ids) == 2 * N and len(set(ids)) == 2 * N
    history = json.loads(ok(clinic.cli(None, "history", str(clinic.anna), "--json")))
    assert {e["id"] for e in history} - before == set(ids)
    trail = json.loads(ok(clinic.cli(None, "audit", str(clinic.anna), "--json")))
    writers = {r["user"] for r in trail if r["action"] in ("note", "temperature") and r["at"] >= "2027-01-01"}
    assert {clinic.login("coord"), clinic.login("coord2")} <= writers
