"""Parsing and naming of local dates and moments, as the command line writes them (docs/command-line.md, "Dates and times")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from .errors import UserError
from .limits import check_day, is_date_text, is_moment_text

NOON = time(12, 0)


def parse_date(text: str, what: str = "date") -> date:
    """`YYYY-MM-DD` only (no ISO week dates, no other scripts' digits), within the plausible years."""
    try:
        if not is_date_text(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{what} {text!r} is not a valid date; write YYYY-MM-DD, e.g. 2027-03-08") from None
    return check_day(day, what)


def parse_local_moment(text: str, what: str = "time", *, default_time: time = NOON) -> datetime:
    """`YYYY-MM-DD` (at `default_time`) or `YYYY-MM-DDTHH:MM`, as a naive local wall time."""
    if len(text) == 10:
        return datetime.combine(parse_date(text, what), default_time)
    try:
        if not is_moment_text(text):
            raise ValueError
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise UserError(
            f"{what} {text!r} is not valid; write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2027-03-08T07:30"
        ) from None
    check_day(moment.date(), what)
    return moment


def localize(wall: datetime, zone: tzinfo) -> datetime:
    """A naive local wall time as an aware datetime in `zone` (a time skipped by DST moves forward)."""
    aware = wall.replace(tzinfo=zone)
    # Round-trip through UTC to normalise a non-existent wall time (spring forward) to a real moment.
    return aware.astimezone(zone) if aware.utcoffset() is not None else aware


def format_moment(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM` with a four-digit year always (strftime's %Y does not pad years before 1000)."""
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M}"


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999))


def day_label(number: int | None, planned: bool = False) -> str:
    """'Day +12', 'Day −3', 'Day 0' (with '(planned)' when Day 0 is only planned)."""
    if number is None:
        return ""
    sign = "+" if number > 0 else ("−" if number < 0 else "")
    text = f"Day {sign}{abs(number)}"
    return f"{text} (planned)" if planned else text


def days_between(start: date, end: date) -> int:
    return (end - start).days


def add_days(day: date, n: int) -> date:
    return day + timedelta(days=n)
