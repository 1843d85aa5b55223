"""The history as a Qt model: every logged entry, newest first, read and handed to the view a page at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ...domain.entries import LogEntry
from ..core.words import KIND_WORDS, describe_entry, moment_words

PAGE = 200
COLUMNS = ("When", "What", "Details")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
MorePages = Callable[[LogEntry, int], list[LogEntry]]  # (the last entry read, how many) -> the next ones
log = logging.getLogger(__name__)


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[LogEntry] = []  # read so far
        self._shown = 0  # rows handed to the view so far (fetchMore adds a page)
        self._total = 0
        self._more: MorePages | None = None

    def set_entries(self, entries: list[LogEntry], total: int | None = None, more: MorePages | None = None) -> None:
        """The newest entries; with `more`, the first page of `total`, the next read when the view asks."""
        self.beginResetModel()
        self._entries = list(entries)
        self._total = len(self._entries) if total is None else total
        self._more = more if more is not None and len(self._entries) < self._total else None
        self._shown = min(PAGE, len(self._entries))
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    # ---- lazy loading -------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        return not parent.isValid() and (self._shown < len(self._entries) or self._more is not None)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        if self._shown >= len(self._entries):
            self._read_more(PAGE)
        more = min(PAGE, len(self._entries) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def fetch_all(self) -> None:
        """A search or filter must see every entry, not only the pages shown so far."""
        if self._more is not None:
            self._read_more(max(self._total - len(self._entries), PAGE))  # the rest in one read
        while self.canFetchMore():
            self.fetchMore()

    def _read_more(self, count: int) -> None:
        """The next `count` entries from the database (one indexed read)."""
        if self._more is None or not self._entries:
            self._more = None
            return
        try:
            page = self._more(self._entries[-1], count)
        except Exception:  # the file gone, say: keep what is shown; Refresh reads again
            log.exception("could not read more of the history")
            page = []
        self._entries += page
        if len(page) < count:  # the end of the log: what has been read is all there is
            self._more = None
            self._total = len(self._entries)
        elif len(self._entries) >= self._total:
            self._more = None

    # ---- the table --------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._shown:
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return moment_words(entry.at)
            if column == 1:
                return KIND_WORDS[entry.kind] + (" (corrected)" if entry.amended else "")
            return describe_entry(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{KIND_WORDS[entry.kind]}, {moment_words(entry.at)}: {describe_entry(entry)}"
        if role == ENTRY_ROLE:
            return entry.entry_id
        if role == KIND_ROLE:
            return entry.kind.value
        if role == SEARCH_ROLE:
            return f"{KIND_WORDS[entry.kind]} {describe_entry(entry)} {moment_words(entry.at)}".casefold()
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Filter by kind and by words; keeps the source's newest-first order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._kind: str | None = None
        self._words: list[str] = []
        self._changing = False

    def set_kind(self, kind: str | None) -> None:
        self._begin()
        self._kind = kind or None
        self.refilter()

    def set_text(self, text: str) -> None:
        self._begin()
        self._words = text.casefold().split()
        self.refilter()

    @property
    def filtering(self) -> bool:
        return bool(self._kind or self._words)

    def refilter(self) -> None:
        """Apply the filter again (also after the source is reloaded)."""
        source = self.sourceModel()
        if self.filtering and isinstance(source, HistoryModel):
            source.fetch_all()
        if hasattr(self, "endFilterChange"):  # Qt ≥ 6.9; invalidateRowsFilter is deprecated there
            if not self._changing:
                self.beginFilterChange()
            self._changing = False
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def _begin(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._changing = True

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._kind and model.data(index, KIND_ROLE) != self._kind:
            return False
        if self._words:
            haystack = model.data(index, SEARCH_ROLE) or ""
            return all(word in haystack for word in self._words)
        return True
