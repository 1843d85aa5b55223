"""Texts that are results to read: wrapped, selectable with the mouse and the keyboard, and a Tab stop, so that
the keyboard and the screen reader reach every one of them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel


def readable(text: str = "", *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if rich:
        label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return label


def rule() -> QFrame:
    """A thin line between parts of a panel."""
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    return line
