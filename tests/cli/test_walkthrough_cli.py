"""Issue 2, "Done when": a new user creates a patient, walks every phase, sees the right phase, Day and schedule,
exports and re-imports them."""

from __future__ import annotations

import json

from tests.cli.conftest import ok


def test_new_user_walkthrough(cli, tmp_path):
    assert ok(cli("protocol", "list")).split("\n")[0].startswith("beam-atg")
    pid = int(ok(cli("patient", "add", "--name", "Jo Walker", "--born", "1988-02-29", "--ms-type", "rrms",
                     now="2027-01-10T09:00")).strip())

    def step(now: str, *args: str) -> dict:
        ok(cli(*args, now=now))
        return cli("status", pid, "--json", now=now).json()

    s = step("2027-01-11T10:00", "journey", "start", str(pid), "--protocol", "cy-atg", "--on", "2027-01-11",
             "--phase", "assessment")
    assert (s["phase"], s["day"], s["next"]) == ("assessment", None, [])
    ok(cli("log", pid, "edss", "--at", "2027-01-12", "score=4.0", now="2027-01-12T15:00"))
    s = step("2027-03-01T10:00", "journey", "advance", str(pid), "mobilization", "--on", "2027-03-01")
    assert s["phase"] == "mobilization"
    s = step("2027-03-12T10:00", "journey", "advance", str(pid), "cells_stored", "--on", "2027-03-12")
    s = step("2027-04-20T10:00", "journey", "plan", str(pid), "transplant", "--on", "2027-05-31")
    assert (s["phase"], s["day"], s["day_zero_is_planned"]) == ("cells_stored", -41, True)
    text = ok(cli("status", pid, now="2027-04-20T10:00")).splitlines()[0]
    assert text == "Jo Walker: Day −41 (planned) · cells stored"
    s = step("2027-05-25T10:00", "journey", "advance", str(pid), "conditioning", "--on", "2027-05-25")
    assert (s["phase"], s["admitted"], s["day"]) == ("conditioning", "2027-05-25", -6)
    s = step("2027-05-31T10:00", "journey", "advance", str(pid), "transplant", "--on", "2027-05-31")
    assert (s["phase"], s["day"], s["day_zero_is_planned"]) == ("transplant", 0, False)
    ok(cli("log", pid, "lab", "--at", "2027-06-06T06:30", "anc=0.1", "platelets=12", now="2027-06-06T08:00"))
    s = step("2027-06-16T10:00", "journey", "advance", str(pid), "immune_rebuild", "--on", "2027-06-16")
    assert (s["phase"], s["day"], s["length_of_stay_days"]) == ("immune_rebuild", 16, 22)
    schedule = cli("schedule", pid, "--json", now="2027-06-16T10:00").json()
    assert schedule[0]["due"] == "2027-06-16T20:00" and schedule[0]["title"].startswith("Temperature check")
    assert [r["due"] for r in schedule if r["kind"] == "mri"][:2] == ["2027-11-30T09:00", "2028-05-31T09:00"]
    assert s["next"][0]["due"] == "2027-06-16T20:00"
    ok(cli("reminder", "done", schedule[0]["id"], "--at", "2027-06-16T20:05", now="2027-06-16T21:00"))
    s = step("2027-09-01T10:00", "journey", "advance", str(pid), "follow_up", "--on", "2027-09-01")
    assert (s["phase"], s["day"]) == ("follow_up", 93)
    s = step("2032-06-01T10:00", "journey", "advance", str(pid), "completed", "--on", "2032-06-01")
    assert s["phase"] == "completed"
    statuses = {r["status"] for r in cli("schedule", pid, "--json").json()}
    assert statuses == {"done", "skipped"}  # nothing left to remind about
    listing = cli("patient", "list", "--json", now="2032-06-01T10:00").json()
    assert listing == [{"id": pid, "name": "Jo Walker", "phase": "completed", "day": 1828}]

    out = tmp_path / "jo.json"
    ok(cli("export", pid, "--format", "json", "--out", out))
    assert json.loads(out.read_text(encoding="utf-8"))["patient"]["name"] == "Jo Walker"
    new = int(ok(cli("import", out)).strip())
    a = cli("status", pid, "--json", "--on", "2027-06-16").json()
    b = cli("status", new, "--json", "--on", "2027-06-16").json()
    a["patient"]["id"] = new
    strip = [{k: v for k, v in r.items() if k != "id"} for r in a.pop("next")], \
        [{k: v for k, v in r.items() if k != "id"} for r in b.pop("next")]
    assert a == b and strip[0] == strip[1]
    assert [(h["kind"], h["at"], h["fields"]) for h in cli("history", new, "--json").json()] == \
        [(h["kind"], h["at"], h["fields"]) for h in cli("history", pid, "--json").json()]


def test_the_readme_tour_runs_as_written(cli, tmp_path, monkeypatch):
    """Every command of README.md's tour, in order, on a fresh database (a new user following it)."""
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## A short tour of the command line", 1)[1].split("```", 2)[1]
    monkeypatch.chdir(tmp_path)
    commands = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            assert words[0] == "mstracker", line
            commands += list(_split_and(words[1:]))
    assert len(commands) >= 15
    for args in commands:
        result = cli(*args, now="2027-07-01T10:00")
        assert result.code == 0, (args, result.err)
    status = cli("status", 1, "--json", now="2027-07-01T10:00").json()
    assert (status["phase"], status["day"], status["discharged"]) == ("immune_rebuild", 31, "2027-06-16")
    assert [p["name"] for p in cli("patient", "list", "--json").json()] == ["Anna Example", "Anna Example"]


def _split_and(words: list[str]):
    """`a && mstracker b` → [a], [b]."""
    current: list[str] = []
    for word in words:
        if word == "&&":
            yield current
            current = []
        elif word == "mstracker" and not current:
            continue
        else:
            current.append(word)
    if current:
        yield current
