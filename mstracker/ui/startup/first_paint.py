"""The window painted before the database is open: a first look at the file (who, which phase) shown at
once, and `gui --smoke`'s exit once that paint has happened."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from ...services.first_look import first_look
from ...services.roles import Role
from ..core.settings import UiSettings
from ..window.main_window import MainWindow

log = logging.getLogger(__name__)
SMOKE_TIMEOUT_MS = 30_000


def painted_first(db: str | None, role: str, role_explicit: bool, settings: UiSettings,
                  smoke: bool) -> MainWindow | None:
    """The main window before the database is opened, from a first look at the file (who, which phase), so
    that it paints at once; None where that look is not possible or the role is still to be asked."""
    look = first_look(db, settings.last_patient)
    if look is None:
        return None
    if not (role_explicit or smoke):
        known = settings.role()
        if known is None and look.patient_count > 1:
            return None  # the role question comes first
        role = known or role
    window = MainWindow(None, settings, look.db_key, role=role, readonly=Role(role).read_only)
    window.show_glance(look.patient)
    return window


def smoke_painted(app: QApplication, window: MainWindow) -> int:
    """`gui --smoke` with a first look: exit 0 once the main window has been painted."""
    failures: list[str] = []
    previous_hook = sys.excepthook

    def hook(kind, value, tb) -> None:  # an exception in a slot before the paint fails the run
        log.error("unexpected error in the app", exc_info=(kind, value, tb))
        failures.append(f"{kind.__name__}: {value}")
        app.exit(1)

    # Quit once this paint has finished, as the bare window of the benchmarks does.
    watch = PaintWatch(lambda: QTimer.singleShot(0, lambda: app.exit(1 if failures else 0)))
    window.installEventFilter(watch)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(1))
    sys.excepthook = hook
    try:
        window.show()
        code = app.exec()
    finally:
        sys.excepthook = previous_hook
    for problem in failures:
        print(f"error: {problem}", file=sys.stderr)
    return code




class PaintWatch(QObject):
    def __init__(self, first_paint=None) -> None:
        super().__init__()
        self.painted = False
        self._first_paint = first_paint  # called once, at the first paint

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            if self._first_paint is not None:
                self._first_paint()
        return False
