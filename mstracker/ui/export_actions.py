"""File ▸ Export… (one patient, or every patient into a folder) and the print preview of the PDF timeline.

Every render runs off the UI thread (a PDF takes a second or more); the window only asks where to save.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

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
    pid = window.session.patient_id
    if pid is None:
        _info(window, "Export", "Open a patient first.")
        return
    fmt = fmt or choose_format(window, "Export this patient")
    if fmt is None:
        return
    name = transfer.safe_name(window.summary.name if window.summary else "patient")
    suggested = str(Path.home() / f"{name}.{transfer.EXTENSIONS[fmt]}")
    path, _ = QFileDialog.getSaveFileName(window, "Export to a file", suggested, FILTERS[fmt])
    if not path:
        return
    ctx = window.ctx
    window.statusBar().showMessage("Exporting…")
    run_query(window, window.session.bus, lambda: transfer.export_patient(ctx, pid, fmt, Path(path)),
              lambda out: window.statusBar().showMessage(f"Exported to {out}", 15_000))


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
    run_query(window, window.session.bus,
              lambda: transfer.export_all(ctx, fmt, Path(folder), progress=lambda d, t: progress.step.emit(d, t)),
              finished, on_failure=failed)


def print_preview(window) -> None:
    """The patient's PDF timeline, rendered off the UI thread, then shown in a preview with Print and Save."""
    pid = window.session.patient_id
    if pid is None:
        _info(window, "Print", "Open a patient first.")
        return
    ctx = window.ctx
    title = f"Timeline — {window.summary.name}" if window.summary else "Timeline"
    window.statusBar().showMessage("Preparing the timeline for printing…")

    def arrived(content: bytes) -> None:
        from .pdf_preview import PdfPreview

        window.statusBar().clearMessage()
        preview = PdfPreview(content, title, window)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.open()
        window.pdf_preview = preview

    run_query(window, window.session.bus, lambda: transfer.render(ctx, pid, "pdf"), arrived)
