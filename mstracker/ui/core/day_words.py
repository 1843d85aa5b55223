"""Plain words for phases and moments: light (no entries module), for the header's first paint."""

from __future__ import annotations

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
