"""Moments as they are stored: the bulk converter (a day's offset looked up once) gives exactly what converting
each moment on its own gives, on the days clocks change too, and stored text reads back as the same moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dateutil import tz

from mstracker.storage.repository import _utc_text_converter
from mstracker.storage.stored_events import as_utc, to_db

ZONES = ("Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC")
# Around each zone's clock changes of 2027, and an ordinary week.
DAYS = (datetime(2027, 3, 26), datetime(2027, 4, 2), datetime(2027, 10, 29), datetime(2027, 11, 5),
        datetime(2027, 7, 1))


@pytest.mark.parametrize("name", ZONES)
def test_the_bulk_converter_agrees_with_one_moment_at_a_time(name):
    zone = tz.gettz(name)
    convert = _utc_text_converter()
    for start in DAYS:
        for quarter in range(4 * 24 * 4):  # four days, every 15 minutes, both folds of a repeated hour
            wall = start + timedelta(minutes=15 * quarter)
            for fold in (0, 1):
                moment = datetime.combine(wall.date(), wall.time().replace(fold=fold), zone)
                expected = to_db(moment).isoformat(" ", "microseconds")
                assert convert(moment) == expected, (name, moment, fold)
                assert as_utc(expected) == moment.astimezone(UTC)


def test_stored_text_reads_back_with_or_without_an_offset():
    assert as_utc("2027-03-28 00:59:59.000000") == datetime(2027, 3, 28, 0, 59, 59, tzinfo=UTC)
    assert as_utc("2027-03-28 00:59:59") == datetime(2027, 3, 28, 0, 59, 59, tzinfo=UTC)
    assert as_utc("2027-03-28 02:59:59+01:00") == datetime(2027, 3, 28, 1, 59, 59, tzinfo=UTC)
    assert as_utc("2027-03-28 01:00:00-05:00") == datetime(2027, 3, 28, 6, 0, tzinfo=UTC)
    assert as_utc(datetime(2027, 3, 28, 1, 0)) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
