"""The agenda's rows as a Qt table model: When · What · Status, with section headings (the kind is in the tooltip)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..core.row_model import RowTableModel
from ..core.words import REMINDER_KIND_WORDS
from .rows import AgendaRow, Section, status_text, when_text

COLUMNS = ("When", "What", "Status")
ReminderRole = Qt.ItemDataRole.UserRole + 1
HeadingRole = Qt.ItemDataRole.UserRole + 2

_OVERDUE = QColor("#b3261e")
_HEADING_BG = QColor("#e8eef6")
_QUIET = QColor("#5f6368")

Index = QModelIndex | QPersistentModelIndex


class AgendaModel(RowTableModel):
    columns = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._now = datetime.now()

    def set_rows(self, rows: list[AgendaRow], now: datetime) -> None:
        self._now = now
        self.replace_rows(rows)

    def row_at(self, row: int) -> AgendaRow:
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        row = self._rows[index.row()]
        if row.reminder is None:
            return Qt.ItemFlag.ItemIsEnabled  # headings are read, not selected
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ReminderRole:
            return row.reminder
        if role == HeadingRole:
            return row.is_heading
        if row.reminder is None:
            return self._heading_data(row, index.column(), role)
        return self._item_data(row, index.column(), role)

    def _heading_data(self, row: AgendaRow, column: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text if column == 0 else None
        if role == Qt.ItemDataRole.FontRole and row.is_heading:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.is_heading:
            return QBrush(_HEADING_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.section is Section.OVERDUE and row.is_heading:
                return QBrush(_OVERDUE)
            if row.placeholder:
                return QBrush(_QUIET)
        return None

    def _item_data(self, row: AgendaRow, column: int, role: int):
        r = row.reminder
        assert r is not None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (when_text(r, self._now.date()), r.title, status_text(r, self._now))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.title} ({REMINDER_KIND_WORDS.get(r.kind, r.kind)}) — {r.effective_due:%A %-d %B %Y, %H:%M}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if status_text(r, self._now) in ("overdue", "not done yet"):
                return QBrush(_OVERDUE)
            if r.status == "done":
                return QBrush(_QUIET)
        return None
