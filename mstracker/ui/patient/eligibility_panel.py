"""The eligibility checklist during assessment: each criterion met / not met / unknown / discuss, with its
detail, under the disclaimer that it informs a conversation with an MS specialist and decides nothing."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from ...domain.clinical.eligibility import ELIGIBILITY_DISCLAIMER, EligibilityItem
from ..core.labels import readable, rule

STATUS_WORDS = {"met": "Met", "not_met": "Not met", "unknown": "Unknown", "discuss": "Discuss"}
# A sign beside the word, so that colour is never the only cue.
STATUS_SIGNS = {"met": "✓", "not_met": "✗", "unknown": "?", "discuss": "◆"}
STATUS_COLOURS = {"met": "#1b7a3a", "not_met": "#b00020", "unknown": "#555555", "discuss": "#8a4b00"}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class EligibilityPanel(QGroupBox):
    """`set_items(services.eligibility.eligibility(ctx, pid))` fills it; an empty list shows a short notice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Eligibility checklist (for information)", parent)
        self.setAccessibleName("Eligibility checklist")
        self._disclaimer = QLabel(ELIGIBILITY_DISCLAIMER)
        self._disclaimer.setWordWrap(True)
        self._disclaimer.setObjectName("eligibilityDisclaimer")
        self._disclaimer.setStyleSheet("QLabel#eligibilityDisclaimer { background: #e8f0fb; color: #0b2a4a; "
                                       "border: 1px solid #1f5fa8; border-radius: 4px; padding: 8px; "
                                       "font-weight: bold; }")
        self._disclaimer.setAccessibleName(ELIGIBILITY_DISCLAIMER)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(14)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(1, 1)
        self._notes = readable()
        line = rule()
        layout = QVBoxLayout(self)
        layout.addWidget(self._disclaimer)
        layout.addWidget(self._grid_host)
        layout.addWidget(line)
        layout.addWidget(self._notes)
        self._items: list[EligibilityItem] = []
        self._rows: dict[str, QLabel] = {}
        self.set_items([])

    def set_items(self, items: Iterable[EligibilityItem]) -> None:
        self._items = list(items)
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # deleteLater waits for the event loop; do not show it until then
                widget.deleteLater()
        self._rows = {}
        criteria = [i for i in self._items if not i.note]
        if not criteria:
            empty = QLabel("Nothing to check yet: add the date of birth, the diagnosis date and the MS type, "
                           "and log EDSS scores, relapses and MRI results.")
            empty.setWordWrap(True)
            self._grid.addWidget(empty, 0, 0, 1, 2)
        for row, item in enumerate(criteria):
            badge = QLabel(f"<b style='color:{STATUS_COLOURS[item.status]}'>{STATUS_SIGNS[item.status]} "
                           f"{STATUS_WORDS[item.status]}</b>")
            badge.setTextFormat(Qt.TextFormat.RichText)
            badge.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            text = readable(f"<b>{_escape(item.label)}</b><br>{_escape(item.detail)}", rich=True)
            text.setAccessibleName(f"{item.label}: {STATUS_WORDS[item.status]}. {item.detail}")
            self._grid.addWidget(badge, row, 0)
            self._grid.addWidget(text, row, 1)
            self._rows[item.key] = text
        notes = [i for i in self._items if i.note]
        self._notes.setVisible(bool(notes))
        self._notes.setText("\n".join(f"Note — {i.label}: {STATUS_WORDS[i.status].lower()}. {i.detail}"
                                      for i in notes))
        self._notes.setAccessibleName(self._notes.text())

    # ---- read back (tests, screen readers) -------------------------------------------------------
    def items(self) -> list[EligibilityItem]:
        return list(self._items)

    def row_text(self, key: str) -> str:
        """What the row of criterion `key` says, as a screen reader reads it."""
        return self._rows[key].accessibleName()

    def disclaimer_text(self) -> str:
        return self._disclaimer.text()

    def notes_text(self) -> str:
        return self._notes.text()
