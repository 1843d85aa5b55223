"""History | Charts | Outcomes | Eligibility as tabs in the patient view.

Charts and the eligibility checklist are read off the UI thread, and only when their tab is shown (or
shown next): a change broadcast marks them stale instead of reading at once, so start-up does no extra
work. The outcomes come with the status the window already loads (`set_status`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from ..core.focus_order import chain, place
from ..core.runner import Changes, Newest, error_text
from ..core.session import Session
from .tab_order import CHARTS, ELIGIBILITY, HISTORY, OUTCOMES, TAB_NAMES

if TYPE_CHECKING:  # QtCharts, the clinical rules, the storage engine: after the first paint
    from ...services.context import AppContext
    from .charts import ChartsPanel
    from .eligibility_panel import EligibilityPanel
    from .outcomes_panel import OutcomesPanel

__all__ = ["CHARTS", "ELIGIBILITY", "HISTORY", "OUTCOMES", "TAB_NAMES", "InsightTabs"]
ELIGIBILITY_PHASES = (None, "assessment")  # the checklist informs the decision to go ahead, not later


def _load_charts(ctx: AppContext, pid: int):
    from ...services.charts import chart_data

    return chart_data(ctx, pid)


def _load_eligibility(ctx: AppContext, pid: int):
    from ...services.eligibility import eligibility

    return eligibility(ctx, pid)


def _scrolled(widget: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setAccessibleName(name)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class InsightTabs(QTabWidget):
    charts_loaded = Signal()
    eligibility_loaded = Signal()
    eligibility_offered = Signal(bool)  # whether the eligibility tab is there (the menu entry follows it)

    def __init__(self, session: Session, history_box: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("insightTabs")
        self.setAccessibleName("Patient views")
        self.tabBar().setAccessibleName("Patient views: history, charts, outcomes, eligibility")
        self._charts: ChartsPanel | None = None  # made when first needed (QtCharts is a large import)
        self._status = None  # the latest status, for the Outcomes tab
        self._outcomes: OutcomesPanel | None = None  # these two import the clinical rules: made when first needed
        self._eligibility: EligibilityPanel | None = None
        self.charts_state = QLabel("")
        self.charts_state.setAccessibleName("Charts loading state")
        self.charts_state.setWordWrap(True)
        charts_page = QWidget()
        layout = QVBoxLayout(charts_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.charts_state)
        self._charts_layout = layout
        self.eligibility_state = QLabel("")
        self.eligibility_state.setWordWrap(True)
        elig_page = QWidget()
        elig_layout = QVBoxLayout(elig_page)
        elig_layout.addWidget(self.eligibility_state)
        elig_layout.addStretch(1)
        self._elig_layout = elig_layout
        outcomes_page = QWidget()
        out_layout = QVBoxLayout(outcomes_page)
        out_layout.addStretch(1)
        self._out_layout = out_layout
        for page, title, tip in (
                (history_box, "History", "Everything logged, newest first"),
                (charts_page, "Charts", "Blood counts, temperature and EDSS over time"),
                (_scrolled(outcomes_page, "Outcomes"), "Outcomes", "No evidence of disease activity since Day 0"),
                (_scrolled(elig_page, "Eligibility"), "Eligibility", "The informational checklist at assessment")):
            index = self.addTab(page, title)
            self.setTabToolTip(index, tip)
        self._elig_tab = self.widget(ELIGIBILITY)
        # One page shows at a time; the history's stops last, so that what follows the tabs (today's doses,
        # the reminders) can follow its Delete button, whichever page the panels made later join.
        chain(self.tabBar(), self.widget(OUTCOMES), self._elig_tab)
        self._stale = {CHARTS: True, ELIGIBILITY: True}
        self._newest = {CHARTS: Newest(), ELIGIBILITY: Newest()}
        self.currentChanged.connect(lambda _i: self._load_shown())
        session.patient_changed.connect(lambda _pid: self.clear())
        session.bus.changed.connect(self._changed)
        self.set_phase(None)

    @property
    def charts(self) -> ChartsPanel:
        if self._charts is None:
            from ...domain.chart_data import CHART_KINDS
            from .charts import ChartsPanel

            self._charts = ChartsPanel()
            for which in CHART_KINDS:  # smaller than alone: beside the timeline a chart must fit a laptop screen
                self._charts.view(which).setMinimumSize(240, 150)
            self._charts_layout.addWidget(self._charts, 1)
            place(self._charts, self.tabBar())  # made when first shown: in the round where it is shown
        return self._charts

    @property
    def outcomes(self) -> OutcomesPanel:
        if self._outcomes is None:
            from .outcomes_panel import OutcomesPanel

            self._outcomes = OutcomesPanel()
            self._out_layout.insertWidget(0, self._outcomes)
            place(self._outcomes, self.widget(OUTCOMES))
            if self._status is not None:
                self._outcomes.set_status(self._status)
        return self._outcomes

    @property
    def eligibility(self) -> EligibilityPanel:
        if self._eligibility is None:
            from .eligibility_panel import EligibilityPanel

            self._eligibility = EligibilityPanel()
            self._elig_layout.insertWidget(1, self._eligibility)
            place(self._eligibility, self._elig_tab)
        return self._eligibility

    # ---- what to show -------------------------------------------------------------------------
    def set_phase(self, phase: str | None) -> None:
        """The eligibility tab only before the decision (no journey yet, or assessment)."""
        show = phase in ELIGIBILITY_PHASES
        if show == self.offers_eligibility:
            return
        if not show and self.currentIndex() == ELIGIBILITY:
            self.setCurrentIndex(HISTORY)
        # Removed, not only hidden: a hidden tab is still listed to a screen reader. It is the last tab, so the
        # others keep their indexes.
        if show:
            index = self.addTab(self._elig_tab, TAB_NAMES[ELIGIBILITY])
            self.setTabToolTip(index, "The informational checklist at assessment")
        else:
            self.removeTab(ELIGIBILITY)
        self.eligibility_offered.emit(show)

    @property
    def offers_eligibility(self) -> bool:
        return self.count() > ELIGIBILITY

    def show_tab(self, index: int) -> None:
        if 0 <= index < self.count():
            self.setCurrentIndex(index)
            self.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_status(self, status) -> None:
        """Kept for the Outcomes tab, which is made (with the clinical rules' words) when first shown."""
        self._status = status
        if self._outcomes is not None:
            self._outcomes.set_status(status)

    def clear(self) -> None:
        if self._charts is not None:
            self._charts.set_data(None)
        self._status = None
        if self._outcomes is not None:
            self._outcomes.set_outcomes(None, None)
        if self._eligibility is not None:
            self._eligibility.set_items([])
        self._stale = {CHARTS: True, ELIGIBILITY: True}

    # ---- loading ----------------------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if changes.log or changes.journey or changes.patient:
            self.mark_stale()

    def mark_stale(self) -> None:
        """After a change: read again now if the tab is on show, else when it is next shown."""
        self._stale = {CHARTS: True, ELIGIBILITY: True}
        self._load_shown()

    def _load_shown(self) -> None:
        index = self.currentIndex()
        panel = {CHARTS: "charts", OUTCOMES: "outcomes", ELIGIBILITY: "eligibility"}.get(index)
        if panel is not None:
            getattr(self, panel)  # the panel on show is made now, if not yet
        pid = self.session.patient_id
        if pid is None or not self._stale.get(index):
            return
        self._stale[index] = False
        ctx = self.session.ctx
        if index == CHARTS:
            self.charts_state.setText("Loading the charts…")
            self.charts_state.show()
            self.session.query(self, lambda: _load_charts(ctx, pid), self._charts_arrived, newest=self._newest[CHARTS],
                               on_failure=lambda exc: self.charts_state.setText(error_text(exc)))
        elif index == ELIGIBILITY:
            self.eligibility_state.setText("Loading the checklist…")
            self.eligibility_state.show()
            self.session.query(self, lambda: _load_eligibility(ctx, pid), self._eligibility_arrived,
                               newest=self._newest[ELIGIBILITY],
                               on_failure=lambda exc: self.eligibility_state.setText(error_text(exc)))

    def _charts_arrived(self, data) -> None:
        self.charts_state.setText("")
        self.charts_state.hide()
        self.charts.set_data(data)
        self.charts_loaded.emit()

    def _eligibility_arrived(self, items) -> None:
        self.eligibility_state.setText("")
        self.eligibility_state.hide()
        self.eligibility.set_items(items)
        place(self.eligibility, self._elig_tab)  # its rows are made anew for each patient
        self.eligibility_loaded.emit()
