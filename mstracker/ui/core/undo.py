"""The session's undo list: each log, correction, deletion or reminder action adds how to take it back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from .runner import Changes


@dataclass(frozen=True)
class UndoItem:
    label: str  # "log temperature", shown as "Undo log temperature"
    undo: Callable[[], Any]
    changes: Changes
    said: str = ""  # the status bar's sentence once it is taken back; default "Undone: <label>."

    @property
    def done_words(self) -> str:
        return self.said or f"Undone: {self.label}."


class UndoList(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._items: list[UndoItem] = []

    def push(self, label: str, undo: Callable[[], Any], changes: Changes, said: str = "") -> None:
        self._items.append(UndoItem(label, undo, changes, said))
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
