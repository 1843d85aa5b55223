"""Tab goes through the window in the order a reader sees it: parts made after the window (the alerts, the
dose announcement, today's doses, a tab's panel, the medicines' buttons) are reached where they are shown,
not at the end of the round."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication

from mstracker.ui.patient.tab_order import CHARTS, OUTCOMES

from ..conftest import settle


def _active(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _tab(qtbot, backwards: bool = False) -> None:
    widget = QApplication.focusWidget()
    if backwards:
        qtbot.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Tab)


def _round_from(qtbot, widget, presses: int = 200) -> list:
    """The widgets Tab reaches from `widget`, pressing Tab until it comes back (or leaves nothing new)."""
    _active(qtbot, widget.window())
    widget.setFocus()
    seen = []
    for _ in range(presses):
        _tab(qtbot)
        now = QApplication.focusWidget()
        if now is widget or now in seen:
            break
        seen.append(now)
    return seen


def _patient_window(qtbot, open_window):
    window = open_window("patient")
    settle(qtbot, window)
    # Rows added to a shown panel are shown by Qt on the next turn of the event loop.
    qtbot.waitUntil(lambda: window.header.alert_bar is not None
                    and any(b.isVisible() for b in window.doses.taken_buttons), timeout=10_000)
    window.page.history.table.selectRow(0)  # Correct and Delete act on the chosen entry
    _active(qtbot, window)
    return window


def test_the_alerts_and_todays_doses_are_reached_where_they_are_shown(qtbot, open_window):
    window = _patient_window(qtbot, open_window)
    page, rows = window.page, window.header.alert_bar.rows()
    assert rows
    window.phase_button.setFocus()
    _tab(qtbot)  # from the quick log's last button into the alerts just below it
    assert QApplication.focusWidget() is rows[0]
    order = _round_from(qtbot, window.phase_button)
    at = order.index
    shown_rows = [r for r in rows if r in order]
    assert [at(r) for r in shown_rows] == list(range(len(shown_rows)))  # every alert, top to bottom, first
    assert at(page.zoom_buttons[min(page.zoom_buttons)]) > at(shown_rows[-1])
    assert at(page.timeline) < at(page.insight.tabBar()) < at(page.history.table) < at(page.delete_button)
    doses = [b for b in window.doses.findChildren(QAbstractButton) if b in order]
    assert doses and at(page.delete_button) < min(map(at, doses))
    assert max(map(at, doses)) < at(page.reminders.table) < at(page.reminders.done)


def test_rows_of_alerts_rebuilt_on_a_change_keep_their_place(qtbot, open_window):
    window = _patient_window(qtbot, open_window)
    bar = window.header.alert_bar
    bar.set_alerts(bar.alerts()[1:] + bar.alerts()[:1])  # rebuilt: new rows, as after any write
    qtbot.waitUntil(lambda: bar.rows()[0].isVisible())
    _active(qtbot, window)  # the offscreen platform lets go of the active window now and then
    window.phase_button.setFocus()
    _tab(qtbot)
    assert QApplication.focusWidget() is bar.rows()[0]
    _tab(qtbot, backwards=True)
    assert QApplication.focusWidget() is window.phase_button


def test_a_tab_made_when_first_shown_follows_the_tab_bar(qtbot, open_window):
    window = _patient_window(qtbot, open_window)
    insight = window.page.insight
    for index in (CHARTS, OUTCOMES):
        insight.show_tab(index)
        settle(qtbot, window)
        bar = insight.tabBar()
        order = _round_from(qtbot, bar)
        panel = insight.charts if index == CHARTS else insight.outcomes
        inside = [w for w in order if panel.isAncestorOf(w) or w is insight.widget(index)]
        assert inside, index
        first_outside = next(w for w in order if w not in inside)
        assert order.index(inside[-1]) == len(inside) - 1, index  # the panel's stops straight after the bar
        assert not insight.isAncestorOf(first_outside) or first_outside is bar


def test_the_medicines_buttons_come_before_their_table_and_tab_leaves_the_table(qtbot, open_window):
    window = open_window("patient")
    window.show_page("medicines")
    view = window.medicines
    settle(qtbot, window)
    _active(qtbot, window)
    assert view.model.rowCount() > 0
    view.table.selectRow(0)  # Stop and Change dose act on the chosen row
    view.add_button.setFocus()
    for expected in (view.stop_button, view.change_button, view.table):
        _tab(qtbot)
        assert QApplication.focusWidget() is expected
    _tab(qtbot)  # out of the table: Tab does not walk its cells
    assert QApplication.focusWidget() is not view.table
    _tab(qtbot, backwards=True)
    assert QApplication.focusWidget() is view.table
    _tab(qtbot, backwards=True)
    assert QApplication.focusWidget() is view.change_button


def test_the_schedule_is_reached_top_row_then_alerts_doses_list_and_calendar(qtbot, open_window):
    window = open_window("patient")
    window.show_page("agenda")
    agenda = window.agenda
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(agenda.alerts.rows()) and agenda.alerts.rows()[0].isVisible()
                    and any(b.isVisible() for b in window.agenda_doses.taken_buttons), timeout=10_000)
    order = _round_from(qtbot, window.phase_button)
    at = order.index
    rows = [r for r in agenda.alerts.rows() if r in order]
    doses = [b for b in window.agenda_doses.taken_buttons if b in order]
    assert rows and doses
    assert at(window.agenda_pick) == 0 and at(agenda.print_button) == 1  # the top row, left to right
    assert [at(r) for r in rows] == list(range(2, 2 + len(rows)))  # then the alerts, top to bottom
    assert max(map(at, rows)) < min(map(at, doses)) < max(map(at, doses)) < at(agenda.table)
    assert at(agenda.table) < at(agenda.calendar.focusProxy() or agenda.calendar) < at(agenda.day_table)
