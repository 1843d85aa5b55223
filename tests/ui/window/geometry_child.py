"""Run by test_real_screen.py in a child process on a real (virtual) screen: opens the main window, then the
print preview, and prints their frame geometries and the screen's available geometry as JSON."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

from mstracker.ui.app import build_window, make_application
from mstracker.ui.dialogs.pdf_preview import PdfPreview


def _rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def main(db: str, role: str, pdf: str) -> None:
    app = make_application()
    window = build_window(db, role)
    window.show()
    report: dict = {}
    writer = QPdfWriter(pdf)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(100, 100, "Timeline")
    painter.end()

    def measure_window() -> None:
        report["available"] = _rect(window.screen().availableGeometry())
        report["main"] = _rect(window.frameGeometry())
        report["scroll_range"] = window.scroll.verticalScrollBar().maximum()
        with open(pdf, "rb") as handle:
            preview = PdfPreview(handle.read(), "Timeline — Anna Berg", window)
        preview.show()
        window.preview = preview
        QTimer.singleShot(1500, lambda: measure_preview(preview))

    def measure_preview(preview) -> None:
        report["preview"] = _rect(preview.frameGeometry())
        close = next(b for b in preview.findChildren(type(window.phase_button)) if b.text() == "&Close")
        report["preview_close"] = _rect(close.geometry().translated(close.mapTo(preview, close.rect().topLeft())
                                                                    - close.geometry().topLeft()))
        report["preview_inner"] = _rect(preview.geometry())
        print(json.dumps(report), flush=True)
        app.quit()

    window.loaded.connect(lambda: QTimer.singleShot(1500, measure_window))
    QTimer.singleShot(30_000, lambda: (print(json.dumps({"timeout": True}), flush=True), app.quit()))
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:4])
