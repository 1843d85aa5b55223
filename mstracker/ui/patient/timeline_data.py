"""The journey as bands along a date axis: what happened, and what is only planned (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ...domain.journey import Journey
from ...domain.phases import FINAL, ORDER, Phase

PLANNED_LENGTH = timedelta(days=14)  # how long a planned phase is drawn when nothing later is planned


@dataclass(frozen=True)
class Band:
    phase: Phase
    start: date
    end: date  # exclusive; equal to start for a final phase (a point)
    planned: bool
    ongoing: bool = False  # the current phase: it goes on past `end`, up to the next planned band or the view's edge


def journey_bands(journey: Journey, today: date) -> list[Band]:
    result: list[Band] = []
    transitions = journey.transitions
    current = journey.phase
    planned = [] if current in FINAL else _planned(journey)
    for i, t in enumerate(transitions):
        if i + 1 < len(transitions):
            result.append(Band(t.phase, t.on, transitions[i + 1].on, planned=False))
        elif t.phase in FINAL:
            result.append(Band(t.phase, t.on, t.on, planned=False))
        else:
            # The current phase has no end yet: it runs on to the next planned phase, or open-ended; never
            # stopping at tomorrow, which reads as if the phase ended then.
            end = max(today, t.on) + timedelta(days=1)
            later = [d for _, d in planned if d > end]
            result.append(Band(t.phase, t.on, min(later) if later else end, planned=False, ongoing=not later))
    if current in FINAL:
        return result
    for i, (phase, start) in enumerate(planned):
        end = planned[i + 1][1] if i + 1 < len(planned) else start + PLANNED_LENGTH
        result.append(Band(phase, start, max(end, start + timedelta(days=1)), planned=True))
    return result


def _planned(journey: Journey) -> list[tuple[Phase, date]]:
    """The phases planned after the current one and not yet entered, by date."""
    current = journey.phase
    after = ORDER.index(current) if current is not None else -1
    return sorted(((p, d) for p, d in journey.planned.items()
                   if p in ORDER and ORDER.index(p) > after and journey.entered(p) is None),
                  key=lambda item: (item[1], ORDER.index(item[0])))


def describe(bands: list[Band], day_zero: date | None, day_zero_planned: bool) -> str:
    """A sentence for screen readers and the timeline's description."""
    from ..core.words import phase_words

    parts = []
    for band in bands:
        what = phase_words(band.phase)
        if band.planned:
            parts.append(f"{what} planned from {band.start:%d %b %Y}")
        elif band.end <= band.start:
            parts.append(f"{what} on {band.start:%d %b %Y}")
        else:
            parts.append(f"{what} from {band.start:%d %b %Y}")
    if day_zero is not None:
        parts.append(f"Day 0 {'planned for' if day_zero_planned else 'was'} {day_zero:%d %b %Y}")
    return "; ".join(parts) or "No phases recorded yet."
