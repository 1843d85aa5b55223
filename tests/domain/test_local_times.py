"""LocalTimes gives exactly what astimezone and isoformat give, across DST changes of several zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dateutil_tz

from mstracker.domain.local_times import LocalTimes

ZONES = ("Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns", "UTC")


def _moments(start: datetime, days: int, step_minutes: int):
    moment = start
    end = start + timedelta(days=days)
    while moment < end:
        yield moment
        moment += timedelta(minutes=step_minutes)


@pytest.mark.parametrize("key", ZONES)
@pytest.mark.parametrize("make", [dateutil_tz.gettz, ZoneInfo], ids=["dateutil", "zoneinfo"])
def test_same_as_astimezone_and_isoformat_through_a_year_of_dst_changes(key, make):
    zone = make(key)
    times = LocalTimes(zone)
    # Every 11 minutes for 400 days: both changes of each zone, and the leap day 2028-02-29.
    for moment in _moments(datetime(2027, 6, 1, tzinfo=UTC), 400, 11):
        expected = moment.astimezone(zone)
        got = times.local(moment)
        assert (got, got.fold, got.utcoffset()) == (expected, expected.fold, expected.utcoffset()), moment
        assert times.iso(got) == expected.isoformat(timespec="seconds"), moment


def test_the_repeated_hour_keeps_its_fold_and_offset():
    zone = dateutil_tz.gettz("Europe/London")
    times = LocalTimes(zone)
    first, second = datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    assert times.iso(times.local(first)) == "2027-10-31T01:30:00+01:00"
    assert times.iso(times.local(second)) == "2027-10-31T01:30:00+00:00"


def test_a_moment_in_another_zone_is_converted_and_printed_as_itself():
    times = LocalTimes(ZoneInfo("Europe/London"))
    other = datetime(2027, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert times.local(other).isoformat() == "2027-06-01T04:00:00+01:00"
    assert times.iso(other) == "2027-06-01T12:00:00+09:00"
