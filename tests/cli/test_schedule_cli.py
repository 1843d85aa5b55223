"""`schedule --json`: the worked example of docs/clinical-rules.md through the command line for both shipped protocols, DST,
and reminders that keep their state when the anchors move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.cli.conftest import assert_refused, dump, ok


def d(text: str) -> date:
    return date.fromisoformat(text)


# docs/clinical-rules.md, "Worked example": Day 0 2027-05-31, discharge 2027-06-16; 09:00 local.
BLOOD_COUNT = ["2027-06-23", "2027-06-30", "2027-07-07", "2027-07-14", "2027-07-31", "2027-08-31", "2027-09-30",
               "2027-10-31", "2027-11-30", "2028-02-29", "2028-05-31", "2028-08-31", "2028-11-30", "2029-02-28",
               "2029-05-31", "2029-11-30", "2030-05-31", "2030-11-30", "2031-05-31", "2031-11-30", "2032-05-31"]
CMV = [(d("2027-06-23") + timedelta(weeks=i)).isoformat() for i in range(12)]
TSH_CD4 = ["2027-08-31", "2027-11-30", "2028-05-31", "2028-11-30", "2029-05-31", "2030-05-31", "2031-05-31",
           "2032-05-31"]
EVALUATION = ["2027-06-30", "2027-07-14", "2027-08-31", "2027-11-30", "2028-05-31", "2028-11-30", "2029-05-31",
              "2030-05-31", "2031-05-31", "2032-05-31"]
MRI = ["2027-11-30", "2028-05-31", "2029-05-31", "2030-05-31", "2031-05-31", "2032-05-31"]
TEMPERATURE = [(d("2027-06-16") + timedelta(days=i)).isoformat() for i in range(30)]


def at_nine(days: list[str]) -> list[str]:
    return [f"{x}T09:00" for x in days]


def dues(schedule, kind: str, title: str = "") -> list[str]:
    return [r["due"] for r in schedule if r["kind"] == kind and title in r["title"]]


def walked(cli, protocol: str, *, planned: bool = False) -> int:
    pid = int(ok(cli("patient", "add", "--name", f"Plan {protocol}")).strip())
    ok(cli("journey", "start", pid, "--protocol", protocol, "--on", "2027-03-01"))
    ok(cli("journey", "advance", pid, "cells_stored", "--on", "2027-03-12"))
    if planned:  # the same plan from planned anchors, before they happen
        ok(cli("journey", "plan", pid, "transplant", "--on", "2027-05-31"))
        ok(cli("journey", "plan", pid, "immune_rebuild", "--on", "2027-06-16"))
        return pid
    ok(cli("journey", "advance", pid, "conditioning", "--on", "2027-05-25"))
    ok(cli("journey", "advance", pid, "transplant", "--on", "2027-05-31"))
    ok(cli("journey", "advance", pid, "immune_rebuild", "--on", "2027-06-16"))
    return pid


@pytest.mark.parametrize("planned", [False, True], ids=["recorded", "planned"])
@pytest.mark.parametrize("protocol", ["cy-atg", "beam-atg"])
def test_worked_example_dates(cli, protocol, planned):
    pid = walked(cli, protocol, planned=planned)
    schedule = cli("schedule", pid, "--json", now="2027-03-20T10:00").json()
    assert dues(schedule, "mri") == at_nine(MRI)
    assert dues(schedule, "evaluation") == at_nine(EVALUATION)
    assert dues(schedule, "blood_test", "Full blood count") == at_nine(BLOOD_COUNT)
    assert dues(schedule, "blood_test", "CMV") == at_nine(CMV)
    assert dues(schedule, "blood_test", "TSH") == at_nine(TSH_CD4)
    assert sorted(dues(schedule, "blood_test")) == sorted(at_nine(BLOOD_COUNT + CMV + TSH_CD4))
    assert dues(schedule, "custom", "Temperature") == [f"{x}T20:00" for x in TEMPERATURE]
    assert dues(schedule, "medication", "PJP") == at_nine(["2027-11-30"])
    assert dues(schedule, "medication", "aciclovir") == at_nine(["2028-05-31"])
    assert sorted(dues(schedule, "vaccination")) == sorted(at_nine(
        ["2027-08-31", "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31", "2028-01-31",
         "2028-05-31", "2029-05-31"]))
    assert {r["status"] for r in schedule} == {"pending"}
    # sorted by due, then kind, then title; keys as docs/command-line.md
    assert schedule == sorted(schedule, key=lambda r: (r["due"], r["kind"], r["title"]))
    assert all(set(r) == {"id", "due", "kind", "title", "status"} for r in schedule)
    titles = {r["title"] for r in schedule if r["kind"] == "mri"}
    assert any("month 6" in t for t in titles)
    live = [r["title"] for r in schedule if r["due"] == "2029-05-31T09:00" and r["kind"] == "vaccination"]
    assert live and "ask your team" in live[0]


def test_from_and_to_are_inclusive(cli):
    pid = walked(cli, "cy-atg")
    part = cli("schedule", pid, "--from", "2027-11-30", "--to", "2027-11-30", "--json").json()
    assert {r["due"][:10] for r in part} == {"2027-11-30"}
    assert len(part) == 6  # blood count, TSH/CD4, evaluation, MRI, PJP review, inactivated vaccine dose 1
    assert ok(cli("schedule", pid, "--from", "2027-11-30", "--to", "2027-11-30")).count("\n") == len(part)


def test_a_reminder_keeps_0900_local_across_dst_and_is_overdue_24_hours_later_local(cli):
    # Day 0 in winter (GMT), month 2 in summer (BST)
    pid = int(ok(cli("patient", "add", "--name", "Winter")).strip())
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2026-12-01", now="2027-06-20T10:00"))
    ok(cli("journey", "advance", pid, "cells_stored", "--on", "2026-12-10"))
    ok(cli("journey", "advance", pid, "conditioning", "--on", "2027-01-25"))
    ok(cli("journey", "advance", pid, "transplant", "--on", "2027-01-31"))
    ok(cli("journey", "advance", pid, "immune_rebuild", "--on", "2027-02-14"))
    schedule = cli("schedule", pid, "--json").json()
    month3 = [r for r in schedule if "TSH" in r["title"]][0]
    assert month3["due"] == "2027-04-30T09:00"  # BST since 2027-03-28, still 09:00 local
    assert {r["due"][11:] for r in schedule} == {"09:00", "20:00"}

    def overdue(now: str) -> bool:
        alerts = cli("status", pid, "--json", "--on", now).json()["alerts"]
        return any(a["code"] == "overdue" and "Thyroid" in a["message"] and "2027-04-30" in a["message"]
                   for a in alerts)

    assert not overdue("2027-05-01T08:59")
    assert overdue("2027-05-01T09:00")


def test_anchors_move_after_reminders_were_handled(cli):
    pid = walked(cli, "cy-atg", planned=True)
    before = {r["id"]: r for r in cli("schedule", pid, "--json", now="2027-03-20T10:00").json()}
    uids_before = _uids(cli, pid)
    pending = sorted(before.values(), key=lambda r: r["due"])
    done, snoozed = pending[0]["id"], pending[1]["id"]
    ok(cli("reminder", "done", done, "--at", "2027-03-20T09:00", now="2027-03-20T10:00"))
    ok(cli("reminder", "snooze", snoozed, "--until", "2027-07-01T09:00", now="2027-03-20T10:00"))
    skipped = pending[2]["id"]
    ok(cli("reminder", "skip", skipped, now="2027-03-20T10:00"))
    # Day 0 and discharge move a week later
    ok(cli("journey", "plan", pid, "transplant", "--on", "2027-06-07", now="2027-03-21T10:00"))
    ok(cli("journey", "plan", pid, "immune_rebuild", "--on", "2027-06-23", now="2027-03-21T10:00"))
    after = {r["id"]: r for r in cli("schedule", pid, "--json").json()}
    # ids and calendar UIDs survive (with Day 0 moved first, a 13th weekly PCR came and went: skipped)
    assert set(before) <= set(after)
    assert {i: u for i, u in _uids(cli, pid).items() if i in before} == uids_before
    assert (after[done]["status"], after[done]["due"]) == ("done", before[done]["due"])
    assert (after[snoozed]["status"], after[snoozed]["due"]) == ("snoozed", before[snoozed]["due"])
    assert (after[skipped]["status"], after[skipped]["due"]) == ("skipped", before[skipped]["due"])
    mri = [r for r in after.values() if r["kind"] == "mri"]
    assert sorted(r["due"] for r in mri)[0] == "2027-12-07T09:00"  # pending: moved with Day 0
    pending_after = [i for i in before if after[i]["status"] == "pending"]
    assert len(pending_after) == len(before) - 3
    assert all(after[i]["due"] != before[i]["due"] for i in pending_after)  # every pending one moved
    assert_refused(cli("reminder", "done", done), "already done")


def _uids(cli, pid: int) -> dict[int, str]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(str(cli.db))) as con:
        return dict(con.execute("SELECT id, uid FROM reminder WHERE patient_id = ?", (pid,)).fetchall())


def test_reminder_done_defaults_to_now_and_refuses_the_future(cli):
    pid = walked(cli, "cy-atg")
    first = cli("schedule", pid, "--json").json()[0]
    before = dump(cli.db)
    assert_refused(cli("reminder", "done", first["id"], "--at", "2027-06-21T08:00"), "future")
    assert dump(cli.db) == before
    ok(cli("reminder", "done", first["id"]))
    assert cli("schedule", pid, "--json").json()[0]["status"] == "done"
    audit = cli("audit", pid, "--json").json()[-1]
    assert audit["action"] == "reminder_done" and audit["at"] == "2027-06-20T10:00"
