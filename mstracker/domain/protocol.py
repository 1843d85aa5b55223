"""A centre's protocol as data: conditioning, phase-length expectations and the follow-up plan (docs/clinical-rules.md).

`load_protocol` reads a TOML file's text, checks every key and returns a frozen `Protocol`; the first
problem found is raised as a `ProtocolError` naming the file, the line (when it can be found), the key
and the reason. The shipped files live in resources/protocols/.

A plan item's recurrence is one of:

- `days = [7, 14]`          day offsets from the anchor (occurrence number = the offset);
- `months = [6, 12]`        calendar months from the anchor, each computed as anchor + relativedelta(months=N),
                            never chained (occurrence number = N);
- `every_days = K`          with `first` (and `last`, or `until`): offsets first, first+K, … (occurrence = the offset);
- `every_months = K`        with `first` (and `last`, or `until`): months first, first+K, … (occurrence = the month).

Optional bounds, each `{anchor = "day0"|"discharge", days = N}` or `{anchor = …, months = N}`:
`until` keeps occurrences on or before that date; `skip_through` drops occurrences on or before it.
Occurrence numbers never depend on which other occurrences a bound removed, so they stay stable when an
anchor moves.

A `[[course]]` table is a medicine taken at home (docs/medicines.md): `id`, `name`, `dose`, `route`
(oral | injection | other), `times = ["08:00", …]`, `every_days = N` or `weekdays = ["mon", …]`, `purpose`,
`from = {anchor = …, days = N}` and optional `until` (same form; both days included; open-ended without),
anchors "mobilization", "cells_stored", "discharge", "day0".
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Any

from .errors import UserError
from .limits import (
    PROTOCOL_MAX_BYTES,
    PROTOCOL_MAX_DRUGS,
    PROTOCOL_MAX_ITEMS,
    REASON_MAX,
    REMINDERS_MAX,
    SLUG_MAX,
    TITLE_MAX,
    bad_character,
)
from .medicines.course import WEEKDAYS, Route
from .medicines.template import COURSE_ANCHORS, CourseBound, CourseTemplate

DAY_ZERO = "day0"
DISCHARGE = "discharge"
ANCHORS = (DAY_ZERO, DISCHARGE)

DAY_LIMIT = 7320  # offsets up to about 20 years either side of an anchor
MONTH_LIMIT = 240
DEFAULT_TIME = time(9, 0)

# Title placeholders: {n} occurrence number (day offset or month), {k} 1-based step in the series,
# {count} steps in the series (finite series only), {week} = n / 7 (day series), {year} = n / 12 (month series).
PLACEHOLDERS = ("n", "k", "count", "week", "year")


class ReminderKind(StrEnum):
    MRI = "mri"
    BLOOD_TEST = "blood_test"
    EVALUATION = "evaluation"
    VACCINATION = "vaccination"
    MEDICATION = "medication"
    APPOINTMENT = "appointment"
    CUSTOM = "custom"


class Unit(StrEnum):
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True)
class Drug:
    name: str
    from_day: int
    to_day: int
    dose: str = ""


@dataclass(frozen=True)
class Bound:
    """A date relative to an anchor: `anchor` + `amount` days or calendar months."""

    anchor: str
    unit: Unit
    amount: int


@dataclass(frozen=True)
class PlanItem:
    """One line of the follow-up plan. `steps` are the occurrence numbers (day offsets or month numbers)
    when the series is given as a list or has a `last`; `every`/`first` describe an open series that
    only `until` ends."""

    id: str
    title: str
    kind: ReminderKind
    anchor: str
    unit: Unit
    steps: tuple[int, ...] = ()
    every: int | None = None
    first: int | None = None
    time: time = DEFAULT_TIME
    until: Bound | None = None
    skip_through: Bound | None = None

    @property
    def finite(self) -> bool:
        return self.every is None

    def anchors(self) -> tuple[str, ...]:
        """Every anchor the item needs to be scheduled at all (skip_through is optional, see schedule.py)."""
        return (self.anchor,) + ((self.until.anchor,) if self.until else ())

    def title_for(self, n: int) -> str:
        """The title of the occurrence numbered `n`."""
        if self.every is not None:
            assert self.first is not None
            k = (n - self.first) // self.every + 1
            count = 0
        else:
            k = self.steps.index(n) + 1 if n in self.steps else 0
            count = len(self.steps)
        return self.title.format(n=n, k=k, count=count, week=n // 7, year=n // 12)


@dataclass(frozen=True)
class Protocol:
    name: str
    title: str
    description: str
    autologous: bool
    admission_day: int
    conditioning: tuple[Drug, ...]
    expected_discharge_days: tuple[int, int]
    mobilization_days: tuple[int, int]
    stay_days: tuple[int, int]
    engraftment_run_length: int
    transfusion_free_days: int
    edss_confirmation_days: int
    eligibility_max_age: int
    eligibility_max_edss: float
    eligibility_max_disease_years: int
    plan: tuple[PlanItem, ...]
    source_text: str
    courses: tuple[CourseTemplate, ...] = ()

    def item(self, item_id: str) -> PlanItem:
        for entry in self.plan:
            if entry.id == item_id:
                return entry
        raise KeyError(item_id)


class ProtocolError(UserError):
    """An invalid protocol file: `source line L, key: reason`."""

    def __init__(self, source: str, key: str, reason: str, line: int | None = None) -> None:
        self.source, self.key, self.reason, self.line = source, key, reason, line
        where = f"{source} line {line}" if line is not None else source
        super().__init__(f"{where}, {key}: {reason}" if key else f"{where}: {reason}")


# ---- finding the line of a key (best effort) ---------------------------------------------------------

Path = tuple[str | int, ...]
_HEADER = re.compile(r"^\s*\[")


def _path_text(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _key_line(lines: list[str], start: int, stop: int, key: str) -> int | None:
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*[=.]""")
    for i in range(start, stop):
        if pattern.match(lines[i]):
            return i
    return None


def _section_end(lines: list[str], start: int) -> int:
    for i in range(start + 1, len(lines)):
        if _HEADER.match(lines[i]):
            return i
    return len(lines)


def find_line(text: str, path: Path) -> int | None:
    """The 1-based line where `path` (e.g. ("plan", 3, "every_months")) is written, if it can be found."""
    lines = text.splitlines()
    start, stop = 0, _section_end(lines, -1)  # top-level keys come before the first [header]
    found: int | None = None
    inline = False  # once a key's line is found, deeper parts are on it or below it (inline tables, arrays)
    i = 0
    while i < len(path):
        part = path[i]
        index = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else None
        if isinstance(part, int):
            i += 1
        elif inline:
            pattern = re.compile(rf"(?:^|[{{,.\s]){re.escape(part)}\s*=")
            hit = next((n for n in range(found or 0, stop) if pattern.search(lines[n])), None)
            if hit is None:
                break
            found, i = hit, i + 1
        else:
            if isinstance(index, int):
                header = re.compile(rf"^\s*\[\[\s*{re.escape(part)}\s*\]\]")
                headers = [n for n, line in enumerate(lines) if header.match(line)]
                if index < len(headers):
                    found = headers[index]
                    start, stop = found + 1, _section_end(lines, found)
                    i += 2
                    continue
            hit = _key_line(lines, start, stop, part)
            if hit is None:
                break
            found, inline = hit, True
            i += 2 if index is not None else 1
    return found + 1 if found is not None else None


# ---- checking values ---------------------------------------------------------------------------------

class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.text, self.source = text, source

    def fail(self, path: Path, reason: str, at: Path | None = None) -> ProtocolError:
        """The error for `path`; its line is that of `at` (default: `path`)."""
        return ProtocolError(self.source, _path_text(path), reason, find_line(self.text, path if at is None else at))

    def table(self, value: Any, path: Path, known: dict[str, Any]) -> dict[str, Any]:
        """Check that `value` is a table whose keys are all in `known`; parse each key in document order."""
        if not isinstance(value, dict):
            raise self.fail(path, "must be a table")
        out: dict[str, Any] = {}
        for key, raw in value.items():
            if key not in known:
                raise self.fail(path + (key,), f"unknown key; allowed here: {', '.join(known)}")
            out[key] = known[key](raw, path + (key,))
        return out

    def require(self, values: dict[str, Any], path: Path, *names: str) -> None:
        for name in names:
            if name not in values:
                raise self.fail(path + (name,), "required key is missing", at=path)

    # value parsers: (raw, path) -> value

    def integer(self, low: int, high: int):
        def parse(raw: Any, path: Path) -> int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise self.fail(path, f"must be a whole number from {low} to {high}")
            if not low <= raw <= high:
                raise self.fail(path, f"{raw} is outside {low} to {high}")
            return raw
        return parse

    def positive(self, high: int):
        def parse(raw: Any, path: Path) -> int:
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
                raise self.fail(path, "must be a positive whole number")
            if raw > high:
                raise self.fail(path, f"{raw} is more than {high}")
            return raw
        return parse

    def text_value(self, *, empty: bool = False, pattern: str | None = None, hint: str = "",
                   longest: int = TITLE_MAX, lines: bool = False):
        def parse(raw: Any, path: Path) -> str:
            if not isinstance(raw, str):
                raise self.fail(path, "must be text in quotes")
            value = raw.strip()
            if not value and not empty:
                raise self.fail(path, "must not be empty")
            if len(value) > longest:
                raise self.fail(path, f"is longer than {longest} characters")
            bad = bad_character(value, lines=lines)
            if bad is not None:
                raise self.fail(path, f"holds the control character U+{ord(bad):04X}; remove it")
            if pattern and not re.fullmatch(pattern, value):
                raise self.fail(path, f"{raw!r} {hint}")
            return value
        return parse

    def boolean(self, raw: Any, path: Path) -> bool:
        if not isinstance(raw, bool):
            raise self.fail(path, "must be true or false")
        return raw

    def pair(self, low: int, high: int):
        def parse(raw: Any, path: Path) -> tuple[int, int]:
            shape = f"must be two whole numbers [from, to] within {low} to {high}, e.g. [{low}, {high}]"
            if not isinstance(raw, list) or len(raw) != 2 or any(isinstance(v, bool) or not isinstance(v, int)
                                                                   for v in raw):
                raise self.fail(path, shape)
            a, b = raw
            if not (low <= a <= high and low <= b <= high):
                raise self.fail(path, shape)
            if a > b:
                raise self.fail(path, f"[{a}, {b}]: the first number must not be larger than the second")
            return a, b
        return parse

    def edss(self, raw: Any, path: Path) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 10 or (raw * 2) % 1:
            raise self.fail(path, "must be an EDSS score from 0 to 10 in steps of 0.5, e.g. 5.5")
        return float(raw)

    def clock(self, raw: Any, path: Path) -> time:
        if isinstance(raw, time) and raw.tzinfo is None and not raw.second and not raw.microsecond:
            return raw.replace()
        if isinstance(raw, str) and re.fullmatch(r"\d\d:\d\d", raw):
            hour, minute = int(raw[:2]), int(raw[3:])
            if hour < 24 and minute < 60:
                return time(hour, minute)
        raise self.fail(path, f"{raw!r} is not a time of day; write \"HH:MM\" (24-hour clock), e.g. \"09:00\"")

    def anchor(self, raw: Any, path: Path) -> str:
        if raw not in ANCHORS:
            raise self.fail(path, f"{raw!r} is not an anchor; use \"day0\" (Day 0) or \"discharge\"")
        return raw

    def kind(self, raw: Any, path: Path) -> ReminderKind:
        try:
            return ReminderKind(raw)
        except (ValueError, TypeError):
            raise self.fail(path, f"{raw!r} is not a reminder kind; use one of: "
                                  f"{', '.join(k.value for k in ReminderKind)}") from None

    def int_list(self, low: int, high: int):
        def parse(raw: Any, path: Path) -> tuple[int, ...]:
            if not isinstance(raw, list) or not raw:
                raise self.fail(path, f"must be a list of whole numbers from {low} to {high}, e.g. [3, 6]")
            for value in raw:
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                    raise self.fail(path, f"{value!r} is not a whole number from {low} to {high}")
            if len(set(raw)) != len(raw):
                twice = next(v for v in raw if raw.count(v) > 1)
                raise self.fail(path, f"{twice} is listed twice")
            return tuple(sorted(raw))
        return parse

    def bound(self, raw: Any, path: Path) -> Bound:
        values = self.table(raw, path, {"anchor": self.anchor, "days": self.integer(-DAY_LIMIT, DAY_LIMIT),
                                        "months": self.integer(-MONTH_LIMIT, MONTH_LIMIT)})
        self.require(values, path, "anchor")
        units = [u for u in ("days", "months") if u in values]
        if len(units) != 1:
            raise self.fail(path, "needs exactly one of days or months, e.g. {anchor = \"day0\", days = 100}")
        return Bound(values["anchor"], Unit(units[0]), values[units[0]])


# ---- the protocol and its plan ---------------------------------------------------------------------

_SLUG = r"[a-z0-9][a-z0-9_-]*"
_RECURRENCES = ("days", "months", "every_days", "every_months")


def _plan_item(r: _Reader, raw: Any, path: Path) -> PlanItem:
    values = r.table(raw, path, {
        "id": r.text_value(pattern=_SLUG, longest=SLUG_MAX,
                           hint="must be lower-case letters, digits, - or _ (e.g. \"mri\")"),
        "title": r.text_value(),
        "kind": r.kind,
        "anchor": r.anchor,
        "time": r.clock,
        "days": r.int_list(-DAY_LIMIT, DAY_LIMIT),
        "months": r.int_list(0, MONTH_LIMIT),
        "every_days": r.positive(366),
        "every_months": r.positive(120),
        "first": r.integer(-DAY_LIMIT, DAY_LIMIT),
        "last": r.integer(-DAY_LIMIT, DAY_LIMIT),
        "until": r.bound,
        "skip_through": r.bound,
    })
    r.require(values, path, "id", "title", "kind", "anchor")
    given = [key for key in values if key in _RECURRENCES]  # in document order
    if len(given) != 1:
        reason = "has" + (" none" if not given else f" {' and '.join(given)}")
        raise r.fail(path + ((given[1],) if len(given) > 1 else ()),
                     f"an item needs exactly one of days, months, every_days or every_months; it {reason}")
    recurrence = given[0]
    unit = Unit.MONTHS if "months" in recurrence else Unit.DAYS
    limit = MONTH_LIMIT if unit is Unit.MONTHS else DAY_LIMIT
    low = 0 if unit is Unit.MONTHS else -limit
    steps: tuple[int, ...] = ()
    every = first = None
    if recurrence in ("days", "months"):
        for key in ("first", "last"):
            if key in values:
                raise r.fail(path + (key,), "is only used with every_days or every_months")
        steps = values[recurrence]
    else:
        every = values[recurrence]
        r.require(values, path, "first")
        first = values["first"]
        if not low <= first <= limit:
            raise r.fail(path + ("first",), f"{first} is outside {low} to {limit}")
        if "last" in values:
            last = values["last"]
            if not first <= last <= limit:
                raise r.fail(path + ("last",), f"{last} must be from first ({first}) to {limit}")
            steps = tuple(range(first, last + 1, every))
            every = None
        elif "until" not in values:
            raise r.fail(path, f"{recurrence} needs `last` or `until`, so that the series ends")
    item = PlanItem(
        id=values["id"], title=values["title"], kind=values["kind"], anchor=values["anchor"], unit=unit,
        steps=steps, every=every, first=first, time=values.get("time", DEFAULT_TIME),
        until=values.get("until"), skip_through=values.get("skip_through"),
    )
    _check_title(r, item, path + ("title",))
    return item


# The widest values a title's placeholders can take: the title as shown must stay within TITLE_MAX.
_WIDEST = {"n": -DAY_LIMIT, "k": 99999, "count": 99999, "week": -DAY_LIMIT // 7, "year": MONTH_LIMIT // 12}
_MONTH_DAYS = 31  # a month bound in days, at its longest
_STAY_DAYS = 365  # discharge is at most this long after Day 0 (stay_days at most 365)


def occurrences_at_most(item: PlanItem) -> int:
    """How many reminders `item` can give at most, whatever the anchors' dates (within the stated stay)."""
    if item.every is None:
        return len(item.steps)
    assert item.first is not None and item.until is not None
    bound = item.until
    in_days = item.unit is Unit.DAYS
    end = bound.amount if (bound.unit is Unit.DAYS) == in_days else (
        bound.amount * _MONTH_DAYS if in_days else bound.amount // 28 + 1)
    if bound.anchor != item.anchor and bound.anchor == DISCHARGE:
        end += _STAY_DAYS if in_days else _STAY_DAYS // 28 + 1
    end = min(end, DAY_LIMIT if in_days else MONTH_LIMIT)
    return max(0, (end - item.first) // item.every + 1)


def _check_title(r: _Reader, item: PlanItem, path: Path) -> None:
    try:
        fields = [name for _, name, spec, conv in string.Formatter().parse(item.title) if name is not None
                  and (name not in PLACEHOLDERS or spec or conv)]
    except ValueError as exc:
        raise r.fail(path, f"{exc}; write a literal brace as {{{{ or }}}}") from None
    if fields:
        raise r.fail(path, f"unknown placeholder {{{fields[0]}}}; use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
    if len(item.title.format(**_WIDEST)) > TITLE_MAX:
        raise r.fail(path, f"is longer than {TITLE_MAX} characters once its placeholders are filled in")
    used = {name for _, name, _, _ in string.Formatter().parse(item.title) if name}
    steps = item.steps or ((item.first,) if item.first is not None else ())
    every = item.every or 0  # a finite series is checked through its steps
    if "count" in used and not item.finite:
        raise r.fail(path, "{count} needs a series with a known length (a list, or `last`)")
    if "week" in used and (item.unit is not Unit.DAYS or any(n % 7 for n in steps) or every % 7):
        raise r.fail(path, "{week} needs day offsets that are whole weeks (multiples of 7)")
    if "year" in used and (item.unit is not Unit.MONTHS or any(n % 12 for n in steps) or every % 12):
        raise r.fail(path, "{year} needs month numbers that are whole years (multiples of 12)")


def _plan(r: _Reader, raw: Any, path: Path) -> tuple[PlanItem, ...]:
    if not isinstance(raw, list):
        raise r.fail(path, "must be a list of [[plan]] tables")
    if len(raw) > PROTOCOL_MAX_ITEMS:
        raise r.fail(path, f"has {len(raw)} items; a protocol holds at most {PROTOCOL_MAX_ITEMS}")
    items: list[PlanItem] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        item = _plan_item(r, entry, path + (index,))
        if item.id in seen:
            raise r.fail(path + (index, "id"), f"{item.id!r} is used by an earlier item; ids must be unique")
        seen.add(item.id)
        items.append(item)
    total = sum(occurrences_at_most(item) for item in items)
    if total > REMINDERS_MAX:
        raise r.fail(path, f"the plan can give up to {total} reminders; a journey holds at most {REMINDERS_MAX} "
                           "(fewer items, or series that end sooner)")
    return tuple(items)


def _conditioning(r: _Reader, raw: Any, path: Path) -> tuple[Drug, ...]:
    if not isinstance(raw, list):
        raise r.fail(path, "must be a list of [[conditioning]] tables")
    if len(raw) > PROTOCOL_MAX_DRUGS:
        raise r.fail(path, f"has {len(raw)} entries; a protocol holds at most {PROTOCOL_MAX_DRUGS}")
    drugs = []
    for index, entry in enumerate(raw):
        where = path + (index,)
        values = r.table(entry, where, {"name": r.text_value(longest=100), "dose": r.text_value(empty=True, longest=100),
                                        "from_day": r.integer(-30, 30), "to_day": r.integer(-30, 30)})
        r.require(values, where, "name", "from_day", "to_day")
        if values["to_day"] < values["from_day"]:
            raise r.fail(where + ("to_day",), f"Day {values['to_day']} is before from_day (Day {values['from_day']})")
        drugs.append(Drug(values["name"], values["from_day"], values["to_day"], values.get("dose", "")))
    return tuple(drugs)


def _course_bound(r: _Reader, raw: Any, path: Path) -> CourseBound:
    def anchor(value: Any, where: Path) -> str:
        if value not in COURSE_ANCHORS:
            raise r.fail(where, f"{value!r} is not a course anchor; use one of: "
                                f"{', '.join(repr(a) for a in COURSE_ANCHORS)}")
        return value

    values = r.table(raw, path, {"anchor": anchor, "days": r.integer(-DAY_LIMIT, DAY_LIMIT),
                                 "months": r.integer(-MONTH_LIMIT, MONTH_LIMIT)})
    r.require(values, path, "anchor")
    return CourseBound(values["anchor"], values.get("days", 0), values.get("months", 0))


def _course(r: _Reader, raw: Any, path: Path) -> CourseTemplate:
    def route(value: Any, where: Path) -> Route:
        try:
            return Route(value)
        except (ValueError, TypeError):
            raise r.fail(where, f"{value!r} is not a route; use one of: oral, injection, other") from None

    def times(value: Any, where: Path) -> tuple[time, ...]:
        if not isinstance(value, list) or not value:
            raise r.fail(where, 'must be a list of times of day, e.g. ["08:00", "20:00"]')
        parsed = [r.clock(v, where) for v in value]
        if len(set(parsed)) != len(parsed):
            raise r.fail(where, "a time is listed twice")
        return tuple(sorted(parsed))

    def weekdays(value: Any, where: Path) -> tuple[int, ...]:
        if not isinstance(value, list) or not value:
            raise r.fail(where, 'must be a list of weekdays, e.g. ["mon", "wed", "fri"]')
        for v in value:
            if v not in WEEKDAYS:
                raise r.fail(where, f"{v!r} is not a weekday; use {', '.join(WEEKDAYS)}")
        if len(set(value)) != len(value):
            raise r.fail(where, "a weekday is listed twice")
        return tuple(sorted(WEEKDAYS.index(v) for v in value))

    values = r.table(raw, path, {
        "id": r.text_value(pattern=_SLUG, hint="must be lower-case letters, digits, - or _ (e.g. \"aciclovir\")"),
        "name": r.text_value(),
        "dose": r.text_value(),
        "route": route,
        "times": times,
        "every_days": r.positive(366),
        "weekdays": weekdays,
        "purpose": r.text_value(empty=True),
        "from": lambda v, p: _course_bound(r, v, p),
        "until": lambda v, p: _course_bound(r, v, p),
    })
    r.require(values, path, "id", "name", "route", "times", "from")
    if "every_days" in values and "weekdays" in values:
        raise r.fail(path + ("weekdays",), "a course has either every_days or weekdays, not both")
    return CourseTemplate(
        id=values["id"], name=values["name"], times=values["times"], start=values["from"],
        until=values.get("until"), every_days=None if "weekdays" in values else values.get("every_days", 1),
        weekdays=values.get("weekdays"), dose=values.get("dose", "as prescribed by your team"),
        route=values["route"], purpose=values.get("purpose", ""),
    )


def _courses(r: _Reader, raw: Any, path: Path) -> tuple[CourseTemplate, ...]:
    if not isinstance(raw, list):
        raise r.fail(path, "must be a list of [[course]] tables")
    out: list[CourseTemplate] = []
    for index, entry in enumerate(raw):
        course = _course(r, entry, path + (index,))
        if any(c.id == course.id for c in out):
            raise r.fail(path + (index, "id"), f"{course.id!r} is used by an earlier course; ids must be unique")
        out.append(course)
    return tuple(out)


_DEFAULTS: dict[str, Any] = {
    "description": "", "autologous": True, "mobilization_days": (5, 15), "engraftment_run_length": 3,
    "transfusion_free_days": 7, "edss_confirmation_days": 168, "eligibility_max_age": 45,
    "eligibility_max_edss": 5.5, "eligibility_max_disease_years": 10, "plan": (),
}


def load_protocol(text: str, source: str = "<protocol>") -> Protocol:
    """Parse and check a protocol file's text; raise ProtocolError on the first problem."""
    if len(text) > PROTOCOL_MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > PROTOCOL_MAX_BYTES:
        raise ProtocolError(source, "", f"the file is larger than {PROTOCOL_MAX_BYTES // 1024} KB; "
                                        "no protocol needs that much")
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        raise ProtocolError(source, "", "not valid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        reason = re.sub(r"\s*\(at .*\)$", "", message)
        reason = reason[:1].lower() + reason[1:]
        if match:
            raise ProtocolError(source, "", f"not valid TOML: {reason} (column {match[2]})", int(match[1])) from None
        raise ProtocolError(source, "", f"not valid TOML: {reason}") from None
    r = _Reader(text, source)
    values = r.table(raw, (), {
        "name": r.text_value(pattern=_SLUG, longest=SLUG_MAX,
                             hint="must be lower-case letters, digits, - or _ (e.g. \"cy-atg\")"),
        "title": r.text_value(),
        "description": r.text_value(empty=True, longest=REASON_MAX, lines=True),
        "autologous": r.boolean,
        "admission_day": r.integer(-30, -1),
        "conditioning": lambda v, p: _conditioning(r, v, p),
        "expected_discharge_days": r.pair(0, 120),
        "mobilization_days": r.pair(1, 60),
        "stay_days": r.pair(1, 365),
        "engraftment_run_length": r.integer(1, 10),
        "transfusion_free_days": r.integer(0, 60),
        "edss_confirmation_days": r.integer(1, 730),
        "eligibility_max_age": r.integer(1, 120),
        "eligibility_max_edss": r.edss,
        "eligibility_max_disease_years": r.integer(1, 60),
        "plan": lambda v, p: _plan(r, v, p),
        "course": lambda v, p: _courses(r, v, p),
    })
    r.require(values, (), "name", "title", "admission_day", "conditioning", "expected_discharge_days", "stay_days")
    for index, drug in enumerate(values["conditioning"]):
        if drug.from_day < values["admission_day"]:
            raise r.fail(("conditioning", index, "from_day"),
                         f"Day {drug.from_day} is before admission (admission_day = {values['admission_day']})")
    courses = values.pop("course", ())
    return Protocol(**{**_DEFAULTS, **values}, source_text=text, courses=courses)
