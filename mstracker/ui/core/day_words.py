"""Plain words for phases and moments: light (no entries module), for the header's first paint."""

from __future__ import annotations

import re
from datetime import date, datetime

from ...domain.phases import PLAIN_WORDS, Phase


def phase_words(phase: Phase | str | None) -> str:
    if phase is None:
        return "journey not started yet"
    return PLAIN_WORDS[Phase(phase)]


def moment_words(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y, %H:%M")


def due_words(due: datetime, today: date) -> str:
    """'today 09:00', 'tomorrow 09:00', 'Mon 08 Jun 2027, 09:00'."""
    delta = (due.date() - today).days
    if delta == 0:
        return f"today {due:%H:%M}"
    if delta == 1:
        return f"tomorrow {due:%H:%M}"
    if delta == -1:
        return f"yesterday {due:%H:%M}"
    return moment_words(due)


_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?\b")


def local_dates(text: str) -> str:
    """ISO dates and times in a message ("on 2026-12-06", "since 2027-03-12 14:00") in the app's own format
    ("on Sun 06 Dec 2026", "since Fri 12 Mar 2027, 14:00"): the rules' messages are the command line's too."""

    def one(match: re.Match) -> str:
        year, month, day, hour, minute = match.groups()
        try:
            if hour is None:
                return f"{date(int(year), int(month), int(day)):%a %d %b %Y}"
            return moment_words(datetime(int(year), int(month), int(day), int(hour), int(minute)))
        except ValueError:
            return match.group(0)  # not a date after all: leave it as written

    return _ISO.sub(one, text)
