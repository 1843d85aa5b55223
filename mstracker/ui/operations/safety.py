"""Data safety in the app: the daily backup and a quick check after start-up, Back up now…, Restore from
backup…, and restoring the newest good backup when the file is damaged (one instance per database is
`startup/instance_lock.py`).

Restoring never overwrites the damaged or current file: services.maintenance.restore saves it into the
backups folder first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from ...services.check_report import CheckReport, start_check
from ..core.later import later
from ..core.runner import error_text
from ..core.session import Session

if TYPE_CHECKING:
    from ...services.locking import Lock

maintenance = later("mstracker.services.maintenance")


# ---- after the first paint ----------------------------------------------------------------------
def start_checks(parent: QWidget | None, session: Session,
                 checked: Callable[[CheckReport | None, str | None], None]) -> None:
    """The day's backup and a quick integrity check, off the UI thread; `checked(report, problem)` after, with
    the report (None when the check itself could not run) and what to tell the user, if anything."""
    ctx = session.ctx
    session.query(parent, lambda: start_check(ctx), lambda result: checked(*result),
                  on_failure=lambda exc: checked(None, f"The start-up check could not run: {error_text(exc)}"))


def offer_restore(parent: QWidget | None, session: Session, report: CheckReport, lock: Lock | None,
                  restored: Callable[[Path, Path], None]) -> QMessageBox:
    """The file is damaged: offer the newest good backup (to those who may write)."""
    good = report.newest_good_backup
    found = (report.problems or report.projection or ["unknown damage"])[0]
    text = f"The database file {report.where} is damaged ({found})."
    box = QMessageBox(QMessageBox.Icon.Critical, "Your data file is damaged", text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("damagedBox")
    if good is not None and not session.readonly:
        box.setInformativeText(f"A good backup was found: {good.name}.\n\nRestore it? The damaged file is kept "
                               "in the backups folder, never overwritten. Entries made after that backup are "
                               "only in the damaged file: keep it for your clinic.")
        restore_button = box.addButton("&Restore the backup", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda b: b is restore_button and restore_file(parent, session, good, lock, restored))
    else:
        box.setInformativeText("No good backup was found. Close mstracker and ask for help before making "
                               "new entries." if good is None else
                               f"A good backup was found ({good.name}); the patient or coordinator can restore it.")
        box.addButton(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# ---- by hand --------------------------------------------------------------------------------------
def backup_now(parent: QWidget | None, session: Session) -> None:
    ctx = session.ctx
    suggested = str(Path.home() / f"{session.file_stem}-backup-{ctx.today().isoformat()}.sqlite3")
    path, _ = QFileDialog.getSaveFileName(parent, "Back up now", suggested, "mstracker backups (*.sqlite3)")
    if not path:
        return
    session.bus.said.emit("Backing up…", 0)
    session.query(parent, lambda: maintenance.backup(ctx, Path(path)),
                  lambda out: session.bus.said.emit(f"Backed up to {out}", 15_000))


def _label(b) -> str:
    return f"{b.taken_at.astimezone():%d %b %Y %H:%M} — {b.reason} — {b.path.name}"


def restore_from_backup(parent: QWidget | None, session: Session, lock: Lock | None,
                        restored: Callable[[Path, Path], None]) -> None:
    """File ▸ Restore from backup…: the backups listed off the UI thread, one chosen, confirmed, restored."""
    ctx = session.ctx
    session.query(parent, lambda: maintenance.list_backups(ctx),
                  lambda backups: _choose_and_restore(parent, session, backups, lock, restored))


def _choose_and_restore(parent, session: Session, backups, lock: Lock | None, restored) -> None:
    if not backups:
        QMessageBox.information(parent, "Restore from backup", "There are no backups in the backups folder yet.")
        return
    labels = [_label(b) for b in backups]
    label, ok = QInputDialog.getItem(parent, "Restore from backup", "&Backup to restore (newest first):",
                                     labels, 0, False)
    if not ok:
        return
    chosen = backups[labels.index(label)]
    answer = QMessageBox.question(
        parent, "Restore this backup?",
        f"Replace the current data with the backup of {chosen.taken_at.astimezone():%d %b %Y %H:%M}?\n\n"
        "The current file is saved in the backups folder first, so nothing is lost; entries made since the "
        "backup will not show until you restore that saved file.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    if answer == QMessageBox.StandardButton.Yes:
        restore_file(parent, session, chosen.path, lock, restored)


def restore_file(parent: QWidget | None, session: Session, source: Path, lock: Lock | None,
                 restored: Callable[[Path, Path], None]) -> None:
    """Restore off the UI thread (holding `lock`, this window's hold on the file); then every view reads
    everything again, and `restored(source, saved)` (saved: where the previous file was kept)."""
    ctx = session.ctx
    QThreadPool.globalInstance().waitForDone()  # reads in flight finish on the file they started on

    def done(saved: Path) -> None:
        session.undo.clear()  # the old entries are gone: their undo would act on another file's history
        session.refresh()
        session.bus.said.emit(f"Restored. The previous file was kept as {saved}", 30_000)
        restored(Path(source), saved)

    session.query(parent, lambda: maintenance.restore(ctx, Path(source), lock=lock), done)
