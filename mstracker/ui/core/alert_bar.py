"""The alert bar: urgent alerts impossible to miss, warnings calmer, information quiet, and compact.

Urgent alerts come first, on a strong red with white text (contrast above 7:1), with an icon and the
word "Urgent", so colour is never the only sign; their message already says what to do ("Call your
transplant team now ..."). The most urgent alert shows in full, and so does every other urgent one; the
rest take one line each (cut with "…", the whole text in the tooltip and the accessible name) until
"Show all in full" opens them: four warnings in hospital must not push the timeline and the reminders
off the screen. Dates read as everywhere else in the app, not as ISO. The bar is hidden while there is
nothing to show. Each alert is a tab stop whose accessible name is its whole message. `urgent_raised`
fires once for each urgent alert that was not on show before, so the main window can raise a tray
notification (or an in-window notice when there is no tray).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStyle, QVBoxLayout, QWidget

from ...domain.clinical.alerts import LEVEL_RANK, Alert
from .day_words import local_dates
from .focus_order import chain

LEVEL_WORDS = {"urgent": "Urgent", "warning": "Warning", "info": "For your information"}
OBJECT_NAMES = {"urgent": "alertUrgent", "warning": "alertWarning", "info": "alertInfo"}

STYLE = """
QFrame#alertUrgent { background: #b00020; border: 2px solid #7a0016; border-radius: 6px; }
QFrame#alertUrgent QLabel { color: #ffffff; font-weight: bold; }
QFrame#alertUrgent:focus { border: 3px solid #ffd400; }
QFrame#alertWarning { background: #fff3cd; border: 1px solid #b25e00; border-left: 6px solid #b25e00;
                      border-radius: 4px; }
QFrame#alertWarning QLabel { color: #2b1d00; }
QFrame#alertWarning:focus { border: 3px solid #1f5fa8; border-left: 6px solid #b25e00; }
QFrame#alertInfo { border: 1px solid palette(mid); border-left: 6px solid #1f5fa8; border-radius: 4px; }
QFrame#alertInfo:focus { border: 3px solid #1f5fa8; }
"""


def _key(alert: Alert) -> tuple[str, str]:
    return (alert.code, alert.message)


class OneLine(QLabel):
    """Plain text on one line, cut with "…" to the width it is given (never clipped mid-letter)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setToolTip(text)
        self.setText(text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, max(self.width(), 0)))


class AlertRow(QFrame):
    """One alert: icon, level word and message, in full or on one line. Focusable; its accessible name is the
    full text either way."""

    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = alert
        self.setObjectName(OBJECT_NAMES[alert.level])
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        word = LEVEL_WORDS[alert.level]
        message = local_dates(alert.message)
        self.setAccessibleName(f"{word}: {message}")
        self.setAccessibleDescription(f"{word} alert ({alert.code})")
        self.icon = QLabel(self)
        side = int(self.fontMetrics().height() * (2.0 if alert.level == "urgent" else 1.4))
        if alert.level == "urgent":
            self.icon.setPixmap(_urgent_icon(side, self.devicePixelRatioF()))
        else:
            icon_kind = {"warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
                         "info": QStyle.StandardPixmap.SP_MessageBoxInformation}[alert.level]
            self.icon.setPixmap(self.style().standardIcon(icon_kind).pixmap(QSize(side, side)))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.icon.setAccessibleName(word)
        self.text = QLabel(f"<b>{word}:</b> {_escape(message)}", self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.line = OneLine(f"{word}: {message}", self)
        if alert.level == "urgent":
            font = self.text.font()
            font.setPointSizeF(font.pointSizeF() * 1.15)
            self.text.setFont(font)
        self._side = side
        self._layout = layout = QHBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.line, 1)
        self.compact = True
        self.set_compact(False)

    def set_compact(self, compact: bool) -> None:
        """One line (a smaller icon, less padding) or the whole message wrapped."""
        if compact == self.compact:
            return
        self.compact = compact
        self.text.setVisible(not compact)
        self.line.setVisible(compact)
        pad = 3 if compact else (10 if self.alert.level == "urgent" else 6)
        self._layout.setContentsMargins(pad + 3 if compact else pad, pad, pad, pad)
        self.icon.setFixedHeight(self.fontMetrics().height() if compact else self._side)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignVCenter if compact else Qt.AlignmentFlag.AlignTop)


def _urgent_icon(side: int, ratio: float) -> QPixmap:
    """A white disc with a red "!": the desktop's red "critical" icon would vanish on the red bar."""
    pixmap = QPixmap(int(side * ratio), int(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ffffff"))
    painter.drawEllipse(QRectF(1, 1, side - 2, side - 2))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(side * 0.7))
    painter.setFont(font)
    painter.setPen(QColor("#b00020"))
    painter.drawText(QRectF(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    return pixmap


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class AlertBar(QWidget):
    """`set_alerts(alerts)` shows them, urgent first; hidden when there are none."""

    urgent_raised = Signal(object)  # an Alert (level "urgent") that was not on show before

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBar")
        self.setStyleSheet(STYLE)
        self.setAccessibleName("Alerts")
        self._alerts: list[Alert] = []
        self._rows: list[AlertRow] = []
        self._shown_urgent: set[tuple[str, str]] = set()
        self._expanded = False
        self.tab_after: QWidget | None = None  # what Tab reaches the alerts from (the owner says)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(4)
        self._more = QPushButton(self)
        self._more.setFlat(True)
        self._more.clicked.connect(self._toggle)
        self._layout.addWidget(self._more, 0, Qt.AlignmentFlag.AlignLeft)  # a link-like button, not a bar
        self.setVisible(False)

    # ---- public --------------------------------------------------------------------------------
    def set_alerts(self, alerts: Iterable[Alert]) -> None:
        ordered = sorted(alerts, key=lambda a: LEVEL_RANK.get(a.level, 9))  # stable: keeps the rules' order
        self._alerts = ordered
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()  # deleteLater waits for the event loop; do not show it until then
            row.deleteLater()
        self._rows = [AlertRow(a, self) for a in ordered]
        for i, row in enumerate(self._rows):
            self._layout.insertWidget(i, row)
        chain(self.tab_after, *self._rows, self._more)  # rows made now would come last in the round
        self._apply_collapse()
        counts = {level: sum(1 for a in ordered if a.level == level) for level in LEVEL_WORDS}
        self.setAccessibleDescription(
            f"{counts['urgent']} urgent, {counts['warning']} warning(s), {counts['info']} for information")
        self.setVisible(bool(ordered))
        urgent_now = [a for a in ordered if a.level == "urgent"]
        new = [a for a in urgent_now if _key(a) not in self._shown_urgent]
        self._shown_urgent = {_key(a) for a in urgent_now}
        for alert in new:
            self.urgent_raised.emit(alert)

    @property
    def last_stop(self) -> QPushButton:
        """The bar's last Tab stop (after its rows), always there: what follows the bar can follow it."""
        return self._more

    def alerts(self) -> list[Alert]:
        """The alerts in the order shown (urgent first)."""
        return list(self._alerts)

    def rows(self) -> list[AlertRow]:
        return list(self._rows)

    def has_urgent(self) -> bool:
        return any(a.level == "urgent" for a in self._alerts)

    # ---- the calmer alerts on one line each ----------------------------------------------------------
    def _apply_collapse(self) -> None:
        """The first (most urgent) alert and every urgent one in full; the others one line each, unless opened."""
        for i, row in enumerate(self._rows):
            row.set_compact(not self._expanded and i > 0 and row.alert.level != "urgent")
        shortened = sum(1 for i, r in enumerate(self._rows) if i > 0 and r.alert.level != "urgent")
        self._more.setVisible(shortened > 0)
        if shortened > 0:
            # No mnemonic: Alt+F and Alt+L belong to the menus.
            self._more.setText("Show less" if self._expanded else f"Show all {len(self._rows)} alerts in full")
            self._more.setAccessibleName(self._more.text())

    def _toggle(self) -> None:
        self._expanded = not self._expanded
        self._apply_collapse()
