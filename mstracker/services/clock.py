"""The machine's zone and clock, as every use case reads them (MSTRACKER_NOW replaces the clock)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, tzinfo

from dateutil import tz as dateutil_tz

from ..domain.dates import parse_local_moment


def local_zone() -> tzinfo:
    """The machine's zone (TZ where set), DST-aware."""
    zone = dateutil_tz.gettz(os.environ["TZ"]) if os.environ.get("TZ") else dateutil_tz.tzlocal()
    return zone or dateutil_tz.tzlocal()


def system_clock(zone: tzinfo) -> Callable[[], datetime]:
    """MSTRACKER_NOW (local YYYY-MM-DDTHH:MM) replaces the system clock for the whole process."""
    fixed = os.environ.get("MSTRACKER_NOW")
    if fixed:
        moment = parse_local_moment(fixed, "MSTRACKER_NOW").replace(tzinfo=zone)
        return lambda: moment
    return lambda: datetime.now(zone)


class Clocked:
    """now, today and local wall times for a context that has a `zone` and a `clock` (None: the system's)."""

    zone: tzinfo
    clock: Callable[[], datetime] | None

    def now(self) -> datetime:
        """Now, as an aware local datetime."""
        if self.clock is None:
            self.clock = system_clock(self.zone)
        return self.clock().astimezone(self.zone)

    def today(self) -> date:
        return self.now().date()

    def local(self, wall: datetime) -> datetime:
        """A naive local wall time as an aware datetime in this context's zone."""
        if wall.tzinfo is None:  # combine(): a fifth of replace(tzinfo=...)'s cost, row by row in an import
            return datetime.combine(wall.date(), wall.time(), self.zone)
        return wall.astimezone(self.zone)
