"""What the Log menu, the quick temperature and Edit ▸ Correct / Delete do: each undoable, said in the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from ...domain.entries import LogEntry, LogKind
from ..core.later import later
from ..core.runner import show_message
from ..core.session import Session
from ..core.undo import Undo
from ..core.words import LOG_KIND_WORDS
from ..dialogs.log_entry import CHANGES, LogDialog, summary

logbook = later("mstracker.services.logbook")


def gvhd_allowed(status) -> bool:
    """Graft-versus-host disease is asked about only after a transplant from a donor (not one's own cells)."""
    protocol = status.protocol if status is not None else None
    return bool(protocol is not None and not protocol.autologous)


def quick_temperature(parent: QWidget | None, session: Session, celsius: float,
                      finished: Callable[[], None] | None = None) -> None:
    """The temperature now, in one step; `finished()` once it is saved or refused (a refusal shown the standard
    way)."""
    pid = session.patient_id
    if pid is None or session.readonly:
        return
    ctx = session.ctx
    value = f"{celsius:.1f}"
    at = ctx.now().replace(tzinfo=None, second=0, microsecond=0)

    def done(_entry_id) -> None:
        if finished is not None:
            finished()
        session.bus.said.emit(f"Temperature {value} °C logged at {at:%H:%M}. Ctrl+Z takes it back.", 10_000)

    def failed(message: str) -> None:
        if finished is not None:
            finished()
        show_message(parent, message)  # the standard way, with the button back for another try

    session.op(
        parent, lambda: logbook.log(ctx, pid, LogKind.TEMPERATURE, at, {"celsius": value}), CHANGES,
        undo=lambda entry_id: Undo("log temperature", logbook.undo_log, (entry_id,)),
        on_success=done, on_failure=failed)


def open_log_dialog(parent: QWidget | None, session: Session, kind: LogKind, gvhd: bool) -> LogDialog | None:
    pid = session.patient_id
    if pid is None or session.readonly:
        return None
    dialog = LogDialog(session, pid, kind, gvhd_allowed=gvhd, parent=parent)
    dialog.accepted.connect(lambda: session.bus.said.emit(f"{LOG_KIND_WORDS[kind]} logged. Ctrl+Z takes it back.", 10_000))
    dialog.open()
    return dialog


def correct(parent: QWidget | None, session: Session, entry: LogEntry | None, gvhd: bool) -> LogDialog | None:
    if entry is None or session.readonly:
        return None
    dialog = LogDialog(session, session.patient_id, entry.kind, entry=entry, gvhd_allowed=gvhd, parent=parent)
    dialog.open()
    return dialog


def delete(parent: QWidget | None, session: Session, entry: LogEntry | None) -> QInputDialog | None:
    """Entered in error: the entry is hidden from figures and kept in the audit trail; Ctrl+Z brings it back."""
    if entry is None or session.readonly:
        return None
    ctx = session.ctx
    dialog = QInputDialog(parent)
    dialog.setObjectName("deleteDialog")
    dialog.setWindowTitle("Delete entry")
    dialog.setLabelText(f"Delete this entry?\n{summary(entry)}\n\nIt stays in the audit trail. Why is it deleted?")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue("entered in error")
    dialog.setOkButtonText("Delete")

    def confirmed(reason: str) -> None:
        session.op(
            parent, lambda: logbook.retract(ctx, entry.entry_id, reason), CHANGES,
            undo=lambda _r: Undo(f"delete {LOG_KIND_WORDS[entry.kind].lower()}", logbook.undo_retract,
                                 (entry.entry_id,)),
            on_success=lambda _r: session.bus.said.emit("Entry deleted. Ctrl+Z brings it back.", 10_000))

    dialog.textValueSelected.connect(confirmed)
    dialog.open()
    return dialog
