"""The journey timeline: phases as coloured bands on a date axis, Day 0 and today marked, zoomable."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...domain.journey import Journey
from ...domain.phases import Phase
from ..core.contrast import text_on
from ..core.words import phase_words
from .timeline_data import Band, describe, journey_bands

DAY_ZERO = "#a4262c"
SPANS = (21, 42, 91, 182, 365, 730, 1826, 3652)  # days shown: three weeks … ten years
SPAN_NAMES = {42: "weeks", 182: "months", 1826: "years"}
COLOURS = {
    Phase.ASSESSMENT: "#8fa9c8", Phase.MOBILIZATION: "#6aa9a0", Phase.CELLS_STORED: "#9cc17a",
    Phase.CONDITIONING: "#e0a458", Phase.TRANSPLANT: "#d9776a", Phase.IMMUNE_REBUILD: "#b38fc9",
    Phase.FOLLOW_UP: "#7fa7d9", Phase.COMPLETED: "#8c8c8c", Phase.WITHDRAWN: "#8c8c8c",
}


class Timeline(QWidget):
    span_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Journey timeline")
        self.setToolTip("")
        self.bands: list[Band] = []
        self.today = date.today()
        self.day_zero: date | None = None
        self.day_zero_planned = False
        self.span = 182
        self.start = self.today - timedelta(days=self.span // 3)
        self.high_contrast = False
        self._update_description()

    # ---- data ------------------------------------------------------------------------------------
    def set_journey(self, journey: Journey, today: date, day_zero: date | None = None,
                    day_zero_planned: bool | None = None) -> None:
        first = not self.bands
        self.today = today
        self.bands = journey_bands(journey, today)
        self.day_zero = day_zero if day_zero is not None else journey.day_zero
        self.day_zero_planned = journey.day_zero_is_planned if day_zero_planned is None else day_zero_planned
        if first:
            self.show_today()
        self._update_description()
        self.update()

    def clear(self, today: date) -> None:
        self.bands, self.today, self.day_zero = [], today, None
        self.show_today()
        self._update_description()
        self.update()

    # ---- zoom and scroll ---------------------------------------------------------------------------
    def set_span(self, days: int) -> None:
        """Zoom; where today was in view it stays in view (a third in), else the middle stays where it was."""
        today_in_view = self.start <= self.today <= self.end
        centre = self.start + timedelta(days=self.span / 2)
        self.span = days
        self.start = self.today - timedelta(days=days // 3) if today_in_view else centre - timedelta(days=days / 2)
        self.span_changed.emit(days)
        self._update_description()
        self.update()

    def zoom_in(self) -> None:
        smaller = [s for s in SPANS if s < self.span]
        if smaller:
            self.set_span(smaller[-1])

    def zoom_out(self) -> None:
        larger = [s for s in SPANS if s > self.span]
        if larger:
            self.set_span(larger[0])

    def scroll(self, fraction: float) -> None:
        self.start += timedelta(days=round(self.span * fraction))
        self._update_description()
        self.update()

    def show_today(self) -> None:
        """Today a third in from the left: what is past and what is coming both show."""
        self.start = self.today - timedelta(days=self.span // 3)
        self.update()

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.span)

    # ---- geometry ------------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(600, self._band_height() + 3 * self.fontMetrics().height() + 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _band_height(self) -> int:
        return self.fontMetrics().height() * 2 + 8

    def _x(self, day: date) -> float:
        margin = 8
        width = self.width() - 2 * margin
        return margin + width * (day - self.start).days / self.span

    def band_at(self, x: float) -> Band | None:
        for band in reversed(self.bands):  # planned bands drawn last, found first
            left, right = self._x(band.start), self._x(band.end)
            if right - left < 4:
                left, right = left - 3, left + 3
            if left <= x <= right:
                return band
        return None

    # ---- painting ----------------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        top = line + 6
        height = self._band_height()
        text_colour = self.palette().windowText().color()
        painter.fillRect(self.rect(), self.palette().base())
        for band in self.bands:
            self._paint_band(painter, band, top, height, metrics)
        self._paint_axis(painter, top + height + 4, metrics, text_colour)
        taken = self._marker(painter, self.today, "Today", text_colour, top, height, Qt.PenStyle.SolidLine)
        if self.day_zero is not None:
            self._marker(painter, self.day_zero, "Day 0 (planned)" if self.day_zero_planned else "Day 0",
                         QColor(DAY_ZERO), top, height, Qt.PenStyle.DashLine if self.day_zero_planned
                         else Qt.PenStyle.SolidLine, avoid=taken)
        if self.hasFocus():
            pen = QPen(self.palette().highlight().color(), 2)
            painter.setPen(pen)
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_band(self, painter: QPainter, band: Band, top: int, height: int, metrics: QFontMetrics) -> None:
        left, right = self._x(band.start), self._x(band.end)
        if band.ongoing:
            right = max(right, self.width() + 2)  # still going on: to the edge, with no border that ends it
        if right < 0 or left > self.width():
            return
        colour = QColor(COLOURS[band.phase])
        fill, text_colour, _large = self.band_colours(band.phase, band.planned)
        rect = QRectF(left, top, max(right - left, 3), height)
        if band.planned:
            painter.setPen(QPen(QColor("#000000") if self.high_contrast else colour.darker(130), 2,
                                Qt.PenStyle.DashLine))
            painter.setBrush(QColor(fill))
            painter.drawRect(rect)
            if not self.high_contrast:  # the hatching marks "planned"; in high contrast the dashed border does
                painter.setBrush(QBrush(colour.lighter(125), Qt.BrushStyle.BDiagPattern))
        else:
            painter.setPen(QPen(QColor("#000000"), 2) if self.high_contrast else QPen(colour.darker(140), 1))
            painter.setBrush(QColor(fill))
        painter.drawRect(rect)
        label = phase_words(band.phase) + (" (planned)" if band.planned else "")
        visible = rect.intersected(QRectF(0, top, self.width(), height)).adjusted(4, 0, -4, 0)
        if visible.width() > metrics.horizontalAdvance("…") + 8:
            font = QFont(self.font())
            font.setBold(not band.planned)
            # Elided with the font it is drawn in: bold is wider, and would be cut off instead of ending in "…".
            text = QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideRight, int(visible.width()))
            painter.setPen(QColor(text_colour))
            painter.setFont(font)
            painter.drawText(visible, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            painter.setFont(self.font())

    def band_colours(self, phase: Phase, planned: bool) -> tuple[str, str, bool]:
        """(fill, text, whether the text counts as large) for a band: the text colour that reads best on the
        fill, at least 4.5:1 in both styles (tests/ui/test_contrast.py measures every pair)."""
        if planned:
            fill = self.palette().base().color().name()  # the hatching is thin lines; the text sits on the base
            return fill, self.palette().text().color().name(), False
        fill = COLOURS[phase]
        return fill, "#000000" if self.high_contrast else text_on(fill), False

    def colour_pairs(self) -> list[tuple[str, str, bool]]:
        """Every (text, background, large) pair this widget paints, in its current style."""
        base = self.palette().base().color().name()
        pairs = [(text, fill, large) for phase in COLOURS for planned in (False, True)
                 for fill, text, large in [self.band_colours(phase, planned)]]
        return pairs + [(self.palette().windowText().color().name(), base, False), (DAY_ZERO, base, False)]

    def _paint_axis(self, painter: QPainter, y: int, metrics: QFontMetrics, colour: QColor) -> None:
        painter.setPen(QPen(colour, 1))
        painter.drawLine(QPointF(0, y), QPointF(self.width(), y))
        previous_right = -1e9
        for tick, text in self._ticks():
            x = self._x(tick)
            painter.drawLine(QPointF(x, y), QPointF(x, y + 4))
            width = metrics.horizontalAdvance(text)
            left = x - width / 2
            if left > previous_right + 6 and left >= 0 and left + width <= self.width():
                painter.drawText(QPointF(left, y + 4 + metrics.ascent()), text)
                previous_right = left + width

    def _ticks(self) -> list[tuple[date, str]]:
        ticks: list[tuple[date, str]] = []
        if self.span <= 91:
            step = 7 if self.span > 21 else 3
            day = self.start
            while day <= self.end:
                ticks.append((day, f"{day:%d %b}"))
                day += timedelta(days=step)
        elif self.span <= 730:
            every = 1 if self.span <= 365 else 3
            month = date(self.start.year, self.start.month, 1)
            while month <= self.end:
                if month >= self.start and (month.month - 1) % every == 0:
                    ticks.append((month, f"{month:%b %Y}" if month.month == 1 or not ticks else f"{month:%b}"))
                month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        else:
            every = 1 if self.span <= 1826 else 2
            for year in range(self.start.year, self.end.year + 1):
                day = date(year, 1, 1)
                if day >= self.start and year % every == 0:
                    ticks.append((day, str(year)))
        return ticks

    def _marker(self, painter: QPainter, day: date, text: str, colour: QColor, top: int, height: int,
                style: Qt.PenStyle, avoid: QRectF | None = None) -> QRectF | None:
        """A vertical line with its label above the bands; the label steps aside from `avoid`."""
        x = self._x(day)
        if not (0 <= x <= self.width()):
            return None
        painter.setPen(QPen(colour, 2, style))
        painter.drawLine(QPointF(x, top - 2), QPointF(x, top + height + 4))
        metrics = QFontMetrics(self.font())
        width = metrics.horizontalAdvance(text)
        left = min(max(x - width / 2, 0), self.width() - width)
        label = QRectF(left, 0, width, metrics.height())
        if avoid is not None and label.adjusted(-6, 0, 6, 0).intersects(avoid):
            left = avoid.right() + 8 if x >= avoid.center().x() else avoid.left() - 8 - width
            left = min(max(left, 0), self.width() - width)
            label = QRectF(left, 0, width, metrics.height())
        painter.drawText(QPointF(left, metrics.ascent() + 1), text)
        return label

    # ---- interaction ------------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            band = self.band_at(event.position().x() if hasattr(event, "position") else event.pos().x())
            if band is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.band_text(band), self)
            return True
        return super().event(event)

    def band_text(self, band: Band) -> str:
        what = phase_words(band.phase)
        if band.planned:
            return f"{what[:1].upper()}{what[1:]}: planned from {band.start:%a %d %b %Y}"
        if band.end <= band.start:
            return f"{what[:1].upper()}{what[1:]} on {band.start:%a %d %b %Y}"
        if band.ongoing or band.start <= self.today < band.end:
            # The phase going on: its bar reaches on to the next planned phase, but only today's days count.
            days = (self.today - band.start).days + 1
            return f"{what[:1].upper()}{what[1:]}: since {band.start:%a %d %b %Y}, {days} day{'s' if days != 1 else ''} so far"
        days = (band.end - band.start).days
        return f"{what[:1].upper()}{what[1:]}: from {band.start:%a %d %b %Y}, {days} day{'s' if days != 1 else ''}"

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_Left:
            self.scroll(-0.25)
        elif key == Qt.Key.Key_Right:
            self.scroll(0.25)
        elif key == Qt.Key.Key_Home:
            self.show_today()
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            (self.zoom_in if steps > 0 else self.zoom_out)()
        else:
            self.scroll(-0.1 * steps)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.update()

    def _update_description(self) -> None:
        self.setAccessibleDescription(
            describe(self.bands, self.day_zero, self.day_zero_planned)
            + f". Showing {self.start:%d %b %Y} to {self.end:%d %b %Y}. Plus and minus zoom; arrows scroll; Home shows today."
        )
