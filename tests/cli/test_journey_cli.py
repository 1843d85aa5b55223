"""The state machine through the command line: every allowed and refused step, corrections, and no change on refusal."""

from __future__ import annotations

import pytest

from tests.cli.conftest import WALK, assert_refused, dump, ok
from tests.domain.test_phases import ALLOWED

PHASES = [p.value for p in ALLOWED]
NEXT_DAY = "2027-06-20"  # the test clock's today: not before any phase of WALK


def phase_of(cli, pid: int) -> str:
    return cli("status", pid, "--json").json()["phase"]


@pytest.mark.parametrize("current", PHASES)
def test_every_refused_transition_exits_2_names_the_allowed_phases_and_changes_nothing(cli, walk, current):
    pid = walk(current) if current != "withdrawn" else walk("withdrawn", withdrawn_from="cells_stored")
    assert phase_of(cli, pid) == current
    before = dump(cli.db)
    allowed = {p.value for p in ALLOWED[next(p for p in ALLOWED if p.value == current)]}
    for target in PHASES:
        if target in allowed:
            continue
        line = assert_refused(cli("journey", "advance", pid, target, "--on", NEXT_DAY))
        if allowed:
            assert line.split("allowed next: ")[1].split(", ") and all(a in line for a in allowed), line
        else:
            assert "final phase" in line
        assert dump(cli.db) == before
    assert phase_of(cli, pid) == current


@pytest.mark.parametrize(("current", "target"),
                         [(c.value, t.value) for c, ts in ALLOWED.items() for t in sorted(ts)])
def test_every_allowed_transition_is_recorded(cli, walk, current, target):
    pid = walk(current)
    ok(cli("journey", "advance", pid, target, "--on", NEXT_DAY, "--reason", "test"))
    status = cli("status", pid, "--json").json()
    assert (status["phase"], status["phase_since"]) == (target, NEXT_DAY)


def test_a_walk_through_every_phase_shows_the_right_phase_and_day(cli, walk):
    pid = int(ok(cli("patient", "add", "--name", "Walker")).strip())
    for i, (phase, on) in enumerate(WALK):
        if i == 0:
            ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", on, "--phase", "assessment"))
        else:
            ok(cli("journey", "advance", pid, phase, "--on", on))
        status = cli("status", pid, "--json", now=f"{on}T18:00").json()
        assert (status["phase"], status["phase_since"]) == (phase, on)
        if phase in ("assessment", "mobilization", "cells_stored", "conditioning"):
            assert status["day"] is None and status["day_zero"] is None
        else:
            assert status["day_zero"] == "2027-05-31" and status["day_zero_is_planned"] is False
    final = cli("status", pid, "--json", "--on", "2027-06-16").json()
    assert final["day"] == 16 and final["phase"] == "immune_rebuild"
    assert (final["admitted"], final["discharged"], final["length_of_stay_days"]) == ("2027-05-25", "2027-06-16", 22)
    listing = cli("patient", "list", "--json").json()
    assert listing == [{"id": pid, "name": "Walker", "phase": "completed", "day": 20}]
    text = ok(cli("status", pid, "--on", "2027-06-12"))
    assert text.splitlines()[0] == "Walker: Day +12 · recovery in hospital"


def test_start_refused_twice_and_in_a_later_phase(cli):
    pid = int(ok(cli("patient", "add", "--name", "X")).strip())
    assert_refused(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01", "--phase", "transplant"))
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01"))
    assert phase_of(cli, pid) == "mobilization"  # the default start phase
    before = dump(cli.db)
    assert_refused(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-02"), "already started")
    assert dump(cli.db) == before


def test_plan_then_actual_day_zero(cli, walk):
    pid = walk("cells_stored")
    ok(cli("journey", "plan", pid, "transplant", "--on", "2027-08-09"))  # a future date is fine for a plan
    status = cli("status", pid, "--json").json()
    assert (status["day_zero"], status["day_zero_is_planned"], status["day"]) == ("2027-08-09", True, -50)
    assert ok(cli("status", pid)).splitlines()[0] == "Test Patient: Day −50 (planned) · cells stored"
    ok(cli("journey", "advance", pid, "conditioning", "--on", "2027-06-14"))
    ok(cli("journey", "advance", pid, "transplant", "--on", "2027-06-20"))
    status = cli("status", pid, "--json").json()
    assert (status["day_zero"], status["day_zero_is_planned"], status["day"]) == ("2027-06-20", False, 0)


def test_amend_moves_a_transition_and_the_schedule_follows(cli, walk):
    pid = walk("immune_rebuild")
    first = cli("schedule", pid, "--json").json()
    ok(cli("journey", "amend", pid, "immune_rebuild", "--on", "2027-06-17"))
    status = cli("status", pid, "--json").json()
    assert (status["discharged"], status["length_of_stay_days"]) == ("2027-06-17", 23)
    moved = cli("schedule", pid, "--json").json()
    by_id = {r["id"]: r for r in first}
    temps = [r for r in moved if r["title"].startswith("Temperature check")]
    assert temps[0]["due"] == "2027-06-17T20:00" and by_id[temps[0]["id"]]["due"] == "2027-06-16T20:00"
    assert {r["id"] for r in moved} == {r["id"] for r in first}  # the same reminders, moved
    before = dump(cli.db)
    assert_refused(cli("journey", "amend", pid, "immune_rebuild", "--on", "2027-05-30"), "before the previous phase")
    assert_refused(cli("journey", "amend", pid, "follow_up", "--on", "2027-06-18"), "no transition into follow_up")
    assert_refused(cli("journey", "amend", pid, "immune_rebuild", "--on", "2027-06-21"), "future")
    assert dump(cli.db) == before
    audit = [r for r in cli("audit", pid, "--json").json() if r["action"] == "transition_amend"]
    assert audit and "immune_rebuild on 2027-06-17 (was 2027-06-16)" in audit[0]["detail"]


def test_undo_retracts_the_last_transition_and_is_kept_in_the_audit(cli, walk):
    pid = walk("transplant")
    ok(cli("journey", "advance", pid, "withdrawn", "--on", "2027-06-01", "--reason", "patient choice"))
    assert cli("schedule", pid, "--json").json() == [] or all(
        r["status"] == "skipped" for r in cli("schedule", pid, "--json").json())
    ok(cli("journey", "undo", pid, "--reason", "entered in error"))
    assert phase_of(cli, pid) == "transplant"
    audit = cli("audit", pid, "--json").json()
    assert [r["action"] for r in audit][-2:] == ["transition", "transition_undo"]
    assert "withdrawn of 2027-06-01 undone: entered in error" in audit[-1]["detail"]
    before = dump(cli.db)
    assert_refused(cli("journey", "undo", pid, "--reason", "  "), "--reason")
    assert dump(cli.db) == before


def test_undo_never_removes_the_start(cli):
    pid = int(ok(cli("patient", "add", "--name", "X")).strip())
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01"))
    before = dump(cli.db)
    assert_refused(cli("journey", "undo", pid, "--reason", "oops"), "journey amend")
    assert dump(cli.db) == before


def test_start_in_the_future_is_refused_but_a_plan_may_be_past_or_future(cli):
    pid = int(ok(cli("patient", "add", "--name", "X")).strip())
    before = dump(cli.db)
    assert_refused(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-06-21"), "future")
    assert_refused(cli("journey", "plan", pid, "transplant", "--on", "2027-08-01"), "start the journey first")
    assert dump(cli.db) == before
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-06-20"))
    ok(cli("journey", "plan", pid, "transplant", "--on", "2035-01-01"))
    ok(cli("journey", "plan", pid, "transplant", "--on", "2027-01-01"))
    assert cli("status", pid, "--json").json()["day_zero"] == "2027-01-01"
