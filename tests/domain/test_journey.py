"""A journey replayed from its events: anchors, corrections, and properties of random command sequences."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mstracker.domain.errors import UserError
from mstracker.domain.journey import (
    Journey,
    JourneyEvent,
    JourneyEventKind,
    check_advance,
    check_amend,
    check_plan,
    check_start,
    check_undo,
    replay,
)
from mstracker.domain.phases import START_PHASES, Phase, is_allowed

K = JourneyEventKind
P = Phase
BASE = date(2027, 1, 1)


class Recorder:
    """Appends events as the services do: check first, then write the event the check allows."""

    def __init__(self) -> None:
        self.events: list[JourneyEvent] = []

    @property
    def journey(self) -> Journey:
        return replay(self.events)

    def _add(self, kind, **kw) -> None:
        self.events.append(JourneyEvent(len(self.events) + 1, kind, **kw))

    def start(self, phase, on):
        check_start(self.journey, phase, on)
        self._add(K.START, phase=phase, on=on)

    def advance(self, phase, on, reason=None):
        check_advance(self.journey, phase, on)
        self._add(K.TRANSITION, phase=phase, on=on, reason=reason)

    def plan(self, phase, on):
        check_plan(self.journey, phase, on)
        self._add(K.PLAN, phase=phase, on=on)

    def amend(self, phase, on):
        target = check_amend(self.journey, phase, on)
        self._add(K.TRANSITION_AMEND, phase=phase, on=on, target=target.event_id)

    def undo(self):
        target = check_undo(self.journey)
        self._add(K.TRANSITION_UNDO, target=target.event_id)


def d(text: str) -> date:
    return date.fromisoformat(text)


def walked(protocol_dates: dict[Phase, str]) -> Recorder:
    r = Recorder()
    phases = list(protocol_dates)
    r.start(phases[0], d(protocol_dates[phases[0]]))
    for phase in phases[1:]:
        r.advance(phase, d(protocol_dates[phase]))
    return r


def test_anchors_of_a_whole_journey():
    r = walked({P.ASSESSMENT: "2026-11-02", P.MOBILIZATION: "2026-11-20", P.CELLS_STORED: "2026-12-01",
                P.CONDITIONING: "2027-01-25", P.TRANSPLANT: "2027-01-31", P.IMMUNE_REBUILD: "2027-02-14",
                P.FOLLOW_UP: "2027-06-01"})
    j = r.journey
    assert (j.phase, j.phase_since) == (P.FOLLOW_UP, d("2027-06-01"))
    assert j.day_zero == d("2027-01-31") and not j.day_zero_is_planned
    # docs/clinical-rules.md ("Hospital stay"): admitted 25 January, discharged 14 February: 20 days
    assert (j.admitted, j.discharged, j.length_of_stay_days) == (d("2027-01-25"), d("2027-02-14"), 20)
    assert j.mobilization_days() == 11 and j.mobilization_attempts == 1
    assert j.day_number(d("2027-02-12")) == 12 and j.day_number(d("2027-01-25")) == -6
    assert j.next_phases() == (P.COMPLETED, P.WITHDRAWN)


def test_planned_day_zero_is_used_and_marked_until_the_transplant_happens():
    r = walked({P.MOBILIZATION: "2027-01-04", P.CELLS_STORED: "2027-01-15"})
    assert r.journey.day_zero is None and r.journey.day_number(d("2027-01-20")) is None
    r.plan(P.TRANSPLANT, d("2027-03-08"))
    r.plan(P.TRANSPLANT, d("2027-03-10"))  # re-planning: the latest plan wins
    assert (r.journey.day_zero, r.journey.day_zero_is_planned) == (d("2027-03-10"), True)
    assert r.journey.day_number(d("2027-03-01")) == -9
    r.advance(P.CONDITIONING, d("2027-03-03"))
    r.advance(P.TRANSPLANT, d("2027-03-09"))
    assert (r.journey.day_zero, r.journey.day_zero_is_planned) == (d("2027-03-09"), False)


def test_planned_discharge_anchors_the_schedule_until_the_real_one():
    r = walked({P.MOBILIZATION: "2027-01-04", P.CELLS_STORED: "2027-01-15", P.CONDITIONING: "2027-03-01",
                P.TRANSPLANT: "2027-03-07"})
    r.plan(P.IMMUNE_REBUILD, d("2027-03-20"))
    assert r.journey.discharge_anchor == d("2027-03-20") and r.journey.discharged is None
    assert r.journey.length_of_stay_days is None
    r.advance(P.IMMUNE_REBUILD, d("2027-03-19"))
    assert r.journey.discharge_anchor == d("2027-03-19") and r.journey.length_of_stay_days == 18


def test_a_repeated_mobilization_is_a_new_attempt():
    r = walked({P.MOBILIZATION: "2027-01-04"})
    r.advance(P.MOBILIZATION, d("2027-02-01"), reason="poor harvest")
    r.advance(P.CELLS_STORED, d("2027-02-09"))
    assert r.journey.mobilization_attempts == 2
    assert r.journey.mobilization_days() == 8  # the latest attempt
    assert r.journey.first_entered(P.MOBILIZATION) == d("2027-01-04")
    assert r.journey.transitions[1].reason == "poor harvest"


def test_running_mobilization_counts_to_today():
    r = walked({P.MOBILIZATION: "2027-01-04"})
    assert r.journey.mobilization_days() is None
    assert r.journey.mobilization_days(d("2027-01-20")) == 16


def test_amend_moves_a_date_and_keeps_the_order():
    r = walked({P.MOBILIZATION: "2027-01-04", P.CELLS_STORED: "2027-01-15", P.CONDITIONING: "2027-03-01"})
    r.amend(P.CELLS_STORED, d("2027-01-16"))
    assert r.journey.entered(P.CELLS_STORED) == d("2027-01-16")
    assert [t.event_id for t in r.journey.transitions] == [1, 2, 3]  # same transition, new date
    with pytest.raises(UserError, match="before the previous phase"):
        r.amend(P.CELLS_STORED, d("2027-01-03"))
    with pytest.raises(UserError, match="after the next phase"):
        r.amend(P.CELLS_STORED, d("2027-03-02"))
    with pytest.raises(UserError, match="no transition into transplant"):
        r.amend(P.TRANSPLANT, d("2027-03-07"))


def test_undo_retracts_the_last_transition_but_never_the_start():
    r = walked({P.MOBILIZATION: "2027-01-04", P.CELLS_STORED: "2027-01-15"})
    r.advance(P.WITHDRAWN, d("2027-01-20"), reason="moved away")
    r.undo()
    assert r.journey.phase is P.CELLS_STORED
    r.undo()
    assert r.journey.phase is P.MOBILIZATION
    with pytest.raises(UserError, match="start cannot be undone"):
        r.undo()
    with pytest.raises(UserError, match="nothing to undo"):
        check_undo(Journey())


def test_nothing_can_be_planned_after_a_final_phase():
    r = walked({P.MOBILIZATION: "2027-01-04"})
    r.advance(P.WITHDRAWN, d("2027-01-10"))
    with pytest.raises(UserError, match="withdrawn"):
        r.plan(P.TRANSPLANT, d("2027-03-01"))


def test_as_of_leaves_out_later_transitions():
    r = walked({P.MOBILIZATION: "2027-01-04", P.CELLS_STORED: "2027-01-15", P.CONDITIONING: "2027-03-01"})
    assert r.journey.as_of(d("2027-01-14")).phase is P.MOBILIZATION
    assert r.journey.as_of(d("2027-01-15")).phase is P.CELLS_STORED
    assert r.journey.as_of(d("2027-01-03")).phase is None


# ---- properties -------------------------------------------------------------------------------
phases = st.sampled_from(list(Phase))
offsets = st.integers(min_value=0, max_value=400)
commands = st.lists(st.one_of(
    st.tuples(st.just("start"), phases, offsets),
    st.tuples(st.just("advance"), phases, offsets),
    st.tuples(st.just("plan"), phases, offsets),
    st.tuples(st.just("amend"), phases, offsets),
    st.tuples(st.just("undo"), st.just(P.ASSESSMENT), st.just(0)),
    # a bias towards the next phase a little later, so that long journeys are common
    st.tuples(st.just("next"), st.just(P.ASSESSMENT), st.integers(min_value=0, max_value=30)),
), max_size=40)


def run(sequence) -> tuple[Recorder, int]:
    r = Recorder()
    refused = 0
    for name, phase, offset in sequence:
        on = BASE + timedelta(days=offset)
        try:
            if name == "next":
                j = r.journey
                forward = [x for x in j.next_phases() if x is not P.WITHDRAWN]
                if not forward:
                    continue  # a final phase: nothing comes next
                target = forward[-1] if j.started else forward[0]
                on = (j.phase_since or BASE) + timedelta(days=offset)
                (r.start if not j.started else r.advance)(target, on)
            elif name == "undo":
                r.undo()
            else:
                getattr(r, name)(phase, on)
        except UserError:
            refused += 1
    return r, refused


def assert_inside_the_table(j: Journey) -> None:
    if not j.transitions:
        return
    assert j.transitions[0].phase in START_PHASES
    for before, after in zip(j.transitions, j.transitions[1:], strict=False):
        assert is_allowed(before.phase, after.phase), (before, after)
        assert before.on <= after.on, "dates of transitions went backwards"


@settings(max_examples=300, deadline=None)
@given(commands)
def test_random_commands_never_leave_the_table_and_dates_never_go_backwards(sequence):
    r, _ = run(sequence)
    # after every prefix too, not only at the end
    for n in range(len(r.events) + 1):
        assert_inside_the_table(replay(r.events[:n]))
    j = r.journey
    if j.started:
        assert j.phase is j.transitions[-1].phase
        assert j.phase_since == max(t.on for t in j.transitions)
    if j.admitted and j.discharged:
        assert j.length_of_stay_days >= 0


@settings(max_examples=200, deadline=None)
@given(commands, st.randoms(use_true_random=False))
def test_replaying_the_same_events_gives_the_same_journey(sequence, rnd: random.Random):
    r, _ = run(sequence)
    first = replay(r.events)
    shuffled = list(r.events)
    rnd.shuffle(shuffled)
    # the stored order (event ids) decides, not the order rows happen to come back in
    assert replay(shuffled) == first == replay(tuple(r.events))
    assert first.day_zero == replay(r.events).day_zero


@settings(max_examples=200, deadline=None)
@given(commands)
def test_a_refused_command_writes_nothing(sequence):
    r = Recorder()
    for name, phase, offset in sequence:
        before = list(r.events)
        try:
            if name == "undo":
                r.undo()
            elif name in ("start", "advance", "plan", "amend"):
                getattr(r, name)(phase, BASE + timedelta(days=offset))
        except UserError:
            assert r.events == before


def test_the_command_model_can_walk_a_whole_journey():
    # guards the property tests above: their generator reaches the final phases
    r, refused = run([("next", P.ASSESSMENT, 3)] * 9)
    assert refused == 0
    assert [t.phase for t in r.journey.transitions] == [
        P.ASSESSMENT, P.MOBILIZATION, P.CELLS_STORED, P.CONDITIONING, P.TRANSPLANT, P.IMMUNE_REBUILD,
        P.FOLLOW_UP, P.COMPLETED]
