"""File ▸ Export… (one patient, or every patient into a folder) and the print preview of the PDF timeline.

Every render runs off the UI thread (a PDF takes a second or more); only the questions (which format, where)
are asked on it. Each function takes the parent widget for its dialogs, the session and whom to export.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from ...exports.formats import export_format
from ..core.later import later
from ..core.runner import show_error, show_message
from ..core.screen_fit import FitsScreen
from ..core.session import Session
from ..core.words import counted

transfer = later("mstracker.services.transfer")

# The app's words for the formats of the registry (exports/formats.py), keyed by its names, in the order offered.
FORMATS = {"pdf": "PDF timeline to print or send (pdf)", "ics": "Calendar (ics)",
           "csv": "Spreadsheet of entries (csv)", "fhir": "FHIR bundle for a clinic system (json)",
           "json": "Complete mstracker data, to import elsewhere (json)"}
_FILE_KINDS = {"pdf": "PDF files", "ics": "Calendar files", "csv": "CSV files", "fhir": "FHIR JSON",
               "json": "mstracker JSON"}
FILTERS = {name: f"{_FILE_KINDS[name]} (*.{export_format(name).extension})" for name in FORMATS}


def choose_format(parent: QWidget, title: str) -> str | None:
    labels = list(FORMATS.values())
    label, ok = QInputDialog.getItem(parent, title, "&Format:", labels, 0, False)
    return next((k for k, v in FORMATS.items() if v == label), None) if ok else None


def _info(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A calm note; `parent` owns it (Qt keeps it alive while open) and it deletes itself once closed."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleDescription(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # not blocking: the window stays usable
    return box


def export_current(parent: QWidget, session: Session, pid: int | None, shown_name: str, fmt: str | None = None) -> None:
    """File ▸ Export…: one patient (`pid`, called `shown_name`) into the file the user chooses."""
    if pid is None:
        _info(parent, "Export", "Choose a patient first.")
        return
    fmt = fmt or choose_format(parent, f"Export {shown_name}")
    if fmt is None:
        return
    name = transfer.safe_name(shown_name)
    suggested = str(Path.home() / f"{name}.{export_format(fmt).extension}")
    path, _ = QFileDialog.getSaveFileName(parent, "Export to a file", suggested, FILTERS[fmt])
    if not path:
        return
    ctx = session.ctx
    session.bus.said.emit("Exporting…", 0)

    def done(out) -> None:
        session.bus.said.emit(f"Exported to {out}", 15_000)

    if fmt == "pdf":
        run_pdf(parent, session, [(pid, Path(path))], lambda paths: done(paths[0]))
        return
    session.query(parent, lambda: transfer.export_patient(ctx, pid, fmt, Path(path)), done)


def run_pdf(parent: QWidget, session: Session, jobs, on_done, on_progress=None, on_failure=None):
    """PDFs through a child process (see core/pdf_process.py), counted on the bus like any other work."""
    from ..core.pdf_process import PdfExport

    bus = session.bus
    job = PdfExport(session.ctx, jobs, parent)
    bus.started()

    def finished(paths) -> None:
        bus.finished()
        job.deleteLater()
        on_done(paths)

    def failed(message: str) -> None:
        bus.finished()
        job.deleteLater()
        if on_failure is not None:
            on_failure(message)
        else:
            bus.failed.emit(message)
            show_message(parent, message)

    job.finished.connect(finished)
    job.failed.connect(failed)
    if on_progress is not None:
        job.progress.connect(on_progress)
    job.start()
    return job


class _Progress(QObject):
    """Lives in the UI thread; the worker's callback emits, the dialog updates (a queued connection)."""

    step = Signal(int, int)


class ExportProgress(FitsScreen, QProgressDialog):
    """Export all patients while it runs: the progress, then `summary`, the note that says what was written."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("Exporting every patient…", "", 0, 0, parent)
        self.summary: QMessageBox | None = None


def export_all(parent: QWidget, session: Session, fmt: str | None = None) -> ExportProgress | None:
    """File ▸ Export all patients…: one file per patient into a folder; the progress dialog, while it runs."""
    fmt = fmt or choose_format(parent, "Export every patient")
    if fmt is None:
        return None
    folder = QFileDialog.getExistingDirectory(parent, "Export every patient into a folder", str(Path.home()))
    if not folder:
        return None
    dialog = ExportProgress(parent)
    dialog.setWindowTitle("Export")
    dialog.setCancelButton(None)  # one file at a time, each written whole: nothing to cancel halfway
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAccessibleName("Export progress")
    progress = _Progress(dialog)

    def step(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"Exported {done} of {counted(total, 'patient')}…")

    progress.step.connect(step)
    ctx = session.ctx

    def finished(paths) -> None:
        dialog.close()
        dialog.summary = _info(parent, "Export finished", f"{counted(len(paths), 'file')} written to {folder}.")

    def failed(exc: BaseException) -> None:
        dialog.close()
        show_error(parent, session.bus, exc)

    dialog.show()
    if fmt == "pdf":
        def pdf_failed(message: str) -> None:
            dialog.close()
            show_message(parent, message)

        session.query(parent, lambda: _pdf_jobs(ctx, Path(folder)),
                      lambda jobs: run_pdf(parent, session, jobs, finished, on_progress=progress.step.emit,
                                           on_failure=pdf_failed), on_failure=failed)
        return dialog
    session.query(parent,
                  lambda: transfer.export_all(ctx, fmt, Path(folder), progress=lambda d, t: progress.step.emit(d, t)),
                  finished, on_failure=failed)
    return dialog


def _pdf_jobs(ctx, folder: Path) -> list[tuple[int, Path]]:
    """In the worker: one PDF per patient, named by id and name, into `folder` (made if needed)."""
    from ...domain.errors import UserError
    from ...services.patients import list_patients

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot use the folder {folder}: {exc.strerror}") from exc
    return [(p.id, folder / f"{p.id}-{transfer.safe_name(p.name)}.pdf") for p in list_patients(ctx)]


def print_preview(parent: QWidget, session: Session, pid: int | None, name: str,
                  opened: Callable[[QWidget], None] | None = None) -> None:
    """The patient's PDF timeline, rendered off the UI thread, then shown in a preview with Print and Save;
    `opened(preview)` once it shows."""
    if pid is None:
        _info(parent, "Print", "Choose a patient first.")
        return
    title = f"Timeline — {name}"
    session.bus.said.emit("Preparing the timeline for printing…", 0)

    import tempfile

    folder = tempfile.TemporaryDirectory(prefix="mstracker-print-")
    out = Path(folder.name) / "timeline.pdf"

    def arrived(paths) -> None:
        from ..dialogs.pdf_preview import PdfPreview

        session.bus.said.emit("", 0)
        content = out.read_bytes()
        folder.cleanup()
        preview = PdfPreview(content, title, parent)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.open()
        if opened is not None:
            opened(preview)

    def failed(message: str) -> None:
        folder.cleanup()
        session.bus.said.emit("", 0)
        show_message(parent, message)

    run_pdf(parent, session, [(pid, out)], arrived, on_failure=failed)
