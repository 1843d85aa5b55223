"""A focus ring you can see, in the normal and the high-contrast style, unlike the default button's look."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QPushButton

from mstracker.ui.core.style import apply_text_mode

RINGS = {False: QColor("#0b57d0"), True: QColor("#003a8c")}


def _ring_pixels(button: QPushButton, colour: QColor) -> int:
    image = button.grab().toImage()
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y) == colour)


@pytest.fixture
def styled():
    app = QApplication.instance()
    sheet, font = app.styleSheet(), app.font()
    yield lambda large: apply_text_mode(app, large)
    app.setStyleSheet(sheet)
    app.setFont(font)


@pytest.mark.parametrize("large", [False, True])
def test_the_focused_button_has_a_ring_the_default_button_has_not(qtbot, styled, large):
    styled(large)
    dialog = QDialog()
    layout = QHBoxLayout(dialog)
    default, other = QPushButton("Save"), QPushButton("Save")
    default.setDefault(True)
    for button in (default, other):
        layout.addWidget(button)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    ring = RINGS[large]
    perimeter = 2 * (other.width() + other.height())
    assert _ring_pixels(other, ring) > perimeter  # at least two pixels thick all round
    assert _ring_pixels(default, ring) == 0
    assert default.grab().toImage() != other.grab().toImage()
    # The ring takes no room: nothing moves when focus does. (Sizes hinted, not laid out: a layout may share an
    # odd pixel unevenly between two equal buttons.)
    assert default.sizeHint() == other.sizeHint()
