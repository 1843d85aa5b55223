"""One way to run a service call from the ui (after Anki's CollectionOp/QueryOp).

`run_op` runs a write off the UI thread, shows a refusal (`UserError`) as it is in one standard dialog,
and then broadcasts what changed on the `ChangeBus`, so that each view decides for itself whether to
refresh. `run_query` is its twin for reads. No widget talks to the database.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from ...domain.errors import UserError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """What a write changed; views refresh only for what concerns them."""

    patient: bool = False
    journey: bool = False
    log: bool = False
    reminders: bool = False

    @classmethod
    def everything(cls) -> Changes:
        return cls(patient=True, journey=True, log=True, reminders=True)


class ChangeBus(QObject):
    """Broadcasts `Changes` after every successful write, and counts work in flight (for a busy indicator)."""

    changed = Signal(object)
    busy = Signal(bool)
    failed = Signal(str)  # every refusal or error message shown to the user, as shown

    def __init__(self) -> None:
        super().__init__()
        self._running = 0

    def started(self) -> None:
        self._running += 1
        if self._running == 1:
            self.busy.emit(True)

    def finished(self) -> None:
        self._running -= 1
        if self._running == 0:
            self.busy.emit(False)

    @property
    def running(self) -> int:
        return self._running


class _Relay(QObject):
    """Lives in the UI thread: the worker's result arrives here through a queued signal."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._on_done, self._on_error = on_done, on_error
        self.done.connect(self._deliver)
        self.error.connect(self._fail)

    @Slot(object)
    def _deliver(self, value: Any) -> None:
        _live.discard(self)
        self._on_done(value)

    @Slot(object)
    def _fail(self, exc: BaseException) -> None:
        _live.discard(self)
        self._on_error(exc)


_live: set[_Relay] = set()  # keeps each relay alive until its worker reports


class _Worker(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn, self._relay = fn, relay

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:  # every failure goes back to the UI thread, none is lost
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.error.emit(exc)
        else:
            self._relay.done.emit(value)


def error_text(exc: BaseException) -> str:
    """A UserError's message as it is; anything else as one calm sentence (details go to the log)."""
    if isinstance(exc, UserError):
        return str(exc)
    log.error("unexpected error: %s", getattr(exc, "__traceback_text__", repr(exc)))
    return f"Something unexpected went wrong and nothing was changed: {exc}"


def show_error(parent: QWidget | None, bus: ChangeBus | None, exc: BaseException) -> None:
    """The one standard way a refusal is shown: a calm dialog with the message as it is."""
    message = error_text(exc)
    if bus is not None:
        bus.failed.emit(message)
    show_message(parent, message, refusal=isinstance(exc, UserError))


def show_message(parent: QWidget | None, message: str, *, refusal: bool = True) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning if refusal else QMessageBox.Icon.Critical,
                      "Not saved" if refusal else "Something went wrong", message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAccessibleName("Message")
    box.setAccessibleDescription(message)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal, does not block the event loop
    return box


def _start(fn: Callable[[], Any], bus: ChangeBus, on_done: Callable[[Any], None],
           on_error: Callable[[BaseException], None]) -> None:
    bus.started()

    def done(value: Any) -> None:
        bus.finished()
        on_done(value)

    def error(exc: BaseException) -> None:
        bus.finished()
        on_error(exc)

    relay = _Relay(done, error)
    _live.add(relay)
    QThreadPool.globalInstance().start(_Worker(fn, relay))


def run_op(parent: QWidget | None, bus: ChangeBus, fn: Callable[[], Any], changes: Changes, *,
           on_success: Callable[[Any], None] | None = None,
           on_failure: Callable[[str], None] | None = None) -> None:
    """A write: `fn` runs in the thread pool; then `on_success(result)` and `bus.changed(changes)`.

    A failure is shown in the standard dialog, or handed as its message to `on_failure` (a dialog that
    shows it inline, keeping what the user typed).
    """

    def done(value: Any) -> None:
        if on_success is not None:
            on_success(value)
        bus.changed.emit(changes)

    def error(exc: BaseException) -> None:
        if on_failure is not None:
            message = error_text(exc)
            bus.failed.emit(message)
            on_failure(message)
        else:
            show_error(parent, bus, exc)

    _start(fn, bus, done, error)


def run_query(parent: QWidget | None, bus: ChangeBus, fn: Callable[[], Any], on_done: Callable[[Any], None], *,
              on_failure: Callable[[BaseException], None] | None = None) -> None:
    """A read off the UI thread; a failure is handed to `on_failure` (views show it inline), else shown."""

    def error(exc: BaseException) -> None:
        if on_failure is not None:
            on_failure(exc)
        else:
            show_error(parent, bus, exc)

    _start(fn, bus, on_done, error)
