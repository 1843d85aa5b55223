"""history / amend / retract as docs/command-line.md describes them."""

from __future__ import annotations

from tests.cli.conftest import assert_refused, dump, ok


def patient(cli) -> int:
    pid = int(ok(cli("patient", "add", "--name", "Anna")).strip())
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01"))
    return pid


def test_history_newest_first_with_ids_and_shapes(cli):
    pid = patient(cli)
    lab = int(ok(cli("log", pid, "lab", "--at", "2027-03-18T07:00", "anc=0.6", "platelets=31")))
    temp = int(ok(cli("log", pid, "temperature", "--at", "2027-03-19", "celsius=37.9")))
    late = int(ok(cli("log", pid, "note", "--at", "2027-03-17T08:00", "text=typed in late")))
    history = cli("history", pid, "--json").json()
    assert history == [
        {"id": temp, "kind": "temperature", "at": "2027-03-19T12:00", "fields": {"celsius": 37.9}, "amended": False},
        {"id": lab, "kind": "lab", "at": "2027-03-18T07:00", "fields": {"anc": 0.6, "platelets": 31}, "amended": False},
        {"id": late, "kind": "note", "at": "2027-03-17T08:00", "fields": {"text": "typed in late"}, "amended": False},
    ]
    assert [e["id"] for e in cli("history", pid, "--kind", "lab", "--json").json()] == [lab]
    text = ok(cli("history", pid)).splitlines()
    assert text[0].startswith(f"{temp}\t2027-03-19 12:00\ttemperature\tcelsius=37.9")


def test_amend_changes_only_named_fields_keeps_the_id_and_marks_it(cli):
    pid = patient(cli)
    lab = int(ok(cli("log", pid, "lab", "--at", "2027-03-18T07:00", "anc=0.6", "platelets=31")))
    ok(cli("amend", lab, "platelets=13"))
    [entry] = cli("history", pid, "--json").json()
    assert entry == {"id": lab, "kind": "lab", "at": "2027-03-18T07:00", "fields": {"anc": 0.6, "platelets": 13},
                     "amended": True}
    ok(cli("amend", lab, "--at", "2027-03-18T06:30"))
    [entry] = cli("history", pid, "--json").json()
    assert (entry["id"], entry["at"], entry["fields"]) == (lab, "2027-03-18T06:30", {"anc": 0.6, "platelets": 13})
    # the original is kept: the audit shows the entry and both corrections
    audit = [r for r in cli("audit", pid, "--json").json() if r["action"] in ("lab", "amend")]
    assert [r["action"] for r in audit] == ["lab", "amend", "amend"]
    assert "anc=0.6, platelets=31" in audit[0]["detail"] and "platelets=13" in audit[1]["detail"]
    assert all(r["user"] == "tester" and r["role"] == "patient" for r in audit)


def test_amend_needs_something_to_change(cli):
    pid = patient(cli)
    lab = int(ok(cli("log", pid, "lab", "--at", "2027-03-18T07:00", "anc=0.6")))
    before = dump(cli.db)
    assert_refused(cli("amend", lab), "nothing to correct")
    assert dump(cli.db) == before


def test_retract_hides_from_history_keeps_in_audit_and_cannot_be_amended(cli):
    pid = patient(cli)
    keep = int(ok(cli("log", pid, "temperature", "--at", "2027-03-18", "celsius=37.0")))
    gone = int(ok(cli("log", pid, "temperature", "--at", "2027-03-18T13:00", "celsius=39.5")))
    ok(cli("retract", gone, "--reason", "wrong patient"))
    assert [e["id"] for e in cli("history", pid, "--json").json()] == [keep]
    audit = cli("audit", pid, "--json").json()
    assert audit[-1]["action"] == "retract" and f"entry {gone} retracted: wrong patient" == audit[-1]["detail"]
    assert any(r["action"] == "temperature" and "39.5" in r["detail"] for r in audit)
    before = dump(cli.db)
    assert_refused(cli("retract", gone, "--reason", "again"), "already retracted")
    assert_refused(cli("amend", gone, "celsius=38"), "retracted")
    assert dump(cli.db) == before


def test_ids_of_other_events_are_not_log_entries(cli):
    pid = patient(cli)
    before = dump(cli.db)
    # event 1 is `patient_add`, event 2 the journey start: neither is a log entry
    assert_refused(cli("amend", 1, "celsius=37"), "no log entry")
    assert_refused(cli("retract", 2, "--reason", "x"), "no log entry")
    assert dump(cli.db) == before
    assert pid == 1


def test_a_log_entry_counts_in_status_by_its_own_date(cli):
    pid = patient(cli)
    ok(cli("journey", "advance", pid, "cells_stored", "--on", "2027-03-12"))
    ok(cli("journey", "advance", pid, "conditioning", "--on", "2027-05-25"))
    ok(cli("journey", "advance", pid, "transplant", "--on", "2027-05-31"))
    ok(cli("log", pid, "lab", "--at", "2027-06-10T07:00", "platelets=8"))
    codes = {a["code"] for a in cli("status", pid, "--json", "--on", "2027-06-10").json()["alerts"]}
    assert "low_platelets" in codes
    codes = {a["code"] for a in cli("status", pid, "--json", "--on", "2027-06-09").json()["alerts"]}
    assert "low_platelets" not in codes
