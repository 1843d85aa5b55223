"""Shared fixtures: an isolated data folder and clock for every test, and a CLI runner."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No test touches the real data folder, the real clock or the machine's zone."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.setenv("MSTRACKER_USER", "tester")
    monkeypatch.delenv("MSTRACKER_DB", raising=False)
    monkeypatch.delenv("MSTRACKER_PASSPHRASE", raising=False)
    monkeypatch.delenv("MSTRACKER_NOW", raising=False)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    """Run `mstracker --db <tmp db> ARGS...` in-process; `now=` sets MSTRACKER_NOW for that call."""
    from mstracker.cli import main

    db = tmp_path / "test.sqlite3"

    def run(*args: str, now: str | None = "2027-06-20T10:00", db_path=None, role: str | None = None) -> Result:
        if now is None:
            monkeypatch.delenv("MSTRACKER_NOW", raising=False)
        else:
            monkeypatch.setenv("MSTRACKER_NOW", now)
        argv = ["--db", str(db_path or db)]
        if role:
            argv += ["--role", role]
        capsys.readouterr()
        code = main(argv + [str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    run.db = db  # type: ignore[attr-defined]
    return run
