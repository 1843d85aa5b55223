"""The caregiver's upcoming schedule for one patient: alerts on top, the agenda (overdue, today, this
week, the next four weeks), and a month calendar whose days holding something are marked. Read-only:
it offers no action that writes; Print (Ctrl+P) gives the agenda on paper.

Embed: `AgendaView(ctx, patient_id=None)`; `set_patient(pid)`, `refresh()`; signals `loaded()` after
the agenda is shown and `month_loaded()` after the calendar's month is marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.clinical.alerts import Alert
from ...services import reminder_reads as reminder_service
from ...services import status as status_service
from ...services.replay import Reminder
from ..core.alert_bar import AlertBar
from ..core.calendar_names import name_calendar
from ..core.runner import Changes, Newest, error_text
from ..core.session import Session
from ..core.tables import row_table
from .model import AgendaModel
from .printing import agenda_html
from .rows import AgendaRow, build_rows, days_with_items, horizon

_MARK_OPEN = QColor("#0b57d0")
_MARK_DONE = QColor("#1e6b3a")  # green, not grey: grey is how the calendar shows the days of other months
_SHOWN_LEVELS = ("urgent", "warning")


@dataclass(frozen=True)
class AgendaData:
    name: str
    now: datetime
    alerts: list[Alert]
    reminders: list[Reminder]


@dataclass(frozen=True)
class MonthData:
    year: int
    month: int
    reminders: list[Reminder]


def load_agenda(ctx, patient_id: int) -> AgendaData:
    now = ctx.now()
    st = status_service.status(ctx, patient_id, now.replace(tzinfo=None))
    # No start: an overdue reminder may be old, or snoozed from long ago into the window.
    items = reminder_service.schedule(ctx, patient_id, None, horizon(now.date()))
    # Overdue reminders are in the "Not done yet" section below; their alerts would say the same thing twice.
    alerts = [a for a in st.alerts if a.level in _SHOWN_LEVELS and a.code != "overdue"]
    return AgendaData(st.patient["name"], now, alerts, items)


def load_month(ctx, patient_id: int, year: int, month: int) -> MonthData:
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    # A week either side: the calendar shows the neighbouring months' days too.
    items = reminder_service.schedule(ctx, patient_id, first - timedelta(days=7), last + timedelta(days=14))
    return MonthData(year, month, items)


def _table(model: AgendaModel, name: str) -> QTableView:
    view = row_table(model, name)
    view.setShowGrid(False)
    # Titles are long ("Inactivated vaccines (…), dose 1 of 3"): wrap them rather than cut them.
    view.setWordWrap(True)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    view.setStyleSheet("QTableView::item { padding: 4px 6px; }")
    return view


class AgendaView(QWidget):
    loaded = Signal()
    month_loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.ctx = session, session.ctx
        self.patient_id = session.patient_id
        self.data: AgendaData | None = None
        self.month: MonthData | None = None
        self.rows: list[AgendaRow] = []
        self._marked: list[QDate] = []
        self._printer = None  # kept for the preview dialog, which does not own it
        self._print_doc: QTextDocument | None = None
        self._build()
        self._newest, self._newest_month = Newest(), Newest()
        session.patient_changed.connect(self.set_patient)
        session.bus.changed.connect(self._changed)
        self.refresh()

    # ---- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.state = QLabel()
        self.state.setAccessibleName("Loading state")
        self.alerts = AlertBar()
        self.print_button = QPushButton("Pr&int…")
        self.print_button.setToolTip("Print this schedule (Ctrl+P)")
        self.print_button.clicked.connect(self.print_preview)
        self.alerts.tab_after = self.print_button  # the alerts sit below the top row that ends with Print
        self.print_action = QAction("Print schedule…", self)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.print_action.triggered.connect(self.print_preview)
        self.addAction(self.print_action)

        top = self.top = QHBoxLayout()  # the main window adds its patient picker here
        top.addWidget(self.title, 1)
        top.addWidget(self.state)
        top.addWidget(self.print_button)

        self.model = AgendaModel(self)
        self.table = _table(self.model, "Upcoming schedule")

        self.calendar = name_calendar(QCalendarWidget(), "Month calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        today = self.ctx.today()  # the context's clock, not Qt's
        self.calendar.setSelectedDate(QDate(today.year, today.month, today.day))
        self.calendar.currentPageChanged.connect(lambda _y, _m: self._load_month())
        self.calendar.selectionChanged.connect(self._show_day)
        legend = QLabel("<span style='color:#0b57d0'><b>Bold blue</b></span>: something to do that day · "
                        "<span style='color:#1e6b3a'><b>bold green</b></span>: all done")
        legend.setWordWrap(True)
        self.day_title = QLabel()
        self.day_title.setWordWrap(True)
        self.day_model = AgendaModel(self)
        self.day_table = _table(self.day_model, "Selected day")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.calendar)
        right_layout.addWidget(legend)
        right_layout.addWidget(self.day_title)
        right_layout.addWidget(self.day_table, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.alerts)
        layout.addWidget(split, 1)

    # ---- loading ----------------------------------------------------------------------------
    def set_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        self.refresh()

    def refresh(self) -> None:
        """Reload from the services (after a change, a patient switch, or a new day)."""
        if self.patient_id is None:
            self.data, self.rows = None, []
            self.title.setText("Choose a patient to see their schedule")
            self.model.set_rows([], self.ctx.now())
            self.state.setText("")
            return
        self.state.setText("Loading…")
        ctx, pid = self.ctx, self.patient_id
        self.session.query(self, lambda: load_agenda(ctx, pid), self._show,
                           on_failure=self._failed, newest=self._newest)
        self._load_month()

    def _load_month(self) -> None:
        if self.patient_id is None:
            return
        ctx, pid = self.ctx, self.patient_id
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        self.session.query(self, lambda: load_month(ctx, pid, year, month), self._show_month,
                           on_failure=self._failed, newest=self._newest_month)

    def _changed(self, changes: Changes) -> None:
        if changes.reminders or changes.journey or changes.patient:
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.state.setText(error_text(exc))

    def _show(self, data: AgendaData) -> None:
        self.data = data
        self.rows = build_rows(data.reminders, data.now)
        self.title.setText(f"Schedule — {data.name}")
        self.state.setText("")
        self.alerts.set_alerts(data.alerts)
        self.model.set_rows(self.rows, data.now)
        self.table.clearSpans()
        for i, row in enumerate(self.rows):
            if row.reminder is None:
                self.table.setSpan(i, 0, 1, self.model.columnCount())
        self._show_day()
        self.loaded.emit()

    def _show_month(self, month: MonthData) -> None:
        self.month = month
        plain = QTextCharFormat()
        for day in self._marked:
            self.calendar.setDateTextFormat(day, plain)
        self._marked = []
        for day, open_ in days_with_items(month.reminders).items():
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setForeground(QBrush(_MARK_OPEN if open_ else _MARK_DONE))
            fmt.setBackground(QBrush(QColor("#dbe7fb" if open_ else "#e6f4ea")))
            qday = QDate(day.year, day.month, day.day)
            self.calendar.setDateTextFormat(qday, fmt)
            self._marked.append(qday)
        self._show_day()
        self.month_loaded.emit()

    # ---- the selected day ---------------------------------------------------------------------
    def marked_days(self) -> list[date]:
        return sorted(date(d.year(), d.month(), d.day()) for d in self._marked)

    def day_items(self, day: date) -> list[Reminder]:
        source = self.month.reminders if self.month else []
        return sorted((r for r in source if r.effective_due.date() == day and r.status != "skipped"),
                      key=lambda r: (r.effective_due, r.kind, r.title))

    def _show_day(self) -> None:
        q = self.calendar.selectedDate()
        day = date(q.year(), q.month(), q.day())
        items = self.day_items(day)
        now = self.data.now if self.data else self.ctx.now()
        self.day_title.setText(f"<b>{day:%A %-d %B %Y}</b>" + ("" if items else " — nothing planned"))
        self.day_model.set_rows([AgendaRow(None, r.title, r) for r in items], now)

    # ---- printing -----------------------------------------------------------------------------
    def html(self) -> str:
        if self.data is None:
            return "<p>No patient chosen.</p>"
        return agenda_html(self.data.name, self.rows, self.data.now, self.data.alerts)

    def document(self) -> QTextDocument:
        doc = QTextDocument(self)
        doc.setHtml(self.html())
        return doc

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        # The dialog only points at the printer and paints the document later: both must outlive this call.
        if self._printer is None:
            self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._print_doc = self.document()
        dialog = QPrintPreviewDialog(self._printer, self)
        dialog.setWindowTitle("Print schedule")
        dialog.paintRequested.connect(self._print_doc.print_)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
