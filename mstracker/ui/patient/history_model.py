"""The history as a Qt model: every logged entry, newest first, read and handed to the view a page at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ...domain.entries import LogEntry
from ..core.words import LOG_KIND_WORDS, describe_entry, moment_words

PAGE = 200
COLUMNS = ("When", "What", "Details")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
# (the last entry read, how many, deliver): reads the next ones off the UI thread, then deliver(them); a failed
# read delivers none.
MorePages = Callable[[LogEntry, int, Callable[[list[LogEntry]], None]], None]


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[LogEntry] = []  # read so far
        self._shown = 0  # rows handed to the view so far (fetchMore adds a page)
        self._total = 0
        self._more: MorePages | None = None
        self._reading = False  # a read of older entries is on its way
        self._all = False  # a search wants every entry shown
        self._generation = 0  # a read that a newer set_entries overtook is dropped

    def set_entries(self, entries: list[LogEntry], total: int | None = None, more: MorePages | None = None) -> None:
        """The newest entries; with `more`, the first page of `total`, the next read when the view asks."""
        self.beginResetModel()
        self._generation += 1
        self._reading = False
        self._entries = list(entries)
        self._total = len(self._entries) if total is None else total
        self._more = more if more is not None and len(self._entries) < self._total else None
        self._shown = min(PAGE, len(self._entries))
        self.endResetModel()
        if self._all:
            self.fetch_all()

    @property
    def total(self) -> int:
        return self._total

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    # ---- lazy loading -------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        return not parent.isValid() and not self._reading and (
            self._shown < len(self._entries) or self._more is not None)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        if self._shown < len(self._entries):
            self._show_more()
        else:
            self._read_more(PAGE)

    def fetch_all(self, on: bool = True) -> None:
        """A search or filter must see every entry, not only the pages shown so far (the rest in one read);
        `on=False` when the search is cleared: pages again."""
        self._all = on
        if not on:
            return
        if self._more is not None:
            self._read_more(max(self._total - len(self._entries), PAGE))
        while self._shown < len(self._entries):
            self._show_more()

    def _show_more(self) -> None:
        more = min(PAGE, len(self._entries) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def _read_more(self, count: int) -> None:
        """The next `count` entries, read off the UI thread by `more`; shown when they arrive."""
        if self._more is None or not self._entries:
            self._more = None
            return
        if self._reading:
            return
        self._reading = True
        generation = self._generation

        def arrived(page: list[LogEntry]) -> None:
            if generation != self._generation:
                return  # the history was read again meanwhile
            self._reading = False
            self._entries += page
            if len(page) < count:  # the end of the log (or a failed read): what has been read is all there is
                self._more = None
                self._total = len(self._entries)
            elif len(self._entries) >= self._total:
                self._more = None
            if self._all:
                self.fetch_all()
            else:
                self._show_more()

        self._more(self._entries[-1], count, arrived)

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
        # The view asks a dozen roles per cell as it sizes its columns to their contents: most are not ours.
        if role not in _ROLES or not index.isValid() or index.row() >= self._shown:
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return moment_words(entry.at)
            if column == 1:
                return LOG_KIND_WORDS[entry.kind] + (" (corrected)" if entry.amended else "")
            return describe_entry(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{LOG_KIND_WORDS[entry.kind]}, {moment_words(entry.at)}: {describe_entry(entry)}"
        if role == ENTRY_ROLE:
            return entry.entry_id
        if role == KIND_ROLE:
            return entry.kind.value
        if role == SEARCH_ROLE:
            return f"{LOG_KIND_WORDS[entry.kind]} {describe_entry(entry)} {moment_words(entry.at)}".casefold()
        return None


_ROLES = frozenset((Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole,
                    ENTRY_ROLE, KIND_ROLE, SEARCH_ROLE))


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
        if isinstance(source, HistoryModel):
            source.fetch_all(self.filtering)
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
