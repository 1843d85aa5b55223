"""Issue 2, "Bad input": every refusal exits 2 with one `error: ` line and leaves the database content unchanged."""

from __future__ import annotations

import pytest

from tests.cli.conftest import assert_refused, dump, from_template, ok

# The test clock is 2027-06-20T10:00 (tests/conftest.py).


def _build(cli) -> dict[str, int]:
    ok(cli("patient", "add", "--name", "Anna Example"))
    ok(cli("journey", "start", 1, "--protocol", "cy-atg", "--on", "2027-03-01"))
    ok(cli("journey", "advance", 1, "cells_stored", "--on", "2027-03-12"))
    ok(cli("journey", "plan", 1, "transplant", "--on", "2027-05-20"))
    ok(cli("journey", "plan", 1, "immune_rebuild", "--on", "2027-06-05"))
    entry = int(ok(cli("log", 1, "temperature", "--at", "2027-06-01T08:00", "celsius=37.1")))
    reminder = cli("schedule", 1, "--json").json()[0]["id"]
    return {"entry": entry, "reminder": reminder}


@pytest.fixture
def setup(cli, tmp_path_factory):
    """Patient 1 in cells_stored since 2027-03-12 with a planned Day 0 (so reminders exist) and one entry."""
    return dict(from_template(cli, "bad-input", lambda: _build(cli), tmp_path_factory.getbasetemp()))


CASES = {
    # unknown patient / entry / reminder
    "unknown patient status": (["status", 99], "no patient with id 99"),
    "unknown patient log": (["log", 99, "temperature", "--at", "2027-06-01", "celsius=37"], "no patient"),
    "unknown patient advance": (["journey", "advance", 99, "conditioning", "--on", "2027-06-01"], "no patient"),
    "unknown patient plan": (["journey", "plan", 99, "transplant", "--on", "2027-08-01"], "no patient"),
    "unknown patient history": (["history", 99], "no patient"),
    "unknown patient schedule": (["schedule", 99], "no patient"),
    "unknown patient audit": (["audit", 99], "no patient"),
    "unknown patient export": (["export", 99, "--format", "json", "--out", "{tmp}/x.json"], "no patient"),
    "not a patient id": (["status", "anna"], "not a patient id"),
    "unknown entry amend": (["amend", 999, "celsius=37"], "no log entry with id 999"),
    "unknown entry retract": (["retract", 999, "--reason", "x"], "no log entry"),
    "unknown reminder": (["reminder", "done", 9999], "no reminder with id 9999"),
    # the state machine
    "forbidden transition": (["journey", "advance", 1, "transplant", "--on", "2027-06-01"],
                             "allowed next: conditioning, withdrawn"),
    "start twice": (["journey", "start", 1, "--protocol", "cy-atg", "--on", "2027-06-01"], "already started"),
    "before current phase": (["journey", "advance", 1, "conditioning", "--on", "2027-03-11"],
                             "before the current phase"),
    "unknown phase": (["journey", "advance", 1, "recovery", "--on", "2027-06-01"], "unknown phase"),
    "amend unrecorded": (["journey", "amend", 1, "transplant", "--on", "2027-05-20"], "no transition into"),
    "undo no reason": (["journey", "undo", 1, "--reason", ""], "--reason"),
    # impossible values
    "temperature 48": (["log", 1, "temperature", "--at", "2027-06-01", "celsius=48"], "plausible range"),
    "platelets -3": (["log", 1, "lab", "--at", "2027-06-01", "platelets=-3"], "plausible range"),
    "edss 7.3": (["log", 1, "edss", "--at", "2027-06-01", "score=7.3"], "steps of 0.5"),
    "grade 6": (["log", 1, "side_effect", "--at", "2027-06-01", "name=nausea", "grade=6"], "plausible range"),
    "not a number": (["log", 1, "lab", "--at", "2027-06-01", "anc=low"], "not a number"),
    "missing field": (["log", 1, "mri", "--at", "2027-06-01", "new_t2=1"], "needs gd_enhancing"),
    "no fields": (["log", 1, "temperature", "--at", "2027-06-01"], "needs celsius"),
    "not an assignment": (["log", 1, "temperature", "--at", "2027-06-01", "37.2"], "FIELD=VALUE"),
    "amend implausible": (["amend", "{entry}", "celsius=50"], "plausible range"),
    # unknown kind / field
    "unknown kind": (["log", 1, "bloodpressure", "--at", "2027-06-01", "sys=120"], "use one of: lab, temperature"),
    "unknown field": (["log", 1, "temperature", "--at", "2027-06-01", "fahrenheit=99"],
                      "allowed fields: celsius"),
    "amend unknown field": (["amend", "{entry}", "anc=3"], "allowed fields: celsius"),
    "history unknown kind": (["history", 1, "--kind", "bp"], "unknown kind"),
    # malformed dates
    "log bad date": (["log", 1, "temperature", "--at", "2027-02-30", "celsius=37"], "YYYY-MM-DD"),
    "log bad time": (["log", 1, "temperature", "--at", "2027-06-01T25:00", "celsius=37"], "YYYY-MM-DDTHH:MM"),
    "advance bad date": (["journey", "advance", 1, "conditioning", "--on", "1/6/2027"], "YYYY-MM-DD"),
    "plan bad date": (["journey", "plan", 1, "transplant", "--on", "2027-13-01"], "YYYY-MM-DD"),
    "status bad date": (["status", 1, "--on", "yesterday"], "YYYY-MM-DD"),
    "schedule bad date": (["schedule", 1, "--from", "2027/06/01"], "YYYY-MM-DD"),
    "reminder bad time": (["reminder", "done", "{reminder}", "--at", "2027-06-01 09:00"], "YYYY-MM-DDTHH:MM"),
    "snooze bad time": (["reminder", "snooze", "{reminder}", "--until", "soon"], "YYYY-MM-DDTHH:MM"),
    # dates in the future (after the end of today by the clock)
    "log future": (["log", 1, "temperature", "--at", "2027-06-21T00:00", "celsius=37"], "in the future"),
    "amend future": (["amend", "{entry}", "--at", "2027-06-21"], "in the future"),
    "advance future": (["journey", "advance", 1, "conditioning", "--on", "2027-06-21"], "in the future"),
    "journey amend future": (["journey", "amend", 1, "cells_stored", "--on", "2027-07-01"], "in the future"),
    "reminder done future": (["reminder", "done", "{reminder}", "--at", "2027-06-21T09:00"], "in the future"),
    # protocols
    "unknown protocol": (["journey", "start", 1, "--protocol", "cy_atg", "--on", "2027-06-01"],
                         "available: beam-atg, cy-atg"),
    # bad arguments
    "unknown command": (["frobnicate"], "see `mstracker --help`"),
    "missing flag": (["journey", "advance", 1, "conditioning"], "--on"),
    "export neither": (["export", "--format", "json", "--out", "{tmp}/x.json"], "PATIENT id or --all"),
    "retract empty reason": (["retract", "{entry}", "--reason", " "], "--reason"),
    "snooze into the past": (["reminder", "snooze", "{reminder}", "--until", "2027-06-19T09:00"], "later time"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_with_one_error_line_and_nothing_changed(cli, setup, tmp_path, case):
    args, words = CASES[case]
    args = [str(a).format(tmp=tmp_path, **setup) for a in args]
    before = dump(cli.db)
    assert_refused(cli(*args), words)
    assert dump(cli.db) == before


def test_later_today_is_not_the_future_and_a_plan_may_be_in_the_future(cli, setup):
    ok(cli("log", 1, "temperature", "--at", "2027-06-20T23:59", "celsius=37.0"))
    ok(cli("journey", "plan", 1, "transplant", "--on", "2031-01-01"))
    ok(cli("journey", "advance", 1, "conditioning", "--on", "2027-06-20"))


def test_a_wrong_value_among_many_fields_writes_nothing(cli, setup):
    before = dump(cli.db)
    assert_refused(cli("log", 1, "lab", "--at", "2027-06-01", "anc=0.4", "platelets=5000"), "platelets")
    assert dump(cli.db) == before


def test_an_invalid_protocol_file_is_refused_naming_file_and_reason(cli, setup, tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text('name = "mine"\n[[plan]]\nid = 3\n', encoding="utf-8")
    before = dump(cli.db)
    line = assert_refused(cli("protocol", "import", bad))
    assert "mine.toml" in line
    not_toml = tmp_path / "broken.toml"
    not_toml.write_text("name = ", encoding="utf-8")
    assert "broken.toml" in assert_refused(cli("protocol", "import", not_toml))
    assert dump(cli.db) == before
    assert "mine" not in ok(cli("protocol", "list"))


WRITES = [
    ["patient", "add", "--name", "Eve"],
    ["journey", "advance", 1, "conditioning", "--on", "2027-06-01"],
    ["journey", "plan", 1, "transplant", "--on", "2027-08-01"],
    ["journey", "amend", 1, "cells_stored", "--on", "2027-03-13"],
    ["journey", "undo", 1, "--reason", "x"],
    ["log", 1, "temperature", "--at", "2027-06-01", "celsius=37"],
    ["amend", "{entry}", "celsius=37.5"],
    ["retract", "{entry}", "--reason", "x"],
    ["reminder", "done", "{reminder}"],
    ["reminder", "snooze", "{reminder}", "--until", "2027-07-01T09:00"],
    ["import", "{tmp}/export.json"],
    ["demo", "--on", "2027-06-01"],
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(map(str, a[:2])))
def test_a_caregiver_cannot_write(cli, setup, tmp_path, args):
    ok(cli("export", 1, "--format", "json", "--out", tmp_path / "export.json"))
    args = [str(a).format(tmp=tmp_path, **setup) for a in args]
    before = dump(cli.db)
    assert_refused(cli(*args, role="caregiver"), "error: read-only")
    assert dump(cli.db) == before


def test_a_caregiver_can_read(cli, setup):
    assert cli("status", 1, "--json", role="caregiver").json()["phase"] == "cells_stored"
    assert cli("schedule", 1, "--json", role="caregiver").json()
    assert cli("patient", "list", "--json", role="caregiver").json()[0]["name"] == "Anna Example"
    assert ok(cli("history", 1, role="caregiver"))
