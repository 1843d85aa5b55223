"""The CSV export, read back with the standard csv module."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from mstracker.exports.csv_export import COLUMNS


def _rows(path):
    text = path.read_bytes().decode("utf-8")  # strict UTF-8, no byte-order mark
    assert not text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def test_one_row_per_event_oldest_first_with_iso_dates(journey):
    rows = _rows(journey.export("csv"))
    events = journey.events()
    assert sorted(int(r["event_id"]) for r in rows) == sorted(e["id"] for e in events)
    moments = [datetime.fromisoformat(r["occurred_at"]) for r in rows]
    assert all(m.tzinfo is not None for m in moments)
    assert moments == sorted(moments)
    for r in rows:
        datetime.fromisoformat(r["recorded_at"])
        assert len(r["date"]) == 10 and datetime.strptime(r["date"], "%Y-%m-%d")
    transitions = [(r["kind"], r["phase"], r["date"]) for r in rows if r["kind"] in ("start", "transition", "plan")]
    assert transitions == [("start", "mobilization", "2027-03-01"), ("transition", "cells_stored", "2027-03-12"),
                           ("transition", "conditioning", "2027-05-25"), ("transition", "transplant", "2027-05-31"),
                           ("plan", "immune_rebuild", "2027-06-14")]


def test_retracted_and_superseded_entries_are_kept_and_marked(journey):
    rows = _rows(journey.export("csv"))
    by_entry: dict[int, list[dict]] = {}
    for r in rows:
        by_entry.setdefault(int(r["entry_id"]), []).append(r)

    wrong = by_entry[journey.ids["wrong"]]
    assert [(r["kind"], r["status"]) for r in wrong] == [("lab", "retracted"), ("retract", "correction")]
    assert json.loads(wrong[0]["fields"]) == {"anc": 9.9}
    assert wrong[1]["reason"] == "entered in error" and wrong[1]["supersedes"] == str(journey.ids["wrong"])

    lab2 = by_entry[journey.ids["lab2"]]
    assert [(r["kind"], r["status"]) for r in lab2] == [("lab", "superseded"), ("amend", "current")]
    assert json.loads(lab2[0]["fields"]) == {"anc": 0.1, "platelets": 12}
    assert json.loads(lab2[1]["fields"]) == {"platelets": 14} and lab2[1]["entry_kind"] == "lab"

    fever = by_entry[journey.ids["fever"]]
    assert [(r["kind"], r["status"], json.loads(r["fields"])) for r in fever] == [
        ("temperature", "current", {"celsius": 38.4})]


def test_corrected_and_undone_transitions_are_marked(journey):
    journey.run("journey", "amend", journey.pid, "transplant", "--on", "2027-05-30")
    journey.run("journey", "advance", journey.pid, "withdrawn", "--on", "2027-06-08", "--reason", "patient's choice")
    journey.run("journey", "undo", journey.pid, "--reason", "wrong patient")
    rows = _rows(journey.export("csv"))
    marks = [(r["kind"], r["phase"], r["date"], r["status"]) for r in rows
             if r["kind"].startswith(("transition", "start"))]
    assert ("transition", "transplant", "2027-05-31", "superseded") in marks
    assert ("transition_amend", "transplant", "2027-05-30", "current") in marks
    assert ("transition", "withdrawn", "2027-06-08", "retracted") in marks
    assert ("transition_undo", "withdrawn", "2027-06-08", "correction") in marks
    withdrawn = next(r for r in rows if r["kind"] == "transition" and r["phase"] == "withdrawn")
    assert withdrawn["reason"] == "patient's choice"


def test_utf8_names_and_notes(cli, tmp_path):
    pid = cli("patient", "add", "--name", "Zoë Ødegård").out.strip()
    cli("journey", "start", pid, "--protocol", "beam-atg", "--on", "2027-06-01")
    cli("log", pid, "note", "--at", "2027-06-02", "text=Übelkeit – µ-Wert")
    out = tmp_path / "z.csv"
    assert cli("export", pid, "--format", "csv", "--out", str(out)).code == 0
    rows = _rows(out)
    assert json.loads(next(r for r in rows if r["kind"] == "note")["fields"]) == {"text": "Übelkeit – µ-Wert"}
    assert json.loads(next(r for r in rows if r["kind"] == "patient_add")["details"])["name"] == "Zoë Ødegård"
