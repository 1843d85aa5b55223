"""A notice inside the window: due reminders (also when there is no system tray), with done and snooze."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ...domain.reminder_times import is_overdue
from ..core.day_words import due_words

if TYPE_CHECKING:  # the services import the storage engine: not before the first paint
    from ...services.replay import Reminder



class DueBanner(QFrame):
    done_requested = Signal(object)
    snooze_requested = Signal(object)
    show_requested = Signal(object)

    def __init__(self, readonly: bool, parent: QWidget | None = None,
                 now: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(parent)
        self._now = now  # the context's clock: overdue by the same rule as the reminders list
        self.setObjectName("dueBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Reminder due")
        self.reminders: list[Reminder] = []
        self.text = QLabel("")
        self.text.setObjectName("dueText")
        self.text.setWordWrap(True)
        self.done = QPushButton("Mark done")
        self.done.setObjectName("bannerDone")
        self.done.setAccessibleName("Mark the due reminder done")
        self.snooze = QPushButton("Snooze 1 hour")
        self.snooze.setObjectName("bannerSnooze")
        self.snooze.setAccessibleName("Snooze the due reminder for an hour")
        self.show_button = QPushButton("Show")
        self.show_button.setAccessibleName("Show the due reminder in the list")
        for button in (self.done, self.snooze):
            button.setVisible(not readonly)
        self.done.clicked.connect(self.request_done)
        self.snooze.clicked.connect(self.request_snooze)
        self.show_button.clicked.connect(lambda: self._emit(self.show_requested))
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.done)
        layout.addWidget(self.snooze)
        layout.addWidget(self.show_button)
        self.hide()

    def set_due(self, reminders: list[Reminder]) -> None:
        self.reminders = list(reminders)
        if not reminders:
            self.hide()
            return
        first = reminders[0]
        now = self._now()
        more = f" — and {len(reminders) - 1} more" if len(reminders) > 1 else ""
        overdue = is_overdue(first.status, first.effective_due, now)
        when = due_words(first.effective_due, now.date())
        text = f"{'Overdue' if overdue else 'Due now'}: {first.title} — {when}{more}"
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def request_done(self) -> None:
        """Mark the first due reminder done (the banner's button, or the tray's menu)."""
        self._emit(self.done_requested)

    def request_snooze(self) -> None:
        self._emit(self.snooze_requested)

    def _emit(self, signal) -> None:
        if self.reminders:
            signal.emit(self.reminders[0])
