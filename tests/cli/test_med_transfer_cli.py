"""The JSON export and import carry every course and every recorded dose, losslessly."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import assert_refused, ok


def _without_ids(items: list[dict], id_key: str) -> list[dict]:
    return [{k: v for k, v in item.items() if k != id_key} for item in items]


def test_json_round_trip_keeps_courses_and_doses(cli, walk, tmp_path):
    pid = walk("immune_rebuild")  # protocol courses from 2027-06-17
    courses = {c["name"].split(" ")[0]: c["id"] for c in cli("med", "list", pid, "--json").json()}
    own = int(ok(cli("med", "add", pid, "--name", "vitamin D", "--times", "09:00", "--from", "2027-06-01",
                     "--every-days", "2", "--dose", "1000 IU", "--route", "other", "--purpose", "bones")))
    ok(cli("med", "taken", courses["aciclovir"], "--dose", "2027-06-17T08:00", "--at", "2027-06-17T13:00"))
    record = int(ok(cli("med", "taken", courses["aciclovir"], "--dose", "2027-06-18T08:00", "--at", "2027-06-18T08:00")))
    ok(cli("amend", record, "--at", "2027-06-18T08:30"))
    wrong = int(ok(cli("med", "skip", courses["co-trimoxazole"], "--dose", "2027-06-18T08:00")))
    ok(cli("retract", wrong, "--reason", "entered in error"))
    ok(cli("med", "skip", courses["co-trimoxazole"], "--dose", "2027-06-18T08:00", "--reason", "nausea"))
    ok(cli("med", "stop", own, "--on", "2027-06-19"))
    out = tmp_path / "p.json"
    ok(cli("export", pid, "--format", "json", "--out", out))
    assert len(json.loads(out.read_text())["courses"]) == 4
    new = int(ok(cli("import", out)))
    assert _without_ids(cli("med", "list", new, "--json").json(), "id") == \
        _without_ids(cli("med", "list", pid, "--json").json(), "id")
    window = ("--from", "2027-06-01", "--to", "2027-06-25", "--json")
    before = cli("med", "doses", pid, *window).json()
    after = cli("med", "doses", new, *window).json()
    assert _without_ids(after, "course") == _without_ids(before, "course")
    assert {d["status"] for d in before} >= {"taken", "skipped", "missed", "pending"}
    assert any(d["late"] for d in before)
    # The imported file exports again to the same courses (ids aside) and the same events.
    again = tmp_path / "q.json"
    ok(cli("export", new, "--format", "json", "--out", again))
    first, second = json.loads(out.read_text()), json.loads(again.read_text())
    assert [_without_ids([c], "id")[0] | {"uid": None} for c in first["courses"]] == \
        [_without_ids([c], "id")[0] | {"uid": None} for c in second["courses"]]
    kinds = [e["kind"] for e in first["events"]]
    assert [e["kind"] for e in second["events"]][:len(kinds)] == kinds


@pytest.mark.parametrize("key,value", [("every_days", [1]), ("times", ["08:00"]), ("purpose", {"a": 1}),
                                       ("pinned", "yes"), ("every_days", 0)])
def test_a_course_with_a_value_of_the_wrong_type_is_refused_whole(cli, tmp_path, key, value):
    pid = ok(cli("patient", "add", "--name", "Course Types")).strip()
    ok(cli("med", "add", pid, "--name", "vitamin D", "--times", "08:00", "--from", "2027-06-01"))
    out = tmp_path / "p.json"
    ok(cli("export", pid, "--format", "json", "--out", out))
    data = json.loads(out.read_text())
    data["courses"][0][key] = value
    out.write_text(json.dumps(data))
    before = ok(cli("patient", "list"))
    assert_refused(cli("import", out), "courses[0]")
    assert ok(cli("patient", "list")) == before


def test_a_course_event_whose_payload_holds_a_list_is_refused_whole(cli, tmp_path):
    pid = ok(cli("patient", "add", "--name", "Course Event")).strip()
    ok(cli("med", "add", pid, "--name", "vitamin D", "--times", "08:00", "--from", "2027-06-01"))
    out = tmp_path / "p.json"
    ok(cli("export", pid, "--format", "json", "--out", out))
    data = json.loads(out.read_text())
    event = next(e for e in data["events"] if e["kind"] == "med_course")
    event["payload"]["purpose"] = [None]
    out.write_text(json.dumps(data))
    before = ok(cli("patient", "list"))
    assert_refused(cli("import", out), "payload")
    assert ok(cli("patient", "list")) == before
