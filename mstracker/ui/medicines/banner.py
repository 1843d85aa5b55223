"""The in-window announcement of a dose (also where there is no system tray): what, when, and "Taken"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from .announce import Announcement
from .words import announcement_words


class DoseBanner(QFrame):
    taken_requested = Signal(object)  # the dose

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doseBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#doseBanner { background: #e8f0fe; border: 1px solid #1f5fa8;"
                           " border-left: 6px solid #1f5fa8; border-radius: 4px; }"
                           " QFrame#doseBanner QLabel { color: #0b1f3a; }")
        self.setAccessibleName("Medicine due")
        self.announcement: Announcement | None = None
        self.text = QLabel("")
        self.text.setObjectName("doseBannerText")
        self.text.setWordWrap(True)
        self.taken = QPushButton("Taken")
        self.taken.setObjectName("doseBannerTaken")
        self.taken.setAccessibleName("Record the announced dose as taken")
        self.taken.clicked.connect(self._take)
        self.dismiss = QPushButton("Later")
        self.dismiss.setAccessibleName("Hide this announcement; the dose stays in today's medicines")
        self.dismiss.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.taken)
        layout.addWidget(self.dismiss)
        self.hide()

    def set_announcement(self, announcement: Announcement) -> None:
        self.announcement = announcement
        text = announcement_words(announcement.dose, announcement.repeat)
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def still_open(self, open_doses) -> None:
        """Hide once the announced dose is recorded (from the panel, the command line, anywhere)."""
        a = self.announcement
        if a is not None and not any(d.course.id == a.dose.course.id and d.due == a.dose.due for d in open_doses):
            self.announcement = None
            self.hide()

    def _take(self) -> None:
        if self.announcement is not None:
            self.taken_requested.emit(self.announcement.dose)
