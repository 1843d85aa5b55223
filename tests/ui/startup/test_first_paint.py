"""The first paint: the main window from a first look at the file (stdlib sqlite3), before SQLAlchemy, the
services or QtCharts are imported; then the same window on the opened database, with the patient loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool

from mstracker.services.context import open_context
from mstracker.services.first_look import first_look

HEAVY = ("sqlalchemy", "alembic", "PySide6.QtCharts", "PySide6.QtPdf", "fhir.resources", "icalendar",
         "mstracker.services.context", "mstracker.domain.clinical", "importlib.resources",
         # the patient's page comes with the opened database
         "mstracker.ui.patient.timeline", "mstracker.ui.patient.history_view", "mstracker.ui.patient.reminders_panel",
         "mstracker.ui.patient.insight", "mstracker.ui.core.session", "mstracker.domain.entries", "decimal", "dataclasses",
         # the drop-down lists' names for a screen reader: there is none in the painted window
         "mstracker.ui.core.combo_names")

# PySide6 builds the ~100 enums of its Qt namespace on first use (a sixth of a bare window's start): the first
# paint does without it (no `Qt.` in the frame, shortcuts set with setShortcuts).
SMOKE_AND_LOOK = f"""
import sys
from mstracker.cli import main
code = main(["--db", sys.argv[1], "gui", "--smoke"])
import PySide6.QtCore
loaded = [m for m in {HEAVY!r} if m in sys.modules] + (["Qt namespace"] if "Qt" in vars(PySide6.QtCore) else [])
print(" ".join(loaded))
sys.exit(code)
"""


def test_smoke_paints_before_the_heavy_imports(tmp_path, db_path, in_hospital, app_env):
    result = subprocess.run([sys.executable, "-c", SMOKE_AND_LOOK, db_path], env=app_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""  # none of them was imported


def test_first_look_names_the_last_patient_viewed(db_path, in_hospital, clock):
    ctx = open_context(db_path, clock=clock)
    try:
        from mstracker.services import patients

        other = patients.add_patient(ctx, "Ben Ola")
        key = ctx.db.target.describe()
    finally:
        ctx.close()
    look = first_look(db_path, lambda k: other if k == key else None)
    assert (look.db_key, look.patient_count, look.patient.name, look.patient.phase) == (key, 2, "Ben Ola", None)
    look = first_look(db_path, lambda _k: 999)  # gone since: the first one
    assert (look.patient.id, look.patient.name, look.patient.phase) == (in_hospital, "Anna Berg", "transplant")


def test_no_first_look_where_only_the_full_open_can_tell(tmp_path, db_path, in_hospital):
    assert first_look(str(tmp_path / "missing.sqlite3"), lambda _k: None) is None
    noise = tmp_path / "noise.sqlite3"
    noise.write_bytes(os.urandom(4096))  # e.g. an encrypted file
    assert first_look(str(noise), lambda _k: None) is None
    assert first_look("postgresql://clinic/mstracker", lambda _k: None) is None
    import sqlite3

    with sqlite3.connect(db_path) as conn:  # a newer mstracker's schema: the full open refuses it properly
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    assert first_look(db_path, lambda _k: None) is None


def test_the_first_look_reads_the_default_database(monkeypatch, tmp_path, db_path, in_hospital):
    monkeypatch.setenv("MSTRACKER_DB", str(db_path))
    look = first_look(None, lambda _k: None)
    assert look is not None and look.patient_count >= 1
    monkeypatch.delenv("MSTRACKER_DB")
    assert first_look(None, lambda _k: None) is None  # nothing in the (empty) data folder yet


def test_the_painted_window_becomes_the_loaded_one(qtbot, db_path, in_hospital, clock):
    from mstracker.ui.app import _into, make_application
    from mstracker.ui.core.settings import UiSettings
    from mstracker.ui.startup.first_paint import painted_first

    make_application()
    settings = UiSettings()
    shell = painted_first(db_path, "patient", True, settings, smoke=False)
    qtbot.addWidget(shell)
    shell.show()
    assert shell.session is None
    assert shell.header.name.text() == "Anna Berg"
    assert shell.header.next.text() == "Opening your data…"
    assert shell.windowTitle() == "Anna Berg — mstracker"
    shell.phase_action.trigger()  # nothing to act on yet: no error, no dialog
    assert not shell.quick.isEnabled() and not shell.phase_button.isEnabled()
    assert not shell.body_built and not hasattr(shell, "page")
    shell.save_state()  # closed before the data is open: the window's size is kept, nothing else is touched
    assert settings.geometry("main") is not None and settings.geometry("splitter") is None
    ctx = open_context(db_path, clock=clock)
    try:
        window = _into(shell, ctx, None, settings, db_path)
        assert window is shell
        qtbot.waitUntil(lambda: window.page.timeline.isVisible() and window.page.history.isVisible())
        qtbot.waitUntil(lambda: window.quick.isEnabled() and window.phase_button.isEnabled(), timeout=10_000)
        selectable = window.header.name.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
        assert selectable == Qt.TextInteractionFlag.TextSelectableByMouse
        qtbot.waitUntil(lambda: window._loaded_once and window.session.bus.running == 0, timeout=10_000)
        assert window.header.where.text() == "Day +12 · recovery in hospital"
        assert window.header.next.text().startswith("Next: ")
        assert window.page.history.model.total == 2
    finally:
        QThreadPool.globalInstance().waitForDone()
        ctx.close()


def test_a_window_in_another_role_replaces_the_painted_one(qtbot, db_path, in_hospital, clock):
    from mstracker.ui.app import _into, make_application
    from mstracker.ui.core.settings import UiSettings
    from mstracker.ui.startup.first_paint import painted_first

    make_application()
    settings = UiSettings()
    shell = painted_first(db_path, "patient", True, settings, smoke=False)  # deleted when replaced
    shell.show()
    ctx = open_context(db_path, role="caregiver", clock=clock)  # e.g. the file was held elsewhere: read-only
    try:
        window = _into(shell, ctx, None, settings, db_path)
        qtbot.addWidget(window)
        assert window is not shell and window.readonly and not shell.isVisible()
        qtbot.waitUntil(lambda: window._loaded_once and window.session.bus.running == 0, timeout=10_000)
        assert window.header.name.text() == "Anna Berg"
    finally:
        QThreadPool.globalInstance().waitForDone()
        ctx.close()


def test_the_role_question_comes_before_any_window(db_path, in_hospital, clock):
    from mstracker.ui.app import make_application
    from mstracker.ui.core.settings import UiSettings
    from mstracker.ui.startup.first_paint import painted_first

    ctx = open_context(db_path, clock=clock)
    try:
        from mstracker.services import patients

        patients.add_patient(ctx, "Ben Ola")
    finally:
        ctx.close()
    make_application()
    assert painted_first(db_path, "patient", False, UiSettings(), smoke=False) is None
    assert painted_first(db_path, "patient", True, UiSettings(), smoke=False) is not None


OPEN_OFF_THE_UI_THREAD = """
import sys, threading
on_ui_thread = {}
WATCHED = ("sqlalchemy", "sqlalchemy.orm", "mstracker.services.context", "mstracker.services.logbook")


class Watch:  # notes the thread that first imports each module of interest
    def find_spec(self, name, path=None, target=None):
        if name in WATCHED and name not in on_ui_thread:
            on_ui_thread[name] = threading.current_thread() is threading.main_thread()
        return None


sys.meta_path.insert(0, Watch())
from mstracker.ui.app import run_app
code = run_app(sys.argv[1], sys.argv[2], smoke=True, smoke_until_loaded=True)
print(sorted(name for name, ui in on_ui_thread.items() if ui), sorted(on_ui_thread))
sys.exit(code)
"""


@pytest.mark.parametrize("role", ["patient", "caregiver", "coordinator"])
def test_the_complete_window_reads_without_the_storage_engine(db_path, in_hospital, app_env, role):
    """A plain file at this version's schema: the window shows its data read with sqlite3 alone, and imports
    SQLAlchemy (half a second, 50 MB) and the services that write only at the first write."""
    result = subprocess.run([sys.executable, "-c", OPEN_OFF_THE_UI_THREAD, db_path, role], env=app_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] []"


def test_the_full_open_imports_the_storage_engine_off_the_ui_thread(db_path, in_hospital, app_env):
    """Where the full open has work to do first (here: what a killed restore left beside the file), it runs in
    a worker: importing SQLAlchemy takes a third of a second, and the painted window must not freeze."""
    Path(db_path + ".restoring").write_bytes(b"")
    result = subprocess.run([sys.executable, "-c", OPEN_OFF_THE_UI_THREAD, db_path, "patient"], env=app_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] ['mstracker.services.context', 'sqlalchemy', 'sqlalchemy.orm']"
    assert not Path(db_path + ".restoring").exists()  # tidied by the full open


# The complete window of a patient not published to a caregiver's calendar: the calendar's writers stay out.
LOADED_AND_LOOK = """
import sys
from mstracker.ui.app import run_app
code = run_app(sys.argv[1], smoke=True, smoke_until_loaded=True)
from mstracker.ui.core import combo_names
print("icalendar" if "icalendar" in sys.modules else "", "" if combo_names._installed else "no combo names")
sys.exit(code)
"""


def test_the_complete_window_does_without_the_calendar_writers(db_path, in_hospital, app_env):
    result = subprocess.run([sys.executable, "-c", LOADED_AND_LOOK, db_path], env=app_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# What the window imports while it attaches to the opened database, on the UI thread (it should be nothing:
# the opening worker imported it all).
ATTACH_AND_LOOK = """
import sys
from mstracker.ui.window import main_window
attach = main_window.MainWindow.attach
new = []

def watched(self, session):
    before = set(sys.modules)
    attach(self, session)
    self.show_home()
    new.extend(sorted(m for m in set(sys.modules) - before if m.startswith("mstracker")))

main_window.MainWindow.attach = watched
from mstracker.ui.app import run_app
code = run_app(sys.argv[1], sys.argv[2], smoke=True, smoke_until_loaded=True)
print(" ".join(new))
sys.exit(code)
"""


@pytest.mark.parametrize("role", ["patient", "caregiver", "coordinator"])
def test_the_attach_imports_nothing_on_the_ui_thread(db_path, in_hospital, app_env, role):
    result = subprocess.run([sys.executable, "-c", ATTACH_AND_LOOK, db_path, role], env=app_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# Every window fits the screen, with no event filter on the application (one made Python look at every event of
# every widget, a sixth of the complete window's start): the app's windows fit themselves as they are shown,
# any other window as it takes the focus.
FITTED_AND_LOOK = """
import sys
from PySide6.QtCore import QMetaObject
from PySide6.QtWidgets import QApplication, QMessageBox
from mstracker.ui import app as ui_app
from mstracker.ui.core import screen_fit
from mstracker.ui.dialogs.role import RoleDialog
code = ui_app.run_app(sys.argv[1], smoke=True, smoke_until_loaded=True)
window = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow")
ours = RoleDialog()
ours.show()
other = QMessageBox(QMessageBox.Icon.Warning, "mstracker", "A message box is not one of the app's classes.")
other.show()
other.activateWindow()
other.defaultButton().setFocus() if other.defaultButton() else other.buttons()[0].setFocus()
QApplication.processEvents()
print(isinstance(QApplication.instance()._screen_fit, QMetaObject.Connection),
      *(bool(w.property(screen_fit.FITTED)) for w in (window, ours, other)))
sys.exit(code)
"""


def test_every_window_fits_without_a_filter_on_the_application(db_path, in_hospital, app_env):
    result = subprocess.run([sys.executable, "-c", FITTED_AND_LOOK, db_path], env=app_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # a signal on the application, not a filter; the main window, the app's dialog and the message box fitted
    assert result.stdout.split() == ["True", "True", "True", "True"]
