"""alert_flags: the dashboard's red flags, from entries logged through the CLI, as of a fixed clock."""

from __future__ import annotations

from datetime import datetime

from dateutil import tz

from mstracker.services.context import open_context
from mstracker.services.dashboard import alert_flags

LONDON = tz.gettz("Europe/London")


def _flags(cli, now: str) -> dict[int, list[str]]:
    moment = datetime.strptime(now, "%Y-%m-%dT%H:%M").replace(tzinfo=LONDON)
    ctx = open_context(str(cli.db), role="caregiver", clock=lambda: moment)
    try:
        return alert_flags(ctx)
    finally:
        ctx.close()


def _patients(cli, n: int) -> None:
    for i in range(n):
        cli("patient", "add", "--name", f"P{i}")


def test_each_flag_and_its_window(cli):
    _patients(cli, 4)
    cli("log", "1", "temperature", "--at", "2027-06-19T12:00", "celsius=38.0")
    cli("log", "2", "lab", "--at", "2027-06-10T08:00", "platelets=12", "anc=0.4")
    cli("log", "3", "relapse", "--at", "2027-05-25T12:00", "note=legs weak")
    cli("log", "4", "temperature", "--at", "2027-06-20T09:00", "celsius=37.9")
    assert _flags(cli, "2027-06-20T10:00") == {1: ["fever"], 2: ["low_platelets", "neutropenia"], 3: ["relapse"]}
    # 24 h after the reading the fever flag is gone; 30 days after it, the relapse flag.
    assert _flags(cli, "2027-06-20T12:00") == {2: ["low_platelets", "neutropenia"], 3: ["relapse"]}
    assert 3 not in _flags(cli, "2027-06-24T12:00")


def test_the_latest_version_and_the_latest_value_count(cli):
    _patients(cli, 3)
    fever = cli("log", "1", "temperature", "--at", "2027-06-20T08:00", "celsius=38.9").out.strip()
    cli("amend", fever, "celsius=36.9")  # typed wrongly, corrected
    low = cli("log", "2", "lab", "--at", "2027-06-18T08:00", "platelets=9").out.strip()
    cli("log", "2", "lab", "--at", "2027-06-19T08:00", "platelets=45")  # recovered since
    cli("retract", low, "--reason", "entered in error")
    cli("log", "3", "lab", "--at", "2027-06-19T08:00", "anc=1.2")
    cli("log", "3", "lab", "--at", "2027-06-20T08:00", "anc=0.2")
    cli("log", "3", "relapse", "--at", "2027-06-15T12:00", "note=vision", "confirmed=no")
    assert _flags(cli, "2027-06-20T10:00") == {3: ["neutropenia"]}


def test_entries_after_now_do_not_count(cli):
    _patients(cli, 1)
    cli("log", "1", "temperature", "--at", "2027-06-20T09:00", "celsius=39.1")
    assert _flags(cli, "2027-06-20T08:00") == {}
    assert _flags(cli, "2027-06-20T09:30") == {1: ["fever"]}


def test_later_entries_are_not_even_read(cli):
    """A clock set back (or a database copied from elsewhere) must not make the dashboard read every later
    entry of the clinic into memory: the query itself stops at now."""
    from mstracker.storage import dashboard_queries

    _patients(cli, 1)
    for day in range(10, 20):
        cli("log", "1", "temperature", "--at", f"2027-06-{day}T09:00", "celsius=37.0")
    now = datetime(2027, 6, 12, 10, 0, tzinfo=LONDON)
    ctx = open_context(str(cli.db), role="caregiver", clock=lambda: now)
    try:
        since = {"temperature": datetime(2027, 6, 1, tzinfo=LONDON)}
        with ctx.db.reading() as s:
            everything = dashboard_queries.recent_entry_events(s, since)
            until_now = dashboard_queries.recent_entry_events(s, since, until=now)
    finally:
        ctx.close()
    assert len(everything) == 10
    assert sorted(e.occurred_at.day for e in until_now) == [10, 11, 12]
