"""One rule for due and overdue, and a snooze that never makes a reminder due sooner."""

from __future__ import annotations

from datetime import datetime

import pytest
from dateutil import tz

from mstracker.domain.reminder_times import DueState, SnoozeSpan, due_state, is_overdue, overdue_before, snooze_until

LONDON = tz.gettz("Europe/London")


@pytest.mark.parametrize(("span", "expected"), [
    (SnoozeSpan.HOUR, datetime(2027, 7, 1, 10, 0)),
    (SnoozeSpan.MORNING, datetime(2027, 7, 2, 9, 0)),
    (SnoozeSpan.WEEK, datetime(2027, 7, 8, 9, 0)),
])
def test_a_future_reminder_is_snoozed_from_its_own_time(span, expected):
    own = datetime(2027, 7, 1, 9, 0)
    now = datetime(2026, 12, 6, 5, 33, 41, tzinfo=LONDON)
    assert snooze_until(own, now, span) == expected


@pytest.mark.parametrize(("span", "expected"), [
    ("hour", datetime(2027, 5, 9, 9, 33)),
    ("tomorrow", datetime(2027, 5, 10, 9, 0)),
    ("week", datetime(2027, 5, 16, 8, 33)),
])
def test_a_due_reminder_is_snoozed_from_now(span, expected):
    own = datetime(2027, 5, 1, 9, 0)
    assert snooze_until(own, datetime(2027, 5, 9, 8, 33, 59, tzinfo=LONDON), span) == expected


def test_a_snooze_is_never_earlier_than_the_reminder_and_crosses_month_and_leap_day():
    own = datetime(2028, 2, 28, 23, 30)
    now = datetime(2028, 2, 1, 12, 0)
    assert snooze_until(own, now, "hour") == datetime(2028, 2, 29, 0, 30)
    assert snooze_until(own, now, "tomorrow") == datetime(2028, 2, 29, 9, 0)
    assert snooze_until(datetime(2027, 1, 31, 9, 0), now.replace(year=2027, month=1, day=1), "week") == \
        datetime(2027, 2, 7, 9, 0)
    with pytest.raises(ValueError):
        snooze_until(own, now, "fortnight")


def test_due_and_overdue_by_24_hours_of_real_time():
    due = datetime(2027, 5, 8, 20, 0)
    at = lambda *a: datetime(*a, tzinfo=LONDON)  # noqa: E731
    assert due_state("pending", due, at(2027, 5, 8, 19, 59)) is DueState.LATER
    assert due_state("pending", due, at(2027, 5, 8, 20, 0)) is DueState.DUE
    assert due_state("pending", due, at(2027, 5, 9, 19, 59)) is DueState.DUE  # yesterday, not yet 24 h
    assert due_state("pending", due, at(2027, 5, 9, 20, 0)) is DueState.OVERDUE
    assert due_state("snoozed", due, at(2027, 5, 10, 8, 0)) is DueState.OVERDUE
    assert due_state("done", due, at(2027, 6, 1, 0, 0)) is DueState.CLOSED
    assert due_state("skipped", due, at(2027, 6, 1, 0, 0)) is DueState.CLOSED


def test_overdue_counts_real_hours_across_dst():
    # Clocks go back on 31 Oct 2027 in London: 24 real hours after 30 Oct 09:00 is 31 Oct 08:00 wall time.
    due = datetime(2027, 10, 30, 9, 0)
    assert not is_overdue("pending", due, datetime(2027, 10, 31, 7, 59, tzinfo=LONDON))
    assert is_overdue("pending", due, datetime(2027, 10, 31, 8, 0, tzinfo=LONDON))
    # Naive: wall-clock hours.
    assert not is_overdue("pending", due, datetime(2027, 10, 31, 8, 59))


@pytest.mark.parametrize("now", [
    datetime(2027, 5, 9, 20, 0, tzinfo=LONDON), datetime(2027, 5, 9, 19, 59, 30, tzinfo=LONDON),
    datetime(2027, 10, 31, 8, 0, tzinfo=LONDON), datetime(2027, 3, 28, 10, 17, tzinfo=LONDON),
])
def test_overdue_before_agrees_with_is_overdue(now):
    limit = overdue_before(now)
    for minutes in range(-3000, 3000, 7):
        due = limit.replace(second=0) + (datetime(2000, 1, 1, 0, 1) - datetime(2000, 1, 1)) * minutes
        assert (due < limit) == is_overdue("pending", due, now), due
