"""File ▸ Share with a caregiver…: the CalDAV server's address, user name and password; test, publish, stop.

The password is offered to the system keyring once the server accepted it, never shown back (the field is
emptied) and never logged; every call goes through the runner's worker thread.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services.caldav_credentials import password_for, remember_password
from ..core.later import later
from ..core.runner import error_text
from ..core.screen_fit import FitsScreen
from ..core.session import Session

calendar_publishing = later("mstracker.services.calendar_publishing")


class ShareDialog(FitsScreen, QDialog):
    published = Signal(object)  # the publication's state after publishing or stopping (None)

    def __init__(self, session: Session, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.setWindowTitle("Share with a caregiver")
        self.session, self.patient_id = session, patient_id
        self.url = QLineEdit(placeholderText="https://dav.example.org/anna/ahsct/")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("shareMessage")
        self.test = QPushButton("&Test connection")
        self.publish = QPushButton("&Publish")
        self.publish.setDefault(True)
        self.stop = QPushButton("&Stop sharing…")
        self.remove_events = QCheckBox("Also remove the events from the calendar")
        close = QPushButton("Close")
        intro = QLabel("Publish the schedule to a CalDAV calendar (Nextcloud, Radicale) that the caregiver's phone "
                       "follows. Events are updated after every change.", wordWrap=True)
        form = QFormLayout()
        form.addRow("Calendar &address:", self.url)
        form.addRow("&User name:", self.user)
        form.addRow("Pass&word:", self.password)
        buttons = QHBoxLayout()
        for button in (self.test, self.publish, self.stop):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.remove_events)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.test.clicked.connect(self.test_connection)
        self.publish.clicked.connect(self.start_publish)
        self.stop.clicked.connect(self.stop_sharing)
        close.clicked.connect(self.accept)
        self._set_published(False)
        ctx = session.ctx
        session.query(self, lambda: calendar_publishing.state(ctx, patient_id), self._state_arrived)

    def _set_published(self, published: bool) -> None:
        self.stop.setEnabled(published)
        self.remove_events.setEnabled(published)

    def _state_arrived(self, state) -> None:
        if state is not None:
            self.url.setText(state.url)
            self.user.setText(state.user)
            self.message.setText(f"Published: {state.summary(self.session.ctx.now())}")
        self._set_published(state is not None)

    def _busy(self, busy: bool, text: str = "") -> None:
        for button in (self.test, self.publish, self.stop):
            button.setEnabled(not busy)
        if busy:
            self.message.setText(text)

    def _fail(self, exc: BaseException) -> None:
        self._busy(False)
        self.message.setText(error_text(exc))

    def test_connection(self) -> None:
        url, user, password = self.url.text(), self.user.text(), self.password.text()
        self._busy(True, "Connecting…")

        def arrived(found: str) -> None:
            self._busy(False)
            self.message.setText("The server accepted the password: " + (
                "the calendar is there." if found == "calendar" else "publishing will create the calendar."))

        self.session.query(self, lambda: calendar_publishing.check_connection(url, user, password), arrived,
                           on_failure=self._fail)

    def start_publish(self) -> None:
        url, user, password = self.url.text().strip(), self.user.text().strip(), self.password.text()
        ctx, pid = self.session.ctx, self.patient_id
        self._busy(True, "Publishing…")

        def work():
            result = calendar_publishing.publish(ctx, pid, url, user, password)
            kept = remember_password(url, user, password)
            return result, kept, calendar_publishing.state(ctx, pid)

        def arrived(value) -> None:
            result, kept, state = value
            self._busy(False)
            self.password.clear()  # never shown back
            waiting = f", {result.pending} waiting: {result.error}" if result.pending else ""
            self.message.setText(f"Published: {result.sent} events sent{waiting}. " + (
                "The password is kept in the system keyring." if kept else
                "There is no system keyring here: the app will ask again, or set MSTRACKER_CALDAV_PASSWORD."))
            self._set_published(True)
            self.published.emit(state)

        self.session.query(self, work, arrived, on_failure=self._fail)

    def stop_sharing(self) -> None:
        delete = self.remove_events.isChecked()
        question = ("Stop sharing and remove every event mstracker wrote from the caregiver's calendar?" if delete
                    else "Stop sharing? The events already on the caregiver's calendar stay as they are.")
        if QMessageBox.question(self, "Stop sharing", question) != QMessageBox.StandardButton.Yes:
            return
        ctx, pid = self.session.ctx, self.patient_id
        typed = self.password.text()
        self._busy(True, "Stopping…")

        def work():
            password = None
            if delete:
                pub = calendar_publishing.publication(ctx, pid)
                password = typed or password_for(pub.url, pub.user)[0]
            return calendar_publishing.unpublish(ctx, pid, delete=delete, password=password)

        def arrived(removed: int) -> None:
            self._busy(False)
            self.password.clear()
            self.message.setText(f"Sharing stopped; {removed} events removed." if delete else
                                 "Sharing stopped; the events stay on the calendar.")
            self._set_published(False)
            self.published.emit(None)

        self.session.query(self, work, arrived, on_failure=self._fail)
