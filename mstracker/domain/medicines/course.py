"""A course of a medicine and the doses it produces for any window of days (docs/medicines.md).

Dose times are local wall-clock times: an 08:00 injection is at 08:00 on both sides of a daylight-saving
change, so doses are naive datetimes here and become real moments only where elapsed time matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from ..errors import UserError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_EVERY_DAYS = 366
MAX_TIMES = 12
NAME_LIMIT = 200
TEXT_LIMIT = 500


class Route(StrEnum):
    ORAL = "oral"
    INJECTION = "injection"
    OTHER = "other"


class Source(StrEnum):
    PROTOCOL = "protocol"
    OWN = "own"


class CourseStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(frozen=True)
class Course:
    """One medicine on one rhythm. `first_day` None: not scheduled yet (a protocol anchor is still unknown);
    `last_day` None: open-ended. Exactly one of `every_days` and `weekdays` (0 = Monday) is set."""

    id: int
    name: str
    times: tuple[time, ...]
    first_day: date | None
    last_day: date | None = None
    every_days: int | None = 1
    weekdays: tuple[int, ...] | None = None
    dose: str = ""
    route: Route = Route.ORAL
    purpose: str = ""
    source: Source = Source.OWN
    key: str | None = None  # the protocol's id for the course
    uid: str = ""

    def status(self, today: date) -> CourseStatus:
        if self.first_day is None or self.first_day > today:
            return CourseStatus.PLANNED
        if self.last_day is not None and self.last_day < today:
            return CourseStatus.ENDED
        return CourseStatus.ACTIVE

    def runs_on(self, day: date) -> bool:
        """Whether `day` is one of the course's days (its bounds and its rhythm)."""
        if self.first_day is None or day < self.first_day or (self.last_day is not None and day > self.last_day):
            return False
        if self.weekdays is not None:
            return day.weekday() in self.weekdays
        return (day - self.first_day).days % (self.every_days or 1) == 0

    def days(self, start: date, end: date) -> Iterator[date]:
        """The course's days from `start` to `end`, both included."""
        if self.first_day is None:
            return
        day = max(start, self.first_day)
        stop = end if self.last_day is None else min(end, self.last_day)
        if self.weekdays is None:
            step = self.every_days or 1
            offset = (day - self.first_day).days % step
            if offset:
                day += timedelta(days=step - offset)
            while day <= stop:
                yield day
                day += timedelta(days=step)
            return
        while day <= stop:
            if day.weekday() in self.weekdays:
                yield day
            day += timedelta(days=1)

    def doses(self, start: date, end: date) -> list[datetime]:
        """Every scheduled dose (a naive local wall time) on the days from `start` to `end`, in order."""
        return [datetime.combine(day, moment) for day in self.days(start, end) for moment in self.times]

    def is_dose(self, due: datetime) -> bool:
        return due.second == 0 and due.microsecond == 0 and due.time() in self.times and self.runs_on(due.date())

    def ended_by(self, day: date | None) -> Course:
        """The course with its last day no later than `day` (a stop, a final phase)."""
        if day is None or (self.last_day is not None and self.last_day <= day):
            return self
        return replace(self, last_day=day)

    @property
    def rhythm_text(self) -> str:
        if self.weekdays is not None:
            return ", ".join(WEEKDAYS[d] for d in self.weekdays)
        return "daily" if (self.every_days or 1) == 1 else f"every {self.every_days} days"

    @property
    def times_text(self) -> str:
        return ", ".join(t.strftime("%H:%M") for t in self.times)


# ---- reading what a person typed --------------------------------------------------------------------

_HHMM = re.compile(r"(\d\d):(\d\d)")


def parse_time_of_day(text: str, what: str = "--times") -> time:
    match = _HHMM.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise UserError(f"{what}: {text!r} is not a time of day; write HH:MM (24-hour clock), e.g. 08:00")
    return time(int(match[1]), int(match[2]))


def parse_times(text: str, what: str = "--times") -> tuple[time, ...]:
    """'08:00,20:00' → (08:00, 20:00): sorted, each once."""
    parts = [p for p in text.split(",")]
    if not text.strip() or any(not p.strip() for p in parts):
        raise UserError(f"{what}: give one or more times of day as HH:MM[,HH:MM…], e.g. 08:00,20:00")
    times = [parse_time_of_day(p, what) for p in parts]
    if len(set(times)) != len(times):
        raise UserError(f"{what}: a time is given twice ({text})")
    if len(times) > MAX_TIMES:
        raise UserError(f"{what}: at most {MAX_TIMES} times a day")
    return tuple(sorted(times))


def parse_weekdays(text: str | list[str], what: str = "--weekdays") -> tuple[int, ...]:
    """'mon,wed,fri' → (0, 2, 4)."""
    parts = text if isinstance(text, list) else text.split(",")
    days = []
    for part in parts:
        word = str(part).strip().lower()
        if word not in WEEKDAYS:
            raise UserError(f"{what}: {part!r} is not a weekday; use {','.join(WEEKDAYS)} (e.g. mon,wed,fri)")
        days.append(WEEKDAYS.index(word))
    if not days:
        raise UserError(f"{what}: name one or more weekdays, e.g. mon,wed,fri")
    if len(set(days)) != len(days):
        raise UserError(f"{what}: a weekday is named twice")
    return tuple(sorted(days))


def weekday_names(days: tuple[int, ...] | None) -> list[str] | None:
    return None if days is None else [WEEKDAYS[d] for d in days]


def parse_route(text: str) -> Route:
    try:
        return Route(text.strip().lower())
    except ValueError:
        raise UserError(f"--route: {text!r} is not known; use one of: oral, injection, other") from None


def check_text(value: str, what: str, limit: int = TEXT_LIMIT, *, empty: bool = True) -> str:
    text = value.strip()
    if not text and not empty:
        raise UserError(f"{what} is empty; write it, e.g. {what} \"aciclovir\"")
    if len(text) > limit:
        raise UserError(f"{what} is longer than {limit} characters; shorten it")
    if any(ord(c) < 32 for c in text):
        raise UserError(f"{what} holds control characters; write plain text")
    return text


def check_rhythm(every_days: int | None, weekdays: tuple[int, ...] | None) -> None:
    if every_days is not None and weekdays is not None:
        raise UserError("give either --every-days or --weekdays, not both")
    if every_days is not None and not 1 <= every_days <= MAX_EVERY_DAYS:
        raise UserError(f"--every-days must be a whole number from 1 to {MAX_EVERY_DAYS}")


def check_span(first: date, last: date | None) -> None:
    if last is not None and last < first:
        raise UserError(f"--to {last.isoformat()} is before --from {first.isoformat()}; "
                        "the last day must be on or after the first")
