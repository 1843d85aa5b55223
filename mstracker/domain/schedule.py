"""Reminders from a protocol's follow-up plan and the journey's anchors, and how stored rows follow a change.

Due times are naive LOCAL wall-clock datetimes: a 09:00 reminder stays at 09:00 across a DST change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from .errors import UserError
from .limits import REMINDERS_MAX
from .protocol import DAY_LIMIT, DAY_ZERO, DISCHARGE, MONTH_LIMIT, Bound, PlanItem, Protocol, ReminderKind, Unit


@dataclass(frozen=True)
class PlannedReminder:
    item_id: str
    occurrence: int
    due: datetime
    kind: ReminderKind
    title: str


class ReminderStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class StoredReminder:
    id: int
    item_id: str
    occurrence: int
    due: datetime
    status: ReminderStatus
    edited: bool


@dataclass(frozen=True)
class ReminderChanges:
    """What regeneration does to stored rows: insert new ones, move pending ones (id kept), and drop
    pending ones no longer in the plan (the caller marks them skipped)."""

    inserts: list[PlannedReminder]
    moves: list[tuple[int, datetime]]
    drops: list[int]

    def __bool__(self) -> bool:
        return bool(self.inserts or self.moves or self.drops)


def _shift(anchor: date, unit: Unit, amount: int) -> date | None:
    """`anchor` plus `amount` days or calendar months (None when outside the calendar)."""
    try:
        if unit is Unit.MONTHS:
            return anchor + relativedelta(months=amount)
        return anchor + timedelta(days=amount)
    except (OverflowError, ValueError):
        return None


def _steps(item: PlanItem) -> Iterator[int]:
    if item.every is None:
        yield from item.steps
        return
    assert item.first is not None
    limit = MONTH_LIMIT if item.unit is Unit.MONTHS else DAY_LIMIT
    yield from range(item.first, limit + 1, item.every)


def _bound(bound: Bound | None, anchors: dict[str, date | None]) -> date | None:
    if bound is None:
        return None
    anchor = anchors[bound.anchor]
    return None if anchor is None else _shift(anchor, bound.unit, bound.amount)


def item_occurrences(item: PlanItem, day_zero: date | None, discharge: date | None) -> list[PlannedReminder]:
    """One item's reminders. None while an anchor it needs (its own, or its `until`'s) is unknown.
    A `skip_through` whose anchor is unknown skips nothing yet."""
    anchors = {DAY_ZERO: day_zero, DISCHARGE: discharge}
    if any(anchors[name] is None for name in item.anchors()):
        return []
    start = anchors[item.anchor]
    assert start is not None
    until = _bound(item.until, anchors)
    if item.until is not None and until is None:
        return []  # the bound lies outside the calendar
    skip_through = _bound(item.skip_through, anchors)
    out: list[PlannedReminder] = []
    for n in _steps(item):
        day = _shift(start, item.unit, n)
        if day is None:
            continue
        if until is not None and day > until:
            if item.every is not None:
                break  # steps only grow
            continue
        if skip_through is not None and day <= skip_through:
            continue
        out.append(PlannedReminder(item.id, n, datetime.combine(day, item.time), item.kind, item.title_for(n)))
    return out


def _order(reminder: PlannedReminder) -> tuple:
    return (reminder.due, reminder.kind.value, reminder.title, reminder.item_id, reminder.occurrence)


def generate_schedule(protocol: Protocol, day_zero: date | None, discharge: date | None) -> list[PlannedReminder]:
    """Every reminder of the protocol's plan for these anchors, sorted by (due, kind, title)."""
    planned = [r for item in protocol.plan for r in item_occurrences(item, day_zero, discharge)]
    if len(planned) > REMINDERS_MAX:  # anchors far apart (a discharge planned years after Day 0)
        raise UserError(f"these dates would give {len(planned)} reminders, more than the {REMINDERS_MAX} a journey "
                        "holds; check the planned dates")
    return sorted(planned, key=_order)


def reconcile(stored: list[StoredReminder], planned: list[PlannedReminder]) -> ReminderChanges:
    """How stored reminders follow a regenerated plan. Rows are matched on (item_id, occurrence).
    Only pending rows that were not edited by hand are moved or dropped; done, skipped, snoozed and
    edited rows are never touched, and a key already stored (in any state) is never inserted again."""
    wanted = {(p.item_id, p.occurrence): p for p in planned}
    have = {(s.item_id, s.occurrence) for s in stored}
    inserts = [p for p in planned if (p.item_id, p.occurrence) not in have]
    moves: list[tuple[int, datetime]] = []
    drops: list[int] = []
    for row in sorted(stored, key=lambda s: s.id):
        if row.status is not ReminderStatus.PENDING or row.edited:
            continue
        target = wanted.get((row.item_id, row.occurrence))
        if target is None:
            drops.append(row.id)
        elif target.due != row.due:
            moves.append((row.id, target.due))
    return ReminderChanges(inserts, moves, drops)
