"""The session's undo list: each log, correction, deletion or reminder action adds how to take it back.

How is never written here: an entry names the service's own undo function, which sits beside the write in
`services` (`logbook.undo_log`, `journeys.undo_advance`, `reminders.reopen`, …) so the command line takes a
write back the same way; the session runs it through the runner with the context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from .runner import Changes


@dataclass(frozen=True)
class Undo:
    """What a write gives Edit ▸ Undo: `fn(ctx, *args)` takes it back."""

    label: str  # "log temperature", shown as "Undo log temperature"
    fn: Callable[..., Any]  # a service's undo function, called with the context first
    args: tuple[Any, ...] = ()
    said: str = ""  # the status bar's sentence once it is taken back; default "Undone: <label>."


@dataclass(frozen=True)
class UndoItem:
    undo: Undo
    changes: Changes  # what the write changed: taking it back changes the same

    @property
    def label(self) -> str:
        return self.undo.label

    @property
    def done_words(self) -> str:
        return self.undo.said or f"Undone: {self.undo.label}."

    def run(self, ctx: Any) -> Any:
        """In the worker: the service's undo function on `ctx`."""
        return self.undo.fn(ctx, *self.undo.args)


class UndoList(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._items: list[UndoItem] = []

    def push(self, undo: Undo, changes: Changes) -> None:
        self._items.append(UndoItem(undo, changes))
        self.changed.emit()

    def pop(self) -> UndoItem | None:
        item = self._items.pop() if self._items else None
        self.changed.emit()
        return item

    def restore(self, item: UndoItem) -> None:
        """An undo that failed goes back on the list, so it can be tried again."""
        self._items.append(item)
        self.changed.emit()

    def clear(self) -> None:
        """After a restore the old entries are gone: their undo would act on another file's history."""
        self._items.clear()
        self.changed.emit()

    @property
    def top(self) -> UndoItem | None:
        return self._items[-1] if self._items else None

    def __len__(self) -> int:
        return len(self._items)
