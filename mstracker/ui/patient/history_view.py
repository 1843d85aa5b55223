"""The history panel: filter by kind, search words, and the table of entries (newest first)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.entries import LogEntry, LogKind
from ..core.tables import row_table
from ..core.words import LOG_KIND_WORDS, counted
from .history_model import HistoryFilter, HistoryModel

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # as `moment_words` writes them
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class HistoryView(QWidget):
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(self)
        self.proxy = HistoryFilter(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel("History")
        title.setObjectName("sectionTitle")
        self.title = title  # hidden where a tab already says "History"
        self.kind = QComboBox()
        self.kind.setObjectName("historyKind")
        self.kind.addItem("All kinds", "")
        for kind in LogKind:
            self.kind.addItem(LOG_KIND_WORDS[kind], kind.value)
        self.kind.setAccessibleName("Show kind")
        self.kind.setAccessibleDescription("Show only entries of this kind in the history")
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText("Search the history (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the history")
        self.search.setAccessibleDescription("Shows only entries containing all these words")
        kind_label = QLabel("&Show:")
        kind_label.setBuddy(self.kind)
        search_label = QLabel("Se&arch:")
        search_label.setBuddy(self.search)

        self.table = row_table(self.proxy, "History", object_name="historyTable",
                               description="Everything logged, newest first. Select an entry to correct or delete it.")
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Fixed row heights: Qt need not measure every row, so a history of thousands of entries lays out at once.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._size_columns()
        # A resized section moves the last one: repaint the whole header once that is done, or an X11 screen
        # (seen under Xvfb) keeps a stale part of its title ("etails"). Through the header's own slot: asking
        # Python for its viewport made PySide6 look up the types of all of QtWidgets (a tenth of a second).
        header.sectionResized.connect(lambda *_: QTimer.singleShot(0, self._repaint_header))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())

        self.count = QLabel("")
        self.count.setObjectName("historyCount")
        self.count.setAccessibleName("Entries shown")

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.search.textChanged.connect(self._text_changed)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

        filters = QHBoxLayout()
        filters.addWidget(title)
        filters.addStretch(1)
        filters.addWidget(kind_label)
        filters.addWidget(self.kind)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    def _repaint_header(self) -> None:
        header = self.table.horizontalHeader()
        header.headerDataChanged(Qt.Orientation.Horizontal, 0, header.count() - 1)

    def _size_columns(self) -> None:
        """The time and kind columns as wide as their widest possible words, measured from the font. Sizing them
        to their contents would ask every row loaded (hundreds, on each page read) a dozen questions: a tenth
        of a second at start, longer as the user scrolls."""
        metrics = self.table.fontMetrics()

        def widest(words) -> str:
            return max(words, key=metrics.horizontalAdvance)

        moment = f"{widest(_WEEKDAYS)} 28 {widest(_MONTHS)} 2026, 00:00"
        kind = f"{widest(list(LOG_KIND_WORDS.values()))} (corrected)"
        margin = metrics.horizontalAdvance("0") * 2  # the cell's own margins, and a little air
        header = self.table.horizontalHeader()
        for column, text in ((0, moment), (1, kind)):
            header.resizeSection(column, max(metrics.horizontalAdvance(text) + margin, header.sectionSizeHint(column)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):  # the larger-text mode
            self._size_columns()

    def set_entries(self, entries: list[LogEntry], total: int | None = None, more=None) -> None:
        """See `HistoryModel.set_entries`: the first page of `total`, and how to read the next."""
        self.model.set_entries(entries, total, more)
        self.proxy.refilter()
        self._update_count()

    def current_entry(self) -> LogEntry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.entry(self.proxy.mapToSource(rows[0]).row())

    def visible_entries(self) -> list[LogEntry]:
        return [self.model.entry(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _kind_changed(self) -> None:
        self.proxy.set_kind(self.kind.currentData())
        self._update_count()

    def _text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self, *_args) -> None:
        total = self.model.total
        shown = self.proxy.rowCount()
        if total == 0:
            text = "Nothing logged yet. Use “Log” above to add your first entry."
        elif self.proxy.filtering:
            text = f"{shown} of {counted(total, 'entry')} match."
        else:
            text = f"{counted(total, 'entry')}." if shown >= total else f"{counted(total, 'entry')} (scroll for older ones)."
        self.count.setText(text)
