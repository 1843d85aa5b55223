"""Run in a child process on a real X display with a window manager (`test_real_window.py`): open the main
window in one role, go round every page with Tab and Shift+Tab, then the log and phase dialogs, and print
what was found as JSON. Exit 0 when every round reached every enabled control, both ways."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QDeadlineTimer, QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.keyboard import describe, focusable, tab_round

PAGES = {"patient": ("patient", "agenda"), "caregiver": ("agenda", "patient"),
         "coordinator": ("dashboard", "patient", "agenda")}


def wait_until(condition, seconds: float = 20.0) -> None:
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError("waited too long")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QTest.qWait(20)


def press(backwards: bool) -> None:
    widget = QApplication.focusWidget()
    if widget is None:
        return
    if backwards:
        QTest.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    else:
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    QTest.qWait(10)


def activate(window) -> None:
    window.raise_()
    window.activateWindow()
    wait_until(window.isActiveWindow)  # the window manager gives it the focus
    wait_until(lambda: QApplication.focusWidget() is not None)


def walk(window, name: str) -> dict:
    activate(window)
    tab_round(window, press)  # a first round: a table entered makes a row current (Open patient)
    start = QApplication.focusWidget()
    forward = tab_round(window, press)
    missed = set(focusable(window)) - set(forward) - {start}
    backward = tab_round(window, press, backwards=True)
    return {"where": name, "stops": [describe(w) for w in [start, *forward]],
            "missed": [describe(w) for w in missed], "same_both_ways": backward == list(reversed(forward))}


def main(db: str, role: str) -> int:
    from mstracker.domain.entries import LogKind
    from mstracker.services import journeys
    from mstracker.ui.app import build_window, make_application
    from mstracker.ui.dialogs.audit import AuditDialog
    from mstracker.ui.dialogs.log_entry import LogDialog
    from mstracker.ui.dialogs.phase import PhaseDialog

    make_application()
    window = build_window(db, role)
    window.show()
    wait_until(lambda: window._loaded_once and window.session.bus.running == 0)
    results = []
    for page in PAGES[role]:
        window.show_page(page)
        wait_until(lambda: window.session.bus.running == 0)
        results.append(walk(window, page))
    pid = window.session.patient_id
    audit = AuditDialog(window.session, pid, window)
    audit.show()
    wait_until(lambda: window.session.bus.running == 0)
    audit.table.selectRow(0)
    results.append(walk(audit, "audit"))
    audit.close()
    if not window.readonly:
        for kind in (LogKind.TEMPERATURE, LogKind.LAB, LogKind.SIDE_EFFECT):
            dialog = LogDialog(window.session, pid, kind, parent=window)
            dialog.show()
            results.append(walk(dialog, f"log {kind.value}"))
            dialog.reject()
        journey = journeys.journey_of(window.ctx, pid)
        dialog = PhaseDialog(window.session, pid, journey, window)
        dialog.show()
        results.append(walk(dialog, "phase"))
        dialog.reject()
    print(json.dumps(results))
    ok = all(not r["missed"] and r["same_both_ways"] and len(r["stops"]) > 2 for r in results)
    window.session.ctx.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
