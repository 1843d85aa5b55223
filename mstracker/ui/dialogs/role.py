"""The start-up choice of role: patient, caregiver (read-only) or coordinator.

Use: `role = choose_role(parent, default="patient")` → the role, or None when cancelled; or build
`RoleDialog(default)` yourself and read `.role()` after `accepted`.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...services.roles import Role

CHOICES = {
    Role.PATIENT: ("I am the &patient", "Record your treatment, your readings and how you feel."),
    Role.CAREGIVER: ("I ca&re for a patient",
                  "See the schedule, what is due and any alerts. You can look, not change anything."),
    Role.COORDINATOR: ("I am a transplant c&oordinator",
                    "See all your patients, manage protocols and export timelines."),
}


class RoleDialog(QDialog):
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
