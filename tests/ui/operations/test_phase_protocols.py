"""Journey ▸ Change phase for a patient whose journey has not begun: the protocols it can start with are read
with the journey, off the UI thread, and offered in the dialog."""

from __future__ import annotations

import threading

from mstracker.services import patients, protocols
from mstracker.services.context import open_context
from mstracker.ui.operations import journey as journey_ops


def test_the_protocols_are_read_off_the_ui_thread_and_offered(qtbot, window_for, db_path, clock, monkeypatch):
    ctx = open_context(db_path, clock=clock)
    pid = patients.add_patient(ctx, "Lea Novak")
    ctx.close()
    window = window_for(db_path)
    on_ui: list[bool] = []
    read = protocols.read_text
    monkeypatch.setattr(protocols, "read_text",
                        lambda path: on_ui.append(threading.current_thread() is threading.main_thread()) or read(path))
    opened = []
    journey_ops.change_phase(window, window.session, pid, opened=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    dialog = opened[0]
    assert on_ui and not any(on_ui)  # every protocol file was read in the worker
    offered = [dialog.protocol.itemData(i) for i in range(dialog.protocol.count())]
    assert offered == [p.name for p in protocols.list_protocols()] and "cy-atg" in offered
    dialog.close()
