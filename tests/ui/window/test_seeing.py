"""Seeing it on a bad day: warnings once per window and compact, titles whole, text that grows."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from mstracker.services import logbook
from mstracker.services.context import open_context
from mstracker.ui.core.alert_bar import AlertRow


@pytest.fixture
def four_warnings(db_path, in_hospital, clock):
    """Anna in hospital on a bad day: neutrophils and platelets low, mouth sores."""
    ctx = open_context(db_path, clock=clock)
    try:
        logbook.log(ctx, in_hospital, "lab", datetime(2027, 3, 20, 6, 30), {"anc": "0.2", "platelets": "15"})
        logbook.log(ctx, in_hospital, "side_effect", datetime(2027, 3, 19, 9, 0),
                    {"name": "mucositis", "grade": "3"})
    finally:
        ctx.close()
    return in_hospital


def _visible_alerts(window) -> Counter:
    return Counter(row.alert.code for row in window.findChildren(AlertRow) if row.isVisible())


def test_the_caregiver_sees_each_warning_once(qtbot, window_for, db_path, four_warnings):
    window = window_for(db_path, role="caregiver")
    assert window.current_page() == "agenda"
    qtbot.waitUntil(lambda: window.agenda.alerts.isVisible(), timeout=10_000)
    seen = _visible_alerts(window)
    assert seen and set(seen.values()) == {1}, seen
    # The patient's page (View ▸ the journey) shows them once too, in the window's own bar.
    window.show_page("patient")
    seen = _visible_alerts(window)
    assert seen and set(seen.values()) == {1} and window.alert_area.isVisible()


def test_a_patient_in_hospital_keeps_the_warnings_compact(qtbot, window_for, db_path, four_warnings):
    window = window_for(db_path)
    rows = [r for r in window.header.alert_bar.rows() if r.isVisible()]
    assert len(rows) >= 2
    assert not rows[0].compact and all(r.compact for r in rows[1:])
    line = rows[1].fontMetrics().height()
    assert window.alert_area.height() <= rows[0].height() + len(rows[1:]) * (line + 16) + line * 2 + 20
