"""Drop-down lists that a screen reader calls by their label, not by the value they show.

On Linux, Qt names a QComboBox after its current text and leaves the label to a "labelled by" relation, so
AT-SPI lists "All kinds" where the user needs "Show kind". A factory gives each combo box an accessible
interface whose name is its accessible name (or its buddy's text) and whose value is the current text.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from PySide6.QtWidgets import QAccessibleWidget, QComboBox

_installed = False


class _NamedCombo(QAccessibleWidget):
    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo, QAccessible.Role.ComboBox)
        self._combo = combo

    def text(self, kind: QAccessible.Text) -> str:
        combo = self._combo
        if kind == QAccessible.Text.Name:
            return combo.accessibleName() or super().text(kind) or combo.currentText()
        if kind == QAccessible.Text.Value:
            return combo.currentText()
        if kind == QAccessible.Text.Description:
            # The value, said after the name, as a screen reader says a drop-down list's choice.
            return ". ".join(part for part in (combo.currentText(), combo.accessibleDescription()) if part)
        return super().text(kind)

    def actionNames(self) -> list[str]:
        return [QAccessibleActionInterface.showMenuAction(), *super().actionNames()]

    def doAction(self, name: str) -> None:
        if name == QAccessibleActionInterface.showMenuAction():
            self._combo.showPopup()
        else:
            super().doAction(name)


def _factory(_class_name: str, obj):
    if isinstance(obj, QComboBox):
        interface = _NamedCombo(obj)
        # Qt's cache owns the interface and deletes it with the combo box; the reference keeps Python from
        # collecting it first.
        obj._accessible_interface = interface
        return interface
    return None


def install() -> None:
    """Once, after the QApplication exists (Qt's own factories are installed with it, and the last wins)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
