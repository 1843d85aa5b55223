"""The publication's state in the status bar, and the background sync that keeps it in step.

A sync runs after every change on the bus and every few minutes while the patient is published, always on
the runner's worker thread; one already running is not started twice (a request meanwhile runs once after
it). A read-only window (a caregiver's) only reads the state: `sync_in_background` never syncs for it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from ...services import calendar_state
from ..core.session import Session

SYNC_EVERY_MS = 3 * 60 * 1000


class CalendarState(QLabel):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caregiverCalendarState")
        self.session = session
        self.running = False
        self._again = False
        self.syncs_started = 0  # how many syncs this label started (a caregiver's window: only state reads)
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_EVERY_MS)
        self.timer.timeout.connect(self.sync_now)
        self.hide()
        session.bus.changed.connect(lambda _changes: self.sync_now())
        session.patient_changed.connect(lambda _pid: self.sync_now())

    def sync_now(self) -> None:
        pid = self.session.patient_id
        if pid is None:
            return
        if self.running:
            self._again = True
            return
        self.running = True
        self.syncs_started += 0 if self.session.readonly else 1
        ctx = self.session.ctx
        work = (lambda: calendar_state.state(ctx, pid)) if self.session.readonly else (
            lambda: calendar_state.sync_in_background(ctx, pid))
        self.session.query(self, work, self._arrived, on_failure=self._failed)

    def _arrived(self, state) -> None:
        self.running = False
        self.show_state(state)
        if self._again:
            self._again = False
            self.sync_now()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.setText(f"Caregiver's calendar: could not read its state ({type(exc).__name__})")

    def show_state(self, state) -> None:
        if state is None:
            self.hide()
            self.timer.stop()
            return
        self.setText(f"Caregiver's calendar: {state.summary(self.session.ctx.now())}")
        self.setToolTip(f"Published at {state.url} as {state.user}")
        self.show()
        if not self.session.readonly and not self.timer.isActive():
            self.timer.start()
