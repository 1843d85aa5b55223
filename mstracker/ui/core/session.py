"""What the open window works on: the context, the patient, the change bus and the undo list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from .runner import ChangeBus, Changes, Newest, run_op, run_query, show_message
from .undo import Undo, UndoList

if TYPE_CHECKING:  # the context imports the storage engine: not before the first paint
    from ...services.context import AppContext


class Session(QObject):
    patient_changed = Signal(object)  # the patient id, or None

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.bus = ChangeBus()
        self.undo = UndoList()
        self.patient_id: int | None = None

    @property
    def readonly(self) -> bool:
        return self.ctx.readonly

    # Where the data are, for words and file names (no database call): widgets ask here, not `ctx.db`.
    @property
    def on_server(self) -> bool:
        """A clinic's database server (which backs itself up), not a file."""
        return self.ctx.file is None

    @property
    def where(self) -> str:
        """The file or server, as the user knows it (no password)."""
        return self.ctx.where

    @property
    def file_stem(self) -> str:
        """The database file's name without its extension; "mstracker" on a server."""
        path = self.ctx.file
        return Path(path).stem if path else "mstracker"

    def close(self) -> None:
        """The window is done with its data: no read may still be running (the caller waited for the pool)."""
        self.ctx.close()

    def set_patient(self, patient_id: int | None) -> None:
        self.patient_id = patient_id
        self.patient_changed.emit(patient_id)

    def refresh(self) -> None:
        """View ▸ Refresh, and after a restore: every view reads everything again, as after any change."""
        self.bus.changed.emit(Changes.everything())

    def op(self, parent: QWidget | None, fn: Callable[[], Any], changes: Changes, *,
           undo: Callable[[Any], Undo | None] | None = None,
           on_success: Callable[[Any], None] | None = None,
           on_failure: Callable[[str], None] | None = None) -> None:
        """A write; `undo(result)` may give Edit ▸ Undo an item: the service's undo function and its arguments."""

        def success(value: Any) -> None:
            if undo is not None:
                item = undo(value)
                if item is not None:
                    self.undo.push(item, changes)
            if on_success is not None:
                on_success(value)

        run_op(parent, self.bus, fn, changes, on_success=success, on_failure=on_failure)

    def query(self, parent: QWidget | None, fn: Callable[[], Any], on_done: Callable[[Any], None], *,
              on_failure: Callable[[BaseException], None] | None = None, newest: Newest | None = None) -> None:
        """A read; `fn` runs off the UI thread; with `newest`, only the newest of that kind of read arrives."""
        run_query(parent, self.bus, fn, on_done, on_failure=on_failure, newest=newest)

    def undo_last(self, parent: QWidget | None) -> None:
        item = self.undo.pop()
        if item is None:
            return

        def failed(message: str) -> None:
            self.undo.restore(item)
            show_message(parent, message)

        ctx = self.ctx
        run_op(parent, self.bus, lambda: item.run(ctx), item.changes, on_failure=failed,
               on_success=lambda _r: self.bus.said.emit(item.done_words, 10_000))
