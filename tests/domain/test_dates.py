"""Dates: parsing, Day ±N around month ends and leap days, calendar months, DST and wall-clock reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mstracker.domain.dates import day_label, end_of_day, localize, parse_date, parse_local_moment
from mstracker.domain.errors import UserError
from mstracker.domain.journey import Journey, Transition
from mstracker.domain.phases import Phase
from mstracker.domain.protocol import load_protocol
from mstracker.domain.schedule import generate_schedule

LONDON = ZoneInfo("Europe/London")
PROTOCOLS = Path(__file__).resolve().parents[2] / "resources" / "protocols"


def protocol(name: str):
    path = PROTOCOLS / f"{name}.toml"
    return load_protocol(path.read_text(encoding="utf-8"), path.name)


def d(text: str) -> date:
    return date.fromisoformat(text)


def zero_on(day: date) -> Journey:
    return Journey(transitions=(Transition(1, Phase.MOBILIZATION, day - timedelta(days=60)),
                                Transition(2, Phase.CELLS_STORED, day - timedelta(days=40)),
                                Transition(3, Phase.CONDITIONING, day - timedelta(days=6)),
                                Transition(4, Phase.TRANSPLANT, day)))


@pytest.mark.parametrize(("zero", "day", "n"), [
    ("2027-01-31", "2027-02-01", 1), ("2027-01-31", "2027-03-01", 29), ("2027-01-31", "2027-01-01", -30),
    ("2028-01-31", "2028-03-01", 30),           # 2028 is a leap year
    ("2028-02-29", "2028-03-01", 1), ("2028-02-29", "2028-02-01", -28), ("2028-02-29", "2029-02-28", 365),
    ("2027-12-31", "2028-01-01", 1), ("2027-12-31", "2027-12-25", -6), ("2027-04-30", "2027-05-31", 31),
    ("2027-03-27", "2027-03-29", 2),            # across the spring DST change: still whole days
    ("2027-10-30", "2027-11-01", 2),            # and the autumn one
])
def test_day_number_around_month_ends_and_leap_days(zero, day, n):
    assert zero_on(d(zero)).day_number(d(day)) == n


def test_day_labels():
    assert day_label(12) == "Day +12"
    assert day_label(-3) == "Day −3"
    assert day_label(0) == "Day 0"
    assert day_label(-6, planned=True) == "Day −6 (planned)"
    assert day_label(None) == ""


@pytest.mark.parametrize("name", ["cy-atg", "beam-atg"])
def test_leap_day_month_one_of_a_day_zero_on_the_31st(name):
    # docs/clinical-rules.md ("How the plan is dated"): Day 0 on 2028-01-31 → month 1 is 2028-02-29; months keep counting from Day 0, not chaining.
    plan = generate_schedule(protocol(name), d("2028-01-31"), d("2028-02-14"))
    monthly = sorted(r.due.date() for r in plan if r.item_id == "blood-monthly")
    assert monthly[0] == d("2028-03-31")  # month 2 (month 1 falls in the weekly weeks)
    mri = sorted(r.due.date() for r in plan if r.item_id in ("mri-baseline", "mri"))
    assert mri[:2] == [d("2028-07-31"), d("2029-01-31")]
    three = sorted(r.due.date() for r in plan if r.item_id == "blood-3-monthly")
    assert d("2028-10-31") in three and d("2029-04-30") in three and d("2030-01-31") in three


def test_calendar_month_from_the_31st_of_january_in_a_leap_year():
    from dateutil.relativedelta import relativedelta

    assert d("2028-01-31") + relativedelta(months=1) == d("2028-02-29")
    assert d("2027-01-31") + relativedelta(months=1) == d("2027-02-28")


@pytest.mark.parametrize("name", ["cy-atg", "beam-atg"])
def test_reminders_keep_their_local_wall_time_across_a_dst_change(name):
    # Day 0 in winter (GMT), discharge and months 3+ in summer (BST): every reminder stays at 09:00
    # or 20:00 local, and so moves by one hour in UTC.
    plan = generate_schedule(protocol(name), d("2027-02-15"), d("2027-03-10"))
    assert {r.due.time() for r in plan} == {time(9, 0), time(20, 0)}
    winter = next(r for r in plan if r.due.date() < d("2027-03-28") and r.due.time() == time(20, 0))
    summer = next(r for r in plan if r.due.date() > d("2027-03-28") and r.due.time() == time(20, 0))
    assert localize(winter.due, LONDON).astimezone(UTC).hour == 20
    assert localize(summer.due, LONDON).astimezone(UTC).hour == 19
    month3 = next(r for r in plan if r.item_id == "tsh-cd4")
    assert month3.due == datetime(2027, 5, 15, 9, 0)
    assert localize(month3.due, LONDON).astimezone(UTC) == datetime(2027, 5, 15, 8, 0, tzinfo=UTC)


def test_localize_a_time_that_the_spring_change_skips_is_a_real_moment():
    moment = localize(datetime(2027, 3, 28, 1, 30), LONDON)
    # 01:30 does not exist that night in London: it stands for the moment one hour after 00:30 GMT
    assert moment.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2027-02-30", "2027-13-01", "27-03-08", "2027/03/08", "20270308", "",
                                  "2027-3-8", "tomorrow", "2027-03-08T10:00"])
def test_malformed_dates_are_refused_with_an_example(text):
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        parse_date(text, "--on")


def test_moments():
    assert parse_local_moment("2027-03-08") == datetime(2027, 3, 8, 12, 0)  # a date means noon
    assert parse_local_moment("2027-03-08T07:30") == datetime(2027, 3, 8, 7, 30)
    for bad in ("2027-03-08 07:30", "2027-03-08T25:00", "2027-03-08T7:30", "2027-03-08T07:30:00"):
        with pytest.raises(UserError, match="YYYY-MM-DDTHH:MM"):
            parse_local_moment(bad, "--at")
    assert end_of_day(d("2027-03-08")).date() == d("2027-03-08")
    assert end_of_day(d("2027-03-08")) > datetime(2027, 3, 8, 23, 59)
