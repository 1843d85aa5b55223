"""The clinical tabs, the caregiver's schedule and the coordinators' dashboard inside the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog

from mstracker.domain.entries import LogKind
from mstracker.ui.patient.insight import CHARTS, ELIGIBILITY, HISTORY, OUTCOMES
from mstracker.ui.window.main_window import AGENDA_PAGE, DASHBOARD_PAGE, PATIENT_PAGE


def test_charts_and_outcomes_tabs_show_the_journey(qtbot, open_window):
    window = open_window("patient")
    window.open_patient(1)
    qtbot.waitUntil(lambda: window.status is not None and window.session.bus.running == 0, timeout=10_000)
    assert window.current_page() == PATIENT_PAGE
    assert window.page.insight.currentIndex() == HISTORY
    with qtbot.waitSignal(window.page.insight.charts_loaded, timeout=10_000):
        window.tab_actions[CHARTS].trigger()  # View ▸ Charts (Ctrl+2)
    assert window.page.insight.currentIndex() == CHARTS
    charts = window.page.insight.charts
    assert not charts.view("anc").is_empty()
    assert not charts.view("temperature").is_empty()
    assert not charts.view("edss").is_empty()
    window.tab_actions[OUTCOMES].trigger()
    assert window.page.insight.currentIndex() == OUTCOMES
    # Day 0 recorded on 31 May 2027: each NEDA period ends a whole number of years later.
    assert "(to 2028-05-31)" in window.page.insight.outcomes._period_labels["1"].text()
    # After the transplant the eligibility checklist is past: its tab is hidden.
    assert not window.page.insight.offers_eligibility and not window.eligibility_tab_action.isVisible()
    assert [window.page.insight.tabText(i) for i in range(window.page.insight.count())] == ["History", "Charts", "Outcomes"]
    assert window.tab_actions[CHARTS].shortcut() == QKeySequence("Ctrl+2")


def test_charts_follow_a_new_entry(qtbot, open_window):
    window = open_window("patient")
    window.open_patient(1)
    with qtbot.waitSignal(window.page.insight.charts_loaded, timeout=10_000):
        window.show_insight(CHARTS)
    before = len(window.page.insight.charts.view("temperature")._data.temperatures)
    window.quick_temp.setValue(37.4)
    with qtbot.waitSignal(window.page.insight.charts_loaded, timeout=10_000):
        window.log_quick_temperature()  # the change broadcast marks the shown charts stale: they reload
    assert len(window.page.insight.charts.view("temperature")._data.temperatures) == before + 1


def test_eligibility_tab_during_assessment(qtbot, open_window):
    window = open_window("patient")
    window.open_patient(2)
    qtbot.waitUntil(lambda: window.page.insight.offers_eligibility, timeout=10_000)
    assert window.eligibility_tab_action.isVisible()
    with qtbot.waitSignal(window.page.insight.eligibility_loaded, timeout=10_000):
        window.tab_actions[ELIGIBILITY].trigger()
    assert window.page.insight.eligibility.items()


def test_caregiver_opens_on_the_schedule_without_write_actions(qtbot, open_window, monkeypatch):
    window = open_window("caregiver")
    assert window.current_page() == AGENDA_PAGE
    agenda = window.agenda
    qtbot.waitUntil(lambda: agenda.data is not None, timeout=10_000)
    assert agenda.isVisible() and agenda.title.text().startswith("Schedule — ")
    assert window.agenda_pick.isVisible()  # two patients: the schedule offers the choice
    visible = {a.text().replace("&", "") for menu_action in window.menuBar().actions() if menu_action.isVisible()
               for a in menu_action.menu().actions() if a.isVisible() and not a.isSeparator()}
    writes = {"Undo", "Correct entry…", "Delete entry…", "Change phase or plan a date…", "Set up a journey…",
              "Mark done", "Snooze for 1 hour", "Skip", "Restore from backup…", "Protocols…",
              "Export all patients…", "Go to dashboard"}
    assert not visible & writes
    assert {"Print preview…", "Export…", "Audit trail…", "Journey view"} <= visible
    assert not window.log_menu.menuAction().isVisible() and not window.journey_menu.menuAction().isVisible()
    printed = []
    monkeypatch.setattr(agenda, "print_preview", lambda: printed.append(True))
    window.print_action.trigger()  # Ctrl+P on the schedule prints the schedule
    assert printed == [True]
    assert agenda.print_action.shortcut().isEmpty()  # one Ctrl+P in the window, not two that cancel out
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Ben Okafor (#2)", True))
    with qtbot.waitSignal(agenda.loaded, timeout=10_000):
        window.agenda_pick.click()
    assert agenda.title.text() == "Schedule — Ben Okafor"
    window.journey_view_action.trigger()
    assert window.current_page() == PATIENT_PAGE


def test_coordinator_dashboard_opens_a_patient_and_returns(qtbot, open_window):
    window = open_window("coordinator")
    assert window.current_page() == DASHBOARD_PAGE
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.data is not None and not dashboard.loading, timeout=10_000)
    assert dashboard.model.rowCount() == 2
    assert dashboard.select_patient(2)
    dashboard.open_current()
    assert window.current_page() == PATIENT_PAGE
    qtbot.waitUntil(lambda: window.session.patient_id == 2, timeout=10_000)
    assert window.header.name.text() == "Ben Okafor"
    window.dashboard_action.trigger()  # View ▸ Go to dashboard (Ctrl+Shift+D)
    assert window.current_page() == DASHBOARD_PAGE
    assert window.dashboard_action.shortcut() == QKeySequence("Ctrl+Shift+D")
    assert window.protocols_action.isVisible() and window.export_all_action.isVisible()


def test_the_dashboard_shows_no_patient_above_it_and_a_patient_has_a_way_back(qtbot, open_window):
    window = open_window("coordinator")
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.data is not None and not dashboard.loading, timeout=10_000)
    # No stale header, quick temperature or warnings over the list: nothing to "Log it" for by mistake.
    for widget in (window.header, window.quick_temp, window.quick_button, window.patient_strip):
        assert not widget.isVisible()
    assert dashboard.select_patient(1)
    dashboard.open_current()
    qtbot.waitUntil(lambda: window.session.patient_id == 1, timeout=10_000)
    assert window.header.isVisible() and window.quick_temp.isVisible()
    assert window.back_button.isVisible() and window.back_button.text() == "← &Back to all patients"
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == DASHBOARD_PAGE and not window.header.isVisible()
    # The Log menu from the list first shows whom it logs for.
    window.log_actions[LogKind.NOTE].trigger()
    assert window.current_page() == PATIENT_PAGE and window.header.isVisible()
    window.log_dialog.reject()


def test_patients_see_no_way_to_a_dashboard(open_window):
    window = open_window("patient")
    assert not window.back_button.isVisible()


def test_patient_picker_opens_another_patient(qtbot, open_window, monkeypatch):
    window = open_window("patient")
    assert window.switch_action.isEnabled()
    assert window.switch_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Ben Okafor (#2)", True))
    window.switch_action.trigger()  # the list is read off the UI thread, then the picker asks
    qtbot.waitUntil(lambda: window.session.patient_id == 2, timeout=10_000)


def test_patients_have_no_dashboard(open_window):
    window = open_window("patient")
    assert not window.dashboard_action.isVisible() and not window.protocols_action.isVisible()
    window.show_page(DASHBOARD_PAGE)
    assert window.current_page() == PATIENT_PAGE and window.dashboard is None
