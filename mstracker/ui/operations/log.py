"""The main window's logging actions: quick temperature, the log dialog, corrections and deletions."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit

from ...domain.entries import LogKind
from ...services import logbook
from ..core.runner import show_message
from ..core.words import KIND_WORDS
from ..dialogs.log_entry import CHANGES, UNDO_REASON, LogDialog, summary


def _gvhd_allowed(window) -> bool:
    protocol = getattr(window.status, "protocol", None)
    return bool(protocol is not None and not protocol.autologous)


def quick_temperature(window) -> None:
    pid = window.session.patient_id
    if pid is None or window.readonly:
        return
    ctx = window.ctx
    value = f"{window.quick_temp.value():.1f}"
    at = ctx.now().replace(tzinfo=None, second=0, microsecond=0)
    window.quick_button.setEnabled(False)

    def done(_entry_id) -> None:
        window.quick_button.setEnabled(True)
        window.statusBar().showMessage(f"Temperature {value} °C logged at {at:%H:%M}. Ctrl+Z takes it back.", 10_000)

    def failed(message: str) -> None:
        window.quick_button.setEnabled(True)
        show_message(window, message)  # the standard way, with the button back for another try

    window.session.op(
        window, lambda: logbook.log(ctx, pid, LogKind.TEMPERATURE, at, {"celsius": value}), CHANGES,
        undo=lambda entry_id: ("log temperature", lambda: logbook.retract(ctx, entry_id, UNDO_REASON)),
        on_success=done, on_failure=failed)


def open_log_dialog(window, kind: LogKind) -> LogDialog | None:
    pid = window.session.patient_id
    if pid is None or window.readonly:
        return None
    dialog = LogDialog(window.session, pid, kind, gvhd_allowed=_gvhd_allowed(window), parent=window)
    dialog.accepted.connect(lambda: window.statusBar().showMessage(
        f"{KIND_WORDS[kind]} logged. Ctrl+Z takes it back.", 10_000))
    dialog.open()
    window.log_dialog = dialog
    return dialog


def correct(window) -> LogDialog | None:
    entry = window.history.current_entry()
    if entry is None or window.readonly:
        return None
    dialog = LogDialog(window.session, window.session.patient_id, entry.kind, entry=entry,
                       gvhd_allowed=_gvhd_allowed(window), parent=window)
    dialog.open()
    window.log_dialog = dialog
    return dialog


def delete(window) -> QInputDialog | None:
    """Entered in error: the entry is hidden from figures and kept in the audit trail; Ctrl+Z brings it back."""
    entry = window.history.current_entry()
    if entry is None or window.readonly:
        return None
    ctx = window.ctx
    dialog = QInputDialog(window)
    dialog.setObjectName("deleteDialog")
    dialog.setWindowTitle("Delete entry")
    dialog.setLabelText(f"Delete this entry?\n{summary(entry)}\n\nIt stays in the audit trail. Why is it deleted?")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue("entered in error")
    dialog.setOkButtonText("Delete")

    def confirmed(reason: str) -> None:
        window.session.op(
            window, lambda: logbook.retract(ctx, entry.entry_id, reason), CHANGES,
            undo=lambda _r: (f"delete {KIND_WORDS[entry.kind].lower()}",
                             lambda: logbook.unretract(ctx, entry.entry_id)),
            on_success=lambda _r: window.statusBar().showMessage("Entry deleted. Ctrl+Z brings it back.", 10_000))

    dialog.textValueSelected.connect(confirmed)
    dialog.open()
    window.delete_dialog = dialog
    return dialog
