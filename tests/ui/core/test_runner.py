"""The one runner: work off the UI thread, counted as busy, one wording for failures, "only the newest
result counts" as an option, and a write's changes broadcast after it succeeded."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget
from shiboken6 import delete

from mstracker.domain.errors import UserError
from mstracker.ui.core.runner import ChangeBus, Changes, Newest, error_text, run_op, run_query


def _wait(qtbot, bus: ChangeBus) -> None:
    qtbot.waitUntil(lambda: bus.running == 0, timeout=5000)
    QThreadPool.globalInstance().waitForDone()


def test_a_read_runs_off_the_ui_thread_and_counts_as_busy(qtbot):
    bus, seen, busy = ChangeBus(), [], []
    bus.busy.connect(busy.append)
    run_query(None, bus, lambda: threading.get_ident(), seen.append)
    assert bus.running == 1
    _wait(qtbot, bus)
    assert seen and seen[0] != threading.get_ident()
    assert busy == [True, False]


def test_only_the_newest_read_arrives(qtbot):
    bus, newest, seen = ChangeBus(), Newest(), []

    def slow() -> str:
        time.sleep(0.2)
        return "old patient"

    run_query(None, bus, slow, seen.append, newest=newest)
    run_query(None, bus, lambda: "new patient", seen.append, newest=newest)
    assert newest.pending
    _wait(qtbot, bus)
    assert seen == ["new patient"] and not newest.pending


def test_a_forgotten_read_arrives_nowhere(qtbot):
    bus, newest, seen, failed = ChangeBus(), Newest(), [], []
    run_query(None, bus, lambda: 1 / 0, seen.append, on_failure=failed.append, newest=newest)
    newest.forget()
    _wait(qtbot, bus)
    assert seen == [] and failed == [] and not newest.pending


def test_a_write_broadcasts_its_changes_after_it_succeeded(qtbot):
    bus, changed, results = ChangeBus(), [], []
    bus.changed.connect(changed.append)
    run_op(None, bus, lambda: 42, Changes(log=True), on_success=results.append)
    _wait(qtbot, bus)
    assert results == [42] and changed == [Changes(log=True)]


def test_a_refused_write_says_why_in_its_own_words_and_broadcasts_nothing(qtbot):
    bus, changed, failures, said = ChangeBus(), [], [], []
    bus.changed.connect(changed.append)
    bus.failed.connect(said.append)

    def refuse() -> None:
        raise UserError("the temperature 45.0 °C is out of range; check it")

    run_op(None, bus, refuse, Changes(log=True), on_failure=failures.append)
    _wait(qtbot, bus)
    assert failures == said == ["the temperature 45.0 °C is out of range; check it"] and changed == []


def test_the_unexpected_is_worded_calmly():
    assert error_text(UserError("no patient with id 9")) == "no patient with id 9"
    assert error_text(ZeroDivisionError("division by zero")) == \
        "Something unexpected went wrong and nothing was changed: division by zero"


def test_a_result_for_a_closed_widget_is_dropped(qtbot):
    bus, seen = ChangeBus(), []
    asker = QWidget()

    def slow() -> str:
        time.sleep(0.2)
        return "late"

    run_query(asker, bus, slow, seen.append)
    delete(asker)  # closed and gone before its answer comes
    qtbot.waitUntil(lambda: bus.running == 0, timeout=5000)
    assert seen == []
