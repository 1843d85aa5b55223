"""What Reminders ▸ Mark done, Snooze and Skip do: each undoable (back to pending), said in the status bar."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QWidget

from ...services import reminders
from ..core.runner import Changes
from ..core.session import Session

CHANGES = Changes(reminders=True, patient=True)


def _run(parent: QWidget | None, session: Session, what: str, fn, reminder) -> None:
    if session.readonly:
        return
    ctx = session.ctx
    session.op(
        parent, fn, CHANGES,
        undo=lambda _r: (f"{what} “{reminder.title}”", lambda: reminders.reopen(ctx, reminder.id)),
        on_success=lambda _r: session.bus.said.emit(f"{reminder.title}: {what}. Ctrl+Z takes it back.", 10_000))


def done(parent: QWidget | None, session: Session, reminder) -> None:
    ctx = session.ctx
    _run(parent, session, "done", lambda: reminders.complete(ctx, reminder.id), reminder)


def snooze(parent: QWidget | None, session: Session, reminder, until: datetime) -> None:
    ctx = session.ctx
    _run(parent, session, f"snoozed until {until:%a %H:%M}", lambda: reminders.snooze(ctx, reminder.id, until),
         reminder)


def skip(parent: QWidget | None, session: Session, reminder) -> None:
    ctx = session.ctx
    _run(parent, session, "skipped", lambda: reminders.skip(ctx, reminder.id), reminder)
