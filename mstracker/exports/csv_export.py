"""CSV export: one row per stored event, oldest first — the whole record, corrections included.

UTF-8 without a byte-order mark (so that every CSV reader sees `event_id` as the first header), comma-separated,
CRLF line ends (RFC 4180), a header row, then one row for every event of the patient: phase transitions, planned dates, log entries,
and the corrections and reminder changes recorded about them. Nothing is left out: a retracted entry or a
superseded version stays, marked in `status`. Rows are ordered by `occurred_at`, then by `event_id`.

Columns:

- `event_id`     the event's own id.
- `entry_id`     the id `mstracker log` printed; all versions of one entry (the original, its amendments,
                 its retraction) share it. For other events, the event's id.
- `kind`         transition kinds (`start`, `transition`, `transition_amend`, `transition_undo`), `plan`,
                 log kinds (`lab`, `temperature`, `symptom`, `side_effect`, `transfusion`, `relapse`, `mri`,
                 `edss`, `note`), corrections (`amend`, `retract`, `unretract`), reminder changes
                 (`reminder_done`, `reminder_snooze`, `reminder_skip`, `reminder_reopen`, `reminder_edit`),
                 medicines (`med_course` a course added, `med_stop` a course stopped, `med_dose` a dose taken
                 or skipped: `details` names the course, the dose's time, `taken_at` and the status),
                 `patient_add`, `import`.
- `entry_kind`   the log kind an entry, amendment or retraction is about; empty otherwise.
- `occurred_at`  when it happened (for a correction: when it was made), ISO 8601 local time with offset.
- `date`         the local date it concerns: the phase date for transitions and plans, else that of `occurred_at`.
- `phase`        the phase a transition or plan names.
- `fields`       the logged values as a JSON object (an amendment: only the values it changed).
- `reason`       why (a withdrawal, an undo, a retraction).
- `status`       `current` (this version stands), `superseded` (a later version replaced it),
                 `retracted` (entered in error: the entry, or the undone transition, no longer counts),
                 `correction` (a retraction, its undo, or a transition undo: it acts on `supersedes`).
- `supersedes`   the event this one corrects.
- `details`      the rest of the stored payload, as a JSON object (empty when there is none).
- `recorded_at`  when it was written, ISO 8601 local time with offset.
- `user`, `role` who wrote it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime

from ..domain.local_times import for_zone
from .model import EventRecord, ExportData

COLUMNS = ("event_id", "entry_id", "kind", "entry_kind", "occurred_at", "date", "phase", "fields", "reason",
           "status", "supersedes", "details", "recorded_at", "user", "role")


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def _row(e: EventRecord, iso: Callable[[datetime], str]) -> tuple[str, ...]:
    """One event's cells, in COLUMNS order."""
    return (
        str(e.event_id), str(e.entry_id), e.kind, e.entry_kind or "", iso(e.occurred_at),
        (e.on or e.occurred_at.date()).isoformat(), e.phase or "", _json(e.fields), e.reason or "", e.status,
        "" if e.supersedes is None else str(e.supersedes), _json(e.details), iso(e.recorded_at), e.user, e.role,
    )


def write_csv(data: ExportData) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    iso = for_zone(data.zone).iso if data.zone is not None else _iso
    writer.writerows(_row(event, iso) for event in sorted(data.events, key=lambda e: (e.occurred_at, e.event_id)))
    return buffer.getvalue().encode("utf-8")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
