"""The app's start until its window is complete: `run_app` as `gui --smoke` runs it, but exiting only once the
opened database's first full load (status, history, reminders) has arrived. Writes the longest time the UI
thread did not answer in between (a 5 ms timer's longest gap) to the file named by the second argument.

Usage: python loaded_window.py DB STALL_FILE
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QTimer

import mstracker.ui.app as ui_app
from mstracker.cli import end_of_process

TICK_MS = 5


def main() -> int:
    db, stall_file = sys.argv[1], sys.argv[2]
    gaps: list[float] = []
    last: list[float] = []

    def tick() -> None:
        now = time.perf_counter()
        if last:
            gaps.append((now - last[0]) * 1000)
        last[:] = [now]

    make_application = ui_app.make_application

    def with_ticks(**options):
        app = make_application(**options)
        timer = QTimer(app)
        timer.setInterval(TICK_MS)
        timer.timeout.connect(tick)
        timer.start()
        return app

    ui_app.make_application = with_ticks
    code = ui_app.run_app(db, smoke=True, smoke_until_loaded=True)
    with open(stall_file, "w", encoding="utf-8") as out:
        json.dump({"longest_stall_ms": max(gaps, default=0.0)}, out)
    end_of_process()  # as the `mstracker` script ends
    return code


if __name__ == "__main__":
    sys.exit(main())
