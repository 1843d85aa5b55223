"""Protocol management for coordinators: the list, importing a centre's file, copy-and-edit with
validation errors shown by line and key. Other roles see the list only (no action that writes).

Embed: `ProtocolsDialog(role, bus, parent=None)`, then `.open()`; signal `protocols_changed(str)` (the name of
a protocol imported or saved, once the list shows it) so that views listing protocols can refresh.

Every read and write of a protocol file runs through the runner (`core/runner.py`) off the UI thread, counted
as busy on `bus`, a failure worded the one way and said on `bus.failed`. Only the text being edited is checked
on the UI thread (pure parsing, no file), so that its line can be shown before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.dates import day_label
from ...domain.errors import UserError
from ...domain.protocol import Protocol, ProtocolError, load_protocol
from ...services import protocols as protocol_service
from ...services.roles import Role
from ..core.runner import ChangeBus, Newest, run_query
from ..core.runner import error_text as failure_text
from ..core.screen_fit import FitsScreen
from ..core.words import counted

Index = QModelIndex | QPersistentModelIndex
_NAME_LINE = re.compile(r'^(\s*name\s*=\s*)(["\']).*?\2', re.MULTILINE)


@dataclass(frozen=True)
class ProtocolEntry:
    protocol: Protocol
    own: bool  # a centre's own file (data folder), not a shipped one
    path: Path


def load_entries() -> list[ProtocolEntry]:
    files = protocol_service.protocol_files()
    own_dir = protocol_service.user_dir().resolve()
    return [ProtocolEntry(p, files[p.name].resolve().parent == own_dir, files[p.name])
            for p in protocol_service.list_protocols()]


def with_name(text: str, name: str) -> str:
    """The protocol text with its `name = "…"` line set to `name` (added on top when there is none)."""
    if _NAME_LINE.search(text):
        return _NAME_LINE.sub(lambda m: f'{m[1]}"{name}"', text, count=1)
    return f'name = "{name}"\n' + text


def error_text(exc: UserError) -> str:
    """'Line 12, plan[2].days: must be …' — where to look first, then what is wrong."""
    if isinstance(exc, ProtocolError):
        where = ", ".join(x for x in (f"Line {exc.line}" if exc.line else "", exc.key) if x)
        return f"{where}: {exc.reason}" if where else exc.reason
    return str(exc)


def _days(first: int, last: int) -> str:
    """'Day −6', 'Day −5 to −2', 'Day +12 to +18'."""
    text = day_label(first)
    return text if first == last else f"{text} to {day_label(last)[4:]}"


class ProtocolListModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[ProtocolEntry] = []

    def set_entries(self, entries: list[ProtocolEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            origin = "this centre's own" if e.own else "shipped"
            return f"{e.protocol.title}\n{e.protocol.name} · {origin}"
        if role == Qt.ItemDataRole.UserRole:
            return e.protocol.name
        return None


class ProtocolsDialog(FitsScreen, QDialog):
    protocols_changed = Signal(str)

    def __init__(self, role: str, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role, self.bus = role, bus
        self._newest = Newest()  # the list: only the newest read counts
        self.can_edit = Role(role).edits_protocols
        self.setWindowTitle("Treatment protocols")
        self.resize(900, 600)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._list_page())
        if self.can_edit:
            self.pages.addWidget(self._editor_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.reload()

    # ---- the list -----------------------------------------------------------------------------
    def _list_page(self) -> QWidget:
        page = QWidget()
        self.model = ProtocolListModel(self)
        self.list = QListView()
        self.list.setAccessibleName("Protocols")
        self.list.setModel(self.model)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.selectionModel().currentChanged.connect(lambda cur, _prev: self._show_details(cur))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.addWidget(self.list, 2)
        row.addWidget(self.details, 3)
        buttons = QHBoxLayout()
        if self.can_edit:
            self.import_button = QPushButton("&Import a centre's file…")
            self.import_button.clicked.connect(self.choose_file)
            self.copy_button = QPushButton("&Copy and edit…")
            self.copy_button.clicked.connect(self.copy_current)
            buttons.addWidget(self.import_button)
            buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(page)
        layout.addLayout(row, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        return page

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[BaseException, str], None], newest: Newest | None = None) -> None:
        """`fn` (file work) in the runner's worker. Protocol files are not the database: there are no `Changes`
        to broadcast; `protocols_changed` says what changed. `failed(exc, text)`: the text as shown."""

        def failure(exc: BaseException) -> None:
            text = error_text(exc) if isinstance(exc, ProtocolError) else failure_text(exc)
            self.bus.failed.emit(text)
            failed(exc, text)

        run_query(self, self.bus, fn, done, on_failure=failure, newest=newest)

    def reload(self, select: str | None = None, then: Callable[[], None] | None = None) -> None:
        """Reads the list again (off the UI thread), selects `select`, then `then()`."""

        def failed(_exc: BaseException, text: str) -> None:  # a broken file in the data folder: say which
            self.model.set_entries([])
            self._say(text, error=True)

        self._run(load_entries, lambda entries: self._listed(entries, select, then), failed, self._newest)

    def _listed(self, entries: list[ProtocolEntry], select: str | None, then: Callable[[], None] | None) -> None:
        self.model.set_entries(entries)
        names = [e.protocol.name for e in entries]
        row = names.index(select) if select in names else 0
        if entries:
            self.list.setCurrentIndex(self.model.index(row))
        if then is not None:
            then()

    def names(self) -> list[str]:
        return [e.protocol.name for e in self.model.entries]

    def current_entry(self) -> ProtocolEntry | None:
        index = self.list.currentIndex()
        return self.model.entries[index.row()] if index.isValid() else None

    def _show_details(self, index: Index) -> None:
        if not index.isValid():
            self.details.setText("")
            return
        p = self.model.entries[index.row()].protocol
        drugs = "".join(f"<li>{escape(d.name)}: {_days(d.from_day, d.to_day)} {escape(d.dose)}</li>"
                        for d in p.conditioning)
        self.details.setText(
            f"<h3>{escape(p.title)}</h3><p>{escape(p.description)}</p>"
            f"<p><b>Cells:</b> {'the patient’s own (autologous)' if p.autologous else 'a donor’s'}<br>"
            f"<b>Admission:</b> {_days(p.admission_day, p.admission_day)}<br>"
            f"<b>Expected discharge:</b> {_days(*p.expected_discharge_days)}<br>"
            f"<b>Follow-up plan:</b> {counted(len(p.plan), 'item')}</p><p><b>Conditioning</b></p><ul>{drugs}</ul>")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color:#b3261e; font-weight:bold;" if error else "color:#1e6b34;")
        self.message.setText(text)

    # ---- import -----------------------------------------------------------------------------
    def choose_file(self) -> None:
        dialog = QFileDialog(self, "Import a centre's protocol", str(Path.home()), "Protocol files (*.toml)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.import_file(Path(path)))
        dialog.open()

    def import_file(self, path: Path, *, replace: bool = False) -> None:
        """Validates and installs `path` off the UI thread; asks first before replacing a protocol."""
        role = self.role

        def install() -> Protocol | protocol_service.WouldReplace:
            try:
                return protocol_service.install_protocol(path, role=role, replace=replace)
            except protocol_service.WouldReplace as exc:
                return exc  # a question for the user, not a failure

        self._run(install, lambda result: self._installed(path, result),
                  lambda _exc, text: self._say(f"{path.name} was not imported. {text}", error=True))

    def _installed(self, path: Path, result: Protocol | protocol_service.WouldReplace) -> None:
        if isinstance(result, protocol_service.WouldReplace):
            if self.confirm_replace(result.name):
                self.import_file(path, replace=True)
            else:
                self._say(f"{path.name} was not imported: {result.name} was kept as it is.")
            return
        self._say(f"Imported {result.name}: {result.title}")
        self.reload(select=result.name, then=lambda: self.protocols_changed.emit(result.name))

    def confirm_replace(self, name: str) -> bool:
        """Asked before an installed protocol is replaced (the replaced file is kept in the backups folder)."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self, "Replace the protocol?", f"A protocol named {name} is already installed. Replace it? "
            "The current file is kept in the backups folder.")
        return answer == QMessageBox.StandardButton.Yes

    # ---- copy and edit ------------------------------------------------------------------------
    def _editor_page(self) -> QWidget:
        page = QWidget()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("New protocol name")
        self.name_edit.setToolTip("Lower-case letters, digits, - or _ (e.g. \"cy-atg-leeds\")")
        self.name_edit.textEdited.connect(self._sync_name)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Protocol text")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor_error = QLabel()
        self.editor_error.setWordWrap(True)
        self.editor_error.setAccessibleName("Validation error")
        self.editor_error.setStyleSheet("color:#b3261e; font-weight:bold;")
        self.editor_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = box.button(QDialogButtonBox.StandardButton.Save)
        box.accepted.connect(self.save_copy)
        box.rejected.connect(lambda: self.pages.setCurrentIndex(0))
        layout = QVBoxLayout(page)
        self.editor_title = QLabel()
        layout.addWidget(self.editor_title)
        layout.addLayout(form)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.editor_error)
        layout.addWidget(box)
        return page

    def _sync_name(self, name: str) -> None:
        """Keep the text's `name = "…"` line the same as the Name field (one edit, so Undo works)."""
        doc = self.editor.document()
        block = doc.firstBlock()
        while block.isValid() and not block.text().lstrip().startswith("["):  # top-level keys only
            match = _NAME_LINE.match(block.text())
            if match:
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(with_name(block.text(), name.strip()))
                return
            block = block.next()

    def _free_name(self, base: str) -> str:
        taken = set(self.names())
        name, n = f"{base}-copy", 2
        while name in taken:
            name, n = f"{base}-copy{n}", n + 1
        return name

    def copy_current(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        name = self._free_name(entry.protocol.name)
        self.editor_title.setText(f"<b>A copy of {entry.protocol.title}</b> — change what your centre does "
                                  "differently, then save it under a new name.")
        self.name_edit.setText(name)
        self.editor.setPlainText(with_name(entry.protocol.source_text, name))
        self.editor_error.setText("")
        self.editor.setExtraSelections([])
        self.pages.setCurrentIndex(1)
        self.editor.setFocus()

    def save_copy(self) -> bool:
        """False when the text is refused at once (its line shown); True once the save has started."""
        name = self.name_edit.text().strip()
        if name in self.names():
            self._editor_fail(f"{name!r} is already a protocol; choose a new name", None)
            return False
        text = with_name(self.editor.toPlainText(), name)
        try:
            load_protocol(text, f"{name}.toml")  # pure: the line at fault shown before anything is written
        except ProtocolError as exc:
            self._editor_fail(error_text(exc), exc.line)
            return False
        except UserError as exc:
            self._editor_fail(str(exc), None)
            return False
        self.save_button.setEnabled(False)

        def failed(exc: BaseException, message: str) -> None:  # the editor keeps what was typed
            self.save_button.setEnabled(True)
            self._editor_fail(message, exc.line if isinstance(exc, ProtocolError) else None)

        self._run(lambda: protocol_service.save_protocol_text(name, text), lambda p: self._saved(p, text), failed)
        return True

    def _saved(self, protocol: Protocol, text: str) -> None:
        self.save_button.setEnabled(True)
        self.editor.setPlainText(text)
        self.pages.setCurrentIndex(0)
        self._say(f"Saved {protocol.name}: {protocol.title}. New journeys can start with it.")
        self.reload(select=protocol.name, then=lambda: self.protocols_changed.emit(protocol.name))

    def _editor_fail(self, message: str, line: int | None) -> None:
        self.editor_error.setText(message)
        if line is None:
            self.editor.setExtraSelections([])
            return
        block = self.editor.document().findBlockByNumber(line - 1)
        cursor = QTextCursor(block)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        mark = QTextEdit.ExtraSelection()
        mark.format.setBackground(QColor("#fdecea"))
        mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        mark.cursor = cursor
        self.editor.setExtraSelections([mark])
