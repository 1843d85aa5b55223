"""Start-up: the role asked once (only without --role and with several patients), one instance per
database with a read-only offer, and the damaged-file offer to restore the newest good backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from mstracker.services.context import open_context
from mstracker.services.locking import acquire_path_lock
from mstracker.services.maintenance import CheckReport
from mstracker.ui.app import make_application
from mstracker.ui.core.settings import UiSettings
from mstracker.ui.dialogs import role as role_dialog
from mstracker.ui.operations import safety
from mstracker.ui.startup.instance_lock import claim
from mstracker.ui.startup.opening import open_for_start


@pytest.fixture
def asked(monkeypatch):
    """Replaces the modal role question; answers coordinator and records each time it is asked."""
    calls: list[str] = []

    def choose(_parent=None, default="patient"):
        calls.append(default)
        return "coordinator"

    monkeypatch.setattr(role_dialog, "choose_role", choose)
    return calls


def _start(db, role="patient", explicit=False):
    claimed = open_for_start(make_application(), str(db), role, explicit, UiSettings())
    ctx, lock = claimed
    return ctx, lock


def test_the_role_is_asked_once_without_role_and_with_several_patients(qtbot, journey, asked):
    ctx, lock = _start(journey)
    try:
        assert asked == ["patient"] and ctx.role == "coordinator" and lock is not None
    finally:
        lock.release()
        ctx.close()
    ctx, lock = _start(journey)  # remembered: not asked again
    try:
        assert asked == ["patient"] and ctx.role == "coordinator"
    finally:
        lock.release()
        ctx.close()


def test_no_role_question_with_an_explicit_role(qtbot, journey, asked):
    ctx, lock = _start(journey, role="caregiver", explicit=True)
    try:
        assert asked == [] and ctx.role == "caregiver" and ctx.readonly
    finally:
        ctx.close()


def test_no_role_question_with_one_patient(qtbot, cli, asked):
    assert cli("patient", "add", "--name", "Only One").code == 0
    ctx, lock = _start(cli.db)
    try:
        assert asked == [] and ctx.role == "patient"
    finally:
        lock.release()
        ctx.close()


def _answer(monkeypatch, word: str, seen: list[str]) -> None:
    """The lock question, answered by clicking the button whose text holds `word`."""

    def exec_(box):
        seen.append(box.text())
        seen.extend(b.text() for b in box.buttons())
        next(b for b in box.buttons() if word in b.text().lower()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def test_a_database_open_elsewhere_is_offered_read_only(qtbot, journey, monkeypatch):
    make_application()
    held = acquire_path_lock(Path(journey).resolve())  # "another instance"
    seen: list[str] = []
    _answer(monkeypatch, "read-only", seen)
    try:
        ctx = open_context(str(journey), role="patient")
        result = claim(ctx, lambda: open_context(str(journey), role="caregiver"))
        assert result is not None
        new_ctx, lock = result
        try:
            assert lock is None and new_ctx.role == "caregiver" and new_ctx.readonly
            assert "already open in another mstracker window" in seen[0]
            assert "Open &read-only" in seen and "&Quit" in seen
        finally:
            new_ctx.close()
        seen.clear()
        _answer(monkeypatch, "quit", seen)
        assert claim(open_context(str(journey), role="patient"), lambda: None) is None
    finally:
        held.release()


def test_a_damaged_file_offers_the_newest_good_backup(qtbot, open_window, monkeypatch):
    window = open_window("patient")
    good = Path("/backups/ui-20270619T100000-daily.sqlite3")
    report = CheckReport("/data/ui.sqlite3", ["database disk image is malformed"], [], good)
    restored: list[Path] = []
    monkeypatch.setattr(safety, "restore_file", lambda _parent, _session, source, *_rest: restored.append(source))
    box = safety.offer_restore(window, window.session, report, None, lambda *_a: None)
    assert "is damaged (database disk image is malformed)" in box.text()
    assert "never overwritten" in box.informativeText()
    next(b for b in box.buttons() if "Restore" in b.text()).click()
    assert restored == [good]
    assert not box.isVisible()


def test_start_checks_take_the_daily_backup_and_find_the_file_sound(qtbot, open_window):
    from mstracker.services import maintenance

    window = open_window("patient")
    for backup in maintenance.list_backups(window.ctx):  # the CLI's own daily backup, taken while building
        backup.path.unlink()
    window.start_checks()
    qtbot.waitUntil(lambda: window.startup_report is not None, timeout=10_000)
    assert window.startup_report.sound
    assert [b.reason for b in maintenance.list_backups(window.ctx)] == ["daily"]
    assert window.damaged_box is None


def test_switch_role_reopens_the_window_in_the_chosen_role(qtbot, open_window, monkeypatch):
    from mstracker.ui import app as app_module
    from mstracker.ui.window.main_window import AGENDA_PAGE

    window = open_window("patient")
    monkeypatch.setattr(window, "deleteLater", lambda: None)  # the fixture closes it at the end
    monkeypatch.setattr(role_dialog, "choose_role", lambda _parent=None, default="patient": "caregiver")
    window.role_action.trigger()  # File ▸ Switch role…
    new = app_module._windows[0]
    qtbot.addWidget(new)
    try:
        assert new is not window and new.ctx.role == "caregiver" and new.readonly
        assert new.current_page() == AGENDA_PAGE and new.isVisible()
        assert not window.isVisible()
        assert window.settings.role() == "caregiver"
        qtbot.waitUntil(lambda: new.session.bus.running == 0, timeout=10_000)
    finally:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone()
        new.session.ctx.close()
        app_module._windows.clear()


def _switch_from_caregiver(qtbot, open_window, monkeypatch, to: str):
    window = open_window("caregiver")
    monkeypatch.setattr(window, "deleteLater", lambda: None)  # the fixture closes it at the end
    monkeypatch.setattr(role_dialog, "choose_role", lambda _parent=None, default="patient": to)
    window.role_action.trigger()  # File ▸ Switch role…
    box = window.role_confirm
    qtbot.waitExposed(box)
    return window, box


def test_a_caregiver_switching_to_a_writing_role_is_asked_and_it_is_recorded(qtbot, open_window, monkeypatch):
    from mstracker.services import audit
    from mstracker.ui import app as app_module

    window, box = _switch_from_caregiver(qtbot, open_window, monkeypatch, "patient")
    assert box.text() == "Switch from caregiver to patient?"
    assert "record readings" in box.informativeText() and "audit trail" in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert window.isVisible() and window.readonly  # nothing happens before the answer
    switch = next(b for b in box.buttons() if b.text() == "Switch to patient")
    switch.click()
    new = app_module._windows[0]
    qtbot.addWidget(new)
    try:
        assert new is not window and new.ctx.role == "patient" and not new.readonly
        assert window.settings.role() == "patient"
        qtbot.waitUntil(lambda: new.session.bus.running == 0, timeout=10_000)
        pid = window.session.patient_id
        (switch_row,) = [r for r in audit.audit(new.ctx, pid) if r["action"] == "role_switch"]
        assert (switch_row["role"], switch_row["detail"]) == ("patient", "role switched from caregiver to patient")
    finally:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone()
        new.session.ctx.close()
        app_module._windows.clear()


def test_a_caregiver_who_cancels_the_switch_stays_read_only(qtbot, open_window, monkeypatch):
    from mstracker.ui import app as app_module

    app_module._windows.clear()
    window, box = _switch_from_caregiver(qtbot, open_window, monkeypatch, "coordinator")
    assert "every patient in this file" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert app_module._windows == [] and window.isVisible() and window.readonly
    assert window.settings.role() != "coordinator"
