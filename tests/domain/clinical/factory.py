"""Builders for clinical-rule tests: log entries, journeys, moments (Europe/London)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mstracker.domain.entries import LogEntry, LogKind
from mstracker.domain.journey import Journey, Transition
from mstracker.domain.phases import Phase

LONDON = ZoneInfo("Europe/London")
D0 = date(2027, 5, 10)  # Day 0 for most tests (BST, far from a DST change)
_ids = itertools.count(1)


def day(n: int, base: date = D0) -> date:
    return base + timedelta(days=n)


def at(d: date, hh: int = 8, mm: int = 0, *, fold: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=LONDON).replace(fold=fold)


def moment(n: int, hh: int = 8, mm: int = 0) -> datetime:
    """Day n (relative to D0) at hh:mm London time."""
    return at(day(n), hh, mm)


def entry(kind: LogKind, when: datetime, retracted: bool = False, **fields) -> LogEntry:
    return LogEntry(next(_ids), kind, when, dict(fields), retracted=retracted)


def lab(when: datetime, **fields) -> LogEntry:
    return entry(LogKind.LAB, when, **fields)


def temp(when: datetime, celsius: float) -> LogEntry:
    return entry(LogKind.TEMPERATURE, when, celsius=celsius)


def transfusion(when: datetime, product: str = "platelets") -> LogEntry:
    return entry(LogKind.TRANSFUSION, when, product=product)


def relapse(when: datetime, **fields) -> LogEntry:
    return entry(LogKind.RELAPSE, when, **fields)


def mri(when: datetime, new_t2: int = 0, gd: int = 0) -> LogEntry:
    return entry(LogKind.MRI, when, new_t2=new_t2, gd_enhancing=gd)


def edss(when: datetime, score: float) -> LogEntry:
    return entry(LogKind.EDSS, when, score=score)


def side_effect(when: datetime, name: str, grade: int) -> LogEntry:
    return entry(LogKind.SIDE_EFFECT, when, name=name, grade=grade)


def journey(*steps: tuple[Phase, date], planned: dict[Phase, date] | None = None) -> Journey:
    return Journey(tuple(Transition(i + 1, phase, on) for i, (phase, on) in enumerate(steps)), planned or {})


def standard_journey(discharge: int | None = 16, follow_up: int | None = None) -> Journey:
    """Mobilization Day −60 (10 days), cells stored, admitted Day −6, Day 0, discharge Day +16."""
    steps = [(Phase.ASSESSMENT, day(-90)), (Phase.MOBILIZATION, day(-60)), (Phase.CELLS_STORED, day(-50)),
             (Phase.CONDITIONING, day(-6)), (Phase.TRANSPLANT, day(0))]
    if discharge is not None:
        steps.append((Phase.IMMUNE_REBUILD, day(discharge)))
    if follow_up is not None:
        steps.append((Phase.FOLLOW_UP, day(follow_up)))
    return journey(*steps)
