"""One way to run a service call from the ui (after Anki's CollectionOp/QueryOp).

`run_op` runs a write off the UI thread, shows a refusal (`UserError`) as it is in one standard dialog,
and then broadcasts what changed on the `ChangeBus`, so that each view decides for itself whether to
refresh. `run_query` is its twin for reads; with a `Newest`, only the newest of a view's reads counts. Both
count as busy on the bus while they run, and word a failure the same way (`error_text`). No widget talks to
the database: every service call from a widget goes through here (the session's `op` and `query`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

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
    said = Signal(str, int)  # what an operation did, in a sentence, and for how many milliseconds to say it

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
           on_error: Callable[[BaseException], None], parent: QWidget | None = None) -> None:
    """`fn` in the thread pool, counted as busy on `bus`; the outcome is dropped if `parent` (the widget that
    asked) has been closed and deleted meanwhile."""
    bus.started()

    def done(value: Any) -> None:
        bus.finished()
        if parent is None or isValid(parent):
            on_done(value)

    def error(exc: BaseException) -> None:
        bus.finished()
        if parent is None or isValid(parent):
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

    _start(fn, bus, done, error, parent)


class Newest:
    """"Only the newest result counts", for one kind of read of a view: each read started through it takes a
    ticket, and the result of a read that a newer one has overtaken (a patient switched, a second refresh) is
    dropped, its failure too, so a view never shows stale data."""

    def __init__(self) -> None:
        self._ticket = 0
        self._answered = 0

    def take(self) -> int:
        self._ticket += 1
        return self._ticket

    def answer(self, ticket: int) -> bool:
        """Whether the read with `ticket` is still the newest; once true, the kind is no longer pending."""
        if ticket != self._ticket:
            return False
        self._answered = ticket
        return True

    def forget(self) -> None:
        """Whatever is on its way counts no more (the view was cleared)."""
        self._answered = self.take()

    @property
    def pending(self) -> bool:
        return self._answered != self._ticket


def run_query(parent: QWidget | None, bus: ChangeBus, fn: Callable[[], Any], on_done: Callable[[Any], None], *,
              on_failure: Callable[[BaseException], None] | None = None, newest: Newest | None = None) -> None:
    """A read off the UI thread; a failure is handed to `on_failure` (views show it inline), else shown.
    With `newest`, only the result of the newest read started through it arrives."""

    def error(exc: BaseException) -> None:
        if on_failure is not None:
            on_failure(exc)
        else:
            show_error(parent, bus, exc)

    if newest is None:
        _start(fn, bus, on_done, error, parent)
        return
    ticket = newest.take()
    _start(fn, bus, lambda value: newest.answer(ticket) and on_done(value),
           lambda exc: newest.answer(ticket) and error(exc), parent)
