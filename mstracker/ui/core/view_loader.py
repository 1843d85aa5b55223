"""Reads for a view, off the UI thread: the result comes back through a queued signal.

Only the newest request counts: a result that arrives after a newer `start` is dropped, so a view
never shows stale data after switching patient or refreshing twice.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ...domain.errors import UserError

log = logging.getLogger(__name__)


class _Channel(QObject):
    done = Signal(int, object)
    error = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, ticket: int, fn: Callable[[], Any], channel: _Channel) -> None:
        super().__init__()
        self._ticket, self._fn, self._channel = ticket, fn, channel

    def run(self) -> None:
        try:
            value = self._fn()
        except UserError as exc:
            self._channel.error.emit(self._ticket, str(exc))
        except Exception as exc:  # shown calmly; the details go to the log
            log.error("loading failed: %s", traceback.format_exc())
            self._channel.error.emit(self._ticket, f"Could not load the data: {exc}")
        else:
            self._channel.done.emit(self._ticket, value)


class ViewLoader(QObject):
    """`start(fn)` runs `fn` in the thread pool; `loaded(value)` or `failed(message)` follows in the UI thread."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket = 0
        self._busy = False
        self._channel = _Channel(self)  # lives in the UI thread: its signals are queued back here
        self._channel.done.connect(self._done)
        self._channel.error.connect(self._error)

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self, fn: Callable[[], Any]) -> None:
        self._ticket += 1
        self._busy = True
        QThreadPool.globalInstance().start(_Job(self._ticket, fn, self._channel))

    def _done(self, ticket: int, value: object) -> None:
        if ticket == self._ticket:
            self._busy = False
            self.loaded.emit(value)

    def _error(self, ticket: int, message: str) -> None:
        if ticket == self._ticket:
            self._busy = False
            self.failed.emit(message)
