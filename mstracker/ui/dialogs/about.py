"""The About box, with the medical disclaimer."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from ... import __version__

DISCLAIMER = (
    "mstracker helps you keep track of your aHSCT journey. It is not a medical device and does not give "
    "medical advice. Alerts are reminders of what your transplant team has told you, not a diagnosis. "
    "If you feel unwell — a temperature of 38.0 °C or above, bleeding, breathlessness, confusion — call "
    "your transplant team or emergency services at once, whatever the app shows."
)


def show_about(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About mstracker")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(f"<b>mstracker {__version__}</b><br>A companion through autologous stem cell "
                "transplantation (aHSCT) for multiple sclerosis.")
    box.setInformativeText(DISCLAIMER)
    box.setAccessibleName("About mstracker")
    box.setAccessibleDescription(DISCLAIMER)
    icon = box.findChild(QLabel, "qt_msgboxex_icon_label")  # Qt's own name for the box's icon
    if icon is not None:
        icon.setAccessibleName("Information")
    box.open()
    return box
