"""`append_events` in bulk: ids in order and every value stored exactly as a single write stores it.

SQLite takes a fast path (one executemany, ids given, times converted per local day); these tests hold it
to the same results as the ordinary single-row write, across clock changes and odd zones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dateutil_tz

from mstracker.domain.errors import UserError
from mstracker.services import logbook, patients
from mstracker.storage import repository as repo

ZONES = [dateutil_tz.gettz("Europe/London"), ZoneInfo("Europe/London"), ZoneInfo("Australia/Lord_Howe"),
         ZoneInfo("America/St_Johns"), UTC]


def _moments() -> list[datetime]:
    """Walls around clock changes (both folds of a repeated hour), and ordinary days, in several zones."""
    walls = [datetime(2027, 3, 28, h, m) for h in range(0, 4) for m in (0, 29, 30, 59)]
    walls += [datetime(2027, 10, 31, h, m) for h in range(0, 4) for m in (0, 30)]
    walls += [datetime(2027, 4, 4, h, 15) for h in (1, 2, 3)]  # Lord Howe's half-hour change
    walls += [datetime(2027, 6, d, 7, 30, 0, 123456) for d in range(1, 4)]
    moments = []
    for zone in ZONES:
        for wall in walls:
            for fold in (0, 1):
                moments.append(wall.replace(tzinfo=zone, fold=fold))
    return moments


def test_bulk_rows_read_back_as_single_writes_do(perf_ctx):
    pid = patients.add_patient(perf_ctx, "Bulk")
    recorded = perf_ctx.now()
    moments = _moments()
    rows = [{"patient_id": pid, "kind": "note", "occurred_at": m, "recorded_at": recorded, "user": "u",
             "role": "patient", "payload": {"fields": {"text": f"n{i}", "é": "ü"}}} for i, m in enumerate(moments)]
    with perf_ctx.db.writing() as s:
        bulk_ids = repo.append_events(s, rows)
        single_ids = [repo.append_event(s, **row) for row in rows]
    assert bulk_ids == list(range(bulk_ids[0], bulk_ids[0] + len(rows)))
    assert single_ids[0] > bulk_ids[-1]
    with perf_ctx.db.reading() as s:
        stored = {e.id: e for e in repo.all_events(s, pid)}
    for i, (bulk, single) in enumerate(zip(bulk_ids, single_ids)):
        a, b = stored[bulk], stored[single]
        assert (a.kind, a.occurred_at, a.recorded_at, a.payload) == (b.kind, b.occurred_at, b.recorded_at, b.payload)
        assert a.occurred_at == moments[i].astimezone(UTC)  # that instant (PEP 495: compare in UTC)
        assert a.entry_id == bulk and a.supersedes is None


def test_ids_continue_after_the_largest_and_a_ready_payload_is_stored_as_given(perf_ctx):
    pid = patients.add_patient(perf_ctx, "Ids")
    now = perf_ctx.now()
    row = {"patient_id": pid, "kind": "note", "occurred_at": now, "recorded_at": now, "user": "u",
           "role": "patient", "payload": {"fields": {"text": "x"}}}
    with perf_ctx.db.writing() as s:
        first = repo.append_events(s, [row, row])
        ready = repo.encode_payload({"fields": {"text": "ready"}})
        second = repo.append_events(s, [{**row, "payload": None, "payload_json": ready}])
        assert repo.append_events(s, []) == []
    assert second == [first[-1] + 1]
    with perf_ctx.db.reading() as s:
        assert repo.entry_events(s, second[0])[0].payload == {"fields": {"text": "ready"}}


def test_log_many_checks_repeated_entries_once_but_refuses_a_bad_one_with_nothing_written(perf_ctx):
    pid = patients.add_patient(perf_ctx, "Batch")
    day = datetime(2027, 6, 1, 8, 0)
    good = [logbook.NewEntry("temperature", day + timedelta(hours=i), {"celsius": "36.8"}) for i in range(5)]
    ids = logbook.log_many(perf_ctx, pid, good + [logbook.NewEntry("symptom", day, {"name": "pain", "severity": 3})])
    assert len(ids) == 6
    entries = logbook.history(perf_ctx, pid)
    assert sorted(e.fields.get("celsius") for e in entries if e.kind.value == "temperature") == [36.8] * 5
    assert [e.fields for e in entries if e.kind.value == "symptom"] == [{"name": "pain", "severity": 3}]
    # The same texts are the same check: a value that only looks alike (True is not 1) is checked anew.
    bad = good + [logbook.NewEntry("symptom", day, {"name": "pain", "severity": True})]
    with pytest.raises(UserError, match="severity"):
        logbook.log_many(perf_ctx, pid, bad)
    assert len(logbook.history(perf_ctx, pid)) == 6
