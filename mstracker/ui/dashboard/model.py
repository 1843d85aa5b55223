"""All patients as a Qt table model for the coordinators' dashboard, and the proxy that sorts and filters it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.phases import ORDER, PLAIN_WORDS, Phase
from ...services.dashboard import FLAG_WORDS
from ...services.patient_list import PatientSummary
from ..core.row_model import RowTableModel

COLUMNS = ("Name", "Phase", "Day", "Next due", "Overdue", "Missed doses", "Alerts")
NAME, PHASE, DAY, NEXT, OVERDUE, MISSED, ALERTS = range(len(COLUMNS))
SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
PhaseRole = Qt.ItemDataRole.UserRole + 3
NOT_STARTED = "not started"
_PHASE_RANK = {p.value: i for i, p in enumerate((*ORDER, Phase.WITHDRAWN))}
_RED = QColor("#b3261e")

Index = QModelIndex | QPersistentModelIndex


def phase_words(phase: str | None) -> str:
    return PLAIN_WORDS[Phase(phase)] if phase else NOT_STARTED


@dataclass(frozen=True)
class DashboardRow:
    patient: PatientSummary
    flags: tuple[str, ...] = ()
    coming: tuple[str, ...] = ()  # "blood test: Full blood count … (month 2)", each reminder still to do soon
    missed_doses: int = 0  # medicine doses missed in the last 24 hours

    @property
    def alerts_text(self) -> str:
        return ", ".join(FLAG_WORDS.get(f, f) for f in self.flags)


def next_due_text(p: PatientSummary) -> str:
    if not p.next_due:
        return ""
    due = datetime.strptime(p.next_due, "%Y-%m-%dT%H:%M")
    return f"{due:%a %-d %b %Y} · {p.next_title or ''}".rstrip(" ·")


class DashboardModel(RowTableModel):
    columns = COLUMNS

    def set_rows(self, rows: list[DashboardRow]) -> None:
        self.replace_rows(rows)

    def row_at(self, row: int) -> DashboardRow:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        p, column = row.patient, index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == SortRole:
            return self._sort_key(row, column)
        if role == IdRole:
            return p.id
        if role == PhaseRole:
            return p.phase or ""
        if role == Qt.ItemDataRole.FontRole and column == DAY and p.day_zero_planned:
            font = QFont()
            font.setItalic(True)  # a planned Day 0 is not yet a fact
            return font
        if role == Qt.ItemDataRole.ForegroundRole and ((column == OVERDUE and p.overdue) or
                                                       (column == MISSED and row.missed_doses) or
                                                       (column == ALERTS and row.flags)):
            return QBrush(_RED)
        if role == Qt.ItemDataRole.ToolTipRole and column == NEXT and row.coming:
            return "Still to do in the coming weeks:\n" + "\n".join(row.coming)
        if role == Qt.ItemDataRole.ToolTipRole and column == DAY and p.day_zero_planned:
            return "Day 0 is planned, not yet happened"
        if role == Qt.ItemDataRole.ToolTipRole and column == MISSED:
            return "Medicine doses missed in the last 24 hours"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (DAY, OVERDUE, MISSED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: DashboardRow, column: int) -> str:
        p = row.patient
        if column == NAME:
            return p.name
        if column == PHASE:
            return phase_words(p.phase)
        if column == DAY:
            return p.day_text
        if column == NEXT:
            return next_due_text(p)
        if column == OVERDUE:
            return str(p.overdue) if p.overdue else ""
        if column == MISSED:
            return str(row.missed_doses) if row.missed_doses else ""
        return row.alerts_text

    def _sort_key(self, row: DashboardRow, column: int):
        """Comparable values of one type per column; rows with no value sort first (ascending)."""
        p = row.patient
        if column == NAME:
            return p.name.casefold()
        if column == PHASE:
            return _PHASE_RANK.get(p.phase or "", -1)
        if column == DAY:
            return p.day if p.day is not None else -10**9
        if column == NEXT:
            return p.next_due or "9999"
        if column == OVERDUE:
            return p.overdue
        if column == MISSED:
            return row.missed_doses
        return len(row.flags) * 100_000 + p.overdue  # red flags first, then the most overdue


class DashboardFilter(QSortFilterProxyModel):
    """Rows whose name, reminders still to do in the coming weeks or alerts hold the text (any case), in the
    chosen phase."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._phase: str | None = None  # None: every phase; "" : not started
        self.setSortRole(SortRole)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_phase(self, phase: str | None) -> None:
        self.beginFilterChange()
        self._phase = phase
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, DashboardModel)
        row = model.row_at(source_row)
        if self._phase is not None and (row.patient.phase or "") != self._phase:
            return False
        if not self._text:
            return True
        haystack = "\n".join((row.patient.name, row.patient.next_title or "", row.alerts_text, *row.coming)).casefold()
        return self._text in haystack
