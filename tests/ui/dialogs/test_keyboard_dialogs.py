"""Every dialog: one mnemonic per target, one Tab stop per date, names for the screen reader."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel

from mstracker.domain.entries import LogKind
from mstracker.services import journeys
from mstracker.ui.core.date_input import DateInput, DateTimeInput, parse_date
from mstracker.ui.dialogs.about import show_about
from mstracker.ui.dialogs.audit import AuditDialog
from mstracker.ui.dialogs.log_entry import LogDialog
from mstracker.ui.dialogs.phase import PhaseDialog
from mstracker.ui.dialogs.preferences import PreferencesDialog
from mstracker.ui.dialogs.protocols import ProtocolsDialog
from mstracker.ui.dialogs.role import RoleDialog
from mstracker.ui.dialogs.wizard import FirstRunWizard
from tests.ui.keyboard import clashes, mnemonics, unnamed


def _check(qtbot, dialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert clashes(mnemonics(dialog)) == {}, dialog.windowTitle()
    assert unnamed(dialog) == [], dialog.windowTitle()


def test_every_dialog_has_one_mnemonic_per_target_and_names(qtbot, window_for, in_hospital, db_path, tmp_path):
    window = window_for(db_path)
    session = window.session
    for kind in LogKind:
        _check(qtbot, LogDialog(session, in_hospital, kind, parent=window))
    journey = journeys.journey_of(session.ctx, in_hospital)
    phase = PhaseDialog(session, in_hospital, journey, window)
    _check(qtbot, phase)
    phase.plan.setChecked(True)
    assert clashes(mnemonics(phase)) == {}
    _check(qtbot, AuditDialog(session, in_hospital, window))
    _check(qtbot, RoleDialog())
    _check(qtbot, PreferencesDialog(window.settings, window))
    _check(qtbot, ProtocolsDialog("coordinator", window.session.bus, window))
    wizard = FirstRunWizard(session, window.settings, window)
    _check(qtbot, wizard)
    for page_id in wizard.pageIds():
        wizard.setStartId(page_id)
        wizard.restart()
        for check in wizard.currentPage().findChildren(type(wizard.dates.admission_check)):
            check.setChecked(True)  # the dates behind them are enabled: reached and named too
        assert clashes(mnemonics(wizard)) == {}, wizard.currentPage().title()
        assert unnamed(wizard) == [], wizard.currentPage().title()
    about = show_about(window)
    qtbot.addWidget(about)
    assert about.findChild(QLabel, "qt_msgboxex_icon_label").accessibleName() == "Information"


def test_a_date_is_typed_as_digits_and_one_tab_leaves_it(qtbot):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    box = QWidget()
    layout = QVBoxLayout(box)
    field, after = DateInput(date(2027, 1, 5)), QLineEdit()
    layout.addWidget(field)
    layout.addWidget(after)
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2027-03-01")
    assert field.date() == QDate(2027, 3, 1)
    assert field.value() == date(2027, 3, 1)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after


def test_the_locale_short_date_is_understood_too(qtbot):
    from PySide6.QtCore import QLocale

    day = QDate(2027, 3, 1)
    assert parse_date(QLocale().toString(day, QLocale.FormatType.ShortFormat)) == day
    assert parse_date("2027-03-01") == day
    assert not parse_date("2027-02-30").isValid()
    assert not parse_date("tomorrow").isValid()


def test_a_date_that_is_not_one_is_refused_by_name(qtbot):
    import pytest

    from mstracker.domain.errors import UserError

    field = DateInput(date(2027, 1, 5))
    qtbot.addWidget(field)
    field.setText("2027-13-01")
    with pytest.raises(UserError, match="Since: .*2027-13-01.* is not a date"):
        field.value("Since")
    moment = DateTimeInput()
    qtbot.addWidget(moment)
    moment.setText("2027-03-01T14:30")
    assert moment.value_moment().isoformat() == "2027-03-01T14:30:00"
    moment.setText("2027-03-01 25:00")
    with pytest.raises(UserError):
        moment.value_moment()
