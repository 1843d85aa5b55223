"""The history: newest first, filtered by kind and by words, a long one handed over a page at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from mstracker.services import logbook
from mstracker.services.context import open_context
from mstracker.services.logbook import NewEntry
from mstracker.ui.patient.history_model import PAGE


def _add(db_path, clock, pid, entries) -> None:
    ctx = open_context(db_path, clock=clock)
    try:
        logbook.log_many(ctx, pid, entries)
    finally:
        ctx.close()


def test_filter_by_kind_and_search(qtbot, window_for, db_path, in_hospital, clock):
    _add(db_path, clock, in_hospital, [
        NewEntry("symptom", datetime(2027, 3, 18, 20, 0), {"name": "headache", "severity": "3"}),
        NewEntry("side_effect", datetime(2027, 3, 18, 9, 0), {"name": "mucositis", "grade": "2"}),
        NewEntry("temperature", datetime(2027, 3, 17, 8, 0), {"celsius": "38.6"}),
    ])
    window = window_for(db_path)
    view = window.page.history
    assert [e.kind.value for e in view.visible_entries()] == ["temperature", "lab", "symptom", "side_effect",
                                                             "temperature"]
    view.kind.setCurrentIndex(view.kind.findData("temperature"))
    assert [e.fields["celsius"] for e in view.visible_entries()] == [37.2, 38.6]
    assert view.count.text() == "2 of 5 entries match."

    view.kind.setCurrentIndex(0)
    window.find_action.trigger()  # Ctrl+F: to the search field
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "mouth")
    assert [e.kind.value for e in view.visible_entries()] == ["side_effect"]
    view.search.clear()
    qtbot.keyClicks(view.search, "Platelets 45")
    assert [e.kind.value for e in view.visible_entries()] == ["lab"]
    view.search.clear()
    assert len(view.visible_entries()) == 5


def test_a_long_history_is_loaded_a_page_at_a_time(qtbot, window_for, db_path, in_hospital, clock):
    start = datetime(2026, 6, 1, 8, 0)
    _add(db_path, clock, in_hospital, [
        NewEntry("temperature", start + timedelta(hours=6 * i), {"celsius": f"{36.5 + (i % 10) / 10:.1f}"})
        for i in range(1000)])
    window = window_for(db_path)
    model = window.page.history.model
    assert model.total == 1002
    assert model.rowCount() == PAGE and model.canFetchMore()
    window.page.history.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > PAGE, timeout=10_000)  # the view asks for more as it scrolls
    window.page.history.kind.setCurrentIndex(window.page.history.kind.findData("lab"))
    # A filter looks at every entry, not only the pages shown (the rest read off the UI thread).
    qtbot.waitUntil(lambda: model.rowCount() == 1002, timeout=10_000)
    assert [e.kind.value for e in window.page.history.visible_entries()] == ["lab"]


def test_no_double_click_needed_to_correct(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    assert not window.page.correct_button.isEnabled()
    window.page.history.table.setFocus()
    qtbot.keyClick(window.page.history.table, Qt.Key.Key_Down)  # the keyboard alone selects an entry
    assert window.page.history.current_entry() is not None
    assert window.page.correct_button.isEnabled() and window.page.delete_button.isEnabled()
