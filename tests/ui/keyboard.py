"""Walking a window as the keyboard and a screen reader meet it: its mnemonics, its Tab round, its names.

Shared by the offscreen tests and the real-window test (which runs it in a child process under Xvfb).
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QTabBar,
    QWidget,
)


def mnemonic(text: str) -> str:
    key = QKeySequence.mnemonic(text)
    return key.toString() if not key.isEmpty() else ""


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisibleTo(window)


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter → what it reaches, over the menu bar's titles and every control on show in `window`."""
    found: dict[str, list[str]] = defaultdict(list)
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible() and (key := mnemonic(action.text())):
                found[key].append(f"menu {action.text()}")
    for widget in window.findChildren(QWidget):
        if not _shown(widget, window):
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton):
            texts = [widget.text()]
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        for text in texts:
            if key := mnemonic(text):
                found[key].append(f"{type(widget).__name__} {text}")
    return dict(found)


def menu_mnemonics(menu: QMenu) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for action in menu.actions():
        if action.isVisible() and not action.isSeparator() and (key := mnemonic(action.text())):
            found[key].append(action.text())
    return dict(found)


def clashes(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: owners for key, owners in found.items() if len(owners) > 1}


def focusable(window: QWidget) -> list[QWidget]:
    """Every enabled control on show that Tab should reach (the focus proxies' owners stand for them)."""
    result = []
    for widget in window.findChildren(QWidget):
        if not (_shown(widget, window) and widget.isEnabled()):
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.focusProxy() is not None:
            continue
        if _inside_composite(widget):
            continue
        result.append(widget)
    return result


def _inside_composite(widget: QWidget) -> bool:
    """A spin box's or combo box's own line edit, a scroll area's viewport: part of one control."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            return True
        parent = parent.parentWidget()
    return False


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    text = widget.accessibleName() or getattr(widget, "text", lambda: "")() or widget.objectName()
    return f"{type(widget).__name__}({text!r})"


def tab_round(window: QWidget, press, backwards: bool = False, limit: int = 200) -> list[QWidget]:
    """The widgets focus visits from the current one, pressing Tab (or Shift+Tab) until it comes back."""
    start = QApplication.focusWidget()
    seen: list[QWidget] = []
    for _ in range(limit):
        press(backwards)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        if now is None or now.window() is not window:
            raise AssertionError(f"focus left the window after {[describe(w) for w in seen]}: {describe(now)}")
        if now in seen:
            raise AssertionError(f"Tab goes round without coming back to {describe(start)}: "
                                 f"{[describe(w) for w in seen]} then {describe(now)} again")
        seen.append(now)
    raise AssertionError(f"no way round in {limit} presses: {[describe(w) for w in seen[-10:]]}")


def unnamed(window: QWidget) -> list[str]:
    """Focusable controls a screen reader could only call by their value, or by nothing.

    A button or check box speaks its text; every other control needs an accessible name, or a buddy label
    (Qt names a control after its buddy, except a drop-down list, which speaks its current value)."""
    buddies = {label.buddy(): label for label in window.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for widget in focusable(window):
        if isinstance(widget, QComboBox):  # what AT-SPI is told, not only what the widget holds
            spoken = QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)
            if not spoken or (spoken == widget.currentText() and spoken != widget.accessibleName()):
                missing.append(f"{describe(widget)} speaks {spoken!r}")
            continue
        if widget.accessibleName().strip():
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        if widget in buddies and not isinstance(widget, QComboBox):
            continue
        missing.append(describe(widget))
    return missing
