"""The start-up role choice."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from mstracker.ui.dialogs.role import RoleDialog


def test_the_default_is_checked_and_a_choice_is_returned(qtbot):
    dialog = RoleDialog(default="coordinator")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.role() == "coordinator"
    caregiver = dialog.buttons["caregiver"]
    qtbot.mouseClick(caregiver, Qt.MouseButton.LeftButton, pos=QPoint(8, caregiver.height() // 2))  # on the circle
    assert dialog.role() == "caregiver"
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Co&ntinue"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_every_role_is_offered_with_what_it_may_do(qtbot):
    dialog = RoleDialog()
    qtbot.addWidget(dialog)
    assert list(dialog.buttons) == ["patient", "caregiver", "coordinator"]
    assert dialog.role() == "patient"
    assert "not change" in dialog.buttons["caregiver"].accessibleDescription()
