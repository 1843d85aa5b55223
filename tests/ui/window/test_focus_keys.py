"""Keys and focus in the patient's window: the first focus, tables entered backwards, the mnemonics' targets."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWizard

from mstracker.services import logbook


def _active(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_daily_temperature_is_the_value_and_enter_from_the_first_focus(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    _active(qtbot, window)
    assert QApplication.focusWidget() is window.quick_temp  # nothing to press to get there
    qtbot.keyClicks(QApplication.focusWidget(), "38.4")  # the value replaces the one shown
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _key(qtbot, Qt.Key.Key_Return)  # one key press besides the value
    temperatures = logbook.history(window.ctx, in_hospital, "temperature")
    assert sorted(e.fields["celsius"] for e in temperatures) == [37.2, 38.4]


def test_focus_entering_the_reminders_backwards_keeps_the_selected_row(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    _active(qtbot, window)
    panel = window.page.reminders
    assert panel.model.rowCount() > 2
    panel.table.selectRow(1)
    chosen = panel.current()
    panel.done.setFocus()
    _key(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is panel.table
    assert panel.current() == chosen
    _key(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # out again, not to the row above
    assert QApplication.focusWidget() is window.page.history.table
    _key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.table and panel.current() == chosen
    _key(qtbot, Qt.Key.Key_Tab)  # Tab leaves the table for Done, which acts on the row chosen
    assert QApplication.focusWidget() is panel.done
    with qtbot.waitSignal(window.page.done_requested) as done:
        _key(qtbot, Qt.Key.Key_Space)
    assert done.args[0] == chosen


def test_correct_and_delete_are_reached_by_tab_from_the_history(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    _active(qtbot, window)
    history = window.page.history
    history.table.setFocus()
    history.table.selectRow(0)
    _key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.page.correct_button
    _key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.page.delete_button


def test_alt_l_opens_the_log_menu_and_alt_d_presses_today(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    _active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.log_menu.isVisible)
    window.log_menu.close()
    _active(qtbot, window)
    with qtbot.waitSignal(window.page.today_button.clicked):
        qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.page.history.search


def test_after_the_first_run_guide_the_temperature_has_the_focus(qtbot, window_for, db_path):
    window = window_for(db_path)
    _active(qtbot, window)
    window.open_wizard()
    wizard = window.wizard
    wizard.next()
    qtbot.keyClicks(wizard.patient.name, "Maria Lopez")
    wizard.next()
    qtbot.waitUntil(wizard.protocol.isComplete)  # the protocols are read off the UI thread
    wizard.protocol.protocol.setCurrentIndex(wizard.protocol.protocol.findData("cy-atg"))
    wizard.next()
    wizard.dates.phase.setCurrentIndex(wizard.dates.phase.findData("mobilization"))
    wizard.dates.since.setText("2027-03-01")
    with qtbot.waitSignal(wizard.finished_with_patient, timeout=10_000):
        button = wizard.button(QWizard.WizardButton.FinishButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    qtbot.waitUntil(lambda: window.quick.isEnabled(), timeout=10_000)
    _active(qtbot, window)
    assert QApplication.focusWidget() is window.quick_temp
