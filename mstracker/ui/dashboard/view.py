"""The coordinators' dashboard: every patient at once (phase, Day, next due, overdue, alerts), sortable,
filterable by text and phase, loaded off the UI thread from the projection.

Embed: `DashboardView(ctx)`; `refresh()` reloads; signals `patient_opened(int)` (Enter, or the Open
button, on the selected patient) and `loaded(int)` (the number of patients) once the data is shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.phases import ORDER, PLAIN_WORDS, Phase
from ...services import dashboard as dashboard_service
from ...services import patient_list
from ..core.runner import Changes, Newest, error_text
from ..core.session import Session
from ..core.tables import row_table
from ..core.words import REMINDER_KIND_WORDS, counted
from .model import (
    ALERTS,
    DAY,
    MISSED,
    NAME,
    NEXT,
    NOT_STARTED,
    OVERDUE,
    PHASE,
    DashboardFilter,
    DashboardModel,
    DashboardRow,
    IdRole,
)

if TYPE_CHECKING:
    from ...services.context import AppContext
    from ...services.quick_context import QuickContext

# Column widths in characters ("n" widths) of the table's font: the longest phase, "conditioning (chemotherapy)",
# and a planned Day, "Day −20 (planned)", whole; the alerts take the rest.
# "Next due" takes what is left (it shrinks first): the alerts and the missed doses stay in view.
COLUMN_CHARS = {NAME: 28, PHASE: 28, DAY: 17, NEXT: 40, OVERDUE: 9, MISSED: 13, ALERTS: 22}


@dataclass(frozen=True)
class DashboardData:
    rows: list[DashboardRow]
    seconds: float  # how long the read took, for the status line and the benchmark


def load_dashboard(ctx: AppContext | QuickContext) -> DashboardData:
    """Every patient's row, through `ctx.reads()` alone: this module loads no storage engine (a coordinator's
    window can show the dashboard before the full open)."""
    started = time.perf_counter()
    patients = patient_list.list_patients(ctx)
    flags = dashboard_service.alert_flags(ctx)
    missed = dashboard_service.missed_doses(ctx)
    coming = dashboard_service.coming_reminders(ctx)
    rows = [DashboardRow(p, tuple(flags.get(p.id, ())),
                         coming=tuple(f"{REMINDER_KIND_WORDS.get(kind, kind)}: {title}"
                                      for kind, title in coming.get(p.id, ())),
                         missed_doses=missed.get(p.id, 0))
            for p in patients]
    return DashboardData(rows, time.perf_counter() - started)


class DashboardView(QWidget):
    patient_opened = Signal(int)
    loaded = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.ctx = session, session.ctx
        self.data: DashboardData | None = None
        self._changed_unseen = False
        self._build()
        self._newest = Newest()
        session.bus.changed.connect(self._changed)
        self.refresh()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a patient, a reminder or an alert…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter patients")
        self.search.textChanged.connect(lambda text: self.proxy.set_text(text))
        find = QAction("Find", self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.search.setFocus())
        self.addAction(find)

        self.phase = QComboBox()
        self.phase.setAccessibleName("Phase")
        self.phase.addItem("All phases", None)
        for p in (*ORDER, Phase.WITHDRAWN):
            self.phase.addItem(PLAIN_WORDS[p].capitalize(), p.value)
        self.phase.addItem(NOT_STARTED.capitalize(), "")
        self.phase.currentIndexChanged.connect(lambda _i: self.proxy.set_phase(self.phase.currentData()))
        phase_label = QLabel("Ph&ase:")
        phase_label.setBuddy(self.phase)

        self.open_button = QPushButton("&Open patient")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_current)
        self.refresh_button = QPushButton("Refre&sh")
        self.refresh_button.clicked.connect(self.refresh)

        self.model = DashboardModel(self)
        self.proxy = DashboardFilter(self)
        self.proxy.setSourceModel(self.model)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.layoutChanged):
            signal.connect(self._count_text)
        self.table = row_table(self.proxy, "Patients")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ALERTS, Qt.SortOrder.DescendingOrder)  # who needs attention first
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NEXT, QHeaderView.ResizeMode.Stretch)
        self._fit_columns()
        self.table.activated.connect(self._open_index)  # Enter (and a double-click) on a row
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.open_button.setEnabled(cur.isValid()))

        self.state = QLabel("Loading patients…")
        self.state.setAccessibleName("Loading state")

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(phase_label)
        bar.addWidget(self.phase)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state)

    # ---- loading ----------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._newest.pending

    def refresh(self) -> None:
        """Read again, unless a read is already on its way (the window shows the dashboard just after building
        it: a second read would bring the same rows at twice the work and memory). A change always reads again."""
        if not self.loading or self._changed_unseen:
            self._read()

    def _read(self) -> None:
        self._changed_unseen = False
        self.state.setText("Loading patients…")
        self.refresh_button.setEnabled(False)
        ctx = self.ctx
        self.session.query(self, lambda: load_dashboard(ctx), self._show,
                           on_failure=lambda exc: self._failed(error_text(exc)), newest=self._newest)

    def _changed(self, _changes: Changes) -> None:
        """Any change may move a patient's row (phase, alerts, what is due): read again while on show; a hidden
        dashboard reads when it is shown again."""
        if self.isVisible():
            self._read()
        else:
            self._changed_unseen = True  # a read on its way may predate the change

    def _show(self, data: DashboardData) -> None:
        selected = self.current_patient()
        self.data = data
        self.model.set_rows(data.rows)
        self.refresh_button.setEnabled(True)
        self._count_text()
        if selected is not None:
            self.select_patient(selected)
        self.loaded.emit(len(data.rows))

    def _failed(self, message: str) -> None:
        self.refresh_button.setEnabled(True)
        self.state.setText(message)

    def _fit_columns(self) -> None:
        """Widths in characters of the table's font, so that "conditioning (chemotherapy)" and "Day −20 (planned)"
        are not cut when the text is larger."""
        char = self.table.fontMetrics().horizontalAdvance("n")
        for column, chars in COLUMN_CHARS.items():
            self.table.setColumnWidth(column, char * chars + 16)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):
            self._fit_columns()

    def _count_text(self, *_args) -> None:
        if self.data is None or self.loading:
            return
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        text = counted(total, "patient") if shown == total else f"{shown} of {counted(total, 'patient')} shown"
        self.state.setText(text)

    # ---- opening ----------------------------------------------------------------------------
    def current_patient(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def select_patient(self, patient_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(IdRole) == patient_id:
                self.table.setCurrentIndex(index)
                return True
        return False

    def open_current(self) -> None:
        pid = self.current_patient()
        if pid is not None:
            self.patient_opened.emit(pid)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.patient_opened.emit(index.data(IdRole))
