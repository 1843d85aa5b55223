"""Today's doses on the main window: each with its time, medicine and what became of it, a "Taken" button
beside each open dose (one click, or Tab and Space) and "Skip…" for a reason; the week's adherence. The doses
of yesterday missed in the last 24 hours come first, with their buttons too: a missed dose can still be
recorded. A read-only role (the caregiver) sees the same without the buttons.

The panel follows the session itself: it reads `medicine_today.today` off the UI thread when the patient changes
or anything is written, and the dose watch hands it each minute's fresh look (`show_today`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.medicines.doses import RECORD_AHEAD, Dose, DoseStatus
from ...services import medicine_today
from ..core.focus_order import chain
from ..core.runner import Changes, Newest, error_text
from ..core.screen_fit import FitsScreen
from ..core.session import Session
from . import ops
from .words import adherence_words, dose_line, status_words

OPEN = (DoseStatus.PENDING, DoseStatus.MISSED)
STATUS_COLOURS = {DoseStatus.TAKEN: "#1e6b3a", DoseStatus.SKIPPED: "#5f6368", DoseStatus.MISSED: "#b3261e",
                  DoseStatus.PENDING: "#0b57d0"}


class SkipDialog(FitsScreen, QDialog):
    """Why a dose is not taken (optional): the reason goes with the record. OK emits `requested` with the
    reason; the dialog closes once the skip is written, and shows a refusal inline."""

    requested = Signal(str)

    def __init__(self, dose: Dose, today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Skip this dose")
        self.reason = QLineEdit()
        self.reason.setObjectName("skipReason")
        self.reason.setAccessibleName("Reason for skipping (optional)")
        self.reason.setPlaceholderText("e.g. the team said to pause it")
        self.error = QLabel("")
        self.error.setObjectName("skipError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Skip the dose")
        buttons.accepted.connect(lambda: self.requested.emit(self.reason.text()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        question = QLabel(f"Skip {dose_line(dose, today)}?")
        question.setWordWrap(True)
        layout.addWidget(question)
        label = QLabel("&Reason (optional):")
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class TodayDoses(QFrame):
    """Emits `arrived` after each look it shows (tests and the window wait on it)."""

    arrived = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.ctx = session, session.ctx
        self.readonly = session.readonly
        self.today = None  # medicine_today.Today as last shown
        self.skip_dialog: SkipDialog | None = None
        self.taken_buttons: list[QPushButton] = []
        self.skip_buttons: list[QPushButton] = []
        self.tab_after: QWidget | None = None  # what Tab reaches the doses from (the owner says)
        self._newest = Newest()
        self.setObjectName("todayDoses")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Today's medicines")
        title = QLabel("Today's medicines")
        title.setObjectName("sectionTitle")
        self.adherence = QLabel("")
        self.adherence.setObjectName("doseAdherence")
        self.rows = QGridLayout()
        # With buttons, they line up on the right; without (the caregiver), the status stays beside its dose.
        self.rows.setColumnStretch(2 if self.readonly else 0, 1)
        self.problem = QLabel("")
        self.problem.setObjectName("dosesProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(self.rows)
        layout.addWidget(self.problem)
        layout.addWidget(self.adherence)
        self.hide()
        session.patient_changed.connect(self._patient_changed)
        session.bus.changed.connect(self._changed)
        if session.patient_id is not None:
            self.refresh()

    # ---- reading ----------------------------------------------------------------------------------------
    def _patient_changed(self, _pid) -> None:
        self._newest.forget()
        self.show_today(None)
        self.refresh()

    def _changed(self, _changes: Changes) -> None:
        self.refresh()

    def refresh(self) -> None:
        pid = self.session.patient_id
        if pid is None:
            return
        ctx = self.ctx
        self.session.query(self, lambda: medicine_today.today(ctx, pid), self.show_today, newest=self._newest,
                           on_failure=lambda exc: self._failed(error_text(exc)))

    def _failed(self, message: str) -> None:
        self.problem.setText(f"Could not read today's medicines: {message}")
        self.problem.show()
        self.show()

    # ---- showing ----------------------------------------------------------------------------------------
    def show_today(self, today) -> None:
        self.today = today
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # gone at once: the new rows are the only ones to find
                widget.deleteLater()
        self.taken_buttons, self.skip_buttons = [], []
        if today is None or not (today.doses or today.missed or today.adherence_7d is not None):
            self.hide()  # no medicines at home: nothing to show
            self.arrived.emit()
            return
        day = self.ctx.today()
        shown = self.shown_doses()
        if not shown:
            self.rows.addWidget(QLabel("No doses today."), 0, 0)
        for row, dose in enumerate(shown):
            self._add_row(row, dose, day)
        self.problem.hide()
        self.adherence.setText(adherence_words(today.adherence_7d))
        # Buttons made now would come last in the round.
        chain(self.tab_after, *(b for pair in zip(self.taken_buttons, self.skip_buttons) for b in pair))
        self.show()
        self.arrived.emit()

    def _add_row(self, row: int, dose: Dose, day) -> None:
        line = QLabel(dose_line(dose, day))
        line.setWordWrap(True)
        state = QLabel(status_words(dose))
        state.setObjectName("doseStatus")
        state.setStyleSheet(f"color: {STATUS_COLOURS[dose.status]}; font-weight: bold;")
        self.rows.addWidget(line, row, 0)
        self.rows.addWidget(state, row, 1)
        if self.readonly or dose.status not in OPEN or not self._recordable(dose):
            return
        taken = QPushButton("Taken")
        taken.setObjectName("doseTaken")
        taken.setAccessibleName(f"Record {dose.course.name} at {dose.due:%H:%M} as taken")
        taken.clicked.connect(lambda _=False, d=dose, b=taken: self._take(d, b))
        skip = QPushButton("Skip…")
        skip.setObjectName("doseSkip")
        skip.setAccessibleName(f"Skip {dose.course.name} at {dose.due:%H:%M}, with a reason")
        skip.clicked.connect(lambda _=False, d=dose: self.ask_skip(d))
        self.rows.addWidget(taken, row, 2)
        self.rows.addWidget(skip, row, 3)
        self.taken_buttons.append(taken)
        self.skip_buttons.append(skip)

    def shown_doses(self) -> list[Dose]:
        """Yesterday's doses missed in the last 24 hours, then today's."""
        if self.today is None:
            return []
        day = self.ctx.today()
        return [d for d in self.today.missed if d.due.date() != day] + list(self.today.doses)

    def _now(self) -> datetime:
        return self.ctx.now().replace(tzinfo=None)

    def _recordable(self, dose: Dose) -> bool:
        """A dose more than 12 hours ahead cannot be recorded: no button that could only be refused."""
        return dose.due - self._now() <= RECORD_AHEAD

    # ---- recording --------------------------------------------------------------------------------------
    def open_doses(self) -> list[Dose]:
        if self.today is None:
            return []
        return [d for d in self.shown_doses() if d.status in OPEN and self._recordable(d)]

    def next_open(self) -> Dose | None:
        """The dose the keyboard path records: today's earliest open one already due, else the next one coming.
        Yesterday's missed doses only by their own buttons: taken a day late, a dose is a choice to make."""
        day = self.ctx.today()
        doses = [d for d in self.open_doses() if d.due.date() == day]
        now = self._now()
        due = [d for d in doses if d.due <= now + timedelta(minutes=1)]
        return (due or doses or [None])[0]

    def take_next(self) -> None:
        dose = self.next_open()
        if dose is None:
            self.session.bus.said.emit("No dose to record now.", 6_000)
            return
        ops.record_taken(self, self.session, dose)

    def skip_next(self) -> None:
        dose = self.next_open()
        if dose is None:
            self.session.bus.said.emit("No dose to skip now.", 6_000)
            return
        self.ask_skip(dose)

    def _take(self, dose: Dose, button: QPushButton) -> None:
        button.setEnabled(False)  # one record per click; the list is read again once it is written
        ops.record_taken(self, self.session, dose, on_failure=lambda message: self._refused(message, button))

    def _refused(self, message: str, button: QPushButton) -> None:
        from ..core.runner import show_message

        button.setEnabled(True)
        show_message(self, message)

    def ask_skip(self, dose: Dose) -> SkipDialog:
        dialog = self.skip_dialog = SkipDialog(dose, self.ctx.today(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.requested.connect(lambda reason: ops.record_skip(
            dialog, self.session, dose, reason, on_failure=dialog.show_error, on_success=dialog.accept))
        dialog.open()
        return dialog
