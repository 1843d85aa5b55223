"""Watches the clock for doses (the context's clock: the tests' fake one, `MSTRACKER_NOW`): each minute one
read of today's doses, off the UI thread. Emits `looked` with what it read (today's panel shows it: a pending
dose turns missed without any write) and `announce` with the doses to announce now (`announce.py`)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ...services import medicine_today
from ..core.runner import Newest, error_text
from ..core.session import Session
from .announce import Key, due_announcements

CHECK_EVERY_MS = 60_000


class DoseWatch(QObject):
    looked = Signal(object)  # medicine_today.Today
    announce = Signal(list)  # [Announcement]
    failed = Signal(str)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._announced: set[Key] = set()
        self._newest = Newest()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        session.patient_changed.connect(self._patient_changed)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _patient_changed(self, _pid) -> None:
        self._newest.forget()
        self._announced.clear()

    def check(self) -> None:
        pid = self.session.patient_id
        if pid is None:
            return
        ctx = self.session.ctx
        self.session.query(self.parent(), lambda: (medicine_today.today(ctx, pid), ctx.now()), self._arrived,
                           newest=self._newest, on_failure=lambda exc: self.failed.emit(error_text(exc)))

    def _arrived(self, result) -> None:
        today, now = result
        self.looked.emit(today)
        if self.session.readonly:
            return  # the caregiver records nothing: the announcements are the patient's
        fresh = due_announcements(today.doses, now, self.session.ctx.zone, self._announced)
        if fresh:
            self.announce.emit(fresh)
