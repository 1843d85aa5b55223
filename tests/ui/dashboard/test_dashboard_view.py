"""The coordinators' dashboard over 1,000 generated patients: loads off the UI thread, sorts, filters, opens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool

from mstracker.services.dashboard import alert_flags
from mstracker.ui.core.session import Session
from mstracker.ui.dashboard.model import ALERTS, DAY, NAME, PHASE, IdRole, SortRole
from mstracker.ui.dashboard.view import DashboardView, load_dashboard

from ..conftest import clock_at
from .generator import expected_flags, generate, name_of, phase_of

NOW = "2027-06-20T10:00"
COUNT = 1000


@pytest.fixture
def clinic(open_ctx):
    ctx = open_ctx(NOW)
    generate(ctx, COUNT, clock_at(NOW)())
    return ctx


def _loaded(qtbot, ctx) -> DashboardView:
    view = DashboardView(Session(ctx))
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    assert view.loading and view.state.text() == "Loading patients…"  # the read runs off the UI thread
    with qtbot.waitSignal(view.loaded, timeout=20000) as blocker:
        pass
    assert blocker.args == [COUNT]
    return view


def _column(view: DashboardView, column: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [view.proxy.index(r, column).data(role) for r in range(view.proxy.rowCount())]


def test_alert_flags_match_the_generated_red_flags(clinic):
    flags = alert_flags(clinic)
    expected = {i: expected_flags(i) for i in range(1, COUNT + 1) if phase_of(i) and expected_flags(i)}
    assert flags == expected
    # A corrected fever (amended to 37.0) and a retracted low platelet count raise nothing.
    assert 6 not in flags and 8 not in flags


def test_dashboard_data_holds_every_one_of_1000_patients(clinic):
    # Its speed is measured by benchmarks/run.py (dashboard_ms, dashboard_ratio), not here.
    data = load_dashboard(clinic)
    assert len(data.rows) == COUNT
    assert sorted(row.patient.id for row in data.rows) == list(range(1, COUNT + 1))


def test_dashboard_loads_sorts_by_day_and_filters(clinic, qtbot):
    view = _loaded(qtbot, clinic)
    assert view.proxy.rowCount() == COUNT
    assert view.state.text() == f"{COUNT} patients"
    # Red flags first: the patients with the most alerts open the list.
    top = view.proxy.index(0, NAME).data(IdRole)
    assert len(expected_flags(top)) == max(len(expected_flags(i)) for i in range(1, COUNT + 1) if phase_of(i))
    flagged = sum(1 for i in range(1, COUNT + 1) if phase_of(i) and expected_flags(i))
    assert all(view.proxy.index(r, ALERTS).data() for r in range(flagged))
    assert not view.proxy.index(flagged, ALERTS).data()

    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(NAME) + header.sectionSize(NAME) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    names = _column(view, NAME)
    assert names == sorted(names, key=str.casefold)

    view.table.sortByColumn(DAY, Qt.SortOrder.DescendingOrder)
    days = _column(view, DAY, SortRole)
    assert days == sorted(days, reverse=True)
    first = view.proxy.index(0, DAY).data()
    assert first == "Day +1900"  # completed five years ago
    planned = [view.proxy.index(r, DAY).data() for r in range(view.proxy.rowCount())
               if view.proxy.index(r, PHASE).data() == "stem cell mobilization"]
    assert set(planned) == {"Day −20 (planned)"}
    assert view.proxy.index(view.proxy.rowCount() - 1, DAY).data() == ""  # no Day 0 yet: last

    view.phase.setCurrentIndex(view.phase.findData("transplant"))
    assert view.proxy.rowCount() == sum(1 for i in range(1, COUNT + 1) if phase_of(i) == "transplant")
    assert set(_column(view, PHASE)) == {"recovery in hospital"}
    assert view.state.text() == f"{view.proxy.rowCount()} of {COUNT} patients shown"

    qtbot.keyClicks(view.search, "okafor")
    ids = _column(view, NAME, IdRole)
    expected = [i for i in range(1, COUNT + 1) if phase_of(i) == "transplant" and "Okafor" in name_of(i)]
    assert sorted(ids) == expected and expected

    view.phase.setCurrentIndex(0)
    view.search.setText("fever")  # the alerts column is searched too
    assert set(_column(view, NAME, IdRole)) == {i for i in range(1, COUNT + 1)
                                               if phase_of(i) and "fever" in expected_flags(i)}
    assert all("fever" in text for text in _column(view, ALERTS))


def test_enter_and_the_open_button_open_the_selected_patient(clinic, qtbot):
    view = _loaded(qtbot, clinic)
    assert not view.open_button.isEnabled()
    view.search.setText(name_of(421))
    assert view.proxy.rowCount() == 1
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(0, NAME))
    with qtbot.waitSignal(view.patient_opened, timeout=2000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [421]
    assert view.open_button.isEnabled()
    with qtbot.waitSignal(view.patient_opened, timeout=2000) as blocker:
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [421]


def test_refresh_keeps_the_selected_patient(clinic, qtbot):
    view = _loaded(qtbot, clinic)
    assert view.select_patient(77)
    with qtbot.waitSignal(view.loaded, timeout=20000):
        qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    assert view.current_patient() == 77


def test_showing_a_dashboard_already_loading_reads_once_and_a_change_reads_again(clinic, qtbot, monkeypatch):
    """The window shows the dashboard just after building it: one read, not two; but a change made while a
    read is on its way reads again, shown or not, since that read may predate it."""
    import threading

    from mstracker.ui.core.runner import Changes
    from mstracker.ui.dashboard import view as view_module

    started: list[int] = []
    release = threading.Event()

    def first_held(ctx):
        started.append(1)
        if len(started) == 1:
            release.wait(20)
        return load_dashboard(ctx)

    monkeypatch.setattr(view_module, "load_dashboard", first_held)
    session = Session(clinic)
    view = DashboardView(session)
    qtbot.addWidget(view)
    view.show()
    try:
        qtbot.waitUntil(lambda: len(started) == 1, timeout=5000)
        view.refresh()  # as the window does when it shows the page
        assert view.loading and len(started) == 1
        view.hide()
        session.bus.changed.emit(Changes(log=True))  # hidden: no read until shown again
        assert len(started) == 1
        view.show()
        view.refresh()
        qtbot.waitUntil(lambda: len(started) == 2, timeout=5000)
        session.bus.changed.emit(Changes(log=True))  # shown: read at once
        qtbot.waitUntil(lambda: len(started) == 3, timeout=5000)
        qtbot.waitUntil(lambda: not view.loading, timeout=20000)  # the newest read arrived; the first is dropped
        assert view.data is not None and len(view.data.rows) == COUNT
    finally:
        release.set()
        QThreadPool.globalInstance().waitForDone()  # the first read ends before its view goes
    assert len(started) == 3
