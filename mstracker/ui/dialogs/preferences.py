"""Preferences: larger text and high contrast (the choice is kept in QSettings)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ...services.places import data_dir
from ..core.settings import UiSettings


class PreferencesDialog(QDialog):
    def __init__(self, settings: UiSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.large = QCheckBox("Larger text and high contrast")
        self.large.setChecked(settings.large_text())
        self.large.setAccessibleName("Larger text and high contrast")
        self.large.setAccessibleDescription("Bigger letters and stronger colours everywhere in the app")
        folder = QLabel(str(data_dir()))
        folder.setWordWrap(True)
        folder.setAccessibleName("Data folder")
        form = QFormLayout()
        form.addRow(self.large)
        label = QLabel("Your data is kept in:")
        label.setBuddy(folder)
        form.addRow(label, folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.settings.set_large_text(self.large.isChecked())
        super().accept()
