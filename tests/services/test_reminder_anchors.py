"""Reminders when anchors move: done, snoozed, skipped and hand-edited ones keep their state; pending ones
move with ids and UIDs kept; a withdrawal undone brings back what it skipped, but not what a person skipped."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mstracker.domain.phases import Phase
from mstracker.services import journeys, patients, reminders


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def pid(ctx):
    pid = patients.add_patient(ctx, "Anchor Test")
    journeys.start_journey(ctx, pid, "cy-atg", d("2027-03-01"))
    journeys.advance(ctx, pid, Phase.CELLS_STORED, d("2027-03-12"))
    journeys.plan(ctx, pid, Phase.TRANSPLANT, d("2027-05-31"))
    journeys.plan(ctx, pid, Phase.IMMUNE_REBUILD, d("2027-06-16"))
    return pid


def by_id(ctx, pid):
    return {r.id: r for r in reminders.schedule(ctx, pid)}


def test_handled_reminders_keep_their_state_and_time_pending_ones_move(ctx, pid):
    first = sorted(by_id(ctx, pid).values(), key=lambda r: r.due)
    done, snoozed, skipped, edited = (r.id for r in first[:4])
    reminders.complete(ctx, done, datetime(2027, 6, 16, 20, 30))
    reminders.snooze(ctx, snoozed, datetime(2027, 6, 25, 9, 0))
    reminders.skip(ctx, skipped)
    reminders.reschedule(ctx, edited, datetime(2027, 6, 19, 18, 0))
    before = by_id(ctx, pid)
    journeys.plan(ctx, pid, Phase.IMMUNE_REBUILD, d("2027-06-18"))  # discharge two days later
    after = by_id(ctx, pid)
    assert set(after) == set(before)
    for rid in (done, snoozed, skipped, edited):
        assert (after[rid].status, after[rid].due, after[rid].uid) == (before[rid].status, before[rid].due,
                                                                        before[rid].uid)
    assert after[edited].due == datetime(2027, 6, 19, 18, 0) and after[edited].edited
    assert after[snoozed].snoozed_until == datetime(2027, 6, 25, 9, 0)
    temps = [r for r in after.values() if r.item_id == "temperature" and r.status == "pending" and not r.edited]
    assert min(r.due for r in temps) == datetime(2027, 6, 22, 20, 0)  # evening 5 on: moved by two days
    assert all(r.uid == before[r.id].uid for r in after.values())


def test_an_undone_withdrawal_brings_the_plan_back_except_what_a_person_skipped(ctx, pid):
    first = reminders.schedule(ctx, pid)
    by_hand = first[5].id
    reminders.skip(ctx, by_hand)
    journeys.advance(ctx, pid, Phase.WITHDRAWN, d("2027-04-01"), "moved abroad")
    assert {r.status for r in reminders.schedule(ctx, pid)} == {"skipped"}
    journeys.undo_transition(ctx, pid, "entered in error")
    after = by_id(ctx, pid)
    assert after[by_hand].status == "skipped"
    assert {r.status for r in after.values() if r.id != by_hand} == {"pending"}
    assert set(after) == {r.id for r in first}


def test_a_reopened_reminder_is_not_treated_as_skipped_by_hand(ctx, pid):
    rid = reminders.schedule(ctx, pid)[0].id
    reminders.skip(ctx, rid)
    reminders.reopen(ctx, rid)
    journeys.advance(ctx, pid, Phase.WITHDRAWN, d("2027-04-01"))
    journeys.undo_transition(ctx, pid, "entered in error")
    assert by_id(ctx, pid)[rid].status == "pending"


def test_after_completion_pending_reminders_become_skipped_and_done_stay_done(ctx, pid):
    journeys.advance(ctx, pid, Phase.CONDITIONING, d("2027-05-25"))
    journeys.advance(ctx, pid, Phase.TRANSPLANT, d("2027-05-31"))
    journeys.advance(ctx, pid, Phase.IMMUNE_REBUILD, d("2027-06-16"))
    rid = reminders.schedule(ctx, pid)[0].id
    reminders.complete(ctx, rid, datetime(2027, 6, 16, 20, 0))
    journeys.advance(ctx, pid, Phase.FOLLOW_UP, d("2027-06-18"))
    journeys.advance(ctx, pid, Phase.COMPLETED, d("2027-06-19"))
    after = by_id(ctx, pid)
    assert after[rid].status == "done"
    assert {r.status for r in after.values() if r.id != rid} == {"skipped"}
