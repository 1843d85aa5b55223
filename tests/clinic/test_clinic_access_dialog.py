"""The desktop app's "Clinic access…" on the throwaway PostgreSQL server: a coordinator grants and revokes
from the dialog (with confirmation, refusing what the command line refuses), and each login's window opens
in the role the server gives it, saying so in its title."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from mstracker.domain.errors import UserError
from mstracker.services import patients
from mstracker.services.context import open_context

pytestmark = pytest.mark.postgres
NEW_PASSWORD = "tall staple 42"


@pytest.fixture
def window_as(qtbot):
    from mstracker.ui.app import build_window, make_application

    made = []

    def open_window(url: str):
        make_application()
        ctx = open_context(url)  # no role: the server's grant decides
        window = build_window(None, ctx.role, ctx=ctx)
        qtbot.addWidget(window)
        made.append(window)
        window.show()
        qtbot.waitUntil(lambda: window._loaded_once and window.session.bus.running == 0, timeout=15_000)
        return window

    yield open_window
    QThreadPool.globalInstance().waitForDone()
    for window in made:
        window.session.ctx.close()


@pytest.fixture
def answers(monkeypatch):
    """The confirmation's answers, in order; every question asked is kept."""
    given: list[QMessageBox.StandardButton] = []
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return given.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    return given, asked


def _dialog(qtbot, window):
    window.clinic_action.trigger()
    dialog = window.clinic_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 4 and window.session.bus.running == 0, timeout=10_000)
    return dialog


def _rows(dialog) -> dict[str, tuple[str, str]]:
    return {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}


def _fill(dialog, login: str, role: str, patients_text: str, password: str = "") -> None:
    dialog.table.clearSelection()
    dialog.login.setText(login)
    dialog.role.setCurrentText(role)
    dialog.patients.setText(patients_text)
    dialog.password.setText(password)


def test_a_coordinator_grants_a_caregiver_who_opens_read_only_on_its_patient(qtbot, clinic, window_as, answers,
                                                                             caplog):
    given, asked = answers
    coord = window_as(clinic.url_of("coord"))
    assert f"coordinator login {clinic.login('coord')}" in coord.windowTitle()
    assert coord.clinic_action.isVisible()
    dialog = _dialog(qtbot, coord)
    rows = _rows(dialog)
    assert rows[clinic.login("carol")] == ("caregiver", str(clinic.anna))
    assert rows[clinic.login("coord")] == ("coordinator", "all")
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password

    dave = clinic.login("dave")
    _fill(dialog, dave, "caregiver", str(clinic.ben), NEW_PASSWORD)
    given.append(QMessageBox.StandardButton.Yes)
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: dave in _rows(dialog), timeout=10_000)
    assert _rows(dialog)[dave] == ("caregiver", str(clinic.ben))
    assert asked == [f"Grant {dave} the caregiver role for patients {clinic.ben}?"]
    assert dialog.password.text() == ""  # handed over once, not kept
    assert NEW_PASSWORD not in dialog.message.text() and NEW_PASSWORD not in caplog.text

    caregiver = window_as(clinic.cluster.login_url(clinic.url, dave, NEW_PASSWORD))
    assert caregiver.session.ctx.role == "caregiver" and caregiver.readonly
    assert caregiver.windowTitle() == f"Ben Example (caregiver login {dave}, read-only) — mstracker"
    assert not caregiver.clinic_action.isVisible()
    assert [p.id for p in patients.list_patients(caregiver.session.ctx)] == [clinic.ben]


def test_a_patient_login_opens_in_the_patient_role(clinic, window_as):
    window = window_as(clinic.url_of("anna"))
    assert window.session.ctx.role == "patient" and not window.readonly
    assert window.windowTitle() == f"Anna Example (patient login {clinic.login('anna')}) — mstracker"
    assert not window.clinic_action.isVisible()
    assert [p.id for p in patients.list_patients(window.session.ctx)] == [clinic.anna]


@pytest.mark.parametrize("login, role, pids, said", [
    ("1bad", "caregiver", "ANNA", "is not a valid PostgreSQL login name"),
    ("pg_x", "caregiver", "ANNA", "reserved by PostgreSQL"),
    ("eve", "caregiver", "999999", "unknown patient 999999"),
    ("eve", "patient", "ANNA,BEN", "exactly one patient"),
    ("eve", "caregiver", "7;8", "is not a patient id"),
])
def test_the_dialog_refuses_what_the_command_line_refuses(qtbot, clinic, window_as, answers, login, role, pids,
                                                          said):
    given, _asked = answers
    given.extend([QMessageBox.StandardButton.Yes] * 2)
    dialog = _dialog(qtbot, window_as(clinic.url_of("coord")))
    before = _rows(dialog)
    login = clinic.login(login) if login == "eve" else login
    _fill(dialog, login, role, pids.replace("ANNA", str(clinic.anna)).replace("BEN", str(clinic.ben)), NEW_PASSWORD)
    dialog.grant_button.click()
    qtbot.waitUntil(lambda: said in dialog.message.text(), timeout=10_000)
    assert "nothing was changed" in dialog.message.text()
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.parent().session.bus.running == 0, timeout=10_000)
    assert _rows(dialog) == before


def test_revoke_asks_first_and_then_the_login_cannot_connect(qtbot, clinic, window_as, answers):
    given, asked = answers
    dialog = _dialog(qtbot, window_as(clinic.url_of("coord")))
    carol = clinic.login("carol")
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == carol)
    dialog.table.selectRow(row)
    assert dialog.login.text() == carol and dialog.role.currentText() == "caregiver"
    dialog.patients.clear()  # no patients: every grant

    given.append(QMessageBox.StandardButton.No)
    dialog.revoke_button.click()
    assert asked[-1] == f"Revoke every grant of {carol}: it will no longer be able to connect?"
    assert dialog.parent().session.bus.running == 0 and carol in _rows(dialog)  # declined: nothing asked of it
    open_context(clinic.url_of("carol")).close()  # carol still connects

    given.append(QMessageBox.StandardButton.Yes)
    dialog.revoke_button.click()
    qtbot.waitUntil(lambda: carol not in _rows(dialog), timeout=10_000)
    with pytest.raises(UserError):
        open_context(clinic.url_of("carol"))
