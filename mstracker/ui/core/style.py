"""The look: the system font by default; a larger-text, high-contrast mode for tired or low-vision eyes."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from .paths import stylesheet_path

LARGE_FACTOR = 1.35
# The header's lines, relative to the text of the app: (object name, factor, bold).
HEADER_SIZES = (("patientName", 1.6, True), ("whereAmI", 1.45, True), ("nextDue", 1.1, False))
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
    app.setStyleSheet(sheet + "\n" + header_rules(font.pointSizeF() if font.pointSizeF() > 0 else 10.0))


def header_rules(size: float) -> str:
    """The header's sizes in the stylesheet: with a stylesheet on, Qt puts a label's earlier font back when the
    sheet changes, so sizes set in code would stay behind when the text grows."""
    return "\n".join(f"QLabel#{name} {{ font-size: {size * factor:.1f}pt; font-weight: {'bold' if bold else 'normal'}; }}"
                     for name, factor, bold in HEADER_SIZES)
