"""The first page reads only the corrected entries that may stand on it: an entry stands where its latest
amendment put it, whatever earlier amendments said, and one moved off the page and back again returns."""

from __future__ import annotations

from datetime import datetime, timedelta

from mstracker.services import logbook, patients


def _log(ctx, pid, days: int) -> list[int]:
    start = datetime(2027, 1, 1, 8, 0)
    return logbook.log_many(ctx, pid, [logbook.NewEntry("temperature", start + timedelta(days=d), {"celsius": "36.8"})
                                       for d in range(days)])


def _first_page_ids(ctx, pid, limit=5):
    return [e.entry_id for e in logbook.history_page(ctx, pid, limit=limit)]


def test_the_latest_amendment_decides_where_an_entry_stands(perf_ctx):
    pid = patients.add_patient(perf_ctx, "Moves")
    ids = _log(perf_ctx, pid, 30)
    newest = list(reversed(ids))
    assert _first_page_ids(perf_ctx, pid) == newest[:5]
    # Moved onto the first page, then back into the past: it leaves the page again.
    logbook.amend(perf_ctx, ids[3], datetime(2027, 2, 28, 9, 0), {})
    assert _first_page_ids(perf_ctx, pid)[0] == ids[3]
    logbook.amend(perf_ctx, ids[3], datetime(2026, 12, 1, 9, 0), {})
    assert _first_page_ids(perf_ctx, pid) == newest[:5]
    # A page entry moved far back leaves room for the next one; moved forward again, it returns.
    logbook.amend(perf_ctx, newest[0], datetime(2026, 11, 1, 9, 0), {})
    assert _first_page_ids(perf_ctx, pid) == newest[1:6]
    logbook.amend(perf_ctx, newest[0], None, {"celsius": "38.4"})  # a value change keeps it where it is
    assert _first_page_ids(perf_ctx, pid) == newest[1:6]
    logbook.amend(perf_ctx, newest[0], datetime(2027, 1, 30, 20, 0), {})
    page = logbook.history_page(perf_ctx, pid, limit=5)
    assert [e.entry_id for e in page] == [newest[0], *newest[1:5]]
    assert page[0].fields["celsius"] == 38.4 and page[0].amended
    # Retracted on the page: the next one moves up; restored, it comes back.
    logbook.retract(perf_ctx, newest[1], "entered in error")
    assert newest[1] not in _first_page_ids(perf_ctx, pid)
    logbook.unretract(perf_ctx, newest[1])
    assert _first_page_ids(perf_ctx, pid) == [newest[0], *newest[1:5]]
    assert logbook.history_page(perf_ctx, pid, limit=40) == logbook.history(perf_ctx, pid)


def test_the_count_is_what_the_history_shows(perf_ctx):
    pid = patients.add_patient(perf_ctx, "Count")
    ids = _log(perf_ctx, pid, 30)
    assert logbook.history_count(perf_ctx, pid) == 30
    logbook.amend(perf_ctx, ids[0], datetime(2027, 2, 28, 9, 0), {})
    logbook.retract(perf_ctx, ids[1], "entered in error")
    logbook.retract(perf_ctx, ids[2], "entered in error")
    logbook.unretract(perf_ctx, ids[2])
    assert logbook.history_count(perf_ctx, pid) == len(logbook.history(perf_ctx, pid)) == 29
    assert logbook.history_count(perf_ctx, patients.add_patient(perf_ctx, "Nobody yet")) == 0
