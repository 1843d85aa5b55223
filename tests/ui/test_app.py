"""Starting the app: the main window on a database, `gui --smoke` as a subprocess, Quit."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QKeySequence


def test_main_window_shows_where_the_patient_is(window_for, db_path, in_hospital):
    window = window_for(db_path)
    assert window.header.name.text() == "Anna Berg"
    assert window.header.where.text() == "Day +12 · recovery in hospital"
    assert window.header.next.text().startswith("Next: ")
    assert window.page.history.model.total == 2
    assert window.page.reminders.model.rowCount() > 0
    assert [b.phase.value for b in window.page.timeline.bands] == ["mobilization", "cells_stored", "conditioning",
                                                              "transplant"]
    assert "Day 0 was 08 Mar 2027" in window.page.timeline.accessibleDescription()


def test_gui_smoke_exits_zero_once_painted(tmp_path, cli, app_env):
    assert cli("patient", "add", "--name", "Smoke Test").code == 0
    result = subprocess.run([sys.executable, "-m", "mstracker.cli", "--db", str(cli.db), "gui", "--smoke"],
                            env=app_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_gui_smoke_on_a_new_database(tmp_path, app_env):
    db = tmp_path / "new.sqlite3"
    result = subprocess.run([sys.executable, "-m", "mstracker.cli", "--db", str(db), "gui", "--smoke"],
                            env=app_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_gui_smoke_refuses_a_missing_database_for_a_caregiver(tmp_path, app_env):
    result = subprocess.run([sys.executable, "-m", "mstracker.cli", "--db", str(tmp_path / "none.sqlite3"),
                             "--role", "caregiver", "gui", "--smoke"],
                            env=app_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")


def test_qt_warnings_go_to_the_log_not_to_the_command_lines_stderr(tmp_path, app_env):
    """A Qt warning forced at start-up (an unknown rounding policy) ends in the app's log file; stderr holds
    exactly the one `error: ` line of the refusal, on every machine."""
    env = {**app_env, "QT_SCALE_FACTOR_ROUNDING_POLICY": "no-such-policy"}
    missing = tmp_path / "missing.sqlite3"
    result = subprocess.run([sys.executable, "-m", "mstracker.cli", "--role", "caregiver", "--db", str(missing),
                             "gui", "--smoke"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert "there is no database" in result.stderr
    log = (tmp_path / "data" / "mstracker" / "mstracker.log").read_text(encoding="utf-8")
    assert "mstracker.qt: Unknown scale factor rounding policy: no-such-policy" in log
    assert not missing.exists()


def test_quit_shortcut_is_the_standard_one(window_for, db_path, in_hospital):
    window = window_for(db_path)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)


VOID_CALLS = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range(100_000):
    label.setText(str(i % 10))
    label.resize(10 + i % 7, 10)
print("ok")
"""


def test_100000_void_qt_calls_exit_cleanly(tmp_path, app_env):
    """A known trap (hence pyproject's PySide6 bound on 3.11): PySide6 6.12.0 on CPython 3.11 aborts with none_dealloc after a few thousand."""
    result = subprocess.run([sys.executable, "-c", VOID_CALLS], env=app_env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
