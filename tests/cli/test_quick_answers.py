"""`status` and `patient list` answer from the file with sqlite3 alone (no SQLAlchemy imported) once the day's
backup is taken, and say exactly what the full open says: the same output, the same refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import ok

ROOT = Path(__file__).resolve().parents[2]
# Runs one command line and says on its last stderr line whether SQLAlchemy was imported.
PROGRAM = ("import sys\nfrom mstracker.cli import main\ncode = main(sys.argv[1:])\n"
           "print('engine' if 'sqlalchemy' in sys.modules else 'quick', file=sys.stderr)\nsys.exit(code)\n")


@pytest.fixture
def run(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MSTRACKER_NOW": "2027-06-20T10:00", "TZ": "Europe/London",
           "XDG_DATA_HOME": str(tmp_path / "xdg")}

    def command(db: Path | str, *args: str) -> tuple[int, str, str, str]:
        done = subprocess.run([sys.executable, "-c", PROGRAM, "--db", str(db), *args], env=env,
                              capture_output=True, text=True, timeout=120)
        *errors, way = done.stderr.splitlines()
        return done.returncode, done.stdout, "\n".join(errors), way

    return command


def test_status_and_the_list_answer_the_quick_way_with_the_same_words(cli, walk, run):
    pid = walk("immune_rebuild")
    ok(cli("log", pid, "temperature", "--at", "2027-06-19T21:00", "celsius=38.6"))
    ok(cli("log", pid, "lab", "--at", "2027-06-19T08:00", "anc=0.3", "platelets=12"))
    backups = cli.db.parent / "backups"
    for path in backups.glob("*-daily.sqlite3"):
        path.unlink()  # the day's backup not yet taken: the next command takes it, the full way
    commands = [("status", str(pid), "--json"), ("status", str(pid)), ("status", str(pid), "--on", "2027-06-01"),
                ("patient", "list", "--json"), ("patient", "list"), ("--role", "caregiver", "status", str(pid)),
                ("status", "99"), ("status", str(pid), "--on", "2027-02-30")]
    first = run(cli.db, *commands[0])
    assert first[3] == "engine" and first[0] == 0
    assert list(backups.glob("*-daily.sqlite3")), "the full open took the day's backup"
    for args in commands:
        quick = run(cli.db, *args)
        assert quick[3] == "quick", (args, quick)
        assert quick[:3] == _full_way(run, cli.db, args), args
    assert run(cli.db, "status", "99")[0] == 2


def _full_way(run, db: Path, args: tuple[str, ...]) -> tuple[int, str, str]:
    """The same command through the full open: a URL names the same file, and only the full open reads URLs."""
    code, out, err, way = run(f"sqlite:///{db}", *args)
    assert way == "engine"
    return code, out, err
