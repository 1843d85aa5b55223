"""A plain list of a patient's alerts, urgent first (a stand-in until a shared alert bar exists)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ..domain.clinical.alerts import LEVEL_RANK, Alert

_STYLE = {
    "urgent": "background:#fdecea; color:#8c1d18; border:1px solid #b3261e;",
    "warning": "background:#fff4e5; color:#6b3e00; border:1px solid #c77700;",
    "info": "background:#e8f0fe; color:#174ea6; border:1px solid #4f6fad;",
}
_WORD = {"urgent": "Urgent", "warning": "Warning", "info": "Note"}


class AlertList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._labels: list[QLabel] = []
        self.setAccessibleName("Alerts")

    def set_alerts(self, alerts: list[Alert]) -> None:
        for label in self._labels:
            label.deleteLater()
        self._labels = []
        for alert in sorted(alerts, key=lambda a: LEVEL_RANK.get(a.level, 9)):
            label = QLabel(f"<b>{_WORD.get(alert.level, alert.level)}:</b> {alert.message}")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setStyleSheet(_STYLE.get(alert.level, "") + "padding:6px; border-radius:4px;")
            label.setAccessibleName(f"{_WORD.get(alert.level, alert.level)} alert: {alert.message}")
            self._layout.addWidget(label)
            self._labels.append(label)
        self.setVisible(bool(alerts))

    def texts(self) -> list[str]:
        return [label.text() for label in self._labels]
