"""The reminders panel: overdue, today and upcoming, with done, snooze and skip."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.reminder_times import DueState, SnoozeSpan, due_state
from ..core.row_model import RowTableModel
from ..core.tables import row_table
from ..core.words import REMINDER_KIND_WORDS, due_words

if TYPE_CHECKING:  # the services import the storage engine: not before the first paint
    from ...services.replay import Reminder

# Counted from the later of now and the reminder's own time (a future one moves on from its own date).
SNOOZE_CHOICES = (("For 1 hour", SnoozeSpan.HOUR.value), ("To the next morning, 09:00", SnoozeSpan.MORNING.value),
                  ("For 1 week", SnoozeSpan.WEEK.value))
UPCOMING_DAYS = 30
UPCOMING_AT_LEAST = 10
COLUMNS = ("When", "What")
Index = QModelIndex | QPersistentModelIndex


def group_of(reminder: Reminder, now: datetime) -> str:
    """Overdue and due by the one rule (domain/reminder_times.py) the banner, alerts and dashboard use."""
    state = due_state(reminder.status, reminder.effective_due, now)
    if state is DueState.OVERDUE:
        return "overdue"
    if state is DueState.DUE:
        return "due"
    return "today" if reminder.effective_due.date() == now.date() else "upcoming"


def open_reminders(reminders: list[Reminder], now: datetime) -> list[tuple[str, Reminder]]:
    """What the panel lists: every open overdue and today item, then the next weeks (at least 10 items)."""
    items = [r for r in reminders if r.status in ("pending", "snoozed")]
    items.sort(key=lambda r: (r.effective_due, r.kind, r.title))
    result: list[tuple[str, Reminder]] = []
    upcoming = 0
    horizon = now.replace(tzinfo=None) + timedelta(days=UPCOMING_DAYS)
    for reminder in items:
        group = group_of(reminder, now)
        if group == "upcoming":
            if reminder.effective_due > horizon and upcoming >= UPCOMING_AT_LEAST:
                break
            upcoming += 1
        result.append((group, reminder))
    return result


GROUP_WORDS = {"overdue": "Overdue", "due": "Due now", "today": "Today", "upcoming": "Coming up"}
PREFIXES = {"overdue": "Overdue: ", "due": "Due now: "}


def short_due(due: datetime, today) -> str:
    """'today 09:00', 'tomorrow 09:00', '08 May 09:00' (the year only when it is not this year)."""
    delta = (due.date() - today).days
    if -1 <= delta <= 1:
        return due_words(due, today)
    return f"{due:%a %d %b %H:%M}" if due.year == today.year else f"{due:%d %b %Y %H:%M}"


class RemindersModel(RowTableModel):
    columns = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._today = datetime.now().date()

    def set_reminders(self, reminders: list[Reminder], now: datetime) -> None:
        self._today = now.date()
        self.replace_rows(open_reminders(reminders, now))

    def reminder(self, row: int) -> Reminder:
        return self._rows[row][1]

    def group(self, row: int) -> str:
        return self._rows[row][0]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        group, reminder = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                when = short_due(reminder.effective_due, self._today)
                prefix = PREFIXES.get(group, "")
                return f"{prefix}{when}" + (" (snoozed)" if reminder.status == "snoozed" else "")
            return reminder.title
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = REMINDER_KIND_WORDS.get(reminder.kind, reminder.kind)
            return f"{reminder.title} ({kind}) — {GROUP_WORDS[group].lower()}, {due_words(reminder.effective_due, self._today)}"
        if role == Qt.ItemDataRole.FontRole and group != "upcoming" and column < 2:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and group == "overdue" and column == 0:
            return QBrush(QColor("#a4262c"))
        return None


class RemindersPanel(QWidget):
    done_requested = Signal(object)
    snooze_requested = Signal(object, str)  # reminder, a SnoozeSpan value: the service counts it
    skip_requested = Signal(object)

    def __init__(self, readonly: bool, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RemindersModel(self)
        self._now = now  # the context's clock, aware local: what is overdue
        title = QLabel("Reminders")
        title.setObjectName("sectionTitle")
        self.table = row_table(self.model, "Reminders", object_name="remindersTable",
                               description="Overdue, today and coming up. Select one to mark it done, snooze or "
                               "skip it.")
        # A short list: titles wrap rather than being cut off.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel("")
        self.empty.setObjectName("remindersEmpty")
        self.empty.setWordWrap(True)

        self.done = QPushButton("D&one")
        self.done.setAccessibleName("Mark the reminder done")
        self.done.setAccessibleDescription("Marks the selected reminder done now")
        self.snooze = QPushButton("S&nooze")
        self.snooze.setAccessibleName("Snooze the reminder")
        self.snooze.setAccessibleDescription("Reminds you again later: in an hour, tomorrow morning or in a week")
        self.snooze_menu = QMenu(self.snooze)
        for text, key in SNOOZE_CHOICES:
            action = self.snooze_menu.addAction(text)
            action.setData(key)
            action.triggered.connect(lambda _=False, k=key: self.snooze_selected(k))
        self.snooze.setMenu(self.snooze_menu)
        self.skip = QPushButton("S&kip")
        self.skip.setAccessibleName("Skip the reminder")
        self.skip.setAccessibleDescription("Marks the selected reminder as not needed")
        self.done.clicked.connect(lambda: self._emit(self.done_requested))
        self.skip.clicked.connect(lambda: self._emit(self.skip_requested))
        buttons = QHBoxLayout()
        for button in (self.done, self.snooze, self.skip):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.buttons = QWidget()
        self.buttons.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.setVisible(not readonly)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self._enable()

    def set_reminders(self, reminders: list[Reminder], now: datetime) -> None:
        selected = self.current()
        self.model.set_reminders(reminders, now)
        self.empty.setText("" if self.model.rowCount() else "Nothing is planned in the coming weeks.")
        self.empty.setVisible(self.model.rowCount() == 0)
        for row in range(self.model.rowCount()):
            if selected is not None and self.model.reminder(row).id == selected.id:
                self.table.selectRow(row)
                break
        else:
            if self.model.rowCount():
                self.table.selectRow(0)
        self._enable()

    def current(self) -> Reminder | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.reminder(rows[0].row()) if rows else None

    def select_id(self, reminder_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.reminder(row).id == reminder_id:
                self.table.selectRow(row)
                return True
        return False

    def snooze_selected(self, key: str) -> None:
        reminder = self.current()
        if reminder is not None:
            self.snooze_requested.emit(reminder, SnoozeSpan(key).value)

    def _emit(self, signal) -> None:
        reminder = self.current()
        if reminder is not None:
            signal.emit(reminder)

    def _enable(self) -> None:
        has = self.current() is not None
        for button in (self.done, self.snooze, self.skip):
            button.setEnabled(has)
