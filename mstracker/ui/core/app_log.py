"""The app's log file, and Qt's own messages routed into it.

Qt writes its warnings to stderr by default ("This plugin does not support propagateSizeHints()" with the
offscreen platform on some machines). The command line's stderr is a contract — a refusal is exactly one
`error: ` line — so Qt's messages go to the log file instead, whatever the machine.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from ...services.places import data_dir

QT_LOGGER = "mstracker.qt"


def log_file() -> Path:
    """Beside the data, so that a support request can find it; never holds a passphrase or an entry's content."""
    return data_dir() / "mstracker.log"


class _FileOnFirstRecord(logging.FileHandler):
    """Opens (and makes the folder for) the file only when there is something to write: a start that logs
    nothing creates nothing."""

    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


_installed: list[logging.Handler] = []


def install() -> None:
    """Once per process: the `mstracker` loggers write to the log file, and so does Qt."""
    if _installed:
        return
    handler = _FileOnFirstRecord(log_file(), encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("mstracker").addHandler(handler)  # and not stderr: Python's last-resort handler stays out
    _installed.append(handler)
    qInstallMessageHandler(_from_qt)


def _from_qt(kind: QtMsgType, _context, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    logging.getLogger(QT_LOGGER).log(level, "%s", message)
