"""Phase changes: only the transitions the state machine allows, with a date; or a planned date that moves
the schedule (admission, Day 0, discharge)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import UserError
from ...domain.journey import Journey
from ...domain.phases import FINAL, ORDER, Phase
from ...domain.protocol import Protocol
from ..core.date_input import DateInput
from ..core.later import later
from ..core.runner import Changes
from ..core.screen_fit import FitsScreen
from ..core.session import Session
from ..core.undo import Undo
from ..core.words import phase_words
from .log_entry import InlineError

journeys = later("mstracker.services.journeys")

CHANGES = Changes(journey=True, reminders=True, patient=True)
PLAN_WORDS = {
    Phase.CONDITIONING: "admission to hospital (conditioning starts)",
    Phase.TRANSPLANT: "Day 0 (your stem cells are given back)",
    Phase.IMMUNE_REBUILD: "discharge home",
}


def plannable(journey: Journey) -> list[Phase]:
    """Phases still ahead, with the schedule's anchors first."""
    if journey.phase in FINAL:
        return []
    after = ORDER.index(journey.phase) if journey.phase is not None else -1
    ahead = [p for p in ORDER if ORDER.index(p) > after and p is not Phase.COMPLETED]
    return sorted(ahead, key=lambda p: (p not in PLAN_WORDS, ORDER.index(p)))


class PhaseDialog(FitsScreen, QDialog):
    def __init__(self, session: Session, patient_id: int, journey: Journey, parent: QWidget | None = None, *,
                 protocols: Sequence[Protocol] = ()) -> None:
        """`protocols`: those a journey not yet started can start with, read by the caller off the UI thread."""
        super().__init__(parent)
        self.session, self.patient_id, self.journey = session, patient_id, journey
        self.setObjectName("phaseDialog")
        self.setWindowTitle("Change phase or plan a date")
        self.setAccessibleName(self.windowTitle())
        today = session.ctx.today()

        self.record = QRadioButton("&Record a phase that has begun")
        self.record.setAccessibleDescription("A new phase of the treatment began on the date below")
        self.plan = QRadioButton("P&lan a date")
        self.plan.setAccessibleDescription("A date the team has given you; the reminders move with it")
        group = QButtonGroup(self)
        group.addButton(self.record)
        group.addButton(self.plan)
        self.record.setChecked(True)

        self.phase = QComboBox()
        self.phase.setObjectName("phaseChoice")
        self.phase.setAccessibleName("Phase")
        self.phase.setAccessibleDescription("Only the phases that can come next are offered")
        self.protocol = QComboBox()
        self.protocol.setObjectName("protocolChoice")
        self.protocol.setAccessibleName("Protocol")
        self.protocol.setAccessibleDescription("Your centre's treatment plan")
        if not journey.started:
            for protocol in protocols:
                self.protocol.addItem(protocol.title, protocol.name)
        self.on = DateInput(today)
        self.on.setObjectName("phaseDate")
        self.on.setAccessibleName("Date")
        self.reason = QLineEdit()
        self.reason.setObjectName("phaseReason")
        self.reason.setAccessibleName("Reason")
        self.reason.setAccessibleDescription("Why, for example why the treatment stopped; optional")

        form = QFormLayout()
        self.phase_label = QLabel("&Phase:")
        self.phase_label.setBuddy(self.phase)
        form.addRow(self.phase_label, self.phase)
        self.protocol_label = QLabel("Pro&tocol:")
        self.protocol_label.setBuddy(self.protocol)
        form.addRow(self.protocol_label, self.protocol)
        date_label = QLabel("&Date:")
        date_label.setBuddy(self.on)
        form.addRow(date_label, self.on)
        self.reason_label = QLabel("Reas&on (optional):")
        self.reason_label.setBuddy(self.reason)
        form.addRow(self.reason_label, self.reason)
        self.current = QLabel(self._current_words())
        self.current.setWordWrap(True)
        self.current.setAccessibleName("Now")

        self.error = InlineError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.record)
        layout.addWidget(self.plan)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.record.toggled.connect(self._fill)
        self.phase.currentIndexChanged.connect(self._show_reason)
        self.plan.setEnabled(journey.started and bool(plannable(journey)))
        self._fill()

    def _current_words(self) -> str:
        j = self.journey
        if not j.started:
            return "The journey has not started yet: choose the first phase, the protocol and the date."
        return f"Now: {phase_words(j.phase)}, since {j.phase_since:%a %d %b %Y}."

    def _fill(self) -> None:
        self.phase.clear()
        if self.record.isChecked():
            for phase in self.journey.next_phases():
                words = phase_words(phase)
                if phase is self.journey.phase:
                    words = f"{words} (another attempt)"
                self.phase.addItem(words[:1].upper() + words[1:], phase.value)
        else:
            for phase in plannable(self.journey):
                self.phase.addItem(PLAN_WORDS.get(phase, f"start of {phase_words(phase)}").capitalize(), phase.value)
        starting = not self.journey.started
        self.protocol.setVisible(starting)
        self.protocol_label.setVisible(starting)
        self._show_reason()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.phase.count() > 0)

    def _show_reason(self) -> None:
        show = self.record.isChecked() and self.phase.currentData() is not None
        self.reason.setVisible(show)
        self.reason_label.setVisible(show)

    def chosen(self) -> tuple[Phase, date]:
        return Phase(self.phase.currentData()), self.on.value("Date")

    def save(self) -> None:
        if self.phase.currentData() is None:
            return
        ctx, pid = self.session.ctx, self.patient_id
        try:
            phase, on = self.chosen()
        except UserError as exc:
            self.error.show_message(str(exc))
            return
        reason = self.reason.text().strip() or None
        if not self.journey.started:
            protocol = self.protocol.currentData()
            fn = lambda: journeys.start_journey(ctx, pid, protocol, on, phase)  # noqa: E731
            undo = None
        elif self.record.isChecked():
            fn = lambda: journeys.advance(ctx, pid, phase, on, reason)  # noqa: E731
            undo = lambda _j: Undo(f"record {phase_words(phase)}", journeys.undo_advance, (pid,))  # noqa: E731
        else:
            fn = lambda: journeys.plan(ctx, pid, phase, on)  # noqa: E731
            undo = None
        self.buttons.setEnabled(False)

        def failed(message: str) -> None:
            self.buttons.setEnabled(True)
            self.error.show_message(message)

        self.session.op(self, fn, CHANGES, undo=undo, on_success=lambda _j: self.accept(), on_failure=failed)
