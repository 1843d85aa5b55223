"""A patient's journey, replayed from its events: phase, Day 0, hospital stay (docs/clinical-rules.md, "Phases").

Events are never changed: an amendment moves the date of a recorded transition, an undo retracts the
last one. `replay` applies them in order and `Journey` answers every derived question.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from .errors import UserError
from .phases import FINAL, START_PHASES, Phase, allowed_next


class JourneyEventKind(StrEnum):
    START = "start"
    TRANSITION = "transition"
    PLAN = "plan"
    TRANSITION_AMEND = "transition_amend"
    TRANSITION_UNDO = "transition_undo"


@dataclass(frozen=True)
class JourneyEvent:
    """One journey event as stored. `target` is the event id an amend or undo corrects."""

    event_id: int
    kind: JourneyEventKind
    phase: Phase | None = None
    on: date | None = None
    reason: str | None = None
    target: int | None = None


@dataclass(frozen=True)
class Transition:
    event_id: int
    phase: Phase
    on: date
    reason: str | None = None


@dataclass(frozen=True)
class Journey:
    transitions: tuple[Transition, ...] = ()
    planned: dict[Phase, date] = field(default_factory=dict)

    # ---- where the patient is -------------------------------------------------------------
    @property
    def started(self) -> bool:
        return bool(self.transitions)

    @property
    def phase(self) -> Phase | None:
        return self.transitions[-1].phase if self.transitions else None

    @property
    def phase_since(self) -> date | None:
        return self.transitions[-1].on if self.transitions else None

    def as_of(self, day: date) -> Journey:
        """The journey as it stood at the end of `day` (transitions dated later not yet happened)."""
        return replace(self, transitions=tuple(t for t in self.transitions if t.on <= day))

    def entered(self, phase: Phase) -> date | None:
        """The date of the latest entry into `phase`, if it happened."""
        for t in reversed(self.transitions):
            if t.phase is phase:
                return t.on
        return None

    def first_entered(self, phase: Phase) -> date | None:
        for t in self.transitions:
            if t.phase is phase:
                return t.on
        return None

    def left(self, phase: Phase) -> date | None:
        """When the latest stay in `phase` ended (the next transition's date), if it has."""
        for i in range(len(self.transitions) - 1, -1, -1):
            if self.transitions[i].phase is phase:
                if i + 1 < len(self.transitions):
                    return self.transitions[i + 1].on
                return None
        return None

    # ---- anchors ----------------------------------------------------------------------------
    @property
    def day_zero(self) -> date | None:
        return self.entered(Phase.TRANSPLANT) or self.planned.get(Phase.TRANSPLANT)

    @property
    def day_zero_is_planned(self) -> bool:
        return self.entered(Phase.TRANSPLANT) is None and Phase.TRANSPLANT in self.planned

    @property
    def admitted(self) -> date | None:
        return self.entered(Phase.CONDITIONING)

    @property
    def discharged(self) -> date | None:
        return self.entered(Phase.IMMUNE_REBUILD)

    @property
    def discharge_anchor(self) -> date | None:
        """Discharge for scheduling: the real one, else the planned one."""
        return self.discharged or self.planned.get(Phase.IMMUNE_REBUILD)

    @property
    def length_of_stay_days(self) -> int | None:
        if self.admitted is None or self.discharged is None:
            return None
        return (self.discharged - self.admitted).days

    def day_number(self, day: date) -> int | None:
        """Days since Day 0 (negative before); None while no Day 0 is known."""
        zero = self.day_zero
        return None if zero is None else (day - zero).days

    @property
    def mobilization_attempts(self) -> int:
        return sum(1 for t in self.transitions if t.phase is Phase.MOBILIZATION)

    def mobilization_days(self, today: date | None = None) -> int | None:
        """Length of the latest mobilization attempt: to its end, or to `today` while it runs."""
        start = self.entered(Phase.MOBILIZATION)
        if start is None:
            return None
        end = self.left(Phase.MOBILIZATION) or today
        return None if end is None else (end - start).days

    def next_phases(self) -> tuple[Phase, ...]:
        if self.phase is None:
            return START_PHASES
        return allowed_next(self.phase)


def _apply(journey: Journey, event: JourneyEvent) -> Journey:
    kind = event.kind
    if kind is JourneyEventKind.PLAN:
        assert event.phase is not None and event.on is not None
        return replace(journey, planned={**journey.planned, event.phase: event.on})
    if kind in (JourneyEventKind.START, JourneyEventKind.TRANSITION):
        assert event.phase is not None and event.on is not None
        return replace(journey, transitions=journey.transitions +
                       (Transition(event.event_id, event.phase, event.on, event.reason),))
    if kind is JourneyEventKind.TRANSITION_AMEND:
        assert event.on is not None
        return replace(journey, transitions=tuple(
            replace(t, on=event.on) if t.event_id == event.target else t for t in journey.transitions))
    if kind is JourneyEventKind.TRANSITION_UNDO:
        return replace(journey, transitions=tuple(t for t in journey.transitions if t.event_id != event.target))
    raise ValueError(f"unknown journey event kind {kind}")


def replay(events: list[JourneyEvent] | tuple[JourneyEvent, ...]) -> Journey:
    """The journey that `events` (in the order they were written) describe. Deterministic."""
    journey = Journey()
    for event in sorted(events, key=lambda e: e.event_id):
        journey = _apply(journey, event)
    return journey


# ---- checks before writing: each returns the event to append, or raises UserError ------------------

def check_start(journey: Journey, phase: Phase, on: date) -> None:
    if journey.started:
        raise UserError(f"this patient's journey has already started ({journey.phase}); "
                        "use `journey advance` to record the next phase")
    if phase not in START_PHASES:
        raise UserError(f"a journey starts in assessment or mobilization, not {phase}")


def check_advance(journey: Journey, phase: Phase, on: date) -> None:
    current = journey.phase
    if current is None:
        raise UserError("this patient's journey has not started; run `journey start PATIENT --protocol NAME --on DATE`")
    allowed = allowed_next(current)
    if phase not in allowed:
        if not allowed:
            raise UserError(f"the journey is {current}, a final phase: no further phase can be recorded")
        raise UserError(f"cannot go from {current} to {phase}; allowed next: {', '.join(allowed)}")
    since = journey.phase_since
    assert since is not None
    if on < since:
        raise UserError(f"{on.isoformat()} is before the current phase ({current}) began on {since.isoformat()}; "
                        "dates of transitions must not go backwards")


def check_amend(journey: Journey, phase: Phase, on: date) -> Transition:
    """The transition into `phase` whose date moves to `on`; neighbours keep the order of dates."""
    index = next((i for i in range(len(journey.transitions) - 1, -1, -1)
                  if journey.transitions[i].phase is phase), None)
    if index is None:
        recorded = ", ".join(dict.fromkeys(t.phase.value for t in journey.transitions)) or "none"
        raise UserError(f"no transition into {phase} is recorded (recorded: {recorded}); "
                        f"use `journey plan` for a planned date")
    before = journey.transitions[index - 1] if index > 0 else None
    after = journey.transitions[index + 1] if index + 1 < len(journey.transitions) else None
    if before is not None and on < before.on:
        raise UserError(f"{on.isoformat()} is before the previous phase ({before.phase}) began on "
                        f"{before.on.isoformat()}; dates of transitions must not go backwards")
    if after is not None and on > after.on:
        raise UserError(f"{on.isoformat()} is after the next phase ({after.phase}) began on "
                        f"{after.on.isoformat()}; dates of transitions must not go backwards")
    return journey.transitions[index]


def check_undo(journey: Journey) -> Transition:
    if not journey.transitions:
        raise UserError("nothing to undo: no transition is recorded")
    if len(journey.transitions) == 1:
        raise UserError("the journey's start cannot be undone; correct its date with `journey amend` instead")
    return journey.transitions[-1]


def check_plan(journey: Journey, phase: Phase, on: date) -> None:
    if journey.phase in FINAL:
        raise UserError(f"the journey is {journey.phase}: there is nothing left to plan")


def check_event(journey: Journey, event: JourneyEvent) -> None:
    """The rule the command that writes `event` applies to it, for events that come from elsewhere (an
    import): the same state machine, the same order of dates, corrections of the transition they name."""
    kind = event.kind
    if kind is not JourneyEventKind.TRANSITION_UNDO and (event.phase is None or event.on is None):
        raise UserError(f"a {kind} event needs its phase and date")
    if kind is JourneyEventKind.START:
        check_start(journey, event.phase, event.on)
    elif kind is JourneyEventKind.TRANSITION:
        check_advance(journey, event.phase, event.on)
    elif kind is JourneyEventKind.PLAN:
        if not journey.started:
            raise UserError("a date is planned before the journey started")
        check_plan(journey, event.phase, event.on)
    elif kind is JourneyEventKind.TRANSITION_AMEND:
        if check_amend(journey, event.phase, event.on).event_id != event.target:
            raise UserError(f"the correction of {event.phase} does not name that phase's latest transition")
    elif check_undo(journey).event_id != event.target:
        raise UserError("an undo names another transition than the latest one")


def replay_one(journey: Journey, event: JourneyEvent) -> Journey:
    """`journey` after one more event (written after every event it already holds)."""
    return _apply(journey, event)
