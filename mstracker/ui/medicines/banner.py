"""The in-window announcement of the doses due now (also where there is no system tray): what, when, and
"Taken" — "All taken" when several are due at once, as the 08:00 pills usually are."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ...domain.medicines.doses import Dose
from .announce import Announcement
from .words import announcement_words


class DoseBanner(QFrame):
    taken_requested = Signal(list)  # the doses announced and still open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doseBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#doseBanner { background: #e8f0fe; border: 1px solid #1f5fa8;"
                           " border-left: 6px solid #1f5fa8; border-radius: 4px; }"
                           " QFrame#doseBanner QLabel { color: #0b1f3a; }")
        self.setAccessibleName("Medicine due")
        self.doses: list[Dose] = []
        self.repeat = False
        self.text = QLabel("")
        self.text.setObjectName("doseBannerText")
        self.text.setWordWrap(True)
        self.taken = QPushButton("Taken")
        self.taken.setObjectName("doseBannerTaken")
        self.taken.clicked.connect(self._take)
        self.dismiss = QPushButton("Later")
        self.dismiss.setAccessibleName("Hide this announcement; the doses stay in today's medicines")
        self.dismiss.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.taken)
        layout.addWidget(self.dismiss)
        self.hide()

    def set_announcements(self, items: list[Announcement]) -> None:
        self.repeat = all(a.repeat for a in items)
        self._show([a.dose for a in items])

    def _show(self, doses: list[Dose]) -> None:
        self.doses = doses
        if not doses:
            self.hide()
            return
        text = announcement_words(doses, self.repeat)
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.taken.setText("Taken" if len(doses) == 1 else "All taken")
        self.taken.setAccessibleName("Record the announced dose as taken" if len(doses) == 1
                                     else f"Record all {len(doses)} announced doses as taken")
        self.show()

    def still_open(self, open_doses: list[Dose]) -> None:
        """Only the doses not yet recorded (from the panel, the command line, anywhere); gone when none is."""
        if not self.doses:
            return
        keys = {(d.course.id, d.due) for d in open_doses}
        left = [d for d in self.doses if (d.course.id, d.due) in keys]
        if len(left) != len(self.doses):
            visible = self.isVisible()
            self._show(left)
            self.setVisible(visible and bool(left))

    def _take(self) -> None:
        if self.doses:
            self.taken_requested.emit(list(self.doses))
