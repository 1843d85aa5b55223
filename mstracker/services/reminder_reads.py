"""The plan as the window reads it: a patient's reminders in order, and those whose time has come.

Read through `ctx.reads()`, without the storage engine; `reminders` holds the changes and hands these out too.
"""

from __future__ import annotations

from datetime import date, datetime

from .replay import Reminder, reminder_from_row, require_patient


def schedule(ctx, patient_id: int, start: date | None = None, end: date | None = None) -> list[Reminder]:
    """The plan sorted by due, kind, title; `start`/`end` are inclusive dates."""
    with ctx.reads() as reads:
        require_patient(reads, patient_id)
        rows = reads.reminders(patient_id, from_due=start.isoformat() if start else None,
                               to_due=f"{end.isoformat()}T23:59" if end else None)
    return [reminder_from_row(r) for r in rows]


def due_now(ctx, patient_id: int, now: datetime | None = None) -> list[Reminder]:
    """Reminders whose (snoozed) time has come and that are not done or skipped."""
    moment = (now or ctx.now()).replace(tzinfo=None)
    items = schedule(ctx, patient_id, end=moment.date())
    return [r for r in items if r.status in ("pending", "snoozed") and r.effective_due <= moment]
