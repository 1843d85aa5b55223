"""A journey built through the CLI, and the main window opened on it at the same moment."""

from __future__ import annotations

from datetime import datetime

import pytest

NOW = "2027-06-20T10:00"


def _ok(result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


@pytest.fixture
def journey(cli):
    """Two patients: 1 after the transplant (Day +20, daily labs, a fever, an EDSS), 2 in assessment."""
    assert _ok(cli("patient", "add", "--name", "Ana Silva")) == "1"
    _ok(cli("journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-03-01"))
    for phase, on in (("cells_stored", "2027-03-12"), ("conditioning", "2027-05-25"),
                      ("transplant", "2027-05-31"), ("immune_rebuild", "2027-06-16")):
        _ok(cli("journey", "advance", "1", phase, "--on", on))
    for day in range(14):
        _ok(cli("log", "1", "lab", "--at", f"2027-06-{day + 1:02d}T06:30", f"anc={0.2 if day < 9 else 1.2}",
                f"platelets={15 if day < 10 else 45}"))
    _ok(cli("log", "1", "temperature", "--at", "2027-06-19T21:00", "celsius=38.6"))
    _ok(cli("log", "1", "edss", "--at", "2027-06-02", "score=3.5"))
    assert _ok(cli("patient", "add", "--name", "Ben Okafor")) == "2"
    _ok(cli("journey", "start", "2", "--protocol", "cy-atg", "--on", "2027-06-01", "--phase", "assessment"))
    return cli.db


@pytest.fixture
def open_window(window_for, clock, journey):
    """open_window(role) → the main window on the journey's database at NOW."""
    clock.set(datetime.strptime(NOW, "%Y-%m-%dT%H:%M"))

    def make(role: str = "patient"):
        return window_for(str(journey), role)

    return make
