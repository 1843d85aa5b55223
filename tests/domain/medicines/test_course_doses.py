"""The doses a course produces: rhythms, bounds, month ends, leap days and both daylight-saving changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from dateutil import tz

from mstracker.domain.errors import UserError
from mstracker.domain.medicines.course import Course, CourseStatus, parse_times, parse_weekdays
from mstracker.domain.medicines.doses import DoseStatus, doses_between, real

LONDON = tz.gettz("Europe/London")


def course(**kw) -> Course:
    values = {"id": 1, "name": "aciclovir", "times": (time(8), time(20)), "first_day": date(2027, 1, 30)}
    values.update(kw)
    return Course(**values)


def test_daily_course_gives_each_time_of_each_day_both_ends_included():
    c = course(last_day=date(2027, 2, 1))
    assert c.doses(date(2027, 1, 1), date(2027, 12, 31)) == [
        datetime(2027, 1, 30, 8), datetime(2027, 1, 30, 20), datetime(2027, 1, 31, 8), datetime(2027, 1, 31, 20),
        datetime(2027, 2, 1, 8), datetime(2027, 2, 1, 20)]


def test_month_end_and_leap_day_are_ordinary_days():
    c = course(times=(time(8),), first_day=date(2028, 2, 27))
    assert [d.date() for d in c.doses(date(2028, 2, 27), date(2028, 3, 1))] == [
        date(2028, 2, 27), date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)]
    every_two = course(times=(time(8),), first_day=date(2027, 1, 31), every_days=2)
    assert [d.date() for d in every_two.doses(date(2027, 2, 1), date(2027, 2, 6))] == [
        date(2027, 2, 2), date(2027, 2, 4), date(2027, 2, 6)]


def test_every_n_days_counts_from_the_first_day_whatever_the_window():
    c = course(times=(time(9),), first_day=date(2027, 3, 1), every_days=3)
    assert [d.day for d in c.doses(date(2027, 3, 5), date(2027, 3, 12))] == [7, 10]


def test_named_weekdays():
    c = course(times=(time(8),), first_day=date(2027, 6, 17), every_days=None, weekdays=(0, 2, 4))
    # 2027-06-17 is a Thursday.
    assert [d.date() for d in c.doses(date(2027, 6, 14), date(2027, 6, 25))] == [
        date(2027, 6, 18), date(2027, 6, 21), date(2027, 6, 23), date(2027, 6, 25)]


def test_open_ended_and_unscheduled_courses():
    assert len(course(last_day=None).doses(date(2027, 1, 1), date(2029, 1, 29))) == 2 * 731
    assert course(first_day=None).doses(date(2027, 1, 1), date(2027, 12, 31)) == []
    assert course(first_day=None).status(date(2027, 1, 1)) is CourseStatus.PLANNED


def test_course_status_by_the_day():
    c = course(first_day=date(2027, 2, 1), last_day=date(2027, 2, 10))
    assert [c.status(date(2027, 2, d)).value for d in (1, 10, 11)] == ["active", "active", "ended"]
    assert c.status(date(2027, 1, 31)) is CourseStatus.PLANNED


@pytest.mark.parametrize("day", [date(2027, 3, 28), date(2027, 10, 31)])
def test_a_dose_stays_at_its_wall_clock_time_across_both_dst_changes(day):
    c = course(times=(time(8),), first_day=date(2027, 3, 1))
    before, on, after = c.doses(day - timedelta(days=1), day + timedelta(days=1))
    assert (before.time(), on.time(), after.time()) == (time(8), time(8), time(8))
    # Real time between them is 23 h over the spring change and 25 h over the autumn one.
    hours = {(real(on, LONDON) - real(before, LONDON)).total_seconds() / 3600,
             (real(after, LONDON) - real(on, LONDON)).total_seconds() / 3600}
    assert hours == ({23.0, 24.0} if day.month == 3 else {24.0, 25.0})


def test_missed_is_measured_in_real_hours_across_the_spring_change():
    # 00:30 on the spring-forward night: 4 real hours later the clock reads 05:30, not 04:30.
    c = course(times=(time(0, 30),), first_day=date(2027, 3, 28), last_day=date(2027, 3, 28))
    at_0431 = datetime(2027, 3, 28, 4, 31, tzinfo=LONDON)
    at_0531 = datetime(2027, 3, 28, 5, 31, tzinfo=LONDON)
    assert doses_between([c], [], date(2027, 3, 28), date(2027, 3, 28), at_0431, LONDON)[0].status is DoseStatus.PENDING
    assert doses_between([c], [], date(2027, 3, 28), date(2027, 3, 28), at_0531, LONDON)[0].status is DoseStatus.MISSED


def test_parsing_times_and_weekdays():
    assert parse_times("20:00,08:00") == (time(8), time(20))
    assert parse_weekdays("fri,mon") == (0, 4)
    for bad in ("8:00", "24:00", "08:60", "08:00,", "08:00,08:00", "noon"):
        with pytest.raises(UserError, match="--times"):
            parse_times(bad)
    with pytest.raises(UserError, match="not a weekday"):
        parse_weekdays("mon,funday")
