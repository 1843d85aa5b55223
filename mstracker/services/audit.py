"""The audit trail, derived from the event log: who changed what and when."""

from __future__ import annotations

from typing import Any

from ..storage import repository as repo
from .context import AppContext
from .records import require_patient


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
