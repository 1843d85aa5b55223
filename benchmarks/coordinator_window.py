"""The coordinators' window complete: the dashboard of every patient loaded, red flags included, then exit 0
(1 if it did not load within the time limit). The launcher measures its peak memory. The database is opened
as the app opens a plain file (`services.lazy_context`: read with sqlite3 until the first write).

Usage: python coordinator_window.py DB
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer

import mstracker.ui.app as ui_app
from mstracker.ui.core.settings import UiSettings

TIME_LIMIT_MS = 60_000


def main() -> int:
    app = ui_app.make_application()
    window = ui_app.build_window(sys.argv[1], "coordinator", settings=UiSettings())  # opened as the app opens it
    window.show()
    loaded: list[int] = []

    def arrived(count: int) -> None:
        loaded.append(count)
        QTimer.singleShot(0, app.quit)

    window.dashboard.loaded.connect(arrived)
    QTimer.singleShot(TIME_LIMIT_MS, app.quit)
    app.exec()
    ui_app.QThreadPool.globalInstance().waitForDone()
    window.session.ctx.close()
    return 0 if loaded and loaded[0] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
