"""The main window's reminder actions: done, snooze and skip, each undoable (back to pending)."""

from __future__ import annotations

from datetime import datetime

from ...services import reminders
from ..core.runner import Changes

CHANGES = Changes(reminders=True, patient=True)


def _run(window, what: str, fn, reminder) -> None:
    ctx = window.ctx
    window.session.op(
        window, fn, CHANGES,
        undo=lambda _r: (f"{what} “{reminder.title}”", lambda: reminders.reopen(ctx, reminder.id)),
        on_success=lambda _r: window.statusBar().showMessage(
            f"{reminder.title}: {what}. Ctrl+Z takes it back.", 10_000))


def done(window, reminder) -> None:
    if window.readonly:
        return
    ctx = window.ctx
    _run(window, "done", lambda: reminders.complete(ctx, reminder.id), reminder)


def snooze(window, reminder, until: datetime) -> None:
    if window.readonly:
        return
    ctx = window.ctx
    _run(window, f"snoozed until {until:%a %H:%M}", lambda: reminders.snooze(ctx, reminder.id, until), reminder)


def skip(window, reminder) -> None:
    if window.readonly:
        return
    ctx = window.ctx
    _run(window, "skipped", lambda: reminders.skip(ctx, reminder.id), reminder)
