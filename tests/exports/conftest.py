"""A journey built through the command line, and a helper that exports it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NOW = "2027-06-10T12:00"  # in hospital, Day +10, discharge planned for 2027-06-14


@dataclass
class Journey:
    cli: object
    pid: str
    tmp: Path
    ids: dict[str, int] = field(default_factory=dict)

    def run(self, *args, now: str = NOW):
        result = self.cli(*args, now=now)
        assert result.code == 0, (args, result.err)
        return result

    def log(self, name: str, *args, now: str = NOW) -> int:
        self.ids[name] = int(self.run("log", self.pid, *args, now=now).out.strip())
        return self.ids[name]

    def export(self, fmt: str, name: str | None = None, now: str = NOW) -> Path:
        out = self.tmp / (name or f"export.{fmt}")
        self.run("export", self.pid, "--format", fmt, "--out", str(out), now=now)
        return out

    def schedule(self, now: str = NOW) -> list[dict]:
        return self.run("schedule", self.pid, "--json", now=now).json()

    def events(self, now: str = NOW) -> list[dict]:
        """The stored events, through the lossless JSON export (an independent path to the same record)."""
        return json.loads(self.export("json", "events.json", now=now).read_text(encoding="utf-8"))["events"]


@pytest.fixture
def journey(cli, tmp_path) -> Journey:
    """Anna on cy-atg: mobilization 2027-03-01, cells stored 03-12, admitted 05-25, Day 0 05-31,
    discharge planned 06-14; labs, a fever, mucositis and an EDSS; one lab amended, one retracted."""
    j = Journey(cli, "", tmp_path)
    j.pid = j.run("patient", "add", "--name", "Anna Example", "--born", "1990-04-02", "--diagnosed", "2015-05-01",
                  "--ms-type", "rrms").out.strip()
    j.run("journey", "start", j.pid, "--protocol", "cy-atg", "--on", "2027-03-01")
    for phase, on in (("cells_stored", "2027-03-12"), ("conditioning", "2027-05-25"), ("transplant", "2027-05-31")):
        j.run("journey", "advance", j.pid, phase, "--on", on)
    j.run("journey", "plan", j.pid, "immune_rebuild", "--on", "2027-06-14")
    j.log("edss", "edss", "--at", "2027-05-20T10:00", "score=3.5")
    j.log("lab1", "lab", "--at", "2027-06-01T07:00", "anc=0.3", "platelets=45", "hb=9.4", "wbc=0.8")
    j.log("mucositis", "side_effect", "--at", "2027-06-03T09:00", "name=mucositis", "grade=3")
    j.log("fever", "temperature", "--at", "2027-06-04T22:00", "celsius=38.4")
    j.log("lab2", "lab", "--at", "2027-06-05T07:00", "anc=0.1", "platelets=12")
    j.run("amend", str(j.ids["lab2"]), "platelets=14")
    j.log("wrong", "lab", "--at", "2027-06-06T07:00", "anc=9.9")
    j.run("retract", str(j.ids["wrong"]), "--reason", "entered in error")
    return j
