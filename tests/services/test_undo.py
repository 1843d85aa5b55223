"""Each write's undo, as the services offer it to the app and any other caller: the write is taken back
by a new event (nothing is erased), and what the user sees is as before."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mstracker.domain.errors import UserError
from mstracker.domain.phases import Phase
from mstracker.services import audit, journeys, logbook, patients, reminders
from mstracker.services.records import UNDO_REASON


@pytest.fixture
def pid(ctx):
    return patients.add_patient(ctx, "Anna Test")


def test_undo_log_hides_the_entry_and_says_why_in_the_audit_trail(ctx, pid):
    kept = logbook.log(ctx, pid, "temperature", datetime(2027, 6, 19, 20, 0), {"celsius": "37.1"})
    undone = logbook.log(ctx, pid, "temperature", datetime(2027, 6, 20, 8, 0), {"celsius": "38.4"})
    logbook.undo_log(ctx, undone)
    assert [e.entry_id for e in logbook.history(ctx, pid)] == [kept]
    assert any(UNDO_REASON in str(row["detail"]) for row in audit.audit(ctx, pid))


def test_undo_retract_brings_the_entry_back(ctx, pid):
    entry = logbook.log(ctx, pid, "edss", datetime(2027, 6, 1, 10, 0), {"score": "3.5"})
    logbook.retract(ctx, entry, "entered in error")
    logbook.undo_retract(ctx, entry)
    (shown,) = logbook.history(ctx, pid)
    assert (shown.entry_id, shown.fields["score"]) == (entry, 3.5)


def test_undo_amend_restores_the_fields_and_the_time_it_changed(ctx, pid):
    entry = logbook.log(ctx, pid, "lab", datetime(2027, 6, 18, 7, 0), {"anc": "0.4", "platelets": "31"})
    (before,) = logbook.history(ctx, pid)
    logbook.amend(ctx, entry, datetime(2027, 6, 18, 9, 30), {"anc": "0.6"})
    logbook.undo_amend(ctx, before, datetime(2027, 6, 18, 9, 30), ["anc"])
    (after,) = logbook.history(ctx, pid)
    assert after.fields == before.fields
    assert after.at == before.at


def test_undo_amend_leaves_the_time_when_the_amendment_did_not_move_it(ctx, pid):
    entry = logbook.log(ctx, pid, "lab", datetime(2027, 6, 18, 7, 0), {"anc": "0.4"})
    (before,) = logbook.history(ctx, pid)
    logbook.amend(ctx, entry, None, {"anc": "0.6"})
    logbook.amend(ctx, entry, datetime(2027, 6, 18, 8, 0), {})  # a later, separate correction of the time
    logbook.undo_amend(ctx, before, None, ["anc"])
    (after,) = logbook.history(ctx, pid)
    assert after.fields["anc"] == 0.4
    assert after.at.replace(tzinfo=None) == datetime(2027, 6, 18, 8, 0)


def test_an_amendment_that_filled_an_empty_field_cannot_be_undone(ctx, pid):
    entry = logbook.log(ctx, pid, "lab", datetime(2027, 6, 18, 7, 0), {"anc": "0.4"})
    (before,) = logbook.history(ctx, pid)
    logbook.amend(ctx, entry, None, {"platelets": "31"})
    assert not logbook.amend_undoable(before, ["platelets"])
    assert logbook.amend_undoable(before, ["anc"])
    with pytest.raises(UserError):
        logbook.undo_amend(ctx, before, None, ["platelets"])
    (after,) = logbook.history(ctx, pid)
    assert after.fields["platelets"] == 31


def test_undo_advance_takes_the_journey_back_to_the_phase_before(ctx, pid):
    journeys.start_journey(ctx, pid, "cy-atg", date(2027, 4, 1), Phase.MOBILIZATION)
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 4, 12))
    journey = journeys.undo_advance(ctx, pid)
    assert journey.phase is Phase.MOBILIZATION
    assert journeys.journey_of(ctx, pid).phase is Phase.MOBILIZATION


@pytest.mark.parametrize("act", [
    lambda ctx, rid: reminders.complete(ctx, rid),
    lambda ctx, rid: reminders.skip(ctx, rid),
    lambda ctx, rid: reminders.snooze(ctx, rid, datetime(2027, 6, 22, 9, 0)),
])
def test_reopen_takes_back_done_skip_and_snooze(ctx, pid, act):
    journeys.start_journey(ctx, pid, "cy-atg", date(2027, 4, 1), Phase.MOBILIZATION)
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 4, 12))
    journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 5, 25))
    journeys.advance(ctx, pid, Phase.TRANSPLANT, date(2027, 5, 31))
    journeys.advance(ctx, pid, Phase.IMMUNE_REBUILD, date(2027, 6, 16))
    first = reminders.schedule(ctx, pid)[0]
    assert act(ctx, first.id).status != "pending"
    back = reminders.reopen(ctx, first.id)
    assert (back.status, back.done_at, back.snoozed_until) == ("pending", None, None)
