"""The big "where am I": name, Day and phase in plain words, what is next, and the red-flag alerts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from ...domain.dates import day_label
from ..core.day_words import due_words, phase_words
from ..core.style import HEADER_SIZES

if TYPE_CHECKING:  # the services import the storage engine: not before the first paint
    from ...services.patient_list import PatientSummary


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class Header(QWidget):
    urgent_raised = Signal(object)  # an urgent Alert not on show before

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.name = _label("patientName")
        self.name.setAccessibleName("Patient")
        self.where = _label("whereAmI")
        self.where.setAccessibleName("Day and phase")
        self.next = _label("nextDue")
        self.next.setAccessibleName("Next due")
        self.alert_bar = None  # made with the first status: its module imports the clinical rules
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for widget in (self.name, self.where, self.next):
            layout.addWidget(widget)
        self._layout = layout
        # Where the alerts go: under the name by default; the main window gives them its full width.
        self.alert_layout = layout
        self._scale_fonts()

    def _scale_fonts(self) -> None:
        """Sizes relative to the application font, so they follow the system size and the larger-text mode."""
        base = QApplication.font()
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        widgets = {"patientName": self.name, "whereAmI": self.where, "nextDue": self.next}
        for name, factor, bold in HEADER_SIZES:
            widget = widgets[name]
            font = QFont(base)
            font.setPointSizeF(size * factor)
            font.setBold(bold)
            widget.setFont(font)

    def changeEvent(self, event) -> None:
        # Without the app's stylesheet (which sizes them itself: core/style.py), follow the application font:
        # Qt 6 tells a widget of it as FontChange, its inherited font having changed.
        if event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.FontChange):
            self._scale_fonts()
        super().changeEvent(event)

    def allow_selection(self) -> None:
        """Selectable with the mouse (to copy), but no tab stop: the keyboard path goes straight to the actions.
        Set once the data is open, not before the first paint: PySide6 builds the ~100 enums of its `Qt`
        namespace on first use, a sixth of a bare window's start."""
        from PySide6.QtCore import Qt

        for label in (self.name, self.where, self.next):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_empty(self, message: str) -> None:
        self.name.setText("mstracker")
        self.where.setText(message)
        self.next.setText("")
        self.show_alerts([])

    def show_glance(self, name: str, phase: str | None, state: str) -> None:
        """Before the database is open: the name and phase a first look found, and what is happening."""
        self.name.setText(name)
        self.where.setText(phase_words(phase)[:1].upper() + phase_words(phase)[1:])
        self.next.setText(state)

    def show_summary(self, summary: PatientSummary, today: date) -> None:
        """The first paint, from the stored projection alone (no replay)."""
        self.name.setText(summary.name)
        self._where(summary.day, summary.day_zero_planned, summary.phase)
        if summary.next_due and summary.next_title:
            from datetime import datetime

            due = datetime.fromisoformat(summary.next_due)
            self._set_next(f"Next: {summary.next_title} — {due_words(due, today)}")
        else:
            self._set_next("Nothing is due.")

    def show_status(self, status, today: date) -> None:
        self.name.setText(status.patient["name"])
        phase = status.journey.phase
        self._where(status.day, status.day_zero_is_planned, phase)
        if status.next:
            first = status.next[0]
            self._set_next(f"Next: {first.title} — {due_words(first.effective_due, today)}")
        else:
            self._set_next("Nothing is due.")
        self.show_alerts(status.alerts)

    def show_alerts(self, alerts: list) -> None:
        """The red flags, urgent first (AlertBar); `urgent_raised` tells the window about new urgent ones."""
        if self.alert_bar is None:
            if not alerts:
                return
            from ..core.alert_bar import AlertBar

            self.alert_bar = AlertBar(self)
            self.alert_bar.urgent_raised.connect(self.urgent_raised)
            self.alert_layout.addWidget(self.alert_bar)
        self.alert_bar.set_alerts(alerts)

    def _where(self, day: int | None, planned: bool, phase) -> None:
        words = phase_words(phase)
        label = day_label(day, planned)
        text = f"{label} · {words}" if label else words[:1].upper() + words[1:]
        self.where.setText(text)
        self.where.setAccessibleDescription(text)

    def _set_next(self, text: str) -> None:
        self.next.setText(text)
        self.next.setAccessibleDescription(text)
