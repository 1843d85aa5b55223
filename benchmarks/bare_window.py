"""The start-up floor: a bare PySide6 QMainWindow, shown, painted once, then the process exits 0.

`mstracker gui --smoke` does the same with the real window, so the ratio of the two is what the app adds.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class _QuitOnPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            # Quit once this paint has finished, as the app's smoke start does.
            QTimer.singleShot(0, self._app.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("mstracker")
    window.setCentralWidget(QLabel("bare window"))
    window.resize(1100, 720)
    watcher = _QuitOnPaint(app)
    window.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
