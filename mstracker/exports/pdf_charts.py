"""The charts as QCharts (for the app's chart views) and as PNG images (for the PDF export).

One construction for both, so that the printed chart and the one on screen agree. The PDF writer is the one
place outside the ui allowed QtGui/QtCharts (an import-linter contract); QtCharts needs a QApplication (not just a QGuiApplication), so
`render_chart_png` creates one, offscreen when there is no display, if the process has none.
"""

from __future__ import annotations

import html
import os
from datetime import date, datetime, time

from PySide6.QtCharts import QChart, QDateTimeAxis, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QTextDocument
from PySide6.QtWidgets import QApplication, QGraphicsScene

from ..domain.chart_data import (
    BEFORE_DAY_ZERO,
    CHART_KINDS,
    CHART_TITLES,
    CHART_UNITS,
    GAP_DAYS,
    THRESHOLDS,
    ChartData,
    count_window,
    runs,
    value_range,
)
from ..domain.dates import day_label

# Colours chosen for contrast on white and to stay apart for common colour-vision deficiencies
# (blue data, orange/red limits, green engraftment, grey Day 0); dashes tell them apart without colour too.
DATA = QColor("#1f5fa8")
LIMIT = QColor("#c25a00")
SEVERE = QColor("#b00020")
ENGRAFT = QColor("#1b7a3a")
DAY_ZERO = QColor("#555555")
MRI_ACTIVE = QColor("#c25a00")
MRI_QUIET = QColor("#7a7a7a")

_app: QApplication | None = None  # kept alive for the process when created here


def _msecs(moment: datetime | date) -> float:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(12, 0))
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.timestamp() * 1000.0


def _pen(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color)
    pen.setWidthF(width)
    pen.setStyle(style)
    return pen


def _line(name: str, points: list[tuple[float, float]], pen: QPen) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    for x, y in points:
        series.append(x, y)
    series.setPen(pen)
    return series


def _nice_day_interval(span: float) -> float:
    for step in (1, 2, 7, 14, 28, 50, 100, 200, 365, 730):
        if span / step <= 12:
            return float(step)
    return 1000.0


def _style_axis(axis, font: QFont, dark: bool) -> None:
    axis.setLabelsFont(font)
    title = QFont(font)
    title.setBold(True)
    axis.setTitleFont(title)
    if dark:
        axis.setLabelsColor(QColor("#e8e8e8"))
        axis.setTitleBrush(QBrush(QColor("#e8e8e8")))


def _new_chart(title: str, font: QFont, dark: bool) -> QChart:
    chart = QChart()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    title_font = QFont(font)
    title_font.setBold(True)
    title_font.setPointSizeF(font.pointSizeF() * 1.25 if font.pointSizeF() > 0 else 12)
    chart.setTitleFont(title_font)
    chart.setTitle(title)
    chart.legend().setFont(font)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setShowToolTips(True)  # a legend entry cut short by a narrow view shows in full on hover
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _attach(chart: QChart, series, x_axis, y_axis) -> None:
    chart.addSeries(series)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)


def _value_lines(name: str, points: list[tuple[float, float]], color: QColor, gap: float) -> list[QLineSeries]:
    """One line per run of readings: none drawn across a gap of weeks without data (as if values were known)."""
    xs = [x for x, _y in points]
    return [_line(name, points[start:end], _pen(color, 2.5)) for start, end in runs(xs, gap)]


def _dots(points: list[tuple[float, float]], color: QColor) -> QScatterSeries:
    dots = QScatterSeries()
    dots.setMarkerSize(8)
    dots.setColor(color)
    dots.setBorderColor(color)
    for x, y in points:
        dots.append(x, y)
    return dots


def _value_series(name: str, points: list[tuple[float, float]], color: QColor) -> tuple[QLineSeries, QScatterSeries]:
    return _line(name, points, _pen(color, 2.5)), _dots(points, color)


def _counts_chart(data: ChartData, which: str, font: QFont, dark: bool) -> QChart:
    """A count or the temperature against Day ±N (or the date, before Day 0 is known), with its limits."""
    points = data.points(which)
    by_day = data.day_zero is not None
    if by_day:
        xs = [data.day_number(p.at) or 0.0 for p in points]
    else:
        xs = [_msecs(p.at) for p in points]
    values = [(x, p.value) for x, p in zip(xs, points)]
    marks = data.engraftment_marks(which)
    transfusions = list(data.platelet_transfusions) if which == "platelets" else []

    x_candidates = list(xs)
    if by_day:
        today = data.day_number(data.as_of) if data.as_of is not None else None
        lo, hi = count_window(xs, today)
        extra = [0.0] + [data.day_number(d) or 0.0 for d, _l in marks]
        extra += [data.day_number(d) or 0.0 for d in transfusions]
        lo, hi = min([lo] + [x for x in extra if x >= -BEFORE_DAY_ZERO]), max([hi] + extra)
        lo, hi = lo - 1, hi + 1
    else:
        x_candidates += [_msecs(d) for d in transfusions]
        day = 86_400_000.0
        lo, hi = min(x_candidates) - day, max(x_candidates) + day

    limits = THRESHOLDS[which]
    shown = [v for x, v in values if lo <= x <= hi]  # the axis fits the values in view, not older ones
    if which == "temperature":
        ys = shown + [t.value for t in limits]
        y_lo, y_hi = min(35.5, min(ys) - 0.3), max(39.5, max(ys) + 0.3)
    else:
        y_lo, y_hi = value_range(shown, limits)

    unit = CHART_UNITS[which]
    chart = _new_chart(f"{CHART_TITLES[which]} ({unit})", font, dark)
    if by_day:
        x_axis = QValueAxis()
        x_axis.setRange(lo, hi)
        x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        x_axis.setTickAnchor(0.0)
        x_axis.setTickInterval(_nice_day_interval(hi - lo))
        x_axis.setLabelFormat("%d")
        planned = " planned" if data.day_zero_is_planned else ""
        # Short, so that it fits a narrow view in large text: "Day (Day 0: 2027-03-08)".
        x_axis.setTitleText(f"Day (Day 0{planned}: {data.day_zero.isoformat()})")
    else:
        x_axis = _date_axis(lo, hi, "d MMM yyyy", "Date (Day 0 not yet known)")
    y_axis = QValueAxis()
    y_axis.setRange(y_lo, y_hi)
    if which == "temperature":
        y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        y_axis.setTickAnchor(36.0)
        y_axis.setTickInterval(0.5)
    else:
        y_axis.applyNiceNumbers()
        y_lo, y_hi = y_axis.min(), y_axis.max()  # vertical marks span the rounded range
    y_axis.setLabelFormat("%.1f" if which in ("anc", "hb", "wbc", "temperature") else "%d")
    y_axis.setTitleText(unit)
    for axis in (x_axis, y_axis):
        _style_axis(axis, font, dark)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

    data_color = QColor("#6fa8ff") if dark else DATA
    # The title names the data line; the legend keeps its room for the limits and marks, so it is not cut.
    legend_hidden = []
    for line in _value_lines(CHART_TITLES[which], values, data_color, GAP_DAYS if by_day else GAP_DAYS * 86_400_000.0):
        _attach(chart, line, x_axis, y_axis)
        legend_hidden.append(line)
    dots = _dots(values, data_color)
    _attach(chart, dots, x_axis, y_axis)
    legend_hidden.append(dots)

    for limit in limits:
        pen = _pen(SEVERE if limit.severe else LIMIT, 2.0, Qt.PenStyle.DashLine if limit.severe
                   else Qt.PenStyle.DotLine)
        _attach(chart, _line(limit.label, [(lo, limit.value), (hi, limit.value)], pen), x_axis, y_axis)
    if by_day:
        zero = "Day 0 (planned)" if data.day_zero_is_planned else "Day 0"
        zero_line = _line(zero, [(0.0, y_lo), (0.0, y_hi)], _pen(DAY_ZERO, 1.5, Qt.PenStyle.DashDotLine))
        _attach(chart, zero_line, x_axis, y_axis)
        legend_hidden.append(zero_line)  # the x axis already says where Day 0 is
    for day, label in marks:
        x = data.day_number(day) if by_day else _msecs(day)
        number = data.day_number(day)
        name = f"{label} ({day_label(int(number))})" if number is not None else f"{label} ({day.isoformat()})"
        _attach(chart, _line(name, [(x, y_lo), (x, y_hi)], _pen(ENGRAFT, 3.0)), x_axis, y_axis)
    if transfusions:
        marker = QScatterSeries()
        marker.setName("Platelet transfusion")
        marker.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeTriangle)
        marker.setMarkerSize(12)
        marker.setColor(SEVERE)
        for d in transfusions:
            marker.append(QPointF(data.day_number(d) if by_day else _msecs(d), y_lo + (y_hi - y_lo) * 0.03))
        _attach(chart, marker, x_axis, y_axis)
    _hide_marker_legend(chart, legend_hidden)
    return chart


def _edss_chart(data: ChartData, font: QFont, dark: bool) -> QChart:
    """EDSS over the years, with relapses and MRIs as vertical lines at their dates."""
    values = [(_msecs(p.at), p.value) for p in data.edss]
    xs = [x for x, _v in values] + [_msecs(d) for d in data.relapses + data.active_mris + data.quiet_mris]
    if data.day_zero:
        xs.append(_msecs(data.day_zero))
    month = 30 * 86_400_000.0
    lo, hi = min(xs) - month, max(xs) + month
    chart = _new_chart("EDSS score over the years", font, dark)
    x_axis = _date_axis(lo, hi, "MMM yyyy", "Date")
    y_axis = QValueAxis()
    y_axis.setRange(0, 10)
    # Labels every 2 with a line at each whole step: 11 labels do not fit a small (printed) chart.
    y_axis.setTickCount(6)
    y_axis.setMinorTickCount(1)
    y_axis.setLabelFormat("%d")
    y_axis.setTitleText("EDSS (0–10)")
    for axis in (x_axis, y_axis):
        _style_axis(axis, font, dark)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

    line, dots = _value_series("EDSS score", values, QColor("#6fa8ff") if dark else DATA)
    _attach(chart, line, x_axis, y_axis)
    _attach(chart, dots, x_axis, y_axis)
    if data.day_zero:
        x = _msecs(data.day_zero)
        zero = "Day 0 (planned)" if data.day_zero_is_planned else "Day 0 (transplant)"
        _attach(chart, _line(zero, [(x, 0), (x, 10)], _pen(DAY_ZERO, 1.5, Qt.PenStyle.DashDotLine)), x_axis, y_axis)

    def events(name: str, days: tuple[date, ...], pen: QPen) -> None:
        """Events in time, not scores: a vertical line across the whole scale for each, so that no marker sits
        at a height that reads as an EDSS of 9.6."""
        for i, d in enumerate(days):
            line = _line(name, [(_msecs(d), 0.0), (_msecs(d), 10.0)], pen)
            _attach(chart, line, x_axis, y_axis)
            if i:
                hidden.append(line)  # one legend entry per kind

    hidden = [dots]
    events("Relapse", data.relapses, _pen(SEVERE, 2.5))
    events("MRI with new or enhancing lesions", data.active_mris, _pen(MRI_ACTIVE, 2.0, Qt.PenStyle.DashLine))
    events("MRI without new activity", data.quiet_mris, _pen(MRI_QUIET, 1.5, Qt.PenStyle.DotLine))
    _hide_marker_legend(chart, hidden)
    return chart


def _hide_marker_legend(chart: QChart, series_list) -> None:
    """The dots repeat their line: one legend entry is enough."""
    for series in series_list:
        # Marked on the series too: a marker's own visibility reads False until the chart is first shown.
        series.setProperty("hidden_from_legend", True)
        for marker in chart.legend().markers(series):
            marker.setVisible(False)


def legend_entries(chart: QChart) -> list[tuple[str, str, str]]:
    """(name, colour, sign) of each series the legend shows; the sign mimics the line style or marker."""
    entries = []
    for series in chart.series():
        if not series.name() or series.property("hidden_from_legend"):
            continue
        if isinstance(series, QScatterSeries):
            sign = {QScatterSeries.MarkerShape.MarkerShapeTriangle: "▲",
                    QScatterSeries.MarkerShape.MarkerShapeRectangle: "■"}.get(series.markerShape(), "●")
            colour = series.color().name()
        else:
            pen = series.pen()
            sign = {Qt.PenStyle.DashLine: "╍╍╍", Qt.PenStyle.DotLine: "┈┈┈",
                    Qt.PenStyle.DashDotLine: "╌·╌"}.get(pen.style(), "━━━")
            colour = pen.color().name()
        entries.append((series.name(), colour, sign))
    return entries


def legend_html(chart: QChart) -> str:
    """The legend as wrapping rich text, for a QLabel or a QTextDocument (QLegend cuts entries short instead)."""
    return "&nbsp;&nbsp; ".join(f"<span style='color:{colour}'>{sign}</span>&nbsp;{html.escape(name).replace(' ', '&nbsp;')}"
                                for name, colour, sign in legend_entries(chart))


def _date_axis(lo: float, hi: float, form: str, title: str) -> QDateTimeAxis:
    """A time axis from `lo` to `hi` (milliseconds since the epoch) with six labels."""
    axis = QDateTimeAxis()
    axis.setRange(_qdt(lo), _qdt(hi))
    axis.setFormat(form)
    axis.setTickCount(6)
    axis.setTitleText(title)
    return axis


def _qdt(msecs: float):
    from PySide6.QtCore import QDateTime

    return QDateTime.fromMSecsSinceEpoch(int(msecs))


def default_font() -> QFont:
    app = QApplication.instance()
    font = QFont(app.font()) if app is not None else QFont()
    if font.pointSizeF() <= 0:
        font.setPointSizeF(10)
    return font


def build_chart(data: ChartData, which: str, *, font: QFont | None = None, dark: bool = False) -> QChart | None:
    """The QChart for `which` (CHART_KINDS), or None when there is nothing to draw (see ChartData.empty_text)."""
    if which not in CHART_KINDS:
        raise ValueError(f"unknown chart {which!r}; use one of: {', '.join(CHART_KINDS)}")
    if data.is_empty(which):
        return None
    font = QFont(font) if font is not None else default_font()
    if which == "edss":
        return _edss_chart(data, font, dark)
    return _counts_chart(data, which, font, dark)


def ensure_application() -> QApplication:
    """The process's QApplication, created (offscreen when there is no display) if there is none."""
    global _app
    app = QApplication.instance()
    if app is None:
        if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY")
                                                          or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        _app = QApplication(["mstracker-charts"])
        app = _app
    if not isinstance(app, QApplication):
        raise RuntimeError("QtCharts needs a QApplication; this process created a QGuiApplication")
    return app


def render_chart_png(data: ChartData, which: str, width: int, height: int, *, point_size: float = 10.0,
                     pixel_ratio: float = 1.0) -> bytes:
    """`which` chart as a width×height PNG on white; an empty chart shows its title and why it is empty.

    The chart is laid out for width/pixel_ratio × height/pixel_ratio logical pixels, so a pixel_ratio of 2–3
    gives a print-sharp image of a chart that looks like the one on screen. The legend is drawn below the
    chart as wrapping text, so no entry is cut short.
    """
    if width < 50 or height < 50 or pixel_ratio <= 0:
        raise ValueError("a chart image needs at least 50×50 pixels and a positive pixel ratio")
    ensure_application()
    logical_w, logical_h = width / pixel_ratio, height / pixel_ratio
    font = QFont("DejaVu Sans")
    font.setPointSizeF(point_size)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(pixel_ratio)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    chart = build_chart(data, which, font=font)
    scene = None
    try:
        if chart is None:
            title = QFont(font)
            title.setBold(True)
            title.setPointSizeF(point_size * 1.25)
            painter.setFont(title)
            painter.setPen(QColor("black"))
            painter.drawText(QRectF(0, 8, logical_w, logical_h / 3), Qt.AlignmentFlag.AlignHCenter,
                             CHART_TITLES[which])
            painter.setFont(font)
            painter.setPen(QColor("#444444"))
            painter.drawText(QRectF(0, 0, logical_w, logical_h), Qt.AlignmentFlag.AlignCenter,
                             data.empty_text(which))
        else:
            legend = QTextDocument()
            legend.setDefaultFont(font)
            legend.setDocumentMargin(0)
            legend.setHtml(legend_html(chart))
            legend.setTextWidth(logical_w - 16)
            legend_h = legend.size().height() + 8 if legend.toPlainText().strip() else 0.0
            chart.legend().setVisible(False)
            area = QRectF(0, 0, logical_w, max(40.0, logical_h - legend_h))
            scene = QGraphicsScene()
            scene.addItem(chart)
            chart.setGeometry(area)
            scene.setSceneRect(area)
            scene.render(painter, area, area)
            if legend_h:
                painter.translate(8, area.height())
                legend.drawContents(painter)
    finally:
        painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    png = bytes(QByteArray(buffer.data()))
    if scene is not None:
        scene.removeItem(chart)
        chart.deleteLater()
    return png
