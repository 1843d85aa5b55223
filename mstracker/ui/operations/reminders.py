"""What Reminders ▸ Mark done, Snooze and Skip do: each undoable (back to pending), said in the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ...services.replay import Reminder
from ..core.day_words import moment_words
from ..core.later import later
from ..core.runner import Changes
from ..core.session import Session
from ..core.undo import Undo

reminders = later("mstracker.services.reminders")

CHANGES = Changes(reminders=True, patient=True)


def _run(parent: QWidget | None, session: Session, what: str | Callable[[Reminder], str], fn, reminder) -> None:
    """`what` says what was done, from the changed reminder where it depends on it (a snooze's date)."""
    if session.readonly:
        return
    words = what if callable(what) else (lambda _r: what)
    session.op(
        parent, fn, CHANGES,
        undo=lambda r: Undo(f"{words(r)} “{reminder.title}”", reminders.reopen, (reminder.id,)),
        on_success=lambda r: session.bus.said.emit(f"{reminder.title}: {words(r)}. Ctrl+Z takes it back.", 10_000))


def done(parent: QWidget | None, session: Session, reminder) -> None:
    ctx = session.ctx
    _run(parent, session, "done", lambda: reminders.complete(ctx, reminder.id), reminder)


def snooze(parent: QWidget | None, session: Session, reminder, span: str) -> None:
    """`span`: "hour", "tomorrow" or "week", counted by the service from the later of now and the reminder's
    own time; the status bar and Undo name the date it came to."""
    ctx = session.ctx
    _run(parent, session, lambda r: f"snoozed until {moment_words(r.effective_due)}",
         lambda: reminders.snooze_for(ctx, reminder.id, span), reminder)


def skip(parent: QWidget | None, session: Session, reminder) -> None:
    ctx = session.ctx
    _run(parent, session, "skipped", lambda: reminders.skip(ctx, reminder.id), reminder)
