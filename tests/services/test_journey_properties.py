"""Random journey commands through the services on a real database: every accepted sequence stays inside the
state machine, a refused command changes nothing, and the stored projection always equals a fresh replay."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mstracker.domain.errors import UserError
from mstracker.domain.phases import START_PHASES, Phase, is_allowed
from mstracker.services import journeys, patients, reminders
from mstracker.services.records import load_journey
from mstracker.storage import repository as repo

BASE = date(2027, 1, 1)  # the services fixture's clock is 2027-06-20: later dates are "the future"
phases = st.sampled_from(list(Phase))
days = st.integers(min_value=0, max_value=230)
commands = st.lists(st.one_of(
    st.tuples(st.just("start"), st.sampled_from(list(START_PHASES)), days),
    st.tuples(st.just("advance"), phases, days),
    st.tuples(st.just("plan"), phases, st.integers(min_value=0, max_value=600)),
    st.tuples(st.just("amend"), phases, days),
    st.tuples(st.just("undo"), phases, days),
), min_size=1, max_size=14)


def _dump(ctx) -> list[str]:
    with closing(sqlite3.connect(str(ctx.db.target.path))) as con:
        return list(con.iterdump())


def _run(ctx, pid, name, phase, offset):
    on = BASE + timedelta(days=offset)
    if name == "start":
        journeys.start_journey(ctx, pid, "cy-atg", on, phase)
    elif name == "advance":
        journeys.advance(ctx, pid, phase, on)
    elif name == "plan":
        journeys.plan(ctx, pid, phase, on)
    elif name == "amend":
        journeys.amend_transition(ctx, pid, phase, on)
    else:
        journeys.undo_transition(ctx, pid, "entered in error")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=commands)
def test_random_commands_through_the_services(ctx, sequence):
    pid = patients.add_patient(ctx, "Property")
    for name, phase, offset in sequence:
        before = _dump(ctx)
        try:
            _run(ctx, pid, name, phase, offset)
        except UserError:
            assert _dump(ctx) == before, (name, phase, offset)
    with ctx.db.reading() as s:
        journey = load_journey(s, pid)
        state = repo.get_state(s, pid)
    if journey.transitions:
        assert journey.transitions[0].phase in START_PHASES
    for a, b in zip(journey.transitions, journey.transitions[1:], strict=False):
        assert is_allowed(a.phase, b.phase) and a.on <= b.on
    assert all(t.on <= date(2027, 6, 20) for t in journey.transitions)  # never a transition in the future
    # the projection kept on every write equals a fresh replay
    assert (state.phase, state.phase_since) == (journey.phase.value if journey.phase else None, journey.phase_since)
    assert (state.day_zero, bool(state.day_zero_planned)) == (journey.day_zero, journey.day_zero_is_planned)
    assert (state.admitted, state.discharged) == (journey.admitted, journey.discharged)
    # pending reminders only with an anchor (an undone Day 0 leaves skipped ones), none after a final phase
    pending = [r for r in reminders.schedule(ctx, pid) if r.status == "pending"]
    if journey.day_zero is None and journey.discharge_anchor is None:
        assert pending == []
    if journey.phase in (Phase.COMPLETED, Phase.WITHDRAWN):
        assert pending == []
