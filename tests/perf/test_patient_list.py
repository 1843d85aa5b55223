"""`list_patients` in one query: the same summaries as grouping every reminder (the first version)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mstracker.domain.phases import Phase
from mstracker.services import journeys, patients, reminders
from mstracker.storage import repository as repo


def _by_grouping(ctx) -> list[tuple]:
    """The first version's reading: three queries, joined in Python."""
    now = ctx.now()
    today = now.date()
    before = (now.replace(tzinfo=None) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    with ctx.db.reading() as s:
        rows = repo.patients_with_state(s)
        overdue = repo.overdue_counts(s, before)
        upcoming = repo.next_due_after(s, today.isoformat())
    return [(p.id, p.name, st.phase if st else None, (today - st.day_zero).days if st and st.day_zero else None,
             bool(st and st.day_zero_planned), *upcoming.get(p.id, (None, None)), overdue.get(p.id, 0))
            for p, st in rows]


def test_summaries_match_the_grouped_reading(perf_ctx):
    patients.add_patient(perf_ctx, "No journey")
    for i, start in enumerate((date(2026, 1, 5), date(2026, 11, 2), date(2027, 4, 1), date(2027, 6, 1))):
        pid = patients.add_patient(perf_ctx, f"Patient {i}")
        journeys.start_journey(perf_ctx, pid, "cy-atg", start)
        if start < date(2027, 5, 1):
            journeys.plan(perf_ctx, pid, Phase.TRANSPLANT, start + timedelta(days=50))
        if start < date(2027, 3, 1):
            journeys.advance(perf_ctx, pid, Phase.CELLS_STORED, start + timedelta(days=12))
            journeys.advance(perf_ctx, pid, Phase.CONDITIONING, start + timedelta(days=40))
            journeys.advance(perf_ctx, pid, Phase.TRANSPLANT, start + timedelta(days=46))
            journeys.advance(perf_ctx, pid, Phase.IMMUNE_REBUILD, start + timedelta(days=60))
        plan = reminders.schedule(perf_ctx, pid)
        past = [r for r in plan if r.due < datetime(2027, 6, 19)]
        for k, r in enumerate(past):
            if k % 3 == 0:
                reminders.complete(perf_ctx, r.id, min(r.due, datetime(2027, 6, 19)))
            elif k % 5 == 1:
                reminders.snooze(perf_ctx, r.id, datetime(2027, 6, 20, 11, 0) + timedelta(days=k % 3))
    summaries = patients.list_patients(perf_ctx)
    got = [(p.id, p.name, p.phase, p.day, p.day_zero_planned, p.next_due, p.next_title, p.overdue) for p in summaries]
    assert got == _by_grouping(perf_ctx)
    assert any(p.overdue for p in summaries) and any(p.next_due for p in summaries)
    assert any(p.day_zero_planned for p in summaries) and summaries[0].phase is None
