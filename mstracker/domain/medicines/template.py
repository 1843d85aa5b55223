"""A protocol's course, anchored on the journey (docs/medicines.md, "Protocol courses").

A template says when its course runs relative to the journey: from an anchor plus some days or calendar
months, until another (both days included), or open-ended while that anchor is unknown. The anchors are
the start of the latest mobilization, the day the cells are stored, discharge and Day 0 (planned until
the real ones are recorded, as for the follow-up plan). After `withdrawn` or `completed` every course ends
on that date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from dateutil.relativedelta import relativedelta

from ..journey import Journey
from ..phases import FINAL, Phase
from .course import Route

MOBILIZATION = "mobilization"
CELLS_STORED = "cells_stored"
DISCHARGE = "discharge"
DAY_ZERO = "day0"
COURSE_ANCHORS = (MOBILIZATION, CELLS_STORED, DISCHARGE, DAY_ZERO)


@dataclass(frozen=True)
class CourseBound:
    anchor: str
    days: int = 0
    months: int = 0

    def on(self, journey: Journey) -> date | None:
        base = anchor_date(journey, self.anchor)
        if base is None:
            return None
        return base + relativedelta(months=self.months) + timedelta(days=self.days)


@dataclass(frozen=True)
class CourseTemplate:
    id: str
    name: str
    times: tuple[time, ...]
    start: CourseBound
    until: CourseBound | None = None
    every_days: int | None = 1
    weekdays: tuple[int, ...] | None = None
    dose: str = "as prescribed by your team"
    route: Route = Route.ORAL
    purpose: str = ""

    def span(self, journey: Journey) -> tuple[date | None, date | None]:
        """(first day, last day) as the journey stands: first None while its anchor is unknown, last None
        while open-ended. A final phase ends the course on its date."""
        first = self.start.on(journey)
        last = self.until.on(journey) if self.until else None
        return first, min_day(last, final_day(journey))


def anchor_date(journey: Journey, anchor: str) -> date | None:
    if anchor == MOBILIZATION:
        return journey.entered(Phase.MOBILIZATION)
    if anchor == CELLS_STORED:
        start = journey.entered(Phase.MOBILIZATION)
        stored = journey.entered(Phase.CELLS_STORED)
        # A repeated mobilization after a harvest reopens the course until its own cells are stored.
        return stored if stored is not None and (start is None or stored >= start) else None
    if anchor == DISCHARGE:
        return journey.discharge_anchor
    if anchor == DAY_ZERO:
        return journey.day_zero
    raise ValueError(f"unknown anchor {anchor!r}")


def final_day(journey: Journey) -> date | None:
    """The date the journey ended (withdrawn or completed), if it has."""
    return journey.phase_since if journey.phase in FINAL else None


def min_day(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None
