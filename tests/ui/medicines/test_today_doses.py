"""Today's doses on the main window: Taken in one click (or from the keyboard), Skip with a reason, the
dose announcements at the dose's time and an hour later, and the caregiver who sees but records nothing."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from mstracker.domain.medicines.doses import DoseStatus

from .conftest import doses_now


def _status_texts(panel) -> list[str]:
    return [w.text() for w in panel.findChildren(QLabel, "doseStatus")]


def _lines(panel) -> list[str]:
    return [w.text() for w in panel.findChildren(QLabel) if " — " in w.text()]


def _open(window_for, db_path, qtbot, role="patient"):
    window = window_for(db_path, role)
    panel = window.doses
    qtbot.waitUntil(lambda: panel.today is not None and panel.isVisible(), timeout=10_000)
    return window, panel


def test_a_dose_is_recorded_taken_in_one_click_and_undone(qtbot, window_for, on_gcsf, db_path, clock):
    window, panel = _open(window_for, db_path, qtbot)
    # Yesterday's missed dose first (it can still be recorded), then today's.
    assert _lines(panel) == ["yesterday 08:00 — G-CSF (filgrastim) injections", "08:00 — G-CSF (filgrastim) injections"]
    assert _status_texts(panel) == ["Missed", "Due"]
    assert panel.adherence.text() == "This week: 83 % of doses taken."  # 5 taken, the 19th missed
    qtbot.mouseClick(panel.taken_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Taken at 10:00"], timeout=10_000)
    assert len(panel.taken_buttons) == 1  # yesterday's alone is still open
    dose = doses_now(db_path, clock, on_gcsf).doses[0]
    assert dose.status == DoseStatus.TAKEN and dose.taken_at == datetime(2027, 3, 20, 10, 0)
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Due"], timeout=10_000)
    assert doses_now(db_path, clock, on_gcsf).doses[0].status == DoseStatus.PENDING


def test_the_keyboard_records_a_dose_too(qtbot, window_for, on_gcsf, db_path, clock):
    window, panel = _open(window_for, db_path, qtbot)
    button = panel.taken_buttons[1]
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Taken at 10:00"], timeout=10_000)
    # The menu's entry records the next open dose, with its shortcut.
    assert window.take_dose_action.shortcuts()[0] == QKeySequence("Ctrl+Shift+K")
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Due"], timeout=10_000)
    window.take_dose_action.trigger()
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Taken at 10:00"], timeout=10_000)


def test_a_dose_is_skipped_with_a_reason(qtbot, window_for, on_gcsf, db_path, clock):
    window, panel = _open(window_for, db_path, qtbot)
    qtbot.mouseClick(panel.skip_buttons[1], Qt.MouseButton.LeftButton)
    dialog = panel.skip_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.reason, "the team said to wait")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Skipped: the team said to wait"], timeout=10_000)
    dose = doses_now(db_path, clock, on_gcsf).doses[0]
    assert dose.status == DoseStatus.SKIPPED and dose.reason == "the team said to wait"


def test_a_refused_skip_shows_the_reason_inline(qtbot, window_for, on_gcsf, db_path, clock):
    window, panel = _open(window_for, db_path, qtbot)
    qtbot.mouseClick(panel.skip_buttons[1], Qt.MouseButton.LeftButton)
    dialog = panel.skip_dialog
    dialog.reason.setText("bad\x07bell")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() == "--reason holds control characters; write plain text"
    assert dialog.isVisible()
    assert doses_now(db_path, clock, on_gcsf).doses[0].status == DoseStatus.PENDING


def test_a_dose_is_announced_at_its_time_and_once_more_an_hour_later(qtbot, window_for, on_gcsf, db_path, clock):
    clock.set(datetime(2027, 3, 20, 7, 50))
    window, panel = _open(window_for, db_path, qtbot)
    watch, banner = window.dose_watch, window.dose_banner
    assert not banner.isVisible()
    heard: list = []
    watch.announce.connect(heard.extend)

    def look_at(hour: int, minute: int) -> None:
        clock.set(datetime(2027, 3, 20, hour, minute))
        with qtbot.waitSignal(watch.looked, timeout=10_000):
            watch.check()

    look_at(7, 59)
    assert heard == [] and not banner.isVisible()
    look_at(8, 0)
    assert [(a.dose.due, a.repeat) for a in heard] == [(datetime(2027, 3, 20, 8, 0), False)]
    assert banner.isVisible() and banner.text.text().startswith("Time for G-CSF (filgrastim) injections")
    look_at(8, 30)
    look_at(8, 59)
    assert len(heard) == 1
    banner.dismiss.click()
    look_at(9, 0)
    assert [(a.dose.due, a.repeat) for a in heard][1:] == [(datetime(2027, 3, 20, 8, 0), True)]
    assert banner.isVisible() and banner.text.text().startswith("Still not recorded: G-CSF")
    look_at(10, 0)
    look_at(11, 59)
    assert len(heard) == 2  # one repeat only
    # Taken from the banner: the banner goes, the dose is recorded.
    qtbot.mouseClick(banner.taken, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Taken at 11:59"], timeout=10_000)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)


def test_a_dose_recorded_in_time_is_not_announced_again(qtbot, window_for, on_gcsf, db_path, clock):
    clock.set(datetime(2027, 3, 20, 8, 0))
    window, panel = _open(window_for, db_path, qtbot)
    heard: list = []
    window.dose_watch.announce.connect(heard.extend)
    qtbot.mouseClick(panel.taken_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status_texts(panel) == ["Missed", "Taken at 08:00"], timeout=10_000)
    clock.set(datetime(2027, 3, 20, 9, 5))
    with qtbot.waitSignal(window.dose_watch.looked, timeout=10_000):
        window.dose_watch.check()
    assert heard == []
    assert not window.dose_banner.isVisible()


def test_the_caregiver_sees_the_doses_and_records_nothing(qtbot, window_for, on_gcsf, db_path, clock):
    window = window_for(db_path, "caregiver")
    qtbot.waitUntil(lambda: window.agenda_doses is not None and window.agenda_doses.today is not None, timeout=10_000)
    home = window.agenda_doses
    qtbot.waitUntil(home.isVisible, timeout=10_000)
    assert window.current_page() == "agenda"
    assert _status_texts(home) == ["Missed", "Due"]
    assert _lines(home)[0] == "yesterday 08:00 — G-CSF (filgrastim) injections"
    assert home.adherence.text() == "This week: 83 % of doses taken."
    assert home.taken_buttons == [] and home.skip_buttons == []
    assert not window.take_dose_action.isVisible() and not window.skip_dose_action.isVisible()
    # The missed-dose warning shows among the caregiver's alerts, as the patient's.
    qtbot.waitUntil(lambda: window.agenda.data is not None, timeout=10_000)
    assert any(a.code == "missed_dose" and "apheresis unit" in a.message for a in window.agenda.data.alerts)
    # Even when asked from the keyboard, nothing is recorded.
    window.take_next_dose()
    window.doses.take_next()
    qtbot.wait(200)
    assert doses_now(db_path, clock, on_gcsf).doses[0].status == DoseStatus.PENDING


def test_the_missed_dose_warning_shows_in_the_alert_bar(qtbot, window_for, on_gcsf, db_path):
    window, _panel = _open(window_for, db_path, qtbot)
    qtbot.waitUntil(lambda: window.status is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.header.alert_bar is not None, timeout=10_000)
    rows = [r for r in window.header.alert_bar.rows() if r.alert.code == "missed_dose"]
    assert len(rows) == 1
    assert rows[0].objectName() == "alertWarning"
    assert "apheresis unit" in rows[0].accessibleName() and "08:00" in rows[0].accessibleName()
