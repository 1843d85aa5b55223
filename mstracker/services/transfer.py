"""Export (one patient or all) and import of the lossless JSON form."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain.entries import LogKind, validate_fields
from ..domain.errors import UserError
from ..domain.journey import JourneyEventKind
from ..domain.phases import Phase
from ..domain.protocol import load_protocol
from ..exports.formats import export_format
from ..storage import repository as repo
from ..storage.stored_events import CORRECTIONS, as_utc
from . import medicine_transfer
from .context import AppContext
from .records import refresh, require_patient

FORMAT_ID = "mstracker-export"
FORMAT_VERSION = 1
REMINDER_KINDS = ("reminder_done", "reminder_snooze", "reminder_skip", "reminder_reopen", "reminder_edit")
KNOWN_KINDS = frozenset({k.value for k in JourneyEventKind} | {k.value for k in LogKind}
                        | set(CORRECTIONS) | {"patient_add", "import", "role_switch"} | set(REMINDER_KINDS)
                        | set(medicine_transfer.COURSE_EVENT_KINDS))


# ---- JSON export ------------------------------------------------------------------------------
def export_data(ctx: AppContext, patient_id: int) -> dict[str, Any]:
    with ctx.db.reading() as s:
        p = require_patient(s, patient_id)
        journey = repo.get_journey(s, patient_id)
        events = repo.all_events(s, patient_id)
        reminders = repo.reminders(s, patient_id)
        courses = medicine_transfer.export_courses(s, patient_id)
    return {
        "format": FORMAT_ID, "version": FORMAT_VERSION,
        "patient": {"id": p.id, "name": p.name, "born": _d(p.born), "diagnosed": _d(p.diagnosed), "ms_type": p.ms_type},
        "journey": None if journey is None else {
            "protocol_name": journey.protocol_name, "protocol_text": journey.protocol_text,
            "created_at": as_utc(journey.created_at).isoformat(),
        },
        "events": [{
            "id": e.id, "entry_id": e.entry_id, "kind": e.kind, "occurred_at": e.occurred_at.isoformat(),
            "recorded_at": e.recorded_at.isoformat(), "user": e.user, "role": e.role, "payload": e.payload,
            "supersedes": e.supersedes,
        } for e in events],
        "reminders": [{
            "id": r.id, "item_id": r.item_id, "occurrence": r.occurrence, "kind": r.kind, "title": r.title,
            "due": r.due, "status": r.status, "snoozed_until": r.snoozed_until, "done_at": r.done_at,
            "edited": r.edited, "uid": r.uid,
        } for r in reminders],
        "courses": courses,
    }


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:80] or "patient"


def export_patient(ctx: AppContext, patient_id: int, fmt: str, out: Path) -> Path:
    content = render(ctx, patient_id, fmt)
    _write(out, content)
    return out


def render(ctx: AppContext, patient_id: int, fmt: str) -> bytes:
    """One patient's export in the format named `fmt` (exports/formats.py), as bytes."""
    form = export_format(fmt)
    if form.lossless:
        return json.dumps(export_data(ctx, patient_id), ensure_ascii=False, indent=1).encode("utf-8")
    from .exporting import gather  # imported here: the JSON form and the import do not need it

    data = gather(ctx, patient_id)
    if not form.with_charts:
        return form.writer()(data)
    from .charts import pdf_charts

    extra_html, images = pdf_charts(ctx, patient_id)
    return form.writer()(data, extra_html=extra_html, images=images)


def export_all(ctx: AppContext, fmt: str, folder: Path,
               progress: Callable[[int, int], None] | None = None) -> list[Path]:
    from .patients import list_patients

    extension = export_format(fmt).extension  # an unknown format is refused before any folder is made
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {folder}: {exc.strerror}") from None
    patients = list_patients(ctx)
    written = []
    for i, p in enumerate(patients, 1):
        path = folder / f"{p.id}-{safe_name(p.name)}.{extension}"
        written.append(export_patient(ctx, p.id, fmt, path))
        if progress:
            progress(i, len(patients))
    return written


def _write(out: Path, content: bytes) -> None:
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    try:
        if out.parent and not out.parent.exists():
            raise UserError(f"the folder {out.parent} does not exist; create it or choose another --out")
        tmp.write_bytes(content)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {out}: {exc.strerror}") from None


# ---- JSON import ------------------------------------------------------------------------------
class _Bad(UserError):
    pass


def _need(cond: bool, where: str, reason: str) -> None:
    if not cond:
        raise _Bad(f"the import file is not a valid mstracker export: {where}: {reason}; nothing was imported")


def _parse_time(text: Any, where: str) -> datetime:
    _need(isinstance(text, str), where, "expected a date-time text")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"the import file is not a valid mstracker export: {where}: {text!r} is not a date-time; "
                   "nothing was imported") from None
    _need(value.tzinfo is not None, where, "the time has no zone")
    return value


def _check_date(text: Any, where: str) -> date | None:
    if text is None:
        return None
    _need(isinstance(text, str), where, "expected YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"the import file is not a valid mstracker export: {where}: {text!r} is not a date; "
                   "nothing was imported") from None


def _validate_export(data: Any) -> None:
    """Every part of an export checked before anything is written."""
    _need(isinstance(data, dict), "top level", "expected an object")
    _need(data.get("format") == FORMAT_ID, "format", f"expected {FORMAT_ID!r}")
    _need(data.get("version") == FORMAT_VERSION, "version", f"expected {FORMAT_VERSION}")
    patient = data.get("patient")
    _need(isinstance(patient, dict), "patient", "expected an object")
    _need(isinstance(patient.get("name"), str) and patient["name"].strip() != "", "patient.name", "missing")
    _need(len(patient["name"].strip()) <= 200, "patient.name", "longer than 200 characters")
    _need(patient.get("ms_type") in (None, "rrms", "spms", "ppms", "cis"), "patient.ms_type", "unknown MS type")
    _check_date(patient.get("born"), "patient.born")
    _check_date(patient.get("diagnosed"), "patient.diagnosed")
    journey = data.get("journey")
    if journey is not None:
        _need(isinstance(journey, dict), "journey", "expected an object")
        _need(isinstance(journey.get("protocol_text"), str), "journey.protocol_text", "missing")
        _need(isinstance(journey.get("protocol_name"), str) and len(journey["protocol_name"]) <= 100,
              "journey.protocol_name", "missing or longer than 100 characters")
        load_protocol(journey["protocol_text"], "import file, journey.protocol_text")
    events = data.get("events")
    _need(isinstance(events, list), "events", "expected a list")
    ids: set[int] = set()
    for i, e in enumerate(events):
        where = f"events[{i}]"
        _need(isinstance(e, dict), where, "expected an object")
        _need(isinstance(e.get("id"), int) and e["id"] not in ids, f"{where}.id", "missing or repeated")
        _need(isinstance(e.get("kind"), str) and e["kind"] in KNOWN_KINDS, f"{where}.kind",
              f"unknown kind {e.get('kind')!r}")
        _need(isinstance(e.get("payload"), dict), f"{where}.payload", "expected an object")
        for key, longest in (("user", 100), ("role", 16)):
            _need(isinstance(e.get(key), str) and len(e[key]) <= longest, f"{where}.{key}",
                  f"expected a text of at most {longest} characters")
        _parse_time(e.get("occurred_at"), f"{where}.occurred_at")
        _parse_time(e.get("recorded_at"), f"{where}.recorded_at")
        for ref in ("supersedes", "entry_id"):
            _need(e.get(ref) is None or (isinstance(e.get(ref), int) and (
                e[ref] in ids or (ref == "entry_id" and e[ref] == e["id"]))),
                  f"{where}.{ref}", "refers to an event that is not earlier in the file")
        _check_payload(e, where)
        ids.add(e["id"])
    reminders = data.get("reminders", [])
    _need(isinstance(reminders, list), "reminders", "expected a list")
    reminder_ids: set[int] = set()
    reminder_keys: set[tuple[Any, Any]] = set()
    _need(journey is not None or not reminders, "journey", "the file holds reminders but no journey")
    for i, r in enumerate(reminders):
        where = f"reminders[{i}]"
        _need(isinstance(r, dict), where, "expected an object")
        _need(isinstance(r.get("id"), int) and r["id"] not in reminder_ids, f"{where}.id", "missing or repeated")
        reminder_ids.add(r["id"])
        for key, longest in (("item_id", 64), ("kind", 16), ("title", 300), ("due", 16), ("status", 10)):
            _need(isinstance(r.get(key), str) and len(r[key]) <= longest, f"{where}.{key}",
                  f"expected a text of at most {longest} characters")
        _need(isinstance(r.get("occurrence"), int), f"{where}.occurrence", "expected a whole number")
        _need((r["item_id"], r["occurrence"]) not in reminder_keys, where, "the same plan item twice")
        reminder_keys.add((r["item_id"], r["occurrence"]))
        _need(r["status"] in ("pending", "done", "snoozed", "skipped"), f"{where}.status", "unknown status")
        for key in ("due", "snoozed_until", "done_at"):
            if r.get(key) is not None:
                try:
                    datetime.strptime(r[key], "%Y-%m-%dT%H:%M")
                except (TypeError, ValueError):
                    raise _Bad(f"the import file is not a valid mstracker export: {where}.{key}: not "
                               "YYYY-MM-DDTHH:MM; nothing was imported") from None
    _need(journey is not None or not any(e["kind"] in {k.value for k in JourneyEventKind} for e in events),
          "journey", "the events hold phases but no journey")
    course_ids = medicine_transfer.validate_courses(data, lambda where, reason: _need(False, where, reason))
    for i, e in enumerate(events):
        if e["kind"] in medicine_transfer.COURSE_EVENT_KINDS:
            _need(e["payload"].get("course") in course_ids, f"events[{i}].payload.course",
                  "refers to a course that is not in the file")
        if e["kind"] in REMINDER_KINDS:
            _need(e["payload"].get("reminder") in reminder_ids, f"events[{i}].payload.reminder",
                  "refers to a reminder that is not in the file")


def _check_payload(e: dict, where: str) -> None:
    kind, payload = e["kind"], e["payload"]
    if kind in {k.value for k in LogKind}:
        fields = payload.get("fields")
        _need(isinstance(fields, dict), f"{where}.payload.fields", "expected an object")
        try:
            validate_fields(LogKind(kind), {k: str(v) for k, v in fields.items()}, gvhd_allowed=True)
        except UserError as exc:
            raise _Bad(f"the import file is not a valid mstracker export: {where}: {exc}; nothing was imported") from None
    elif kind in {k.value for k in JourneyEventKind}:
        if kind != "transition_undo":
            try:
                Phase(payload.get("phase"))
            except ValueError:
                _need(False, f"{where}.payload.phase", f"unknown phase {payload.get('phase')!r}")
            _need(_check_date(payload.get("on"), f"{where}.payload.on") is not None, f"{where}.payload.on",
                  "a phase event needs its date")
        if kind in ("transition_amend", "transition_undo"):
            _need(e.get("supersedes") is not None, f"{where}.supersedes", "a correction must name what it corrects")
    elif kind == "amend":
        _need(isinstance(payload.get("fields", {}), dict), f"{where}.payload.fields", "expected an object")
        if payload.get("at") is not None:
            _parse_time(payload["at"], f"{where}.payload.at")


def import_file(ctx: AppContext, path: Path) -> int:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"there is no file {path}; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                        "nothing was imported") from None
    return import_data(ctx, data)


def import_data(ctx: AppContext, data: Any) -> int:
    """Always a new patient; ids are renumbered, everything else kept as it was."""
    ctx.require_write("import a patient")
    _validate_export(data)
    p = data["patient"]
    with ctx.db.writing() as s:
        pid = repo.insert_patient(s, name=p["name"].strip(), born=_check_date(p.get("born"), "born"),
                                  diagnosed=_check_date(p.get("diagnosed"), "diagnosed"), ms_type=p.get("ms_type"),
                                  now=ctx.now())
        journey_id = None
        if data.get("journey"):
            j = data["journey"]
            created = _parse_time(j.get("created_at") or ctx.now().isoformat(), "journey.created_at")
            journey_id = repo.insert_journey(s, patient_id=pid, protocol_name=j["protocol_name"],
                                             protocol_text=j["protocol_text"], now=created).id
        # Reminders first: the reminder events name them by id, and those ids are new here.
        reminder_map: dict[int, int] = {}
        if journey_id is not None:
            repo.insert_reminders(s, [{
                "patient_id": pid, "journey_id": journey_id, "item_id": r["item_id"], "occurrence": r["occurrence"],
                "kind": r["kind"], "title": r["title"], "due": r["due"], "status": r["status"],
                "snoozed_until": r.get("snoozed_until"), "done_at": r.get("done_at"), "edited": bool(r.get("edited")),
                "uid": f"{journey_id}-{r['item_id']}-{r['occurrence']}@mstracker",
            } for r in data.get("reminders", [])])
            new_ids = {(row.item_id, row.occurrence): row.id for row in repo.reminders(s, pid)}
            reminder_map = {r["id"]: new_ids[(r["item_id"], r["occurrence"])] for r in data.get("reminders", [])}
        course_map = medicine_transfer.import_courses(s, pid, journey_id, data.get("courses", []))
        id_map: dict[int, int] = {}
        for e in data["events"]:
            payload = medicine_transfer.renumber(e["kind"], e["payload"], course_map)
            if e["kind"] in REMINDER_KINDS:
                payload = {**payload, "reminder": reminder_map.get(payload["reminder"])}
            # One at a time: each needs the new ids of those it refers to.
            new_id = repo.append_event(
                s, patient_id=pid, kind=e["kind"], occurred_at=_parse_time(e["occurred_at"], "occurred_at"),
                recorded_at=_parse_time(e["recorded_at"], "recorded_at"), user=e["user"], role=e["role"],
                payload=payload,
                entry_id=id_map.get(e["entry_id"]) if e.get("entry_id") not in (None, e["id"]) else None,
                supersedes=id_map.get(e["supersedes"]) if e.get("supersedes") is not None else None,
            )
            id_map[e["id"]] = new_id
        repo.append_event(s, patient_id=pid, kind="import", occurred_at=ctx.now(), recorded_at=ctx.now(),
                          user=ctx.user, role=ctx.role, payload={"from_patient": p.get("id"), "name": p["name"]})
        refresh(s, pid)
    return pid
