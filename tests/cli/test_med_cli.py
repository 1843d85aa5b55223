"""`mstracker med …`: courses, doses, recording, the protocol's courses moving with the journey, refusals."""

from __future__ import annotations

import pytest

from tests.cli.conftest import assert_refused, dump, ok


@pytest.fixture
def own(cli):
    """Patient 1 (no journey) with an own course 1: 08:00 and 20:00 daily from 2027-06-17."""
    ok(cli("patient", "add", "--name", "Anna Example"))
    ok(cli("med", "add", 1, "--name", "aciclovir", "--times", "08:00,20:00", "--from", "2027-06-17",
           "--dose", "400 mg", "--purpose", "antiviral prophylaxis"))
    return 1


def test_add_prints_the_id_and_list_shows_the_course(cli, own):
    assert ok(cli("med", "add", 1, "--name", "co-trimoxazole", "--times", "08:00", "--from", "2027-06-18",
                  "--to", "2027-11-30", "--weekdays", "mon,wed,fri")).strip() == "2"
    courses = cli("med", "list", 1, "--json").json()
    assert courses[0] == {"id": 1, "name": "aciclovir", "dose": "400 mg", "route": "oral", "times": ["08:00", "20:00"],
                          "every_days": 1, "weekdays": None, "from": "2027-06-17", "to": None, "source": "own",
                          "status": "active", "purpose": "antiviral prophylaxis"}
    assert (courses[1]["every_days"], courses[1]["weekdays"], courses[1]["to"]) == (None, ["mon", "wed", "fri"],
                                                                                      "2027-11-30")


def test_doses_default_to_today_and_take_a_window(cli, own):
    today = cli("med", "doses", 1, "--json").json()  # the clock: 2027-06-20T10:00
    assert [(d["due"], d["status"]) for d in today] == [("2027-06-20T08:00", "pending"), ("2027-06-20T20:00", "pending")]
    window = cli("med", "doses", 1, "--from", "2027-06-16", "--to", "2027-06-17", "--json").json()
    assert [d["due"] for d in window] == ["2027-06-17T08:00", "2027-06-17T20:00"]
    assert window[0] == {"course": 1, "name": "aciclovir", "due": "2027-06-17T08:00", "status": "missed",
                         "taken_at": None, "late": False}


def test_taken_nearest_dose_then_late_and_skip(cli, own):
    ok(cli("med", "taken", 1))  # 10:00: the 08:00 dose
    ok(cli("med", "taken", 1, "--dose", "2027-06-19T08:00", "--at", "2027-06-19T12:30"))
    ok(cli("med", "skip", 1, "--dose", "2027-06-19T20:00", "--reason", "vomiting"))
    doses = {d["due"]: d for d in cli("med", "doses", 1, "--from", "2027-06-19", "--to", "2027-06-20", "--json").json()}
    assert (doses["2027-06-20T08:00"]["status"], doses["2027-06-20T08:00"]["taken_at"]) == ("taken", "2027-06-20T10:00")
    assert (doses["2027-06-19T08:00"]["late"], doses["2027-06-19T20:00"]["status"]) == (True, "skipped")


def test_recorded_doses_are_events_that_amend_and_retract_correct(cli, own):
    record = int(ok(cli("med", "taken", 1, "--dose", "2027-06-20T08:00", "--at", "2027-06-20T08:10")))
    ok(cli("amend", record, "--at", "2027-06-20T09:00"))
    assert cli("med", "doses", 1, "--json").json()[0]["taken_at"] == "2027-06-20T09:00"
    ok(cli("retract", record, "--reason", "entered in error"))
    assert cli("med", "doses", 1, "--json").json()[0]["status"] == "pending"
    rows = cli("audit", 1, "--json").json()
    assert {"med_course", "med_dose", "amend", "retract"} <= {row["action"] for row in rows}
    assert f"dose {record}: aciclovir of 2027-06-20T08:00 taken at 2027-06-20T08:10" in [r["detail"] for r in rows]


def test_stop_keeps_doses_up_to_its_date_and_recorded_ones(cli, own):
    ok(cli("med", "taken", 1, "--dose", "2027-06-20T08:00", "--at", "2027-06-20T08:00"))
    ok(cli("med", "stop", 1, "--on", "2027-06-19", "--reason", "team stopped it"))
    doses = cli("med", "doses", 1, "--from", "2027-06-19", "--to", "2027-06-21", "--json").json()
    assert [(d["due"], d["status"]) for d in doses] == [
        ("2027-06-19T08:00", "missed"), ("2027-06-19T20:00", "missed"), ("2027-06-20T08:00", "taken")]
    assert cli("med", "list", 1, "--json").json()[0]["status"] == "ended"


def test_status_json_carries_medications_and_the_missed_dose_warning(cli, own):
    data = cli("status", 1, "--json", now="2027-06-20T13:00").json()
    assert [d["due"] for d in data["medications"]["due_today"]] == ["2027-06-20T08:00", "2027-06-20T20:00"]
    # Due after 2027-06-13 13:00 and by now: 06-17 08:00 … 06-20 08:00, seven doses, every one missed.
    assert data["medications"]["adherence_7d"] == 0.0
    missed = [a for a in data["alerts"] if a["code"] == "missed_dose"]
    # Missed within the last 24 hours: 06-19 20:00 (missed at 06-20 00:00) and 06-20 08:00 (at 12:00);
    # 06-19 08:00 became missed at 12:00 yesterday, 25 hours ago.
    assert [a["level"] for a in missed] == ["warning", "warning"]
    assert "aciclovir at 08:00 on 2027-06-20" in " ".join(a["message"] for a in missed)
    ok(cli("med", "taken", 1, "--dose", "2027-06-20T08:00", "--at", "2027-06-20T12:55", now="2027-06-20T13:00"))
    after = cli("status", 1, "--json", now="2027-06-20T13:00").json()
    assert len([a for a in after["alerts"] if a["code"] == "missed_dose"]) == 1
    assert after["medications"]["adherence_7d"] == pytest.approx(1 / 7)
    # The caregiver reads the same.
    assert cli("status", 1, "--json", now="2027-06-20T13:00", role="caregiver").json()["alerts"] == after["alerts"]


def _journey(cli) -> int:
    ok(cli("patient", "add", "--name", "Gina"))
    ok(cli("journey", "start", 1, "--protocol", "cy-atg", "--on", "2027-03-01", now="2027-03-01T09:00"))
    return 1


def _course(cli, name: str, now: str) -> dict:
    return next(c for c in cli("med", "list", 1, "--json", now=now).json() if c["name"].startswith(name))


def test_g_csf_open_ended_until_the_cells_are_stored(cli):
    _journey(cli)
    g = _course(cli, "G-CSF", "2027-03-06T09:00")
    assert (g["from"], g["to"], g["status"], g["source"], g["route"]) == (
        "2027-03-05", None, "active", "protocol", "injection")
    ok(cli("journey", "advance", 1, "cells_stored", "--on", "2027-03-12", now="2027-03-12T18:00"))
    g = _course(cli, "G-CSF", "2027-03-13T09:00")
    assert (g["to"], g["status"]) == ("2027-03-12", "ended")
    doses = cli("med", "doses", 1, "--from", "2027-03-01", "--to", "2027-03-20", "--json", now="2027-03-13T09:00").json()
    assert [d["due"][:10] for d in doses if d["course"] == g["id"]] == [f"2027-03-{d:02d}" for d in range(5, 13)]


def test_an_anchor_moves_the_course_until_a_dose_is_recorded(cli):
    _journey(cli)
    # Mobilization corrected to 03-02 before any dose: G-CSF now starts 03-06.
    ok(cli("journey", "amend", 1, "mobilization", "--on", "2027-03-02", now="2027-03-05T07:00"))
    g = _course(cli, "G-CSF", "2027-03-06T07:00")
    assert g["from"] == "2027-03-06"
    ok(cli("med", "taken", g["id"], now="2027-03-06T08:05"))
    # Corrected again after a recorded dose: the course stays where it was (and keeps its id).
    ok(cli("journey", "amend", 1, "mobilization", "--on", "2027-03-03", now="2027-03-06T09:00"))
    after = _course(cli, "G-CSF", "2027-03-06T09:00")
    assert (after["id"], after["from"]) == (g["id"], "2027-03-06")


def test_prophylaxis_begins_the_day_after_discharge_and_withdrawal_ends_it(cli, walk):
    pid = walk("immune_rebuild")  # Day 0 2027-05-31, discharge 2027-06-16
    by_name = {c["name"].split(" ")[0]: c for c in cli("med", "list", pid, "--json").json()}
    assert (by_name["aciclovir"]["from"], by_name["aciclovir"]["to"]) == ("2027-06-17", "2028-05-31")
    assert (by_name["co-trimoxazole"]["from"], by_name["co-trimoxazole"]["to"]) == ("2027-06-17", "2027-11-30")
    ok(cli("journey", "advance", pid, "withdrawn", "--on", "2027-06-19", "--reason", "moved away"))
    ended = cli("med", "list", pid, "--json").json()
    assert all(c["to"] is None or c["to"] <= "2027-06-19" for c in ended if c["from"])
    assert not [d for d in cli("med", "doses", pid, "--from", "2027-06-20", "--to", "2027-07-20", "--json").json()]


BAD = {
    "time not HH:MM": (["med", "add", 1, "--name", "x", "--times", "8am", "--from", "2027-06-17"], "not a time of day"),
    "unknown weekday": (["med", "add", 1, "--name", "x", "--times", "08:00", "--from", "2027-06-17", "--weekdays",
                         "mon,funday"], "not a weekday"),
    "last before first": (["med", "add", 1, "--name", "x", "--times", "08:00", "--from", "2027-06-17", "--to",
                           "2027-06-16"], "before --from"),
    "unknown course": (["med", "taken", 99], "no course with id 99"),
    "unknown course stop": (["med", "stop", 99, "--on", "2027-06-20"], "no course with id 99"),
    "not one of its times": (["med", "taken", 1, "--dose", "2027-06-20T09:00"], "not a dose of course 1"),
    "already recorded": (["med", "taken", 1, "--dose", "2027-06-19T08:00"], "already recorded"),
    "already recorded, taken days later": (["med", "taken", 1, "--dose", "2027-06-19T08:00", "--at",
                                            "2027-06-20T09:00"], "already recorded"),
    "more than 12 h ahead": (["med", "skip", 1, "--dose", "2027-06-21T08:00"], "more than 12 hours ahead"),
    "at in the future": (["med", "taken", 1, "--at", "2027-06-20T11:00"], "in the future"),
    "doses window backwards": (["med", "doses", 1, "--from", "2027-06-20", "--to", "2027-06-19"], "before --from"),
    "unknown patient": (["med", "add", 99, "--name", "x", "--times", "08:00", "--from", "2027-06-17"], "no patient"),
    "dose without time": (["med", "skip", 1, "--dose", "2027-06-20"], "needs its time"),
    "bad route": (["med", "add", 1, "--name", "x", "--times", "08:00", "--from", "2027-06-17", "--route", "pill"],
                  "invalid choice"),
    "both rhythms": (["med", "add", 1, "--name", "x", "--times", "08:00", "--from", "2027-06-17", "--every-days",
                      "2", "--weekdays", "mon"], "not allowed with"),
    "no dose near": (["med", "taken", 1, "--at", "2027-06-16T08:00"], "no dose of aciclovir"),
    "amend a dose field": (["amend", "{record}", "celsius=37"], "has no field"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_exits_2_and_changes_nothing(cli, own, case):
    record = int(ok(cli("med", "taken", 1, "--dose", "2027-06-19T08:00", "--at", "2027-06-19T08:00")))
    args, words = BAD[case]
    before = dump(cli.db)
    assert_refused(cli(*[str(a).format(record=record) for a in args]), words)
    assert dump(cli.db) == before


@pytest.mark.parametrize("args", [
    ["med", "add", 1, "--name", "x", "--times", "08:00", "--from", "2027-06-17"],
    ["med", "stop", 1, "--on", "2027-06-25"],
    ["med", "taken", 1],
    ["med", "skip", 1, "--dose", "2027-06-20T08:00"],
])
def test_a_caregiver_records_nothing(cli, own, args):
    before = dump(cli.db)
    assert_refused(cli(*args, role="caregiver"), "read-only")
    assert dump(cli.db) == before
    assert ok(cli("med", "doses", 1, role="caregiver"))


def test_a_dose_recorded_long_ago_is_still_recorded_when_named_again_days_later(cli, own):
    ok(cli("med", "taken", 1, "--dose", "2027-06-17T08:00", "--at", "2027-06-17T08:00"))
    before = dump(cli.db)
    assert_refused(cli("med", "taken", 1, "--dose", "2027-06-17T08:00", "--at", "2027-06-20T09:00"), "already recorded")
    assert dump(cli.db) == before
