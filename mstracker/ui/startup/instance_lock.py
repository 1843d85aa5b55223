"""One instance per database: this process holds the file, or the user opens it read-only, or quits."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ...services.locking import acquire_instance_lock

READ_ONLY, QUIT = "readonly", "quit"


def ask_when_locked(parent: QWidget | None, where: str) -> str:
    """Another instance has the file open: open it read-only (as a caregiver would), or quit."""
    box = QMessageBox(QMessageBox.Icon.Warning, "mstracker is already open",
                      f"{where} is already open in another mstracker window.\n\n"
                      "Two windows writing to the same file could lose an entry, so only one can change it. "
                      "You can look at it here read-only, or quit and use the other window.",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("lockedBox")
    readonly = box.addButton("Open &read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(readonly)
    box.exec()
    return READ_ONLY if box.clickedButton() is readonly else QUIT


def claim(ctx, reopen_readonly, parent: QWidget | None = None):
    """(ctx, lock) with this process holding the database, or the read-only ctx (lock None) the user chose,
    or None to quit. `reopen_readonly()` opens the same database as a caregiver."""
    lock = acquire_instance_lock(ctx)
    if lock is not None:
        return ctx, lock
    if ctx.readonly:
        return ctx, None  # looking only: nothing to keep apart
    choice = ask_when_locked(parent, ctx.where)
    ctx.close()
    if choice != READ_ONLY:
        return None
    return reopen_readonly(), None
