"""An export file checked whole before anything is written: every event by the rules of the command that
would have written it (the same checks, called from here), so that what import accepts the commands can read."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain import journey as journey_rules
from ..domain.entries import LogKind, check_complete, validate_fields
from ..domain.errors import UserError
from ..domain.journey import Journey, JourneyEvent, JourneyEventKind
from ..domain.limits import (
    IMPORT_MAX_BYTES,
    REASON_MAX,
    SLUG_MAX,
    TITLE_MAX,
    check_day,
    check_moment,
    check_text,
    is_date_text,
    is_moment_text,
)
from ..domain.phases import Phase
from ..domain.protocol import DAY_LIMIT, ReminderKind, load_protocol
from ..storage.bounded import read_regular
from ..storage.stored_events import CORRECTIONS
from . import medicine_transfer
from .patients import check_details
from .roles import ROLE_NAMES

FORMAT_ID = "mstracker-export"
FORMAT_VERSION = 1
REMINDER_KINDS = ("reminder_done", "reminder_snooze", "reminder_skip", "reminder_reopen", "reminder_edit")
JOURNEY_KINDS = frozenset(k.value for k in JourneyEventKind)
LOG_KINDS = frozenset(k.value for k in LogKind)
COURSE_KINDS = frozenset(medicine_transfer.COURSE_EVENT_KINDS)
DOSE_KIND = medicine_transfer.COURSE_EVENT_KINDS[-1]
KNOWN_KINDS = (JOURNEY_KINDS | LOG_KINDS | set(CORRECTIONS) | {"patient_add", "import", "role_switch"} | set(REMINDER_KINDS)
               | COURSE_KINDS)
REMINDER_STATUSES = ("pending", "done", "snoozed", "skipped")
_SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")


class Bad(UserError):
    pass


def bad(where: str, reason: str) -> Bad:
    return Bad(f"the import file is not a valid mstracker export: {where}: {reason}; nothing was imported")


def need(cond: bool, where: str, reason: str) -> None:
    if not cond:
        raise bad(where, reason)


# ---- reading the file --------------------------------------------------------------------------------
def read_document(path: Path) -> Any:
    """The file's JSON, read only from a regular file of at most IMPORT_MAX_BYTES (a FIFO, a device or a
    link to /dev/zero is refused before a byte is read)."""
    raw = read_regular(path, IMPORT_MAX_BYTES, "an export file")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"cannot read {path}: it is not UTF-8 text; nothing was imported") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                        "nothing was imported") from None
    except (RecursionError, ValueError):  # nested beyond reason, a number of thousands of digits
        raise UserError(f"{path} is not a readable export (nested too deeply or a number too long); "
                        "nothing was imported") from None


# ---- values -------------------------------------------------------------------------------------------
def _int(value: Any) -> bool:
    return type(value) is int


def moment(text: Any, where: str) -> datetime:
    """An ISO date-time with its zone, in the plausible years (in local and in UTC time)."""
    need(isinstance(text, str) and len(text) <= 40, where, "expected a date-time text")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise bad(where, f"{text!r} is not a date-time") from None
    need(value.tzinfo is not None, where, "the time has no zone")
    return _checked(check_moment, value, where)


def day(text: Any, where: str) -> date | None:
    if text is None:
        return None
    need(isinstance(text, str) and is_date_text(text), where, "expected YYYY-MM-DD")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise bad(where, f"{text!r} is not a date") from None
    return _checked(check_day, value, where)


def wall_moment(text: Any, where: str) -> None:
    need(isinstance(text, str) and is_moment_text(text), where, "expected YYYY-MM-DDTHH:MM")
    try:
        value = datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise bad(where, f"{text!r} is not a date-time") from None
    _checked(check_day, value.date(), where)


def text(value: Any, where: str, longest: int, **options: Any) -> str:
    return _checked(check_text, value, where, longest, **options)


def _checked(check, value, where: str, *args: Any, **options: Any):
    try:
        return check(value, where, *args, **options)
    except Bad:
        raise
    except UserError as exc:
        raise bad(where, str(exc)) from None


def _slug(value: Any, where: str) -> None:
    need(isinstance(value, str) and 0 < len(value) <= SLUG_MAX and set(value) <= _SLUG_CHARS, where,
         f"expected lower-case letters, digits, - or _ (at most {SLUG_MAX})")


# ---- the document -------------------------------------------------------------------------------------
class _Entries:
    """The log entries of the file as far as read: kind and current fields, for the corrections."""

    def __init__(self) -> None:
        self.kinds: dict[int, LogKind] = {}
        self.fields: dict[int, dict[str, Any]] = {}
        self.retracted: set[int] = set()
        self.doses: set[int] = set()  # recorded doses: amended and retracted like log entries


def validate_export(data: Any, today: date) -> None:
    """Every part of an export checked before anything is written (UserError naming the first problem).
    Events dated after `today` are kept: the exporting machine's clock may have been ahead of this one's."""
    need(isinstance(data, dict), "top level", "expected an object")
    need(data.get("format") == FORMAT_ID, "format", f"expected {FORMAT_ID!r}")
    need(_int(data.get("version")) and data.get("version") == FORMAT_VERSION, "version", f"expected {FORMAT_VERSION}")
    patient = data.get("patient")
    need(isinstance(patient, dict), "patient", "expected an object")
    try:
        check_details(patient.get("name"), day(patient.get("born"), "patient.born"),
                      day(patient.get("diagnosed"), "patient.diagnosed"), patient.get("ms_type"), today)
    except Bad:
        raise
    except UserError as exc:
        raise bad("patient", str(exc)) from None
    journey = data.get("journey")
    gvhd = False
    if journey is not None:
        need(isinstance(journey, dict), "journey", "expected an object")
        need(isinstance(journey.get("protocol_text"), str), "journey.protocol_text", "missing")
        _slug(journey.get("protocol_name"), "journey.protocol_name")
        if journey.get("created_at") is not None:
            moment(journey["created_at"], "journey.created_at")
        protocol = _checked(lambda t, w: load_protocol(t, "import file, journey.protocol_text"),
                            journey["protocol_text"], "journey.protocol_text")
        gvhd = not protocol.autologous
    reminder_ids = _check_reminders(data, journey is not None)
    course_ids = medicine_transfer.validate_courses(data, lambda where, reason: need(False, where, reason))
    events = data.get("events")
    need(isinstance(events, list), "events", "expected a list")
    _check_events(events, reminder_ids, course_ids, gvhd)


def _check_reminders(data: dict, has_journey: bool) -> set[int]:
    reminders = data.get("reminders", [])
    need(isinstance(reminders, list), "reminders", "expected a list")
    need(has_journey or not reminders, "journey", "the file holds reminders but no journey")
    ids: set[int] = set()
    keys: set[tuple[str, int]] = set()
    for i, r in enumerate(reminders):
        where = f"reminders[{i}]"
        need(isinstance(r, dict), where, "expected an object")
        need(_int(r.get("id")) and r["id"] not in ids, f"{where}.id", "missing or repeated")
        ids.add(r["id"])
        _slug(r.get("item_id"), f"{where}.item_id")
        need(r.get("kind") in tuple(k.value for k in ReminderKind), f"{where}.kind", "unknown reminder kind")
        text(r.get("title"), f"{where}.title", TITLE_MAX)
        need(_int(r.get("occurrence")) and abs(r["occurrence"]) <= DAY_LIMIT, f"{where}.occurrence",
             f"expected a whole number from {-DAY_LIMIT} to {DAY_LIMIT}")
        need((r["item_id"], r["occurrence"]) not in keys, where, "the same plan item twice")
        keys.add((r["item_id"], r["occurrence"]))
        need(r.get("status") in REMINDER_STATUSES, f"{where}.status", "unknown status")
        need(isinstance(r.get("edited", False), bool), f"{where}.edited", "expected true or false")
        wall_moment(r.get("due"), f"{where}.due")
        for key in ("snoozed_until", "done_at"):
            if r.get(key) is not None:
                wall_moment(r[key], f"{where}.{key}")
    return ids


def _check_events(events: list, reminder_ids: set[int], course_ids: set[int], gvhd: bool) -> None:
    seen: set[int] = set()
    last_id = 0
    entries = _Entries()
    journey = Journey()
    for i, e in enumerate(events):
        where = f"events[{i}]"
        need(isinstance(e, dict), where, "expected an object")
        # Increasing ids: a journey is replayed in id order, and import keeps the file's order.
        need(_int(e.get("id")) and e["id"] > last_id, f"{where}.id", "missing, repeated or out of order")
        need(isinstance(e.get("kind"), str) and e["kind"] in KNOWN_KINDS, f"{where}.kind",
             f"unknown kind {e.get('kind')!r}")
        need(isinstance(e.get("payload"), dict), f"{where}.payload", "expected an object")
        text(e.get("user"), f"{where}.user", 100)
        need(e.get("role") in ROLE_NAMES, f"{where}.role", "unknown role")
        moment(e.get("occurred_at"), f"{where}.occurred_at")
        moment(e.get("recorded_at"), f"{where}.recorded_at")
        for ref in ("supersedes", "entry_id"):
            value = e.get(ref)
            need(value is None or (_int(value) and (value in seen or (ref == "entry_id" and value == e["id"]))),
                 f"{where}.{ref}", "refers to an event that is not earlier in the file")
        kind = e["kind"]
        if kind in LOG_KINDS:
            _log_event(e, where, entries, gvhd)
        elif kind in CORRECTIONS:
            _correction(e, where, entries, gvhd)
        elif kind in JOURNEY_KINDS:
            journey = _journey_event(e, where, journey)
        elif kind in REMINDER_KINDS:
            need(_int(e["payload"].get("reminder")) and e["payload"]["reminder"] in reminder_ids, f"{where}.payload.reminder",
                 "refers to a reminder that is not in the file")
        elif kind in COURSE_KINDS:
            need(all(v is None or isinstance(v, (str, int, float, bool)) for v in e["payload"].values()),
                 f"{where}.payload", "each value must be a text, a number, true/false or null")
            if kind == DOSE_KIND:
                entries.doses.add(e["id"])
            need(_int(e["payload"].get("course")) and e["payload"]["course"] in course_ids, f"{where}.payload.course",
                 "refers to a course that is not in the file")
        seen.add(e["id"])
        last_id = e["id"]


def _canonical(fields: dict, values: dict) -> bool:
    """The stored form exactly (numbers as numbers, trimmed texts), as a command would have written it."""
    return all(type(fields[k]) is type(v) and fields[k] == v for k, v in values.items())


def _fields(kind: LogKind, fields: Any, where: str, gvhd: bool, *, partial: bool) -> dict[str, Any]:
    need(isinstance(fields, dict), f"{where}.payload.fields", "expected an object")
    need(all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in fields.values()),
         f"{where}.payload.fields", "each value must be a number or a text")
    try:
        values = validate_fields(kind, {k: str(v) for k, v in fields.items()}, partial=partial, gvhd_allowed=gvhd)
    except UserError as exc:
        raise bad(where, str(exc)) from None
    need(_canonical(fields, values), f"{where}.payload.fields", "a value is not written as mstracker writes it "
         "(a number as text, spaces around a value)")
    return values


def _log_event(e: dict, where: str, entries: _Entries, gvhd: bool) -> None:
    kind = LogKind(e["kind"])
    need(e.get("entry_id") in (None, e["id"]), f"{where}.entry_id", "a new entry names no other entry")
    entries.kinds[e["id"]] = kind
    entries.fields[e["id"]] = _fields(kind, e["payload"].get("fields"), where, gvhd, partial=False)


def _correction(e: dict, where: str, entries: _Entries, gvhd: bool) -> None:
    """A correction of a log entry or of a recorded dose (which takes only `amend --at` and `retract`)."""
    target, payload = e.get("entry_id"), e["payload"]
    dose = target in entries.doses
    need(dose or target in entries.kinds, f"{where}.entry_id", "a correction must name a log entry earlier in the file")
    if not dose:
        need(payload.get("log_kind") in (None, entries.kinds[target].value), f"{where}.payload.log_kind",
             "not the entry's kind")
    if e["kind"] == "amend":
        if not dose:
            _amend_fields(e, where, entries, gvhd)
        if payload.get("at") is not None:
            moment(payload["at"], f"{where}.payload.at")
    elif e["kind"] == "retract":
        text(payload.get("reason"), f"{where}.payload.reason", REASON_MAX)
        entries.retracted.add(target)
    else:
        need(target in entries.retracted, f"{where}.entry_id", "restores an entry that is not retracted")
        entries.retracted.discard(target)


def _amend_fields(e: dict, where: str, entries: _Entries, gvhd: bool) -> None:
    target, payload = e["entry_id"], e["payload"]
    kind = entries.kinds[target]
    values = _fields(kind, payload.get("fields", {}), where, gvhd, partial=True)
    merged = {**entries.fields[target], **values}
    try:
        check_complete(kind, merged)
    except UserError as exc:
        raise bad(where, str(exc)) from None
    entries.fields[target] = merged


def _journey_event(e: dict, where: str, journey: Journey) -> Journey:
    payload = e["payload"]
    kind = JourneyEventKind(e["kind"])
    phase = on = None
    if kind is not JourneyEventKind.TRANSITION_UNDO:
        try:
            phase = Phase(payload.get("phase"))
        except ValueError:
            raise bad(f"{where}.payload.phase", f"unknown phase {payload.get('phase')!r}") from None
        on = day(payload.get("on"), f"{where}.payload.on")
        need(on is not None, f"{where}.payload.on", "a phase event needs its date")
    if kind in (JourneyEventKind.TRANSITION_AMEND, JourneyEventKind.TRANSITION_UNDO):
        need(e.get("supersedes") is not None, f"{where}.supersedes", "a correction must name what it corrects")
    reason = payload.get("reason")
    if reason is not None:
        text(reason, f"{where}.payload.reason", REASON_MAX)
    event = JourneyEvent(e["id"], kind, phase, on, reason, e.get("supersedes"))
    try:
        journey_rules.check_event(journey, event)
    except UserError as exc:
        raise bad(where, str(exc)) from None
    return journey_rules.replay_one(journey, event)
