"""PDF timelines rendered by a child `mstracker export` process, one patient at a time.

Why a process and not a worker thread: the PDF's charts are QCharts drawn through a QGraphicsScene, which
uses the application's style and fonts and is not safe beside the UI thread (it crashed in a worker).
The child sees the same database, role, clock and passphrase; the UI thread only waits for its signal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

if TYPE_CHECKING:
    from ...services.context import AppContext



def child_environment(ctx: AppContext) -> QProcessEnvironment:
    env = QProcessEnvironment.systemEnvironment()
    env.insert("MSTRACKER_DB", ctx.target_text)  # not argv: a URL may hold a password
    env.insert("MSTRACKER_NOW", ctx.now().strftime("%Y-%m-%dT%H:%M"))  # the app's clock, to the minute
    env.insert("QT_QPA_PLATFORM", "offscreen")  # no window: works without a display
    passphrase = ctx.passphrase
    if passphrase:
        env.insert("MSTRACKER_PASSPHRASE", passphrase)
    else:
        env.remove("MSTRACKER_PASSPHRASE")
    return env


class PdfExport(QObject):
    """`start()` writes each (patient id, file) in turn; `progress(done, total)`, then `finished(paths)`
    or `failed(message)` (the child's `error: ` line, as the command line would show it)."""

    progress = Signal(int, int)
    finished = Signal(list)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, jobs: list[tuple[int, Path]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.jobs = ctx, list(jobs)
        self.done: list[Path] = []
        self.process: QProcess | None = None

    def start(self) -> None:
        self._next()

    def _next(self) -> None:
        if len(self.done) == len(self.jobs):
            self.finished.emit(list(self.done))
            return
        pid, out = self.jobs[len(self.done)]
        process = QProcess(self)
        process.setProcessEnvironment(child_environment(self.ctx))
        process.finished.connect(lambda code, _status, p=process, o=out: self._ended(p, code, o))
        process.errorOccurred.connect(lambda error, p=process: self._error(p, error))
        self.process = process
        process.start(sys.executable, ["-m", "mstracker.cli", "--role", self.ctx.role, "export", str(pid),
                                       "--format", "pdf", "--out", os.fspath(out)])

    def _ended(self, process: QProcess, code: int, out: Path) -> None:
        if process is not self.process:
            return
        self.process = None
        process.deleteLater()
        if code != 0 or not Path(out).exists():
            text = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip()
            line = next((ln for ln in text.splitlines() if ln.startswith("error: ")), text.splitlines()[-1]
                        if text else f"the PDF could not be written (exit {code})")
            self.failed.emit(line.removeprefix("error: "))
            return
        self.done.append(Path(out))
        self.progress.emit(len(self.done), len(self.jobs))
        self._next()

    def _error(self, process: QProcess, error) -> None:
        if error == QProcess.ProcessError.FailedToStart and process is self.process:
            self.process = None
            self.failed.emit(f"the PDF writer could not be started: {process.errorString()}")
