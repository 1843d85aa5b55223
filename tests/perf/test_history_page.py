"""`history` and `history_page` (fast reads): page after page, exactly the log as the ORM replay reads it,
whatever was amended, moved or retracted."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from mstracker.domain.errors import NotFoundError, UserError
from mstracker.services import logbook, patients
from mstracker.services.records import load_entries


def _reference(ctx, pid, kind=None):
    """The history as the first version read it: every event through the ORM, replayed."""
    with ctx.db.reading() as s:
        entries = load_entries(s, pid, ctx.zone, (kind,) if kind else None)
    return sorted(entries, key=lambda e: (e.at, e.entry_id), reverse=True)


def _paged(ctx, pid, kind=None, limit=7):
    got, before = [], None
    while True:
        page = logbook.history_page(ctx, pid, kind, limit, before)
        assert len(page) <= limit
        if not page:
            return got
        got += page
        before = logbook.page_key(page[-1])


def _fill(ctx, pid, rng: random.Random) -> list[int]:
    start = datetime(2027, 1, 1, 8, 0)
    entries = []
    for day in range(60):
        at = start + timedelta(days=day)
        entries.append(logbook.NewEntry("temperature", at, {"celsius": f"{rng.uniform(36, 38.5):.1f}"}))
        entries.append(logbook.NewEntry("temperature", at, {"celsius": "36.9"}))  # two at the same moment
        if day % 5 == 0:
            entries.append(logbook.NewEntry("lab", at + timedelta(hours=1), {"anc": f"{rng.uniform(0.2, 4):.1f}"}))
        if day % 9 == 0:
            entries.append(logbook.NewEntry("mri", at, {"new_t2": "0", "gd_enhancing": "0"}))
    return logbook.log_many(ctx, pid, entries)


def test_pages_are_the_history_with_corrections(perf_ctx):
    pid = patients.add_patient(perf_ctx, "Pages")
    rng = random.Random(3)
    ids = _fill(perf_ctx, pid, rng)
    # Corrections: values changed, old entries moved to the newest time and new ones moved far back, one
    # retracted and restored, some retracted for good.
    logbook.amend(perf_ctx, ids[0], datetime(2027, 3, 30, 23, 0), {})
    logbook.amend(perf_ctx, ids[-1], datetime(2026, 12, 1, 9, 0), {})
    logbook.amend(perf_ctx, ids[40], None, {"celsius": "39.1"})
    logbook.amend(perf_ctx, ids[40], datetime(2027, 2, 10, 8, 0), {})
    for entry_id in rng.sample(ids[1:-1], 12):
        if entry_id != ids[40]:
            logbook.retract(perf_ctx, entry_id, "entered in error")
    logbook.retract(perf_ctx, ids[2], "entered in error")
    logbook.unretract(perf_ctx, ids[2])
    full = logbook.history(perf_ctx, pid)
    assert full == _reference(perf_ctx, pid)
    assert _paged(perf_ctx, pid) == full
    assert _paged(perf_ctx, pid, limit=50) == full
    assert logbook.history_page(perf_ctx, pid, limit=5) == full[:5]
    assert full[0].entry_id == ids[0] and full[-1].entry_id == ids[-1]
    for kind in ("temperature", "lab", "mri", "relapse"):
        assert _paged(perf_ctx, pid, kind, limit=4) == logbook.history(perf_ctx, pid, kind) == _reference(
            perf_ctx, pid, kind)


def test_empty_missing_and_bad_requests(perf_ctx):
    pid = patients.add_patient(perf_ctx, "Nothing yet")
    assert logbook.history_page(perf_ctx, pid) == []
    assert logbook.history_page(perf_ctx, pid, limit=0) == []
    with pytest.raises(NotFoundError, match="no patient with id 999"):
        logbook.history_page(perf_ctx, 999)
    with pytest.raises(UserError, match="unknown"):
        logbook.history_page(perf_ctx, pid, kind="weather")
