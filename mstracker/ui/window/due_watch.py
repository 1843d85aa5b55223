"""Checks, while the app runs, whether a reminder has become due (by the context's clock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.runner import Newest, error_text

if TYPE_CHECKING:
    from ...services.replay import Reminder
    from ..core.session import Session

CHECK_EVERY_MS = 60_000


class DueWatch(QObject):
    """Emits `due` with every reminder due now, and `newly_due` with the ones not announced before; `failed`
    with the reason when a look could not be taken (the app goes on)."""

    due = Signal(list)
    newly_due = Signal(list)
    failed = Signal(str)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._announced: set[tuple[int, str]] = set()
        self._newest = Newest()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> None:
        """One look at the clock (one indexed read, off the UI thread like every read)."""
        pid = self.session.patient_id
        if pid is None:
            self._newest.forget()
            self.due.emit([])
            return
        from ...services import reminder_reads as reminders  # not before the first paint

        ctx = self.session.ctx
        self.session.query(self.parent(), lambda: reminders.due_now(ctx, pid), self._arrived, newest=self._newest,
                           on_failure=lambda exc: self.failed.emit(error_text(exc)))

    def _arrived(self, items: list[Reminder]) -> None:
        self.due.emit(items)
        # A snoozed reminder is announced again when its new time comes.
        fresh = [r for r in items if (r.id, str(r.effective_due)) not in self._announced]
        if fresh:
            self._announced.update((r.id, str(r.effective_due)) for r in fresh)
            self.newly_due.emit(fresh)
