"""The audit trail (services.audit.audit) as a read-only table, exportable to CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import UserError
from ..core.runner import Newest, error_text
from ..core.screen_fit import FitsScreen
from ..core.session import Session
from ..core.tables import row_table
from ..core.words import counted

COLUMNS = (("at", "When"), ("user", "Who"), ("role", "Role"), ("action", "Action"), ("patient", "Patient"),
           ("detail", "Detail"))
Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        value = self.rows[index.row()][COLUMNS[index.column()][0]]
        return "" if value is None else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None


def write_csv(rows: list[dict[str, Any]], out: Path) -> Path:
    """The same columns as `mstracker audit --json`, one row per entry, oldest first."""
    try:
        with open(out, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=[key for key, _ in COLUMNS])
            writer.writeheader()
            for row in rows:
                writer.writerow({key: row.get(key) for key, _ in COLUMNS})
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}") from None
    return Path(out)


def _load(ctx, patient_id):
    from ...services.audit import audit

    return audit(ctx, patient_id)


class AuditDialog(FitsScreen, QDialog):
    """Non-modal; `reload()` reads again. `patient_id=None` shows every patient's entries."""

    def __init__(self, session: Session, patient_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.ctx, self.patient_id = session, session.ctx, patient_id
        self.setWindowTitle("Audit trail")
        self.setAccessibleName("Audit trail")
        self.resize(980, 560)
        self.model = AuditModel(self)
        self.table = row_table(self.model, "Audit trail entries")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.state = QLabel("Loading…")
        self.state.setAccessibleName("Audit trail state")
        self.export_button = QPushButton("&Export to CSV…")
        self.export_button.setAccessibleName("Export the audit trail to a CSV file")
        self.export_button.clicked.connect(self.export_csv)
        close = QPushButton("&Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        intro = QLabel("Every entry, correction and deletion, oldest first: who recorded it, when and in which role. "
                       "Nothing here can be changed.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._newest = Newest()
        self.reload()

    def reload(self) -> None:
        self.state.setText("Loading…")
        ctx, pid = self.ctx, self.patient_id
        self.session.query(self, lambda: _load(ctx, pid), self._show,
                           on_failure=lambda exc: self.state.setText(error_text(exc)), newest=self._newest)

    def _show(self, rows) -> None:
        self.model.set_rows(rows)
        self.table.scrollToBottom()  # the newest entries, where the reader usually looks first
        self.state.setText(counted(len(rows), "entry"))

    def export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the audit trail", "audit-trail.csv",
                                              "CSV files (*.csv)")
        if not path:
            return
        try:
            write_csv(self.model.rows, Path(path))
        except UserError as exc:
            self.state.setText(str(exc))
            return
        self.state.setText(f"Saved {counted(len(self.model.rows), 'entry')} to {path}")
