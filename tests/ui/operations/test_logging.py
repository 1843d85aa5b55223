"""Logging from the window: each kind through its dialog, the one-step temperature, refusals, undo."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialogButtonBox

from mstracker.domain.entries import LogKind
from mstracker.services import logbook

from ..conftest import settle


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def _fill(qtbot, dialog, kind: LogKind) -> str:
    """Type a realistic entry into the dialog; returns the history's line for it."""
    i = dialog.inputs
    if kind is LogKind.LAB:
        qtbot.keyClicks(i["anc"].input, "0.4")
        qtbot.keyClicks(i["platelets"].input, "28")
        return "neutrophils (ANC) 0.4 ×10⁹/L, platelets 28 ×10⁹/L"
    if kind is LogKind.TEMPERATURE:
        i["celsius"].input.setValue(38.3)
        return "38.3 °C"
    if kind is LogKind.SYMPTOM:
        qtbot.keyClicks(i["name"].input, "headache")
        i["severity"].input.setValue(4)
        return "headache, severity 4 of 10"
    if kind is LogKind.SIDE_EFFECT:
        _choose(i["name"].input, "mucositis")
        i["grade"].input.setValue(2)
        return "mouth sores (mucositis), grade 2"
    if kind is LogKind.TRANSFUSION:
        _choose(i["product"].input, "red_cells")
        return "red blood cells"
    if kind is LogKind.RELAPSE:
        qtbot.keyClicks(i["note"].input, "numb left leg")
        return "numb left leg"
    if kind is LogKind.MRI:
        i["new_t2"].input.setValue(1)
        i["gd_enhancing"].input.setValue(0)
        return "1 new or enlarging T2 lesion, 0 gadolinium-enhancing lesions"
    if kind is LogKind.EDSS:
        _choose(i["score"].input, "3.5")
        return "EDSS score 3.5"
    qtbot.keyClicks(i["text"].input, "slept well")
    return "slept well"


@pytest.mark.parametrize("kind", list(LogKind))
def test_logging_each_kind(qtbot, window_for, db_path, in_hospital, kind):
    window = window_for(db_path)
    before = window.page.history.model.total
    window.log_actions[kind].trigger()
    dialog = window.log_dialog
    assert dialog.isVisible()
    assert dialog.when.dateTime() == QDateTime(datetime(2027, 3, 20, 10, 0))  # defaults to now (the clock)
    expected = _fill(qtbot, dialog, kind)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: window.page.history.model.total == before + 1, timeout=10_000)
    assert not dialog.isVisible()
    newest = window.page.history.model.entry(0)
    assert newest.kind is kind
    assert window.page.history.model.index(0, 2).data() == expected


def test_a_refused_value_is_shown_and_nothing_is_logged(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.log_actions[LogKind.LAB].trigger()
    dialog = window.log_dialog
    qtbot.keyClicks(dialog.inputs["platelets"].input, "-3")
    _save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "platelets=-3 is outside the plausible range 0–2000 ×10⁹/L; check the value"
    settle(qtbot, window)
    assert window.page.history.model.total == 2


def test_a_date_in_the_future_is_refused_by_the_service_inline(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.log_actions[LogKind.NOTE].trigger()
    dialog = window.log_dialog
    qtbot.keyClicks(dialog.inputs["text"].input, "tomorrow's plan")
    dialog.when.setDateTime(QDateTime(datetime(2027, 3, 22, 9, 0)))
    with qtbot.waitSignal(window.session.bus.failed, timeout=10_000) as failed:
        _save(qtbot, dialog)
    assert "future" in failed.args[0]
    assert dialog.isVisible() and dialog.error.text() == failed.args[0]
    assert dialog.buttons.isEnabled()  # the typed text is still there, ready to fix and save
    assert logbook.history(window.ctx, in_hospital, "note") == []


def test_one_step_temperature_from_the_keyboard_and_undo(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    spin = window.quick_temp
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "38.1")
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.history.model.total == 3, timeout=10_000)
    assert window.page.history.model.index(0, 2).data() == "38.1 °C"
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo log temperature"

    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.page.history.model.total == 2, timeout=10_000)
    assert [e.fields.get("celsius") for e in logbook.history(window.ctx, in_hospital, "temperature")] == [37.2]
    assert not window.undo_action.isEnabled()


def test_correct_then_delete_then_undo_both(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.page.history.table.selectRow(0)  # the temperature, 37.2
    assert window.page.history.current_entry().kind is LogKind.TEMPERATURE
    window.correct_action.trigger()
    dialog = window.log_dialog
    dialog.inputs["celsius"].input.setValue(37.9)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: window.page.history.model.total == 2 and window.page.history.model.entry(0).amended,
                    timeout=10_000)
    assert window.page.history.model.index(0, 1).data() == "Temperature (corrected)"
    assert window.page.history.model.index(0, 2).data() == "37.9 °C"

    window.page.history.table.selectRow(0)
    window.delete_action.trigger()
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.delete_dialog.accept()
    qtbot.waitUntil(lambda: window.page.history.model.total == 1, timeout=10_000)

    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.undo_action.trigger()  # brings the deleted entry back
    qtbot.waitUntil(lambda: window.page.history.model.total == 2, timeout=10_000)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.undo_action.trigger()  # takes the correction back
    qtbot.waitUntil(lambda: window.page.history.model.index(0, 2).data() == "37.2 °C", timeout=10_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Correction undone: "), timeout=10_000)
    assert "37.2 °C, as before." in window.statusBar().currentMessage()
    assert window.page.history.count.text() == "2 entries."


def test_counts_in_words_agree_with_their_number(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.page.history.table.selectRow(0)
    window.delete_action.trigger()
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.delete_dialog.accept()
    qtbot.waitUntil(lambda: window.page.history.count.text() == "1 entry.", timeout=10_000)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.page.history.count.text() == "2 entries.", timeout=10_000)
    assert window.statusBar().currentMessage() == "Undone: delete temperature."


def test_a_fever_while_neutropenic_raises_an_urgent_alert(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.quick_temp.setValue(38.5)
    with qtbot.waitSignal(window.header.urgent_raised, timeout=10_000) as raised:
        qtbot.mouseClick(window.quick_button, Qt.MouseButton.LeftButton)
    assert raised.args[0].code == "febrile_neutropenia"
    bar = window.header.alert_bar
    assert bar.isVisible() and bar.alerts()[0].level == "urgent"
