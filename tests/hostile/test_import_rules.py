"""Issue 19, findings 2, 7 and 9: import checks every event by the rules of the command that would have written
it and refuses the file whole; it reads only regular files of a stated size, and nothing exits 1."""

from __future__ import annotations

import copy
import json
import os
import threading

import pytest

from tests.cli.conftest import assert_refused, dump, from_template, ok


@pytest.fixture
def export(cli, walk, tmp_path, tmp_path_factory):
    """A valid export of a patient in immune rebuild with logs, a correction and a retraction (built once)."""
    return copy.deepcopy(from_template(cli, "hostile-import", lambda: _build(cli, walk, tmp_path),
                                       tmp_path_factory.getbasetemp()))


def _build(cli, walk, tmp_path):
    pid = walk("immune_rebuild")
    edss = ok(cli("log", pid, "edss", "--at", "2027-06-17T10:00", "score=4")).strip()
    ok(cli("amend", edss, "score=4.5"))
    temp = ok(cli("log", pid, "temperature", "--at", "2027-06-18T20:00", "celsius=38.1")).strip()
    ok(cli("retract", temp, "--reason", "entered in error"))
    ok(cli("log", pid, "note", "--at", "2027-06-19T09:00", "text=slept well"))
    out = tmp_path / "export.json"
    ok(cli("export", pid, "--format", "json", "--out", out))
    return json.loads(out.read_text())


def _import(cli, tmp_path, data, name="hostile.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8",
                    errors="surrogatepass")
    return cli("import", path)


def _event(data, kind, nth=0):
    return [e for e in data["events"] if e["kind"] == kind][nth]


def _next_id(data):
    return max(e["id"] for e in data["events"]) + 1


def _append(data, kind, payload, **extra):
    last = data["events"][-1]
    data["events"].append({**last, "id": _next_id(data), "kind": kind, "payload": payload, "entry_id": None,
                           "supersedes": None, **extra})


def transplant_to_mobilization(d):
    _append(d, "transition", {"phase": "mobilization", "on": "2027-06-17"})


def completed_to_conditioning(d):
    _append(d, "transition", {"phase": "follow_up", "on": "2027-06-18"})
    _append(d, "transition", {"phase": "completed", "on": "2027-06-19"})
    _append(d, "transition", {"phase": "conditioning", "on": "2027-06-19"})


def straight_to_follow_up(d):
    start = _event(d, "start")
    d["events"] = [e for e in d["events"] if e["kind"] not in ("transition", "plan", "transition_amend",
                                                                 "transition_undo")]
    _append(d, "transition", {"phase": "follow_up", "on": "2027-06-01"})
    assert start in d["events"]


def second_start(d):
    _append(d, "start", {"phase": "assessment", "on": "2027-06-01", "protocol": "cy-atg"})


def born_2030(d):
    d["patient"]["born"] = "2030-01-01"


def born_9999(d):
    d["patient"]["born"] = "9999-12-31"


def amend_unchecked(d):
    edss = _event(d, "edss")
    _append(d, "amend", {"fields": {"celsius": "hot", "zzz": [1]}, "log_kind": "edss"}, entry_id=edss["id"],
            supersedes=edss["id"])


def amend_bad_value(d):
    edss = _event(d, "edss")
    _append(d, "amend", {"fields": {"score": 11}, "log_kind": "edss"}, entry_id=edss["id"], supersedes=edss["id"])


def value_as_text(d):
    _event(d, "edss")["payload"]["fields"]["score"] = " 4.0 "


def year_9999(d):
    _event(d, "note")["occurred_at"] = "9999-12-31T23:59:59-14:00"


def year_1(d):
    _event(d, "note")["occurred_at"] = "0001-01-01T00:00:00+14:00"


def transition_on_year_9999(d):
    _event(d, "transition", 2)["payload"]["on"] = "9999-01-01"


@pytest.mark.parametrize("name", ["Eve\x1b[31mRED", "Eve\nline2", "Eve\x00", "Eve\u202e", "Eve\ud800"])
def test_names_with_control_characters(cli, export, tmp_path, name):
    export["patient"]["name"] = name
    before = dump(cli.db)
    assert_refused(_import(cli, tmp_path, export), "patient")
    assert dump(cli.db) == before


def reminder_due_loose(d):
    d["reminders"][0]["due"] = "2027-6-1T9:5"


def reminder_kind_unknown(d):
    d["reminders"][0]["kind"] = "rocket"


def reminder_title_escape(d):
    d["reminders"][0]["title"] = "MRI\x1b[2J"


def retract_without_target(d):
    _event(d, "retract")["entry_id"] = None


def version_true(d):
    d["version"] = True


def event_ids_out_of_order(d):
    d["events"][1]["id"], d["events"][2]["id"] = d["events"][2]["id"], d["events"][1]["id"]


def undo_not_the_latest(d):
    first = _event(d, "transition")
    _append(d, "transition_undo", {"reason": "x"}, supersedes=first["id"])


def user_with_newline(d):
    d["events"][0]["user"] = "mallory\nroot"


def role_unknown(d):
    d["events"][0]["role"] = "admin"


@pytest.mark.parametrize("mutate", [
    transplant_to_mobilization, completed_to_conditioning, straight_to_follow_up, second_start, born_2030, born_9999,
    amend_unchecked, amend_bad_value, value_as_text, year_9999, year_1, transition_on_year_9999, reminder_due_loose,
    reminder_kind_unknown, reminder_title_escape, retract_without_target, version_true, event_ids_out_of_order,
    undo_not_the_latest, user_with_newline, role_unknown,
])
def test_what_the_commands_refuse_import_refuses_whole(cli, export, tmp_path, mutate):
    data = copy.deepcopy(export)
    mutate(data)
    before = dump(cli.db)
    assert_refused(_import(cli, tmp_path, data), "nothing was imported")
    assert dump(cli.db) == before


def test_the_valid_export_imports_and_every_command_reads_it(cli, export, tmp_path):
    pid = ok(_import(cli, tmp_path, export)).strip()
    for args in (("status", pid), ("schedule", pid), ("history", pid), ("db", "check")):
        ok(cli(*args))
    for fmt in ("ics", "csv", "fhir", "json"):
        ok(cli("export", pid, "--format", fmt, "--out", tmp_path / f"again.{fmt}"))


def test_json_nested_beyond_reason_is_refused(cli, export, tmp_path):
    before = dump(cli.db)
    assert_refused(_import(cli, tmp_path, "[" * 100_000 + "]" * 100_000), "nothing was imported")
    assert_refused(_import(cli, tmp_path, '{"a": ' * 50_000 + "1" + "}" * 50_000), "nothing was imported")
    assert_refused(_import(cli, tmp_path, "1" * 10_000), "nothing was imported")
    assert dump(cli.db) == before


# ---- finding 7: what is read ----------------------------------------------------------------------
def test_a_link_to_dev_zero_is_refused_before_reading(cli, export, tmp_path):
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    assert_refused(cli("import", link), "not a regular file")


def test_a_fifo_is_refused_without_waiting(cli, export, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("r", cli("import", fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "import waited on a FIFO"
    assert_refused(result["r"], "not a regular file")


def test_a_file_over_the_limit_is_refused_before_reading(cli, export, tmp_path, monkeypatch):
    monkeypatch.setattr("mstracker.services.import_rules.IMPORT_MAX_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(export))
    assert path.stat().st_size > 1000
    assert_refused(cli("import", path), "larger than 1000 bytes")


def test_a_folder_is_refused(cli, export, tmp_path):
    assert_refused(cli("import", tmp_path), "not a regular file")
