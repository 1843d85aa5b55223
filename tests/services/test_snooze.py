"""Snoozing through the services: counted from the later of now and the reminder's own time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mstracker.domain.phases import Phase
from mstracker.services import journeys, patients, reminders

from .conftest import NOW


@pytest.fixture
def pid(ctx):
    pid = patients.add_patient(ctx, "Anna Test")
    journeys.start_journey(ctx, pid, "beam-atg", date(2027, 1, 10))
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 1, 25))
    journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 3, 2))
    journeys.advance(ctx, pid, Phase.TRANSPLANT, date(2027, 3, 8))
    return pid


def test_a_future_reminder_snoozed_for_a_week_moves_a_week_past_its_own_time(ctx, pid):
    future = next(r for r in reminders.schedule(ctx, pid) if r.due > NOW + timedelta(days=60))
    snoozed = reminders.snooze_for(ctx, future.id, "week")
    assert (snoozed.status, snoozed.snoozed_until) == ("snoozed", future.due + timedelta(days=7))
    assert snoozed.effective_due > future.due


def test_a_due_reminder_snoozed_for_an_hour_counts_from_now(ctx, pid):
    past = next(r for r in reminders.schedule(ctx, pid) if r.due < NOW and r.status == "pending")
    snoozed = reminders.snooze_for(ctx, past.id, "hour")
    assert snoozed.snoozed_until == NOW + timedelta(hours=1)
    again = reminders.snooze_for(ctx, past.id, "tomorrow")  # from its snoozed time, the later one
    assert again.snoozed_until == datetime(2027, 6, 21, 9, 0)
