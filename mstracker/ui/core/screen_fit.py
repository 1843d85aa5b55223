"""Every window fits the screen it opens on, and its title fits its title bar.

At `QT_SCALE_FACTOR=2` on a laptop, or with larger text, a window sized for a desktop screen ran off the
bottom of the screen with its buttons out of reach; and a narrow dialog's title was cut by the window manager
("Correct: Tem… — mstracker"). One event filter on the application handles every top-level window as it is
first shown: no window has to remember to do it. Windows whose content can be taller than the screen scroll
inside (the main window's page sits in a scroll area; the print preview scrolls its pages).

Light on purpose (QtCore and QtWidgets only): it is part of the first paint. The application-wide filter
itself comes just after that paint (`install_after_paint`): with any Python event filter on the application,
the first scroll area PySide6 meets makes it build the Python types of all of QtWidgets (50-80 ms), which
the first paint does not wait for; the painted window is fitted by a filter of its own meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QFont, QFontMetrics
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


class ScreenFit(QObject):
    """Fits each dialog and main window once, as it is first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, (QDialog, QMainWindow))
                and watched.isWindow() and not watched.property(FITTED)):
            watched.setProperty(FITTED, True)
            fit(watched)
        return False


def install(app: QApplication) -> None:
    if getattr(app, "_screen_fit", None) is None:
        app._screen_fit = ScreenFit(app)  # kept alive with the application
        app.installEventFilter(app._screen_fit)


class _AfterPaint(ScreenFit):
    """Fits `window` as it is shown, and puts the application-wide filter on once it has been painted."""

    def __init__(self, app: QApplication, window: QWidget) -> None:
        super().__init__(window)
        self._app = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._app is not None:
            app, self._app = self._app, None
            QTimer.singleShot(0, lambda: install(app))
        return super().eventFilter(watched, event)


def install_after_paint(app: QApplication, window: QWidget) -> None:
    """`window` (the first paint's) fitted when shown; every window from its first paint on."""
    window.installEventFilter(_AfterPaint(app, window))
