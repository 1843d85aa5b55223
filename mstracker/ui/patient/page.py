"""The patient's page: the due banner, the journey timeline, the history with the other tabs, and the reminders.

It follows the session itself: a new patient clears it and reads everything; a change on the bus reads again
only what that change concerns (the status always: alerts and the header depend on every kind of change).
Every read goes through the session's runner, off the UI thread, and only the newest of each kind counts.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ...domain.entries import LogEntry
from ...domain.phases import Phase
from ...domain.reminder_times import SnoozeSpan
from ...services import history, reminder_reads
from ...services.replay import journey_of, require_patient
from ..core.runner import Changes, Newest, error_text
from ..core.session import Session
from .banner import DueBanner
from .history_model import PAGE
from .history_view import HistoryView
from .insight import InsightTabs
from .reminders_panel import RemindersPanel
from .timeline import Timeline

ZOOMS = ((42, "&Weeks", "the hospital stay"), (182, "&Months", "half a year"), (1826, "&Years", "the follow-up years"))
PARTS = ("status", "history", "schedule")


def span_for(phase: str | None) -> int:
    """The first zoom that fits where the patient is: weeks in hospital, months at home, years later on."""
    if phase in (Phase.CONDITIONING, Phase.TRANSPLANT):
        return 42
    if phase in (Phase.FOLLOW_UP, Phase.COMPLETED):
        return 1826
    return 182


class PatientPage(QWidget):
    status_arrived = Signal(object)  # the full status, or None where only the journey could be read
    loaded = Signal()  # every read asked for has arrived (or failed)
    load_failed = Signal(str)  # a read failed, as said in the page's notice
    entry_selected = Signal(bool)  # whether a history entry is selected (Correct, Delete)
    done_requested = Signal(object)  # a reminder
    snooze_requested = Signal(object, str)  # a reminder, a SnoozeSpan value
    skip_requested = Signal(object)

    def __init__(self, session: Session, span: int | None = None, parent: QWidget | None = None) -> None:
        """`span`: the timeline's zoom as the user last left it; None: chosen by the patient's phase."""
        super().__init__(parent)
        self.session, self.ctx = session, session.ctx
        self.readonly = session.readonly
        self.status = None
        self._span_remembered = span is not None
        self._fresh = True  # a patient just opened: the timeline goes to today once the journey arrives
        self._newest = {part: Newest() for part in PARTS}
        self._build()
        if span is not None:
            self.timeline.set_span(span)
        session.patient_changed.connect(self._patient_changed)
        session.bus.changed.connect(self._changed)

    # ---- building ---------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = DueBanner(self.readonly, now=self.ctx.now)
        self.banner.done_requested.connect(self.done_requested)
        self.banner.snooze_requested.connect(lambda r: self.snooze_requested.emit(r, SnoozeSpan.HOUR.value))
        self.banner.show_requested.connect(lambda r: self.reminders.select_id(r.id))
        self.notice = QLabel("")
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Notice")
        self.notice.hide()

        self.timeline = Timeline()
        zoom = QHBoxLayout()
        title = QLabel("Your journey")
        title.setObjectName("sectionTitle")
        zoom.addWidget(title)
        zoom.addStretch(1)
        self.zoom_buttons: dict[int, QPushButton] = {}
        for days, text, tip in ZOOMS:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAccessibleName(f"Show {text.replace('&', '').lower()}")
            button.setAccessibleDescription(f"Zoom the timeline to {tip}")
            button.clicked.connect(lambda _=False, d=days: self.timeline.set_span(d))
            zoom.addWidget(button)
            self.zoom_buttons[days] = button
        today = self.today_button = QPushButton("To&day")
        today.setAccessibleName("Show today on the timeline")
        today.clicked.connect(self.timeline.show_today)
        zoom.addWidget(today)
        self.timeline.span_changed.connect(self._span_changed)
        self._span_changed(self.timeline.span)

        self.history = HistoryView()
        self.history.selection_changed.connect(lambda: self.entry_selected.emit(self.history.current_entry() is not None))
        self.reminders = RemindersPanel(self.readonly, self.ctx.now)
        self.reminders.done_requested.connect(self.done_requested)
        self.reminders.snooze_requested.connect(self.snooze_requested)
        self.reminders.skip_requested.connect(self.skip_requested)
        entry_buttons = QHBoxLayout()
        self.correct_button = QPushButton("&Correct…")
        self.correct_button.setAccessibleName("Correct the selected entry")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected entry")
        self.delete_button.setAccessibleDescription("Marks it entered in error; it stays in the audit trail")
        for button in (self.correct_button, self.delete_button):
            button.setVisible(not self.readonly)
            button.setEnabled(False)  # until an entry is selected
            entry_buttons.addWidget(button)
        self.entry_selected.connect(self.correct_button.setEnabled)
        self.entry_selected.connect(self.delete_button.setEnabled)
        entry_buttons.addStretch(1)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.history, 1)
        history_layout.addLayout(entry_buttons)
        self.insight = InsightTabs(self.session, history_box)
        self.history.title.hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.insight)
        self.splitter.addWidget(self.reminders)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addLayout(zoom)
        layout.addWidget(self.timeline)
        layout.addWidget(self.splitter, 1)

    def _span_changed(self, days: int) -> None:
        for span, button in self.zoom_buttons.items():
            button.setChecked(span == days)

    # ---- following the session ----------------------------------------------------------------------------
    def _patient_changed(self, patient_id: int | None) -> None:
        for newest in self._newest.values():
            newest.forget()
        self.status = None
        self._fresh = True
        today = self.ctx.today()
        self.timeline.clear(today)
        self.history.set_entries([])
        self.reminders.set_reminders([], self._now())
        self.banner.set_due([])
        self.show_notice(None)
        if patient_id is None:
            self.loaded.emit()
            return
        self._read(Changes.everything())

    def _changed(self, changes: Changes) -> None:
        if self.session.patient_id is not None:
            self._read(changes)

    def reload(self) -> None:
        """View ▸ Refresh: read everything again."""
        self._changed(Changes.everything())

    def _read(self, changes: Changes) -> None:
        ctx, pid = self.ctx, self.session.patient_id
        self._start("status", lambda: _status_or_journey(ctx, pid), self._status_arrived)
        if changes.log:
            self._start("history", lambda: _first_history_page(ctx, pid), self._history_arrived)
        if changes.reminders or changes.journey:
            self._start("schedule", lambda: reminder_reads.schedule(ctx, pid), self._schedule_arrived)

    def _start(self, part: str, fn, deliver) -> None:
        def arrived(value) -> None:
            deliver(value)
            self._settled()

        def failed(exc: BaseException) -> None:
            message = f"Could not read the {part}: {error_text(exc)}"
            self.load_failed.emit(message)
            self.show_notice(message)
            self._settled()

        self.session.query(self, fn, arrived, on_failure=failed, newest=self._newest[part])

    def _settled(self) -> None:
        if not self.loading:
            self.loaded.emit()

    @property
    def loading(self) -> bool:
        return any(newest.pending for newest in self._newest.values())

    # ---- what arrives ---------------------------------------------------------------------------------------
    def _status_arrived(self, result) -> None:
        kind, value, problem = result
        today = self.ctx.today()
        if kind == "status":
            self.status = value
            journey = value.full_journey
            self.insight.set_status(value)
            self.timeline.set_journey(journey, today, value.day_zero, value.day_zero_is_planned)
        else:  # the clinical rules could not run: show the journey, and say that alerts are missing
            self.status = None
            journey = value
            self.timeline.set_journey(journey, today)
        self.insight.set_phase(journey.phase)
        if self._fresh:
            self._fresh = False
            if not self._span_remembered:
                self.timeline.set_span(span_for(journey.phase))
            self.timeline.show_today()
        self.show_notice(problem)
        self.status_arrived.emit(self.status)

    def _history_arrived(self, first) -> None:
        entries, total = first
        ctx, pid = self.ctx, self.session.patient_id

        def more(after: LogEntry, count: int, deliver) -> None:
            def failed(exc: BaseException) -> None:
                error_text(exc)  # logged; the history keeps what it shows, Refresh reads again
                deliver([])

            self.session.query(self, lambda: history.history_page(ctx, pid, limit=count,
                                                                  before=history.page_key(after)),
                               deliver, on_failure=failed)

        self.history.set_entries(entries, total, more)

    def _schedule_arrived(self, items) -> None:
        self.reminders.set_reminders(items, self._now())

    def _now(self) -> datetime:
        return self.ctx.now()  # aware: overdue counts real hours across a DST change

    def show_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setAccessibleDescription(text or "")
        self.notice.setVisible(bool(text))

    # ---- remembered between runs ------------------------------------------------------------------------
    def restore_state(self, splitter, insight_tab: int | None, default_width: int) -> None:
        if splitter is None or not self.splitter.restoreState(splitter):
            # History three fifths, reminders two: titles there stay readable in the larger-text mode too.
            width = max(default_width - 40, 600)
            self.splitter.setSizes([width * 3 // 5, width * 2 // 5])
        if insight_tab is not None:
            self.insight.setCurrentIndex(insight_tab)


def _first_history_page(ctx, pid):
    """The newest screenful of the history and how many entries it holds: never the whole log at once."""
    return history.history_page(ctx, pid, limit=PAGE), history.history_count(ctx, pid)


def _status_or_journey(ctx, pid):
    """The full status; while the clinical rules are unavailable, the journey alone and why."""
    try:
        from ...services import status as status_service  # the clinical rules: optional in a trimmed install

        return ("status", status_service.status(ctx, pid), None)
    except ImportError as exc:
        return ("journey", _journey(ctx, pid),
                f"Alerts are not available in this version ({exc}); your entries are safe.")


def _journey(ctx, pid):
    with ctx.reads() as reads:
        require_patient(reads, pid)
        return journey_of(reads, pid)
