"""When a reminder is due, overdue, or snoozed to: one rule for the banner, the list, the agenda, the
dashboard and the alerts (docs/clinical-rules.md, "Alerts": overdue from 24 h after its due time).

Times are naive local wall times, as stored. `now` may be aware (then the 24 h are real hours, across a
DST change) or naive (wall-clock hours).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from enum import StrEnum

from .dates import localize

OVERDUE_AFTER = timedelta(hours=24)
MORNING = time(9, 0)
OPEN_STATUSES = ("pending", "snoozed")


class DueState(StrEnum):
    LATER = "later"  # its time has not come
    DUE = "due"  # its time has come, less than 24 h ago
    OVERDUE = "overdue"  # 24 h or more past its time
    CLOSED = "closed"  # done or skipped


class SnoozeSpan(StrEnum):
    HOUR = "hour"
    MORNING = "tomorrow"  # the next morning at 09:00
    WEEK = "week"


def effective_due(due: datetime, status: str, snoozed_until: datetime | None) -> datetime:
    """The time that counts: the snooze's while snoozed, else the reminder's own."""
    return snoozed_until if status == "snoozed" and snoozed_until else due


def _elapsed(wall: datetime, now: datetime) -> timedelta:
    if now.tzinfo is None:
        return now - wall
    # Both in UTC: aware datetimes of one zone subtract as wall clocks in Python, DST ignored.
    return now.astimezone(timezone.utc) - localize(wall, now.tzinfo).astimezone(timezone.utc)


def due_state(status: str, due: datetime, now: datetime) -> DueState:
    """`due` is the effective (snoozed) time."""
    if status not in OPEN_STATUSES:
        return DueState.CLOSED
    elapsed = _elapsed(due, now)
    if elapsed >= OVERDUE_AFTER:
        return DueState.OVERDUE
    return DueState.DUE if elapsed >= timedelta(0) else DueState.LATER


def is_overdue(status: str, due: datetime, now: datetime) -> bool:
    return due_state(status, due, now) is DueState.OVERDUE


def overdue_before(now: datetime) -> datetime:
    """The naive wall minute from which a due time is not yet overdue: due < this ⇔ overdue (due times are
    whole minutes). For a query that counts overdue reminders without loading them."""
    if now.tzinfo is None:
        limit = now - OVERDUE_AFTER
    else:
        limit = (now.astimezone(timezone.utc) - OVERDUE_AFTER).astimezone(now.tzinfo).replace(tzinfo=None)
    return limit.replace(second=0, microsecond=0) + timedelta(minutes=1)


def snooze_until(own: datetime, now: datetime, span: SnoozeSpan | str) -> datetime:
    """A snooze counts from the later of now and the reminder's own (effective) time, never earlier: a
    reminder due next month snoozed "for a week" is due a week after that, not a week from today."""
    span = SnoozeSpan(span)
    base = max(own, now.replace(tzinfo=None)).replace(second=0, microsecond=0)
    if span is SnoozeSpan.HOUR:
        return base + timedelta(hours=1)
    if span is SnoozeSpan.WEEK:
        return base + timedelta(days=7)
    return datetime.combine(base.date() + timedelta(days=1), MORNING)
