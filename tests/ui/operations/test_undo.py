"""Edit ▸ Undo runs the services' own undo functions (beside each write), through the runner: each path
takes its write back, names the service that does it, and a failing undo stays on the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from mstracker.domain.entries import LogKind
from mstracker.services import audit, logbook, reminders
from mstracker.services.records import UNDO_REASON

from ..conftest import settle


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _undo(qtbot, window) -> None:
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.undo_action.trigger()
    settle(qtbot, window)


def test_an_entry_logged_in_its_dialog_is_taken_back_by_the_logbook(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.log_actions[LogKind.NOTE].trigger()
    dialog = window.log_dialog
    qtbot.keyClicks(dialog.inputs["text"].input, "slept well")
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _save(qtbot, dialog)
    settle(qtbot, window)
    top = window.session.undo.top
    assert top.undo.fn is logbook.undo_log and window.undo_action.text() == "&Undo log note"
    [note] = logbook.history(window.ctx, in_hospital, "note")
    assert top.undo.args == (note.entry_id,)

    _undo(qtbot, window)
    assert logbook.history(window.ctx, in_hospital, "note") == []
    assert any(UNDO_REASON in str(row["detail"]) for row in audit.audit(window.ctx, in_hospital))
    assert window.statusBar().currentMessage() == "Undone: log note."
    assert not window.undo_action.isEnabled()


def test_a_reminder_marked_done_is_pending_again_after_undo(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    panel = window.page.reminders
    first = panel.model.reminder(0)
    panel.table.selectRow(0)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.done_action.trigger()
    settle(qtbot, window)
    assert next(r for r in reminders.schedule(window.ctx, in_hospital) if r.id == first.id).status == "done"
    assert window.session.undo.top.undo.fn is reminders.reopen

    _undo(qtbot, window)
    assert next(r for r in reminders.schedule(window.ctx, in_hospital) if r.id == first.id).status == "pending"


def test_a_snoozed_reminder_is_pending_again_after_undo(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    panel = window.page.reminders
    first = panel.model.reminder(0)
    assert panel.select_id(first.id)
    hour = next(a for a in panel.snooze_menu.actions() if a.data() == "hour")
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        hour.trigger()
    settle(qtbot, window)
    assert next(r for r in reminders.schedule(window.ctx, in_hospital) if r.id == first.id).status == "snoozed"

    _undo(qtbot, window)
    back = next(r for r in reminders.schedule(window.ctx, in_hospital) if r.id == first.id)
    assert (back.status, back.effective_due) == ("pending", first.due)


def test_a_correction_that_fills_an_empty_field_offers_no_undo(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    history = window.page.history
    row = next(r for r in range(history.model.rowCount()) if history.model.entry(r).kind is LogKind.LAB)
    history.table.selectRow(row)
    window.correct_action.trigger()
    dialog = window.log_dialog
    qtbot.keyClicks(dialog.inputs["wbc"].input, "3.1")  # empty before: a correction cannot empty it again
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _save(qtbot, dialog)
    settle(qtbot, window)
    [lab] = logbook.history(window.ctx, in_hospital, "lab")
    assert lab.fields["wbc"] == 3.1
    assert len(window.session.undo) == 0 and not window.undo_action.isEnabled()


def test_a_failing_undo_says_why_once_and_stays_on_the_list(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.quick_temp.setValue(37.6)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.log_quick_temperature()
    settle(qtbot, window)
    item = window.session.undo.top
    logbook.retract(window.ctx, item.undo.args[0], "entered in error")  # elsewhere, before Undo is pressed
    failed = []
    window.session.bus.failed.connect(failed.append)
    window.undo_action.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: len(failed) == 1)
    assert failed == [f"entry {item.undo.args[0]} is already retracted"]
    assert window.session.undo.top is item and window.undo_action.text() == "&Undo log temperature"
