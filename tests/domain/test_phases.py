"""The state machine of docs/clinical-rules.md: every one of the 81 phase pairs is either allowed or refused."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from mstracker.domain.errors import UserError
from mstracker.domain.journey import Journey, Transition, check_advance, check_start
from mstracker.domain.phases import FINAL, START_PHASES, Phase, allowed_next, is_allowed, parse_phase

P = Phase
# Written out from the table in docs/clinical-rules.md, not derived from the code under test.
ALLOWED: dict[Phase, set[Phase]] = {
    P.ASSESSMENT: {P.MOBILIZATION, P.WITHDRAWN},
    P.MOBILIZATION: {P.MOBILIZATION, P.CELLS_STORED, P.WITHDRAWN},
    P.CELLS_STORED: {P.CONDITIONING, P.WITHDRAWN},
    P.CONDITIONING: {P.TRANSPLANT, P.WITHDRAWN},
    P.TRANSPLANT: {P.IMMUNE_REBUILD, P.WITHDRAWN},
    P.IMMUNE_REBUILD: {P.FOLLOW_UP, P.WITHDRAWN},
    P.FOLLOW_UP: {P.COMPLETED, P.WITHDRAWN},
    P.COMPLETED: set(),
    P.WITHDRAWN: set(),
}
PAIRS = list(product(Phase, Phase))
ON = date(2027, 3, 1)


def journey_in(phase: Phase, since: date = ON) -> Journey:
    return Journey(transitions=(Transition(1, phase, since),))


def test_table_covers_every_phase():
    assert set(ALLOWED) == set(Phase)
    assert len(PAIRS) == 81


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=lambda p: p.value)
def test_every_pair_is_allowed_or_refused_as_in_the_table(current, target):
    expected = target in ALLOWED[current]
    assert is_allowed(current, target) is expected
    journey = journey_in(current)
    if expected:
        check_advance(journey, target, ON)  # no error
    else:
        with pytest.raises(UserError) as refused:
            check_advance(journey, target, ON)
        message = str(refused.value)
        if ALLOWED[current]:
            assert f"cannot go from {current} to {target}" in message
            # the refusal names the allowed next phases
            for phase in ALLOWED[current]:
                assert phase.value in message.split("allowed next:")[1]
        else:
            assert "final phase" in message


@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_allowed_next_matches_the_table(phase):
    assert set(allowed_next(phase)) == ALLOWED[phase]


def test_withdrawn_is_reachable_from_every_non_final_phase_and_finals_end_the_journey():
    assert {p for p in Phase if P.WITHDRAWN in ALLOWED[p]} == set(Phase) - FINAL
    assert FINAL == {P.COMPLETED, P.WITHDRAWN}


@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_a_journey_starts_only_in_assessment_or_mobilization(phase):
    if phase in (P.ASSESSMENT, P.MOBILIZATION):
        check_start(Journey(), phase, ON)
    else:
        with pytest.raises(UserError, match="starts in assessment or mobilization"):
            check_start(Journey(), phase, ON)
    assert set(START_PHASES) == {P.ASSESSMENT, P.MOBILIZATION}


def test_a_started_journey_cannot_start_again():
    with pytest.raises(UserError, match="already started"):
        check_start(journey_in(P.ASSESSMENT), P.MOBILIZATION, ON)


def test_advance_needs_a_started_journey():
    with pytest.raises(UserError, match="has not started"):
        check_advance(Journey(), P.MOBILIZATION, ON)


@pytest.mark.parametrize(("current", "target"),
                         [(c, t) for c, ts in ALLOWED.items() for t in ts], ids=lambda p: p.value)
def test_an_allowed_transition_dated_before_the_current_phase_began_is_refused(current, target):
    with pytest.raises(UserError, match="before the current phase"):
        check_advance(journey_in(current, date(2027, 3, 2)), target, date(2027, 3, 1))
    check_advance(journey_in(current, date(2027, 3, 2)), target, date(2027, 3, 2))  # same day is fine


def test_parse_phase_names_the_phases_on_a_typo():
    assert parse_phase("follow_up") is P.FOLLOW_UP
    with pytest.raises(UserError) as refused:
        parse_phase("followup")
    assert all(p.value in str(refused.value) for p in Phase)
