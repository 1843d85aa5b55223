"""A coordinator's "Clinic access…": the clinic server's logins, their role and patients; grant and revoke.

Every read and write goes through the session's runner (`services.clinic`, the same checks as `clinic grant |
revoke`), so a refusal reads as on the command line and changes nothing. A new login's password is typed in a
password field, handed to the service once and cleared: never shown back, never logged.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import UserError
from ...services import clinic
from ...services.roles import ROLE_NAMES
from ..core.runner import Changes, error_text
from ..core.screen_fit import FitsScreen
from ..core.session import Session


def parse_patients(text: str) -> list[int]:
    """"7, 12" → [7, 12]; anything else is refused as the command line refuses `--patients`."""
    ids = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit():
            raise UserError(f"{part!r} is not a patient id: give patient numbers separated by commas, e.g. 7,12; "
                            "nothing was changed")
        ids.append(int(part))
    return ids


def confirm(parent: QWidget, question: str) -> bool:
    """Asked before every grant and revoke: access to health data changes only on purpose."""
    answer = QMessageBox.question(parent, "Clinic access", question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class ClinicAccessDialog(FitsScreen, QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.logins: list[clinic.Login] = []
        self.setObjectName("clinicAccessDialog")
        self.setWindowTitle("Clinic access")
        self.resize(620, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Who may connect to this clinic database, in which role, and which patients they "
                                "see. The server enforces it."))
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Login", "Role", "Patients"])
        self.table.setAccessibleName("Logins")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)

        form = QFormLayout()
        self.login = QLineEdit(self)
        self.login.setPlaceholderText("e.g. carol")
        self.role = QComboBox(self)
        self.role.addItems(list(ROLE_NAMES))
        self.patients = QLineEdit(self)
        self.patients.setPlaceholderText("patient numbers, e.g. 7,12 (none for a coordinator)")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("only for a new login")
        for label, field in (("&Login:", self.login), ("&Role:", self.role), ("&Patients:", self.patients),
                             ("New login's pass&word:", self.password)):
            field.setAccessibleName(label.replace("&", "").rstrip(":"))
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("clinicAccessMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.grant_button = QPushButton("&Grant", self)
        self.revoke_button = QPushButton("Re&voke…", self)
        self.revoke_button.setToolTip("Take away the patients typed above, or with none every grant of the login")
        close = QPushButton("Close", self)
        self.grant_button.clicked.connect(self.grant)
        self.revoke_button.clicked.connect(self.revoke)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.grant_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()

    # ---- reading -----------------------------------------------------------------------------------------
    def reload(self) -> None:
        ctx = self.session.ctx
        self.session.query(self, lambda: clinic.list_logins(ctx), self._arrived, on_failure=self._failed_read)

    def _arrived(self, logins: list[clinic.Login]) -> None:
        self.logins = list(logins)
        self.table.setRowCount(len(self.logins))
        for row, item in enumerate(self.logins):
            seen = "all" if item.patients is None else ", ".join(map(str, item.patients))
            for column, text in enumerate((item.login, item.role, seen)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()  # a login's whole name, never elided

    def _failed_read(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.logins[rows[0].row()]
        self.login.setText(item.login)
        self.role.setCurrentText(item.role)
        self.patients.setText("" if item.patients is None else ",".join(map(str, item.patients)))

    # ---- writing -----------------------------------------------------------------------------------------
    def grant(self) -> None:
        login, role = self.login.text().strip(), self.role.currentText()
        try:
            patients = parse_patients(self.patients.text())
            clinic.valid_login(login)  # said at once, before any question
        except UserError as exc:
            self.message.setText(str(exc))
            return
        seen = f" for patients {', '.join(map(str, patients))}" if patients else ""
        if not confirm(self, f"Grant {login} the {role} role{seen}?"):
            return
        password = self.password.text()
        self.password.clear()  # typed once, handed over once
        ctx = self.session.ctx
        self.session.op(self, lambda: clinic.grant(ctx, login, role, patients, password or None), Changes(),
                        on_success=lambda _login: self._done(f"{login} now has the {role} role{seen}."),
                        on_failure=self.message.setText)

    def revoke(self) -> None:
        login = self.login.text().strip()
        try:
            patients = parse_patients(self.patients.text())
            clinic.valid_login(login)
        except UserError as exc:
            self.message.setText(str(exc))
            return
        what = (f"patients {', '.join(map(str, patients))} from {login}" if patients
                else f"every grant of {login}: it will no longer be able to connect")
        if not confirm(self, f"Revoke {what}?"):
            return
        ctx = self.session.ctx
        self.session.op(self, lambda: clinic.revoke(ctx, login, patients or None), Changes(),
                        on_success=lambda _none: self._done(f"Revoked {what}."), on_failure=self.message.setText)

    def _done(self, said: str) -> None:
        self.message.setText(said)
        self.reload()
