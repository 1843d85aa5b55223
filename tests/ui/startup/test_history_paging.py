"""The window reads the history a page at a time from the services: the first screenful and the count at
start, the next page when the view scrolls there, everything only for a search or filter."""

from __future__ import annotations

from datetime import datetime, timedelta

from mstracker.services import logbook
from mstracker.services.context import open_context
from mstracker.services.logbook import NewEntry
from mstracker.ui.core.runner import Changes
from mstracker.ui.patient.history_model import PAGE


def _add(db_path, clock, pid, entries) -> list[int]:
    ctx = open_context(db_path, clock=clock)
    try:
        return logbook.log_many(ctx, pid, entries)
    finally:
        ctx.close()


def test_only_the_first_page_is_read_at_start(qtbot, window_for, db_path, in_hospital, clock):
    start = datetime(2026, 6, 1, 8, 0)
    _add(db_path, clock, in_hospital, [NewEntry("temperature", start + timedelta(hours=6 * i), {"celsius": "36.8"})
                                       for i in range(3 * PAGE)])
    window = window_for(db_path)
    model = window.page.history.model
    assert model.total == 3 * PAGE + 2
    assert len(model._entries) == PAGE  # read so far
    assert window.page.history.count.text() == f"{3 * PAGE + 2} entries (scroll for older ones)."
    model.fetchMore()  # the next page is read off the UI thread
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PAGE, timeout=10_000)
    assert len(model._entries) == model.rowCount() == 2 * PAGE
    full = logbook.history(window.ctx, in_hospital)
    assert [model.entry(r) for r in range(model.rowCount())] == full[:2 * PAGE]
    model.fetch_all()
    qtbot.waitUntil(lambda: model.rowCount() == len(full), timeout=10_000)
    assert [model.entry(r) for r in range(model.rowCount())] == full
    assert not model.canFetchMore()
    assert window.page.history.count.text() == f"{3 * PAGE + 2} entries."


def test_a_correction_reads_the_first_page_again(qtbot, window_for, db_path, in_hospital, clock):
    start = datetime(2026, 6, 1, 8, 0)
    ids = _add(db_path, clock, in_hospital, [NewEntry("temperature", start + timedelta(hours=i), {"celsius": "36.8"})
                                             for i in range(PAGE + 10)])
    window = window_for(db_path)
    model = window.page.history.model
    before = model.total
    window.session.op(window, lambda: logbook.amend(window.ctx, ids[0], datetime(2027, 3, 19, 12, 0), {}),
                      Changes(log=True))
    qtbot.waitUntil(lambda: model.entry(0).entry_id == ids[0], timeout=10_000)  # moved to the top
    assert model.total == before and len(model._entries) == PAGE and model.entry(0).amended

