"""Preferences: larger text and high contrast (the choice is kept in QSettings), and where the data is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ...services.places import data_dir, default_db_target
from ..core.screen_fit import FitsScreen
from ..core.settings import UiSettings


class PreferencesDialog(FitsScreen, QDialog):
    def __init__(self, settings: UiSettings, parent: QWidget | None = None, *, database: str | None = None) -> None:
        """`database`: the file (or server) in use, as `--db` chose it; without it, the default file."""
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.large = QCheckBox("Larger text and high contrast")
        self.large.setChecked(settings.large_text())
        self.large.setAccessibleName("Larger text and high contrast")
        self.large.setAccessibleDescription("Bigger letters and stronger colours everywhere in the app")
        form = QFormLayout()
        form.addRow(self.large)
        self.database = self._place(form, "Your data is kept in:", database or default_db_target(),
                                    "Database in use")
        self.folder = self._place(form, "The app's own log is kept in:", str(data_dir()),
                                  "App folder")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @staticmethod
    def _place(form: QFormLayout, words: str, where: str, name: str) -> QLabel:
        value = QLabel(where)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to copy a long path
        value.setAccessibleName(name)
        value.setAccessibleDescription(where)
        label = QLabel(words)
        label.setBuddy(value)
        form.addRow(label, value)
        return value

    def accept(self) -> None:
        self.settings.set_large_text(self.large.isChecked())
        super().accept()
