"""`export --format json` + `import`: a lossless round trip; a corrupt file is refused and changes nothing."""

from __future__ import annotations

import copy
import json
import re

import pytest

from tests.cli.conftest import assert_refused, dump, from_template, ok


def rich_patient(cli) -> int:
    """A patient with everything an export must carry: phases, plans, corrections, logs, reminder states."""
    pid = int(ok(cli("patient", "add", "--name", "Zoë Ångström", "--born", "1990-04-02", "--diagnosed",
                     "2019-01-15", "--ms-type", "rrms")).strip())
    ok(cli("journey", "start", pid, "--protocol", "beam-atg", "--on", "2027-02-01", "--phase", "assessment"))
    ok(cli("journey", "advance", pid, "mobilization", "--on", "2027-03-01"))
    ok(cli("journey", "advance", pid, "mobilization", "--on", "2027-03-20", "--reason", "poor harvest"))
    ok(cli("journey", "advance", pid, "cells_stored", "--on", "2027-03-30"))
    ok(cli("journey", "amend", pid, "cells_stored", "--on", "2027-03-31"))
    ok(cli("journey", "plan", pid, "transplant", "--on", "2027-05-28"))
    ok(cli("journey", "advance", pid, "conditioning", "--on", "2027-05-24"))
    ok(cli("journey", "advance", pid, "transplant", "--on", "2027-05-31"))
    ok(cli("journey", "advance", pid, "withdrawn", "--on", "2027-06-01", "--reason", "typo"))
    ok(cli("journey", "undo", pid, "--reason", "entered in error"))
    ok(cli("journey", "plan", pid, "immune_rebuild", "--on", "2027-06-18"))
    ok(cli("journey", "advance", pid, "immune_rebuild", "--on", "2027-06-16"))
    lab = int(ok(cli("log", pid, "lab", "--at", "2027-06-05T06:30", "anc=0.1", "platelets=9", "hb=8.1")))
    ok(cli("log", pid, "transfusion", "--at", "2027-06-05T15:00", "product=platelets"))
    ok(cli("log", pid, "temperature", "--at", "2027-06-06T14:00", "celsius=38.4"))
    ok(cli("log", pid, "side_effect", "--at", "2027-06-07", "name=mucositis", "grade=3", "note=mouth sores"))
    wrong = int(ok(cli("log", pid, "edss", "--at", "2027-06-10", "score=4.5")))
    ok(cli("log", pid, "note", "--at", "2027-06-19T08:00", "text=Erster Tag zu Hause — gut"))
    ok(cli("amend", lab, "platelets=8"))
    ok(cli("amend", lab, "--at", "2027-06-05T06:15"))
    ok(cli("retract", wrong, "--reason", "wrong patient"))
    schedule = cli("schedule", pid, "--json").json()
    ok(cli("reminder", "done", schedule[0]["id"], "--at", "2027-06-16T20:10"))
    ok(cli("reminder", "snooze", schedule[1]["id"], "--until", "2027-06-21T08:00"))
    ok(cli("reminder", "skip", schedule[2]["id"]))
    return pid


def without_ids(export: dict) -> dict:
    """An export with event, reminder and course ids replaced by their positions, and the patient id dropped."""
    data = copy.deepcopy(export)
    events = {e["id"]: i for i, e in enumerate(data["events"])}
    reminders = {r["id"]: i for i, r in enumerate(data["reminders"])}
    courses = {c["id"]: i for i, c in enumerate(data["courses"])}
    data["patient"].pop("id")
    for e in data["events"]:
        e["id"] = events[e["id"]]
        for ref in ("entry_id", "supersedes"):
            if e[ref] is not None:
                e[ref] = events[e[ref]]
        if e["kind"].startswith("reminder_"):
            e["payload"]["reminder"] = reminders[e["payload"]["reminder"]]
        if e["kind"].startswith("med_"):
            e["payload"]["course"] = courses[e["payload"]["course"]]
    for r in data["reminders"]:
        r["id"] = reminders[r["id"]]
        r.pop("uid")  # a calendar UID names the journey it belongs to, which is new
    for c in data["courses"]:
        c["id"] = courses[c["id"]]
        c.pop("uid")  # as for reminders
    return data


def normal_audit(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        r = {k: v for k, v in r.items() if k != "patient"}
        r["detail"] = re.sub(r"(entry|reminder) \d+", r"\1 #", r["detail"])
        out.append(r)
    return out


def normal(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in rows]


@pytest.mark.parametrize("same_database", [True, False], ids=["same-db", "other-db"])
def test_json_round_trip_is_lossless(cli, tmp_path, same_database):
    pid = rich_patient(cli)
    out = tmp_path / "export.json"
    ok(cli("export", pid, "--format", "json", "--out", out))
    other = None if same_database else tmp_path / "other.sqlite3"
    if other is not None:
        ok(cli("patient", "add", "--name", "Someone Else", db_path=other))  # ids will differ
    new = int(ok(cli("import", out, db_path=other)).strip())
    assert new != pid

    def both(*args):
        return cli(*args[:1], pid, *args[1:]).json(), cli(*args[:1], new, *args[1:], db_path=other).json()

    old_h, new_h = both("history", "--json")
    assert normal(new_h) == normal(old_h) and len(old_h) == 5
    old_s, new_s = both("schedule", "--json")
    assert normal(new_s) == normal(old_s)
    assert {r["status"] for r in new_s} == {"pending", "done", "snoozed", "skipped"}
    old_st, new_st = both("status", "--json", "--on", "2027-06-19")
    assert new_st["patient"] == {"id": new, "name": "Zoë Ångström"}
    old_st["patient"]["id"] = new
    old_next = [{k: v for k, v in r.items() if k != "id"} for r in old_st.pop("next")]
    assert [{k: v for k, v in r.items() if k != "id"} for r in new_st.pop("next")] == old_next
    # Course ids are renumbered too.
    for st in (old_st, new_st):
        for dose in st["medications"]["due_today"]:
            dose.pop("course")
    assert new_st == old_st
    old_a, new_a = both("audit", "--json")
    assert new_a[-1]["action"] == "import"
    assert normal_audit(new_a[:-1]) == normal_audit(old_a)
    # the re-export carries the same content: every event (the retracted entry too) and every reminder
    again = tmp_path / "again.json"
    ok(cli("export", new, "--format", "json", "--out", again, db_path=other))
    first, second = (json.loads(p.read_text(encoding="utf-8")) for p in (out, again))
    assert second["events"][-1]["kind"] == "import"
    second["events"].pop()
    assert without_ids(second) == without_ids(first)


@pytest.fixture
def exported(cli, tmp_path, tmp_path_factory):
    def build():
        pid = rich_patient(cli)
        out = tmp_path / "export.json"
        ok(cli("export", pid, "--format", "json", "--out", out))
        return out.read_text(encoding="utf-8")

    return json.loads(from_template(cli, "transfer", build, tmp_path_factory.getbasetemp()))


def _event(data, kind):
    return next(e for e in data["events"] if e["kind"] == kind)


def _break(data, how: str):
    if how == "wrong format":
        data["format"] = "something-else"
    elif how == "newer version":
        data["version"] = 99
    elif how == "not an object":
        return [data]
    elif how == "no name":
        data["patient"]["name"] = " "
    elif how == "bad born":
        data["patient"]["born"] = "1990-02-30"
    elif how == "implausible value":
        _event(data, "temperature")["payload"]["fields"]["celsius"] = 48
    elif how == "unknown field":
        _event(data, "temperature")["payload"]["fields"]["fahrenheit"] = 99
    elif how == "unknown kind":
        data["events"][3]["kind"] = "teleport"
    elif how == "unknown phase":
        _event(data, "transition")["payload"]["phase"] = "recovery"
    elif how == "bad date":
        _event(data, "transition")["payload"]["on"] = "2027-13-01"
    elif how == "naive time":
        data["events"][2]["occurred_at"] = "2027-06-01T12:00:00"
    elif how == "dangling supersedes":
        _event(data, "amend")["supersedes"] = 987654
    elif how == "dangling entry":
        _event(data, "amend")["entry_id"] = 987654
    elif how == "repeated id":
        data["events"][4]["id"] = data["events"][3]["id"]
    elif how == "undo without target":
        _event(data, "transition_undo")["supersedes"] = None
    elif how == "bad protocol":
        data["journey"]["protocol_text"] = "name = "
    elif how == "reminder status":
        data["reminders"][0]["status"] = "maybe"
    elif how == "reminder due":
        data["reminders"][0]["due"] = "tomorrow"
    elif how == "dangling reminder":
        _event(data, "reminder_done")["payload"]["reminder"] = 987654
    elif how == "events missing":
        del data["events"]
    return data


CORRUPTIONS = ["wrong format", "newer version", "not an object", "no name", "bad born", "implausible value",
               "unknown field", "unknown kind", "unknown phase", "bad date", "naive time", "dangling supersedes",
               "dangling entry", "repeated id", "undo without target", "bad protocol", "reminder status",
               "reminder due", "dangling reminder", "events missing"]


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_a_corrupt_import_exits_2_and_changes_nothing(cli, tmp_path, exported, how):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_break(exported, how)), encoding="utf-8")
    before = dump(cli.db)
    assert_refused(cli("import", bad), "import file")
    assert dump(cli.db) == before


@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe\x00garbage", b"[]"], ids=["broken", "empty",
                                                                                          "binary", "list"])
def test_a_file_that_is_not_an_export_is_refused(cli, tmp_path, exported, content):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = dump(cli.db)
    assert_refused(cli("import", bad))
    assert_refused(cli("import", tmp_path / "missing.json"), "missing.json")
    assert dump(cli.db) == before


def test_export_all_writes_one_json_per_patient(cli, tmp_path):
    rich_patient(cli)
    ok(cli("patient", "add", "--name", "A/B: C"))
    ok(cli("export", "--all", "--format", "json", "--out", tmp_path / "all"))
    names = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert names == ["1-Zoë_Ångström.json", "2-A_B_C.json"]
