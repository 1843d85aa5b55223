"""The aHSCT journey's phases and the transitions between them (docs/clinical-rules.md, "Phases and transitions")."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    ASSESSMENT = "assessment"
    MOBILIZATION = "mobilization"
    CELLS_STORED = "cells_stored"
    CONDITIONING = "conditioning"
    TRANSPLANT = "transplant"
    IMMUNE_REBUILD = "immune_rebuild"
    FOLLOW_UP = "follow_up"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


ORDER: tuple[Phase, ...] = (
    Phase.ASSESSMENT,
    Phase.MOBILIZATION,
    Phase.CELLS_STORED,
    Phase.CONDITIONING,
    Phase.TRANSPLANT,
    Phase.IMMUNE_REBUILD,
    Phase.FOLLOW_UP,
    Phase.COMPLETED,
)
FINAL = frozenset({Phase.COMPLETED, Phase.WITHDRAWN})
START_PHASES = (Phase.ASSESSMENT, Phase.MOBILIZATION)

PLAIN_WORDS: dict[Phase, str] = {
    Phase.ASSESSMENT: "assessment",
    Phase.MOBILIZATION: "stem cell mobilization",
    Phase.CELLS_STORED: "cells stored",
    Phase.CONDITIONING: "conditioning (chemotherapy)",
    Phase.TRANSPLANT: "recovery in hospital",
    Phase.IMMUNE_REBUILD: "immune rebuild at home",
    Phase.FOLLOW_UP: "long-term follow-up",
    Phase.COMPLETED: "completed",
    Phase.WITHDRAWN: "withdrawn",
}


def parse_phase(text: str) -> Phase:
    try:
        return Phase(text)
    except ValueError:
        names = ", ".join(p.value for p in Phase)
        from .errors import UserError

        raise UserError(f"unknown phase {text!r}; use one of: {names}") from None


def allowed_next(phase: Phase) -> tuple[Phase, ...]:
    """The phases a journey in `phase` may move to next."""
    if phase in FINAL:
        return ()
    nxt: list[Phase] = []
    if phase is Phase.MOBILIZATION:
        nxt.append(Phase.MOBILIZATION)  # a repeated mobilization after a poor harvest
    nxt.append(ORDER[ORDER.index(phase) + 1])
    nxt.append(Phase.WITHDRAWN)
    return tuple(nxt)


def is_allowed(current: Phase, target: Phase) -> bool:
    return target in allowed_next(current)
