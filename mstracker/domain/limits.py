"""What the app accepts at every entrance (command line, desktop app, import, protocol files), stated once.

Dates lie in a plausible window, texts hold no control characters or bidirectional overrides and have a
length limit, ids are ASCII digits that fit a 64-bit integer. The CLI parsers, the services and import all
call these checks, so a value refused by one entrance is refused by all (docs/limits.md lists the limits).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from .errors import UserError

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)

NAME_MAX = 200  # a patient's name
TITLE_MAX = 300  # a reminder's or a protocol's title
REASON_MAX = 2000  # a reason, a note
ID_MAX = 2**63 - 1  # SQLite's largest integer

IMPORT_MAX_BYTES = 200 * 1024 * 1024  # an import file (checked before reading)
PROTOCOL_MAX_BYTES = 256 * 1024  # a protocol file
PROTOCOL_MAX_ITEMS = 100  # [[plan]] items in one protocol
PROTOCOL_MAX_DRUGS = 30  # [[conditioning]] entries
REMINDERS_MAX = 2000  # reminders one journey's plan may produce
SLUG_MAX = 64  # a protocol's name, a plan item's id

_ID = re.compile(r"[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
# Bidirectional embeddings, overrides and isolates reorder what a reader sees (a name shown backwards).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def in_window(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_day(day: date, what: str) -> date:
    """`day` within 1900-01-01 … 2200-12-31, else a UserError naming `what`."""
    if not in_window(day):
        raise UserError(f"{what} {day.isoformat()} is outside {EARLIEST.year}–{LATEST.year}; check the year")
    return day


def check_moment(moment: datetime, what: str) -> datetime:
    """A (naive or aware) moment whose local date and UTC date both lie in the window."""
    check_day(moment.date(), what)
    if moment.tzinfo is not None:
        try:
            utc = moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise UserError(f"{what} {moment.isoformat()} is outside {EARLIEST.year}–{LATEST.year}") from None
        check_day(utc.date(), what)
    return moment


def is_date_text(text: str) -> bool:
    """`YYYY-MM-DD` in ASCII digits (no ISO week dates, no other scripts' digits)."""
    return _DATE.fullmatch(text) is not None


def is_moment_text(text: str) -> bool:
    """`YYYY-MM-DDTHH:MM` in ASCII digits."""
    return _MOMENT.fullmatch(text) is not None


def parse_id(text: str, what: str = "id") -> int:
    """A positive id written in ASCII digits only ('5_0', ' 5', '٥' and 2⁶³ are refused)."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        raise UserError(f"{text!r} is not {what} (a whole number in the digits 0–9)")
    value = int(text)
    if not 0 < value <= ID_MAX:
        raise UserError(f"{text!r} is not {what}; ids are positive whole numbers up to {ID_MAX}")
    return value


def bad_character(text: str, *, lines: bool = False) -> str | None:
    """The first character a stored text must not hold, if any: control characters (newlines only where
    `lines`), bidirectional overrides, line separators and lone surrogates."""
    for ch in text:
        if lines and ch in "\n\t":
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI:
            return ch
    return None


def check_text(text: str, what: str, longest: int, *, lines: bool = False, empty: bool = False) -> str:
    """`text` stripped; refused when empty (unless `empty`), longer than `longest` or holding a character
    that would reach a terminal or a file raw (see `bad_character`)."""
    if not isinstance(text, str):
        raise UserError(f"{what} must be text")
    value = text.strip()
    if not value and not empty:
        raise UserError(f"{what} is empty; write some text")
    if len(value) > longest:
        raise UserError(f"{what} is longer than {longest} characters; shorten it")
    ch = bad_character(value, lines=lines)
    if ch is not None:
        raise UserError(f"{what} holds the character {_name(ch)}, which cannot be stored; remove it")
    return value


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f" ({unicodedata.name(ch)})" if unicodedata.name(ch, "") else "")


def printable(text: str) -> str:
    """`text` safe for a terminal line: every character `bad_character` names shown as an escape."""
    if bad_character(text) is None:
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if bad_character(ch) else ch for ch in text)
