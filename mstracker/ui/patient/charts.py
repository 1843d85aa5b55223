"""Chart views: blood counts and temperature against Day ±N, EDSS over the years.

The views draw plain `ChartData` (services.charts.chart_data) and never read the database; the QChart
itself comes from the same construction as the PDF's images (via services.charts.build_chart), so the
screen and the paper agree. Each view follows the widget font (large-text mode) and the palette
(dark themes), says in words what it shows (accessible description, tooltip) and, with nothing to draw,
says so instead of showing an empty grid.
"""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ...domain.chart_data import CHART_KINDS, CHART_TITLES, LAB_CHART_FIELDS, ChartData, summary
from ...services.charts import build_chart, legend_html

TAB_TITLES: dict[str, str] = {
    "anc": "Neutrophils", "platelets": "Platelets", "hb": "Haemoglobin", "wbc": "White cells", "cd4": "CD4",
    "temperature": "Temperature", "edss": "EDSS",
}


MIN_SIZE = (360, 260)  # at the usual text size, a plot of about 280×150 inside the axes
BASE_LINE = 17  # the line height (pixels) of the usual 9–10 pt text, for which MIN_SIZE was chosen


class _ChartView(QChartView):
    """One chart of `which`; `set_data(None)` or data without values shows the empty text."""

    def __init__(self, which: str, parent: QWidget | None = None) -> None:
        super().__init__(QChart(), parent)
        self._which = which
        self._data: ChartData | None = None
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._fit_to_font()
        # Focusable, so that keyboard and screen-reader users reach the description of the chart.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._empty = QLabel(self.viewport())
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setObjectName("chartEmptyText")
        layout = QVBoxLayout(self.viewport())
        layout.addWidget(self._empty)
        self._legend: QLabel | None = None
        self._refresh()

    def legend_label(self) -> QLabel:
        """A wrapping legend to place under the view (the chart's own legend cuts entries short when narrow).

        Once asked for, the chart's built-in legend is hidden and this label carries the entries.
        """
        if self._legend is None:
            self._legend = QLabel()
            self._legend.setWordWrap(True)
            self._legend.setTextFormat(Qt.TextFormat.RichText)
            self._legend.setAccessibleName(f"{CHART_TITLES[self._which]} chart legend")
            self._refresh()
        return self._legend

    # ---- public --------------------------------------------------------------------------------
    def set_data(self, data: ChartData | None) -> None:
        self._data = data
        self._refresh()

    @property
    def which(self) -> str:
        return self._which

    def is_empty(self) -> bool:
        return self._data is None or self._data.is_empty(self._which)

    def empty_text(self) -> str:
        """The text shown instead of the chart ('' when there is a chart)."""
        return self._empty.text() if self.is_empty() else ""

    # ---- internals -----------------------------------------------------------------------------
    def _dark(self) -> bool:
        return self.palette().window().color().lightness() < 128

    def _refresh(self) -> None:
        title = CHART_TITLES[self._which]
        chart = None
        if self._data is not None:
            chart = build_chart(self._data, self._which, font=self.font(), dark=self._dark())
        if chart is None:
            text = self._data.empty_text(self._which) if self._data is not None else "Nothing to show yet"
            self._empty.setText(text)
            self._empty.setVisible(True)
            chart = QChart()
            chart.setTitle(title)
            chart.setTitleFont(self.font())
            description = f"{title}: {text.lower()}."
        else:
            self._empty.setVisible(False)
            description = summary(self._data, self._which)
        if self._legend is not None:
            text = legend_html(chart)
            chart.legend().setVisible(False)
            self._legend.setText(text)
            self._legend.setVisible(bool(text))
        old = self.chart()
        self.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()  # setChart releases the old chart without deleting it
        self.setAccessibleName(f"{title} chart")
        self.setAccessibleDescription(description)
        self.setToolTip(description)

    def _fit_to_font(self) -> None:
        """The smallest size grows with the text: larger labels and titles must not eat the plot itself."""
        scale = max(1.0, self.fontMetrics().height() / BASE_LINE)
        self.setMinimumSize(int(MIN_SIZE[0] * scale), int(MIN_SIZE[1] * scale))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Large-text mode and a theme switch change the font or palette: redraw with them.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange) and hasattr(self, "_empty"):
            self._fit_to_font()
            self._refresh()


class LabChartView(_ChartView):
    """One blood count (`field`: anc, platelets, hb, wbc, cd4) against Day ±N, its limits and engraftment day."""

    def __init__(self, field: str = "anc", parent: QWidget | None = None) -> None:
        if field not in LAB_CHART_FIELDS:
            raise ValueError(f"unknown lab chart {field!r}; use one of: {', '.join(LAB_CHART_FIELDS)}")
        super().__init__(field, parent)

    def set_field(self, field: str) -> None:
        if field not in LAB_CHART_FIELDS:
            raise ValueError(f"unknown lab chart {field!r}; use one of: {', '.join(LAB_CHART_FIELDS)}")
        self._which = field
        self._refresh()


class TemperatureChartView(_ChartView):
    """Temperatures against Day ±N with the 38.0 and 38.3 °C lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("temperature", parent)


class EdssChartView(_ChartView):
    """EDSS over the years, with relapses and MRI activity marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("edss", parent)


class ChartsPanel(QWidget):
    """All charts behind one row of tabs. `set_data(chart_data)` refreshes every tab."""

    current_changed = Signal(str)  # the chart now shown: one of CHART_KINDS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Charts")
        self._tabs = QTabWidget(self)
        self._tabs.tabBar().setAccessibleName("Charts")
        self._tabs.setAccessibleName("Chart to show")
        self._tabs.setDocumentMode(True)
        self._views: dict[str, _ChartView] = {}
        for which in CHART_KINDS:
            if which == "temperature":
                view: _ChartView = TemperatureChartView()
            elif which == "edss":
                view = EdssChartView()
            else:
                view = LabChartView(which)
            self._views[which] = view
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 4, 0, 0)
            page_layout.addWidget(view, 1)
            page_layout.addWidget(view.legend_label())
            index = self._tabs.addTab(page, TAB_TITLES[which])
            self._tabs.setTabToolTip(index, CHART_TITLES[which])
        self._tabs.currentChanged.connect(lambda i: self.current_changed.emit(CHART_KINDS[i]))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._tabs)

    def set_data(self, data: ChartData | None) -> None:
        for view in self._views.values():
            view.set_data(data)

    def view(self, which: str) -> _ChartView:
        return self._views[which]

    def current(self) -> str:
        return CHART_KINDS[self._tabs.currentIndex()]

    def set_current(self, which: str) -> None:
        self._tabs.setCurrentIndex(CHART_KINDS.index(which))

    def tabs(self) -> QTabWidget:
        return self._tabs
