"""File ▸ Export… (one patient, or every patient into a folder) and the print preview of the PDF timeline.

Every render runs off the UI thread (a PDF takes a second or more); the window only asks where to save.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from ..exports.formats import export_format
from ..services import transfer
from .ops import run_query, show_error

FORMATS = {"pdf": "PDF timeline to print or send (pdf)", "ics": "Calendar (ics)",
           "csv": "Spreadsheet of entries (csv)", "fhir": "FHIR bundle for a clinic system (json)",
           "json": "Complete mstracker data, to import elsewhere (json)"}
FILTERS = {"pdf": "PDF files (*.pdf)", "ics": "Calendar files (*.ics)", "csv": "CSV files (*.csv)",
           "fhir": "FHIR JSON (*.json)", "json": "mstracker JSON (*.json)"}


def choose_format(parent: QWidget, title: str) -> str | None:
    labels = list(FORMATS.values())
    label, ok = QInputDialog.getItem(parent, title, "&Format:", labels, 0, False)
    return next((k for k, v in FORMATS.items() if v == label), None) if ok else None


def _info(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleDescription(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # not blocking: the window stays usable
    parent._last_info = box  # type: ignore[attr-defined]


def export_current(window, fmt: str | None = None) -> None:
    pid, shown_name = window.target_patient()
    if pid is None:
        _info(window, "Export", "Choose a patient first.")
        return
    fmt = fmt or choose_format(window, f"Export {shown_name}")
    if fmt is None:
        return
    name = transfer.safe_name(shown_name)
    suggested = str(Path.home() / f"{name}.{export_format(fmt).extension}")
    path, _ = QFileDialog.getSaveFileName(window, "Export to a file", suggested, FILTERS[fmt])
    if not path:
        return
    ctx = window.ctx
    window.statusBar().showMessage("Exporting…")

    def done(out) -> None:
        window.statusBar().showMessage(f"Exported to {out}", 15_000)

    if fmt == "pdf":
        run_pdf(window, [(pid, Path(path))], lambda paths: done(paths[0]))
        return
    run_query(window, window.session.bus, lambda: transfer.export_patient(ctx, pid, fmt, Path(path)), done)


def run_pdf(window, jobs, on_done, on_progress=None, on_failure=None):
    """PDFs through a child process (see pdf_process), counted on the bus like any other work."""
    from .pdf_process import PdfExport

    bus = window.session.bus
    job = PdfExport(window.ctx, jobs, window)
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
            from .ops import show_message

            bus.failed.emit(message)
            show_message(window, message)

    job.finished.connect(finished)
    job.failed.connect(failed)
    if on_progress is not None:
        job.progress.connect(on_progress)
    window.pdf_job = job
    job.start()
    return job


class _Progress(QObject):
    """Lives in the UI thread; the worker's callback emits, the dialog updates (a queued connection)."""

    step = Signal(int, int)


def export_all(window, fmt: str | None = None) -> None:
    fmt = fmt or choose_format(window, "Export every patient")
    if fmt is None:
        return
    folder = QFileDialog.getExistingDirectory(window, "Export every patient into a folder", str(Path.home()))
    if not folder:
        return
    dialog = QProgressDialog("Exporting every patient…", "", 0, 0, window)
    dialog.setWindowTitle("Export")
    dialog.setCancelButton(None)  # one file at a time, each written whole: nothing to cancel halfway
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAccessibleName("Export progress")
    progress = _Progress(dialog)

    def step(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"Exported {done} of {total} patients…")

    progress.step.connect(step)
    window.export_progress = dialog
    ctx = window.ctx

    def finished(paths) -> None:
        dialog.close()
        _info(window, "Export finished", f"{len(paths)} files written to {folder}.")

    def failed(exc: BaseException) -> None:
        dialog.close()
        show_error(window, window.session.bus, exc)

    dialog.show()
    if fmt == "pdf":
        from ..services.patients import list_patients

        def pdf_failed(message: str) -> None:
            dialog.close()
            from .ops import show_message

            show_message(window, message)

        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            jobs = [(p.id, Path(folder) / f"{p.id}-{transfer.safe_name(p.name)}.pdf") for p in list_patients(ctx)]
        except OSError as exc:
            pdf_failed(f"cannot use the folder {folder}: {exc.strerror}")
            return
        run_pdf(window, jobs, finished, on_progress=progress.step.emit, on_failure=pdf_failed)
        return
    run_query(window, window.session.bus,
              lambda: transfer.export_all(ctx, fmt, Path(folder), progress=lambda d, t: progress.step.emit(d, t)),
              finished, on_failure=failed)


def print_preview(window) -> None:
    """The patient's PDF timeline, rendered off the UI thread, then shown in a preview with Print and Save."""
    pid, name = window.target_patient()
    if pid is None:
        _info(window, "Print", "Choose a patient first.")
        return
    title = f"Timeline — {name}"
    window.statusBar().showMessage("Preparing the timeline for printing…")

    import tempfile

    folder = tempfile.TemporaryDirectory(prefix="mstracker-print-")
    out = Path(folder.name) / "timeline.pdf"

    def arrived(paths) -> None:
        from .pdf_preview import PdfPreview

        window.statusBar().clearMessage()
        content = out.read_bytes()
        folder.cleanup()
        preview = PdfPreview(content, title, window)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.open()
        window.pdf_preview = preview

    def failed(message: str) -> None:
        folder.cleanup()
        from .ops import show_message

        window.statusBar().clearMessage()
        show_message(window, message)

    run_pdf(window, [(pid, out)], arrived, on_failure=failed)
