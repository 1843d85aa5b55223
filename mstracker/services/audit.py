"""The audit trail, derived from the event log: who changed what and when."""

from __future__ import annotations

from typing import Any

from ..storage import repository as repo
from .context import AppContext
from .records import record, require_patient

ROLE_SWITCH = "role_switch"


def describe(kind: str, payload: dict[str, Any], entry_id: int) -> str:
    if "fields" in payload and kind != "amend":
        return f"entry {entry_id}: " + ", ".join(f"{k}={v}" for k, v in payload["fields"].items())
    if kind == "amend":
        parts = [f"{k}={v}" for k, v in payload.get("fields", {}).items()]
        if payload.get("at"):
            parts.append(f"at={payload['at'][:16]}")
        return f"entry {entry_id} corrected: " + ", ".join(parts)
    if kind == "retract":
        return f"entry {entry_id} retracted: {payload.get('reason', '')}"
    if kind in ("start", "transition", "plan", "transition_amend"):
        text = f"{payload.get('phase')} on {payload.get('on')}"
        if payload.get("was"):
            text += f" (was {payload['was']})"
        if payload.get("reason"):
            text += f": {payload['reason']}"
        return text
    if kind == "transition_undo":
        return f"{payload.get('phase')} of {payload.get('on')} undone: {payload.get('reason', '')}"
    if kind.startswith("reminder_"):
        return f"reminder {payload.get('reminder')} ({payload.get('title')})"
    if kind == ROLE_SWITCH:
        return f"role switched from {payload.get('from')} to {payload.get('to')}"
    if kind == "med_dose":
        taken = f" at {payload['taken_at']}" if payload.get("taken_at") else ""
        reason = f" ({payload['reason']})" if payload.get("reason") else ""
        return f"dose {entry_id}: {payload.get('name')} of {payload.get('due')} {payload.get('status')}{taken}{reason}"
    if kind == "med_course":
        return f"course {payload.get('course')} added: {payload.get('name')}, {payload.get('dose')}, " \
               f"{payload.get('times')} from {payload.get('from')}" + (f" to {payload['to']}" if payload.get("to") else "")
    if kind == "med_stop":
        reason = f": {payload['reason']}" if payload.get("reason") else ""
        return f"course {payload.get('course')} ({payload.get('name')}) stopped on {payload.get('on')}{reason}"
    if kind == "patient_add":
        return f"patient {payload.get('name')} added"
    return ", ".join(f"{k}={v}" for k, v in payload.items())


def record_role_switch(ctx: AppContext, patient_id: int, from_role: str) -> None:
    """A read-only user who switched to a writing role, on the record of the patient they were viewing: on a
    shared file nothing can stop the switch, so it is at least on the record (by the new role, as it writes)."""
    with ctx.db.writing() as s:
        require_patient(s, patient_id)
        record(ctx, s, patient_id, ROLE_SWITCH, ctx.now(), {"from": str(from_role), "to": str(ctx.role)})


def audit(ctx: AppContext, patient_id: int | None = None) -> list[dict[str, Any]]:
    """Oldest first."""
    with ctx.db.reading() as s:
        if patient_id is not None:
            require_patient(s, patient_id)
        events = repo.all_events(s, patient_id)
    return [{
        "at": e.recorded_at.astimezone(ctx.zone).strftime("%Y-%m-%dT%H:%M"), "user": e.user, "role": e.role,
        "action": e.kind, "patient": e.patient_id, "detail": describe(e.kind, e.payload, e.entry_id),
    } for e in events]
