"""The start-up choice of role: patient, caregiver (read-only) or coordinator.

Use: `role = choose_role(parent, default="patient")` → the role, or None when cancelled; or build
`RoleDialog(default)` yourself and read `.role()` after `accepted`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...services.roles import Role
from ..core.screen_fit import FitsScreen

ALLOWS = {
    Role.PATIENT: "record readings, symptoms and lab results, correct or delete entries, change the journey's "
                  "phases and mark reminders done or snoozed",
    Role.COORDINATOR: "do all that for every patient in this file, change protocols and export or restore data",
}

CHOICES = {
    Role.PATIENT: ("I am the &patient", "Record your treatment, your readings and how you feel."),
    Role.CAREGIVER: ("I ca&re for a patient",
                  "See the schedule, what is due and any alerts. You can look, not change anything."),
    Role.COORDINATOR: ("I am a transplant c&oordinator",
                    "See all your patients, manage protocols and export timelines."),
}


class RoleDialog(FitsScreen, QDialog):
    def __init__(self, default: str = "patient", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is using mstracker?")
        layout = QVBoxLayout(self)
        intro = QLabel("<b>Who is using mstracker on this computer?</b>")
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for role in Role:
            title, help_text = CHOICES[role]
            button = QRadioButton(title)
            button.setAccessibleDescription(help_text)
            button.setChecked(role == default)
            note = QLabel(help_text)
            note.setWordWrap(True)
            note.setIndent(24)
            note.setStyleSheet("color:#444;")
            self.group.addButton(button)
            self.buttons[role] = button
            layout.addWidget(button)
            layout.addWidget(note)
        later = QLabel("You can change this later: File ▸ Switch role…")
        later.setStyleSheet("color:#444;")
        layout.addWidget(later)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Co&ntinue")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def role(self) -> Role:
        return next(role for role, b in self.buttons.items() if b.isChecked())


def choose_role(parent: QWidget | None = None, default: str = "patient") -> Role | None:
    """Modal: for start-up, before the main window exists."""
    dialog = RoleDialog(Role.parse(default) or Role.PATIENT, parent)
    return dialog.role() if dialog.exec() == QDialog.DialogCode.Accepted else None


def confirm_writing_role(parent: QWidget | None, current: Role, wanted: Role, confirmed: Callable[[], None]) -> QMessageBox:
    """From a read-only role to one that writes: says what it allows and that it is recorded, and calls
    `confirmed()` only on "Switch". Window-modal, not blocking; the box is returned (tests press its buttons)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Switch role",
                      f"Switch from {current.value} to {wanted.value}?", QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("roleConfirm")
    box.setInformativeText(
        f"As the {wanted.value} you can {ALLOWS[wanted]}. As a {current.value} you can only look.\n\n"
        "The switch is recorded in the audit trail under your name.")
    switch = box.addButton(f"Switch to {wanted.value}", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter alone does not give write access
    box.buttonClicked.connect(lambda button: confirmed() if button is switch else None)
    box.open()
    return box
