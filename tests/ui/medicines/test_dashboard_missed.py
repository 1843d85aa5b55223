"""The coordinators' dashboard counts each patient's doses missed in the last 24 hours, in its own column."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from mstracker.services import journeys, patients
from mstracker.services.context import open_context
from mstracker.ui.dashboard.model import COLUMNS, MISSED, NAME, SortRole


def test_the_dashboard_shows_missed_doses(qtbot, window_for, on_gcsf, db_path, clock):
    ctx = open_context(db_path, clock=clock)
    try:
        other = patients.add_patient(ctx, "Ben Olsen")
        journeys.start_journey(ctx, other, "beam-atg", date(2027, 3, 19))  # G-CSF from the 23rd: none missed
    finally:
        ctx.close()
    window = window_for(db_path, "coordinator")
    assert window.current_page() == "dashboard"
    view = window.dashboard
    qtbot.waitUntil(lambda: view.data is not None and view.proxy.rowCount() == 2, timeout=10_000)
    assert COLUMNS[MISSED] == "Missed doses"
    shown = {view.proxy.index(r, NAME).data(): view.proxy.index(r, MISSED).data() for r in range(2)}
    assert shown == {"Anna Berg": "1", "Ben Olsen": ""}
    anna = next(r for r in range(2) if view.proxy.index(r, NAME).data() == "Anna Berg")
    assert view.proxy.index(anna, MISSED).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert view.proxy.index(anna, MISSED).data(SortRole) == 1
    # A day later the missed dose of the 19th has left the window; the 20th's (missed at 12:00) counts.
    clock.set(datetime(2027, 3, 21, 11, 0))
    view.refresh()
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    shown = {view.proxy.index(r, NAME).data(): view.proxy.index(r, MISSED).data() for r in range(2)}
    assert shown == {"Anna Berg": "1", "Ben Olsen": ""}
    # At 12:00 the 20th's has shown for its 24 hours, and the 21st's is not missed until the clock passes 12:00.
    for moment, count in ((datetime(2027, 3, 21, 12, 0), ""), (datetime(2027, 3, 21, 12, 1), "1")):
        clock.set(moment)
        view.refresh()
        qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
        assert {view.proxy.index(r, NAME).data(): view.proxy.index(r, MISSED).data()
                for r in range(2)}["Anna Berg"] == count, moment
