"""The Medicines view: the protocol's courses and the patient's own; add, stop and change a dose through the
real dialogs; bad input refused inline in the very words `mstracker med` prints after `error: `."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from shiboken6 import isValid

from mstracker.cli import main as cli_main
from mstracker.services import medicines
from mstracker.services.context import open_context
from mstracker.ui.medicines.view import DAYS, DOSE, MEDICINE, NOW, PURPOSE, SOURCE

from .conftest import GCSF


def _cli_error(capsys, monkeypatch, db_path, *words: str) -> str:
    """What the command line says to the same request, without the `error: `: one line, exit 2."""
    monkeypatch.setenv("MSTRACKER_NOW", "2027-03-20T10:00")
    capsys.readouterr()
    assert cli_main(["--db", db_path, *words]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0].removeprefix("error: ")


def _courses(db_path, clock, pid):
    ctx = open_context(db_path, clock=clock)
    try:
        return {v.course.id: v for v in medicines.list_courses(ctx, pid)}
    finally:
        ctx.close()


@pytest.fixture
def view_of(qtbot, window_for, db_path):
    def open_view(role: str = "patient"):
        window = window_for(db_path, role)
        with qtbot.waitSignal(window.page_changed, timeout=10_000):
            window.medicines_action.trigger()
        view = window.medicines
        qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
        return window, view
    return open_view


def _texts(view, column: int) -> list[str]:
    return [view.model.index(r, column).data() for r in range(view.model.rowCount())]


def _select(qtbot, view, course_id: int) -> None:
    row = next(r for r, v in enumerate(view.courses) if v.course.id == course_id)
    rect = view.table.visualRect(view.model.index(row, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected().course.id == course_id


def _submit(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def test_the_view_lists_the_protocol_courses(qtbot, view_of, on_gcsf):
    window, view = view_of()
    assert window.current_page() == "medicines"
    assert _texts(view, MEDICINE) == [
        "G-CSF (filgrastim) injections", "aciclovir (antiviral prophylaxis)", "co-trimoxazole (PJP prophylaxis)"]
    assert _texts(view, PURPOSE)[2] == "PJP prophylaxis"
    assert _texts(view, SOURCE) == ["protocol"] * 3
    assert _texts(view, NOW) == ["taking now", "not started yet", "not started yet"]
    assert _texts(view, DAYS)[0] == "14 Mar 2027 to open-ended"
    assert view.selected().course.id == GCSF  # the first row, ready for Stop or Change dose
    assert view.add_button.isVisible()


def test_add_a_course_of_ones_own(qtbot, view_of, on_gcsf, db_path, clock):
    window, view = view_of()
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.name, "valaciclovir")
    qtbot.keyClicks(dialog.dose, "500 mg")
    dialog.times.setText("20:00,08:00")
    dialog.rhythm.setCurrentIndex(dialog.rhythm.findData("weekdays"))
    qtbot.keyClicks(dialog.weekdays, "mon,thu")
    dialog.has_last.setChecked(True)
    dialog.last.setDate(QDate(2027, 4, 30))
    _submit(qtbot, dialog)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10_000)
    assert not isValid(dialog) or not dialog.isVisible()  # closed (and deleted) once written
    own = _courses(db_path, clock, on_gcsf)[4].course
    assert (own.name, own.dose, own.times_text, own.rhythm_text) == ("valaciclovir", "500 mg", "08:00, 20:00",
                                                                     "mon, thu")
    assert (own.first_day, own.last_day) == (date(2027, 3, 20), date(2027, 4, 30))
    assert _texts(view, SOURCE)[1] == "your own"  # running now: with G-CSF, before what is not started
    assert _texts(view, MEDICINE)[:2] == ["G-CSF (filgrastim) injections", "valaciclovir"]


@pytest.mark.parametrize(("field", "typed", "cli_words"), [
    ("times", "8am", ["--times", "8am"]),
    ("times", "08:00,25:00", ["--times", "08:00,25:00"]),
    ("weekdays", "mon,funday", ["--times", "08:00", "--weekdays", "mon,funday"]),
    ("last", "2027-03-19", ["--times", "08:00", "--to", "2027-03-19"]),
    ("name", "", ["--times", "08:00", "--name", " "]),
])
def test_bad_input_is_refused_in_the_command_lines_words(qtbot, view_of, on_gcsf, db_path, clock, capsys,
                                                         monkeypatch, field, typed, cli_words):
    words = ["med", "add", str(on_gcsf), "--from", "2027-03-20", *cli_words]
    if "--name" not in words:
        words += ["--name", "valaciclovir"]
    expected = _cli_error(capsys, monkeypatch, db_path, *words)
    window, view = view_of()
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    dialog.name.setText("" if field == "name" else "valaciclovir")
    if field == "times":
        dialog.times.setText(typed)
    elif field == "weekdays":
        dialog.rhythm.setCurrentIndex(dialog.rhythm.findData("weekdays"))
        dialog.weekdays.setText(typed)
    elif field == "last":
        dialog.has_last.setChecked(True)
        dialog.last.setDate(QDate.fromString(typed, "yyyy-MM-dd"))
    _submit(qtbot, dialog)
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() == expected
    assert dialog.isVisible() and dialog.ok.isEnabled()  # what was typed stays, to correct it
    assert sorted(_courses(db_path, clock, on_gcsf)) == [1, 2, 3]


def test_stop_a_course_and_its_refusal(qtbot, view_of, on_gcsf, db_path, clock, capsys, monkeypatch):
    expected = _cli_error(capsys, monkeypatch, db_path, "med", "stop", str(GCSF), "--on", "2027-03-01")
    window, view = view_of()
    _select(qtbot, view, GCSF)
    qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    dialog.on.setDate(QDate(2027, 3, 1))
    _submit(qtbot, dialog)
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() == expected
    dialog.on.setDate(QDate(2027, 3, 25))
    qtbot.keyClicks(dialog.reason, "cells collected early")
    _submit(qtbot, dialog)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: _texts(view, DAYS)[0] == "14 Mar 2027 to 25 Mar 2027", timeout=10_000)
    assert _courses(db_path, clock, on_gcsf)[GCSF].stopped_on == date(2027, 3, 25)


def test_change_a_dose(qtbot, view_of, on_gcsf, db_path, clock):
    window, view = view_of()
    _select(qtbot, view, GCSF)
    qtbot.mouseClick(view.change_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    qtbot.keyClicks(dialog.dose, "10 µg/kg")
    dialog.start.setDate(QDate(2027, 3, 21))
    _submit(qtbot, dialog)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10_000)
    courses = _courses(db_path, clock, on_gcsf)
    assert courses[GCSF].course.last_day == date(2027, 3, 20)
    new = courses[4].course
    assert (new.name, new.dose, new.first_day, new.times_text) == (
        "G-CSF (filgrastim) injections", "10 µg/kg", date(2027, 3, 21), "08:00")
    # The old dose runs until today; the new one, from tomorrow, comes after what runs now.
    assert [_texts(view, DOSE)[i] for i in (0, 3)] == ["as prescribed by your team", "10 µg/kg"]
    assert _texts(view, NOW)[3] == "not started yet"


def test_a_caregiver_reads_the_courses_without_changing_them(qtbot, view_of, on_gcsf):
    window, view = view_of("caregiver")
    assert view.model.rowCount() == 3
    assert not view.add_button.isVisible() and not view.stop_button.isVisible()
    assert not view.change_button.isVisible()
    assert view.add() is None and view.stop() is None
