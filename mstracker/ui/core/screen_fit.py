"""Every window fits the screen it opens on, and its title fits its title bar.

At `QT_SCALE_FACTOR=2` on a laptop, or with larger text, a window sized for a desktop screen ran off the
bottom of the screen with its buttons out of reach; and a narrow dialog's title was cut by the window manager
("Correct: Tem… — mstracker"). The app's windows and dialogs are `FitsScreen` (fitted as first shown); any
other window is fitted as it takes the focus (`install`). Windows whose content can be taller than the
screen scroll inside (the main window's page sits in a scroll area; the print preview scrolls its pages).

Light on purpose (QtCore, QtGui and QtWidgets only): it is part of the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

FITTED = "mstrackerFitted"  # a dynamic property: the window was fitted when first shown
FRAME = QSize(16, 48)  # room for a window manager's borders and title bar when the frame is not known yet
TITLE_BUTTONS = 160  # a title bar's close, maximise and minimise buttons, and its margins, in pixels


def full_title(window: QWidget) -> str:
    """The title as the window manager shows it: Qt adds " — <display name>" unless the title ends with it."""
    title = window.windowTitle()
    name = QApplication.applicationDisplayName()
    if name and not title.endswith(name):
        return f"{title} — {name}" if title else name
    return title


def title_width(window: QWidget) -> int:
    """Width the whole title needs in a title bar: measured in the bold application font, which title bars
    commonly use at least as large as the text of the window."""
    font = QFont(QApplication.font())
    font.setBold(True)
    return QFontMetrics(font).horizontalAdvance(full_title(window)) + TITLE_BUTTONS


def available(window: QWidget) -> QRect:
    screen = window.screen() or QApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 768)


def fit(window: QWidget) -> None:
    """Wide enough for the title, no larger than the available screen (frame included), and inside it."""
    if window.isMaximized() or window.isFullScreen():
        return  # the window manager sizes these to the screen itself
    area = available(window)
    frame = window.frameGeometry().size() - window.geometry().size()
    if frame.width() <= 0 and frame.height() <= 0:
        frame = FRAME  # not mapped yet: assume a usual frame rather than none
    room = QSize(max(area.width() - frame.width(), 100), max(area.height() - frame.height(), 100))
    wanted = title_width(window)
    if window.width() < wanted and window.maximumWidth() >= wanted:
        window.setMinimumWidth(min(wanted, room.width()))
    if window.minimumWidth() > room.width() or window.minimumHeight() > room.height():
        window.setMinimumSize(min(window.minimumWidth(), room.width()), min(window.minimumHeight(), room.height()))
    size = window.size().boundedTo(room).expandedTo(window.minimumSize().boundedTo(room))
    if size != window.size():
        window.resize(size)
    outer = QRect(window.pos(), size + frame)
    left = min(max(outer.left(), area.left()), area.right() + 1 - outer.width())
    top = min(max(outer.top(), area.top()), area.bottom() + 1 - outer.height())
    if (left, top) != (outer.left(), outer.top()):
        window.move(max(left, area.left()), max(top, area.top()))


def fit_once(window: QWidget) -> None:
    if window.isWindow() and not window.property(FITTED):
        window.setProperty(FITTED, True)
        fit(window)


class FitsScreen:
    """For the app's own windows and dialogs (put before the Qt class): fitted once, as first shown, before
    the window is on screen."""

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        fit_once(self)  # type: ignore[arg-type]
        super().showEvent(event)  # type: ignore[misc]


def install(app: QApplication) -> None:
    """Windows that are not the app's own classes (a message box, an input dialog) are fitted as they take the
    focus: a signal, where an event filter on the application would have Python look at every event of every
    widget (a sixth of the complete window's start) and make PySide6 build the types of all of QtWidgets."""
    if getattr(app, "_screen_fit", None) is None:
        app._screen_fit = app.focusChanged.connect(_focus_moved)  # kept with the application


def _focus_moved(_old: QWidget | None, new: QWidget | None) -> None:
    window = new.window() if new is not None else None
    if isinstance(window, (QDialog, QMainWindow)):
        fit_once(window)
