"""Long commands show a count and the time left on stderr when it is a terminal, and nothing for scripts."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mstracker.cli_progress import Progress

ROOT = Path(__file__).resolve().parents[2]
MAIN = "import sys; from mstracker.cli import main; sys.exit(main())"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_count_then_an_estimate_of_the_time_left_then_a_finished_line():
    stream, now = _Terminal(), [0.0]
    progress = Progress("exporting", " patients", stream=stream, clock=lambda: now[0])
    progress(0, 100)
    now[0] = 2.0
    progress(10, 100)  # 0.2 s a patient: 90 more take 18 s
    now[0] = 2.1
    progress(11, 100)  # too soon to redraw
    now[0] = 60.0
    progress(100, 100)
    assert stream.getvalue().split("\r")[1:] == ["exporting 0/100 patients", "exporting 10/100 patients, about 18 s left",
                                                  " " * 42, "exporting 100/100 patients\n"]


def test_nothing_is_written_where_no_one_watches():
    stream = io.StringIO()
    progress = Progress("exporting", stream=stream)
    for done in range(5):
        progress(done, 4)
    assert stream.getvalue() == ""


def _run(args: list[str], env: dict[str, str], *, terminal: bool) -> tuple[int, str]:
    """The command line as a process; stderr a pseudo-terminal or a pipe. Returns (exit code, stderr)."""
    if not terminal:
        done = subprocess.run([sys.executable, "-c", MAIN, *args], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        return done.returncode, done.stderr
    main, sub = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", MAIN, *args], env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=sub)
    os.close(sub)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the process closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def setup(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MSTRACKER_NOW": "2027-06-20T10:00", "TZ": "Europe/London",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("MSTRACKER_PASSPHRASE", None)
    db = tmp_path / "db.sqlite3"
    for name in ("Ann", "Ben"):
        code, err = _run(["--db", str(db), "patient", "add", "--name", name], env, terminal=False)
        assert code == 0, err
    return tmp_path, db, env


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "script"])
def test_export_all_import_restore_and_encrypt(setup, terminal):
    tmp, db, env = setup
    base = ["--db", str(db), "--role", "coordinator"]
    code, err = _run(base + ["export", "--all", "--format", "json", "--out", str(tmp / "all")], env, terminal=terminal)
    assert code == 0, err
    assert ("exporting 2/2 patients" in err) is terminal
    code, err = _run(base + ["import", str(next((tmp / "all").glob("1-*.json")))], env, terminal=terminal)
    assert code == 0, err
    assert ("importing 1/1 events" in err) is terminal  # Ann's patient_add
    code, err = _run(base + ["backup", "--out", str(tmp / "copy.sqlite3")], env, terminal=False)
    assert code == 0, err
    code, err = _run(base + ["restore", str(tmp / "copy.sqlite3")], env, terminal=terminal)
    assert code == 0, err
    assert ("restoring " in err and " pages" in err) is terminal
    code, err = _run(base + ["db", "encrypt"], {**env, "MSTRACKER_PASSPHRASE": "a long passphrase 42"},
                     terminal=terminal)
    assert code == 0, err
    # The backup, the copy, its check, the swap, then each plain backup: the last step drawn as it finishes.
    assert bool(re.search(r"encrypting: step (\d+)/\1\r?\n", err)) is terminal
    if not terminal:  # a script sees only the commands' own lines
        assert "\r" not in err
