"""`mstracker demo --on DATE`: sample patients, one per phase, that every command can read."""

from __future__ import annotations

from tests.cli.conftest import ok
from tests.domain.test_phases import ALLOWED


def test_demo_adds_one_patient_per_phase_and_status_of_each_works(cli):
    ids = [int(x) for x in ok(cli("demo", "--on", "2027-06-01", now="2027-06-01T09:00")).split()]
    assert len(ids) == 9
    phases = set()
    for pid in ids:
        data = cli("status", pid, "--json", "--on", "2027-06-01").json()
        phases.add(data["phase"])
        assert data["patient"]["id"] == pid
        text = ok(cli("status", pid, "--on", "2027-06-01"))
        assert "(demo)" in text.splitlines()[0]
        assert cli("history", pid, "--json").json()
    assert phases == {p.value for p in ALLOWED}
    listing = cli("patient", "list", "--json").json()
    assert [p["id"] for p in listing] == ids


def test_demo_on_a_later_day_than_the_clock_uses_that_day_as_today(cli):
    # `--on` is the demo's clock: a date after MSTRACKER_NOW is not refused as "the future"
    ids = ok(cli("demo", "--on", "2028-01-15", now="2027-06-01T09:00")).split()
    tx = [p for p in cli("patient", "list", "--json").json() if p["phase"] == "transplant"]
    assert len(ids) == 9 and len(tx) == 1


def test_a_second_demo_adds_more_patients(cli):
    first = ok(cli("demo")).split()
    second = ok(cli("demo")).split()
    assert len(first) == len(second) == 9 and not set(first) & set(second)
    assert len(cli("patient", "list", "--json").json()) == 18


def test_demo_with_a_malformed_date_is_refused(cli):
    result = cli("demo", "--on", "2027-6-1")
    assert result.code == 2 and result.err.startswith("error: ") and "YYYY-MM-DD" in result.err
    assert cli("patient", "list", "--json").json() == []
