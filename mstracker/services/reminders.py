"""The schedule and the reminders' states: done, snoozed, skipped, moved by hand."""

from __future__ import annotations

from datetime import datetime

from ..domain.errors import NotFoundError, UserError
from ..domain.limits import check_moment
from ..domain.reminder_times import SnoozeSpan, snooze_until
from ..storage import repository as repo
from .context import AppContext
from .records import check_not_future, record
from .reminder_reads import due_now, schedule  # noqa: F401 (the window's reads, kept here too)
from .replay import Reminder, reminder_from_row, wall_text


def _load(s, reminder_id: int):
    row = repo.get_reminder(s, reminder_id)
    if row is None:
        raise NotFoundError(f"no reminder with id {reminder_id}; `mstracker schedule PATIENT` shows the ids")
    return row


def _change(ctx: AppContext, reminder_id: int, action: str, values: dict, detail: dict) -> Reminder:
    with ctx.db.writing() as s:
        row = _load(s, reminder_id)
        if row.status in ("done", "skipped") and action != "reminder_reopen":
            raise UserError(f"reminder {reminder_id} is already {row.status}")
        repo.update_reminder(s, reminder_id, **values)
        record(ctx, s, row.patient_id, action, ctx.now(),
               {"reminder": reminder_id, "title": row.title, "due": row.due, **detail})
        repo.save_state(s, row.patient_id, next_due=repo.first_pending_due(s, row.patient_id))
        s.refresh(row)
        return reminder_from_row(row)


def complete(ctx: AppContext, reminder_id: int, at: datetime | None = None) -> Reminder:
    ctx.require_write("mark a reminder done")
    moment = check_moment(at or ctx.now().replace(tzinfo=None), "the date")
    check_not_future(moment, ctx.today(), "the date")
    text = wall_text(moment)
    return _change(ctx, reminder_id, "reminder_done", {"status": "done", "done_at": text}, {"at": text})


def snooze(ctx: AppContext, reminder_id: int, until: datetime) -> Reminder:
    ctx.require_write("snooze a reminder")
    check_moment(until, "the time")
    if until <= ctx.now().replace(tzinfo=None):
        raise UserError(f"snooze until a later time than now ({ctx.now():%Y-%m-%dT%H:%M})")
    text = wall_text(until)
    return _change(ctx, reminder_id, "reminder_snooze", {"status": "snoozed", "snoozed_until": text}, {"until": text})


def snooze_for(ctx: AppContext, reminder_id: int, span: SnoozeSpan | str) -> Reminder:
    """Snooze for an hour, to the next morning or for a week, counted from the later of now and the
    reminder's own time: a snooze never makes a reminder due sooner."""
    ctx.require_write("snooze a reminder")
    with ctx.db.reading() as s:
        own = reminder_from_row(_load(s, reminder_id)).effective_due
    return snooze(ctx, reminder_id, snooze_until(own, ctx.now(), span))


def skip(ctx: AppContext, reminder_id: int) -> Reminder:
    ctx.require_write("skip a reminder")
    return _change(ctx, reminder_id, "reminder_skip", {"status": "skipped"}, {})


def reopen(ctx: AppContext, reminder_id: int) -> Reminder:
    """Takes back `complete`, `skip` and `snooze`: the reminder is pending again."""
    ctx.require_write("reopen a reminder")
    return _change(ctx, reminder_id, "reminder_reopen",
                   {"status": "pending", "done_at": None, "snoozed_until": None}, {})


def reschedule(ctx: AppContext, reminder_id: int, due: datetime) -> Reminder:
    """A hand edit: the reminder keeps this time when anchors move."""
    ctx.require_write("move a reminder")
    check_moment(due, "the new time")
    text = wall_text(due)
    return _change(ctx, reminder_id, "reminder_edit", {"due": text, "edited": True}, {"new_due": text})


