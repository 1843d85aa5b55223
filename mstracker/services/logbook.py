"""Logging entries, correcting and retracting them, taking each of those back, and reading the history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.entries import LogEntry, LogKind, check_complete, parse_kind, validate_fields
from ..domain.errors import NotFoundError, UserError
from ..domain.limits import REASON_MAX, check_moment, check_text
from ..storage import repository as repo
from . import medicines
from .context import AppContext
from .history import history, history_count, history_page, page_key  # noqa: F401 (the window's reads, kept here too)
from .records import UNDO_REASON, check_not_future, journey_protocol, record, refresh, require_patient
from .replay import LOG_KINDS, latest_entries


@dataclass(frozen=True)
class NewEntry:
    """One entry for `log_many`: a kind, a local wall time and raw field values."""

    kind: LogKind | str
    at: datetime
    fields: dict[str, Any]


def _gvhd_allowed(s, patient_id: int) -> bool:
    protocol = journey_protocol(s, patient_id)
    return bool(protocol and not protocol.autologous)


def log(ctx: AppContext, patient_id: int, kind: LogKind | str, at: datetime, fields: dict[str, Any]) -> int:
    """Record one entry in its own transaction; returns its id."""
    return log_many(ctx, patient_id, [NewEntry(kind, at, fields)])[0]


def log_many(ctx: AppContext, patient_id: int, entries: list[NewEntry], *, check_future: bool = True) -> list[int]:
    """Many entries in one transaction with one list insert; the projection is updated once."""
    ctx.require_write("log entries")
    today = ctx.today()
    with ctx.db.writing() as s:
        require_patient(s, patient_id)
        gvhd = _gvhd_allowed(s, patient_id)
        now = ctx.now()
        # Validation reads each value as text: entries with the same kind and texts (a temperature of 36.8,
        # fatigue at 3) are checked and encoded once per batch.
        checked: dict[tuple, tuple[str, str]] = {}
        rows = []
        for entry in entries:
            check_moment(entry.at, "the entry's date")
            if check_future:
                check_not_future(entry.at, today, "the entry's date")
            key = (str(entry.kind), tuple(entry.fields), tuple(map(str, entry.fields.values())))
            found = checked.get(key)
            if found is None:
                kind = parse_kind(key[0])
                values = validate_fields(kind, entry.fields, gvhd_allowed=gvhd)
                found = checked[key] = (kind.value, repo.encode_payload({"fields": values}))
            rows.append({"patient_id": patient_id, "kind": found[0], "occurred_at": ctx.local(entry.at),
                         "recorded_at": now, "user": ctx.user, "role": ctx.role, "payload_json": found[1]})
        ids = repo.append_events(s, rows)
        repo.save_state(s, patient_id, last_event_id=ids[-1] if ids else None)
    return ids


def _entry_versions(s, entry_id: int):
    """Every version of a log entry, or of a recorded medicine dose (amend and retract apply to both)."""
    versions = repo.entry_events(s, entry_id)
    if not versions or versions[0].kind not in LOG_KINDS + (medicines.DOSE_KIND,):
        raise NotFoundError(f"no log entry with id {entry_id}; `mstracker history PATIENT` shows the ids")
    return versions


def amend(ctx: AppContext, entry_id: int, at: datetime | None, fields: dict[str, Any]) -> LogEntry | None:
    """A correction: a new event that supersedes the entry's latest version, changing only the named fields.
    Returns the entry's latest version (None for a recorded medicine dose, which is no log entry)."""
    ctx.require_write("correct an entry")
    if at is None and not fields:
        raise UserError("nothing to correct: give --at and/or FIELD=VALUE")
    if at is not None:
        check_moment(at, "the entry's date")
        check_not_future(at, ctx.today(), "the entry's date")
    with ctx.db.writing() as s:
        versions = _entry_versions(s, entry_id)
        patient_id = versions[0].patient_id
        if versions[0].kind == medicines.DOSE_KIND:
            medicines.amend_dose(ctx, s, versions, at, fields)
            repo.save_state(s, patient_id, last_event_id=repo.last_event_id(s, patient_id))
            return None
        current = latest_entries(versions, ctx.zone, include_retracted=True)[0]
        if current.retracted:
            raise UserError(f"entry {entry_id} was retracted; log a new entry instead")
        values = validate_fields(current.kind, fields, partial=True, gvhd_allowed=_gvhd_allowed(s, patient_id))
        check_complete(current.kind, {**current.fields, **values})
        payload: dict[str, Any] = {"fields": values, "log_kind": current.kind.value}
        moment = ctx.local(at) if at is not None else current.at
        if at is not None:
            payload["at"] = moment.isoformat()
        record(ctx, s, patient_id, "amend", moment, payload, entry_id=entry_id, supersedes=versions[-1].id)
        repo.save_state(s, patient_id, last_event_id=repo.last_event_id(s, patient_id))
        return latest_entries(repo.entry_events(s, entry_id), ctx.zone)[0]


def retract(ctx: AppContext, entry_id: int, reason: str) -> None:
    """Entered in error: hidden from figures and history, kept in the audit trail."""
    ctx.require_write("retract an entry")
    if not (reason or "").strip():
        raise UserError("say why the entry is retracted with --reason \"entered in error\"")
    reason = check_text(reason, "the reason", REASON_MAX)
    with ctx.db.writing() as s:
        versions = _entry_versions(s, entry_id)
        if any(v.kind == "retract" for v in versions):
            raise UserError(f"entry {entry_id} is already retracted")
        record(ctx, s, versions[0].patient_id, "retract", ctx.now(),
               {"reason": reason.strip(), "log_kind": versions[0].kind}, entry_id=entry_id, supersedes=versions[-1].id)
        refresh(s, versions[0].patient_id)


def unretract(ctx: AppContext, entry_id: int) -> None:
    """Undo of a retraction made in this session: the entry's last version is restored as a new amendment."""
    ctx.require_write("restore an entry")
    with ctx.db.writing() as s:
        versions = _entry_versions(s, entry_id)
        if not any(v.kind == "retract" for v in versions):
            raise UserError(f"entry {entry_id} is not retracted")
        record(ctx, s, versions[0].patient_id, "unretract", ctx.now(), {"log_kind": versions[0].kind},
               entry_id=entry_id, supersedes=versions[-1].id)


# ---- taking a write back (Edit ▸ Undo in the app; usable from any caller) ----------------------------
def undo_log(ctx: AppContext, entry_id: int) -> None:
    """Takes back `log` (or one entry of `log_many`): the entry is retracted, its reason saying it was undone."""
    retract(ctx, entry_id, UNDO_REASON)


def undo_retract(ctx: AppContext, entry_id: int) -> None:
    """Takes back `retract`."""
    unretract(ctx, entry_id)


def amend_undoable(before: LogEntry, fields: Iterable[str]) -> bool:
    """Whether an amendment of `fields` to the entry `before` can be taken back: a field that was empty
    cannot be emptied again by a correction."""
    return all(name in before.fields for name in fields)


def undo_amend(ctx: AppContext, before: LogEntry, at: datetime | None, fields: Iterable[str]) -> LogEntry:
    """Takes back `amend(ctx, before.entry_id, at, {...})` of `fields`: a new correction that gives those fields,
    and the time when `at` was given, their values in `before` (the version the amendment changed)."""
    fields = list(fields)
    if not amend_undoable(before, fields):
        raise UserError(f"entry {before.entry_id}: a field that was empty cannot be emptied again; "
                        "correct it by hand")
    back = {name: str(before.fields[name]) for name in fields}
    return amend(ctx, before.entry_id, before.at.replace(tzinfo=None) if at is not None else None, back)


def entry_to_json(entry: LogEntry) -> dict[str, Any]:
    return {"id": entry.entry_id, "kind": entry.kind.value, "at": entry.at.strftime("%Y-%m-%dT%H:%M"),
            "fields": entry.fields, "amended": entry.amended}
