"""Export (one patient or all) and import of the lossless JSON form."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.errors import UserError
from ..exports.formats import export_format
from ..storage import event_reads
from ..storage import repository as repo
from ..storage.private import refuse_existing, write_private
from ..storage.stored_events import as_utc
from . import medicine_transfer
from .context import AppContext
from .import_rules import FORMAT_ID, FORMAT_VERSION, REMINDER_KINDS, day, moment, read_document, validate_export
from .records import refresh, require_patient


# ---- JSON export ------------------------------------------------------------------------------
def export_data(ctx: AppContext, patient_id: int) -> dict[str, Any]:
    with ctx.db.reading() as s:
        p = require_patient(s, patient_id)
        journey = repo.get_journey(s, patient_id)
        events = event_reads.all_events(s, patient_id)
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


def _json_lines(data: dict[str, Any]) -> bytes:
    """The export as JSON with one event or reminder per line: readable, and written by json's C encoder
    (an indented dump goes through its pure-Python one, seconds on a ten-year log)."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            items = ",\n".join(json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"{json.dumps(key)}: [\n{items}\n]" if items else f"{json.dumps(key)}: []")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:80] or "patient"


def export_patient(ctx: AppContext, patient_id: int, fmt: str, out: Path, *, overwrite: bool = True) -> Path:
    """Without `overwrite`, an existing file is refused (the desktop app's file dialog has asked already)."""
    refuse_existing(Path(out), overwrite)
    content = render(ctx, patient_id, fmt)
    _write(out, content)
    return out


def render(ctx: AppContext, patient_id: int, fmt: str) -> bytes:
    """One patient's export in the format named `fmt` (exports/formats.py), as bytes."""
    form = export_format(fmt)
    if form.lossless:
        return _json_lines(export_data(ctx, patient_id))
    from .exporting import gather  # imported here: the JSON form and the import do not need it

    # Only what the writer reads: a ten-year log's events cost most of an export, and a calendar needs none.
    data = gather(ctx, patient_id, entries="entries" in form.reads, events="events" in form.reads,
                  entry_kinds=form.entry_kinds)
    if not form.with_charts:
        return form.writer()(data)
    from .charts import chart_data, pdf_charts
    from .exporting import with_alerts
    from .status import status

    st = status(ctx, patient_id)  # as of the export's own moment: the alerts it leads with, and the charts
    extra_html, images = pdf_charts(ctx, patient_id, data=chart_data(ctx, patient_id, st=st))
    return form.writer()(with_alerts(data, st.alerts), extra_html=extra_html, images=images)


PARALLEL_FROM = 8  # fewer patients than this are exported in this process: starting workers costs ~1 s


def export_all(ctx: AppContext, fmt: str, folder: Path, progress: Callable[[int, int], None] | None = None,
               workers: int | None = None, *, overwrite: bool = True) -> list[Path]:
    """Every patient's file in `folder`, one patient at a time (memory stays that of one export); on more
    than one core, in that many worker processes (`workers`: how many; default one per core). Without
    `overwrite`, a file already there refuses the whole export before any is written."""
    from .export_pool import cores, export_in_workers
    from .patients import list_patients

    extension = export_format(fmt).extension  # an unknown format is refused before any folder is made
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {folder}: {exc.strerror}") from None
    jobs = [(p.id, folder / f"{p.id}-{safe_name(p.name)}.{extension}") for p in list_patients(ctx)]
    for _, path in jobs:  # all refused before any is written
        refuse_existing(path, overwrite)
    count = min(cores() if workers is None else workers, len(jobs))
    if count > 1 and (len(jobs) >= PARALLEL_FROM or workers is not None):
        files = export_in_workers(ctx, fmt, jobs, count, export_patient)
    else:
        files = (export_patient(ctx, pid, fmt, out) for pid, out in jobs)
    written = []
    for path in files:
        written.append(path)
        if progress:
            progress(len(written), len(jobs))
    return written


def _write(out: Path, content: bytes) -> None:
    out = Path(out)
    try:
        if out.parent and not out.parent.exists():
            raise UserError(f"the folder {out.parent} does not exist; create it or choose another --out")
        write_private(out, content)  # health data: the owner's only, never half-written
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}") from None


# ---- JSON import ------------------------------------------------------------------------------
def import_file(ctx: AppContext, path: Path, progress: Callable[[int, int], None] | None = None) -> int:
    return import_data(ctx, read_document(Path(path)), progress)




PROGRESS_EVERY = 500  # events between two calls of `progress`


def import_data(ctx: AppContext, data: Any, progress: Callable[[int, int], None] | None = None) -> int:
    """Always a new patient; ids are renumbered, everything else kept as it was. `progress(done, total)`
    hears how many events are written (the transaction commits after the last)."""
    ctx.require_write("import a patient")
    validate_export(data, ctx.today())
    p = data["patient"]
    with ctx.db.writing() as s:
        pid = repo.insert_patient(s, name=p["name"].strip(), born=day(p.get("born"), "born"),
                                  diagnosed=day(p.get("diagnosed"), "diagnosed"), ms_type=p.get("ms_type"),
                                  now=ctx.now())
        journey_id = None
        if data.get("journey"):
            j = data["journey"]
            created = moment(j.get("created_at") or ctx.now().isoformat(), "journey.created_at")
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
        total = len(data["events"])
        for done, e in enumerate(data["events"]):
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
            payload = medicine_transfer.renumber(e["kind"], e["payload"], course_map)
            if e["kind"] in REMINDER_KINDS:
                payload = {**payload, "reminder": reminder_map.get(payload["reminder"])}
            # One at a time: each needs the new ids of those it refers to.
            new_id = repo.append_event(
                s, patient_id=pid, kind=e["kind"], occurred_at=moment(e["occurred_at"], "occurred_at"),
                recorded_at=moment(e["recorded_at"], "recorded_at"), user=e["user"], role=e["role"],
                payload=payload,
                entry_id=id_map.get(e["entry_id"]) if e.get("entry_id") not in (None, e["id"]) else None,
                supersedes=id_map.get(e["supersedes"]) if e.get("supersedes") is not None else None,
            )
            id_map[e["id"]] = new_id
        repo.append_event(s, patient_id=pid, kind="import", occurred_at=ctx.now(), recorded_at=ctx.now(),
                          user=ctx.user, role=ctx.role, payload={"from_patient": p.get("id"), "name": p["name"]})
        refresh(s, pid)
    if progress:
        progress(total, total)
    return pid
