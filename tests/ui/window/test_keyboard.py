"""The keyboard in the main window, in every role: mnemonics, the Tab round, tables, names, first focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.keyboard import clashes, describe, focusable, menu_mnemonics, mnemonics, tab_round, unnamed

PAGES = {"patient": ("patient", "agenda"), "caregiver": ("agenda", "patient"),
         "coordinator": ("dashboard", "patient", "agenda")}


def _press(qtbot):
    def press(backwards: bool) -> None:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the focus"
        if backwards:
            qtbot.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return press


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)


@pytest.mark.parametrize("role", list(PAGES))
def test_one_mnemonic_one_target_on_every_page(qtbot, open_window, role):
    window = open_window(role)
    for page in PAGES[role]:
        window.show_page(page)
        assert clashes(mnemonics(window)) == {}, page
    for action in window.menuBar().actions():
        assert clashes(menu_mnemonics(action.menu())) == {}, action.text()


@pytest.mark.parametrize("role", list(PAGES))
def test_tab_goes_round_every_page_reaching_every_control(qtbot, open_window, role):
    window = open_window(role)
    _activate(qtbot, window)
    for page in PAGES[role]:
        window.show_page(page)
        qtbot.waitUntil(lambda: window.session.bus.running == 0)
        _activate(qtbot, window)  # the offscreen platform lets go of the active window now and then
        tab_round(window, _press(qtbot))  # a first round: entering a table makes a row current (Open patient)
        forward = tab_round(window, _press(qtbot))
        start = QApplication.focusWidget()
        expected = set(focusable(window))
        reached = set(forward) | {start}
        assert not expected - reached, [describe(w) for w in expected - reached]
        backward = tab_round(window, _press(qtbot), backwards=True)
        assert backward == list(reversed(forward)), page


@pytest.mark.parametrize("role", list(PAGES))
def test_every_control_has_a_name_for_the_screen_reader(open_window, role):
    window = open_window(role)
    for page in PAGES[role]:
        window.show_page(page)
        assert unnamed(window) == [], page
