"""The look: the system font by default; a larger-text, high-contrast mode for tired or low-vision eyes."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from .paths import stylesheet_path

LARGE_FACTOR = 1.35
_base_font: QFont | None = None


def _read(name: str) -> str:
    try:
        return stylesheet_path(name).read_text(encoding="utf-8")
    except OSError:
        return ""  # a missing stylesheet leaves Qt's own look, never a crash


def apply_text_mode(app: QApplication, large: bool) -> None:
    global _base_font
    if _base_font is None:
        _base_font = QFont(app.font())  # the system's size, which the app follows
    font = QFont(_base_font)
    if large:
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size * LARGE_FACTOR)
    app.setFont(font)
    sheet = _read("mstracker")
    if large:
        sheet += "\n" + _read("high-contrast")
    app.setStyleSheet(sheet)
