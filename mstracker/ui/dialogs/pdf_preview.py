"""A PDF on screen, with Print… and Save as…: the same document as `mstracker export --format pdf`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.screen_fit import FitsScreen


class PdfPreview(FitsScreen, QDialog):
    def __init__(self, content: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.setWindowTitle(f"Print preview — {title}")
        self.setAccessibleName("Print preview")
        self.resize(860, 900)
        self._bytes = QByteArray(content)
        self._buffer = QBuffer(self._bytes, self)  # the document reads from it for as long as it lives
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Timeline pages")
        self.view.setAccessibleDescription(f"{self.document.pageCount()} pages")
        self.state = QLabel(f"{self.document.pageCount()} pages")
        print_button = QPushButton("&Print…")
        print_button.setAccessibleName("Print the timeline")
        print_button.clicked.connect(self.print_document)
        save_button = QPushButton("&Save as PDF…")
        save_button.clicked.connect(self.save_as)
        close = QPushButton("&Close")
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(save_button)
        row.addWidget(print_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        print_button.setDefault(True)
        self._printer = None

    def page_count(self) -> int:
        return self.document.pageCount()

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the timeline", str(Path.home() / "timeline.pdf"),
                                              "PDF files (*.pdf)")
        if path:
            try:
                Path(path).write_bytes(self.content)
            except OSError as exc:
                self.state.setText(f"Could not save {path}: {exc.strerror}")
                return
            self.state.setText(f"Saved to {path}")

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        self._printer = self._printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(self._printer, self)
        dialog.accepted.connect(lambda: self.print_to(self._printer))
        dialog.open()
        self._print_dialog = dialog

    def print_to(self, printer) -> None:
        """Each page as an image at the printer's resolution, fitted to the page."""
        painter = QPainter()
        if not painter.begin(printer):
            self.state.setText("The printer could not be started.")
            return
        try:
            area = printer.pageRect(printer.Unit.DevicePixel).toRect()
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                scale = min(area.width() / size.width(), area.height() / size.height())
                image = self.document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        self.state.setText("Sent to the printer.")
