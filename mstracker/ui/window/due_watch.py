"""Checks, while the app runs, whether a reminder has become due (by the context's clock)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from ...services.reminders import Reminder

CHECK_EVERY_MS = 60_000


class DueWatch(QObject):
    """Emits `due` with every reminder due now, and `newly_due` with the ones not announced before."""

    due = Signal(list)
    newly_due = Signal(list)

    def __init__(self, ctx, patient_id: Callable[[], int | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._patient_id = patient_id
        self._announced: set[tuple[int, str]] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()

    def check(self) -> list[Reminder]:
        """One look at the clock; cheap (one indexed read), so it runs on the UI thread."""
        pid = self._patient_id()
        if pid is None:
            self.due.emit([])
            return []
        from ...services import reminders  # the storage engine: after the first paint

        items = reminders.due_now(self.ctx, pid)
        self.due.emit(items)
        # A snoozed reminder is announced again when its new time comes.
        fresh = [r for r in items if (r.id, str(r.effective_due)) not in self._announced]
        if fresh:
            self._announced.update((r.id, str(r.effective_due)) for r in fresh)
            self.newly_due.emit(fresh)
        return items
