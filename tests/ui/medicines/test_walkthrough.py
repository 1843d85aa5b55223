"""The medicines' walk-through as a person meets it in the app, on one database and a moving clock: a journey
set up in the first-run guide, G-CSF appearing on the fifth day of mobilization and recorded from the main
window, the cells stored (G-CSF ends), discharge, the prophylaxis the next day, a forgotten evening dose and
its warning — for the patient and for the caregiver."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWizard


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _lines(panel) -> list[str]:
    labels = [w for w in panel.findChildren(QLabel) if w.objectName() == "" and " — " in w.text()]
    return [w.text() for w in labels]


def _statuses(panel) -> list[str]:
    return [w.text() for w in panel.findChildren(QLabel, "doseStatus")]


def _at(qtbot, window, clock, moment: datetime) -> None:
    """The clock moves on; the minute's look at the doses and a refresh of everything, as the app makes."""
    clock.set(moment)
    with qtbot.waitSignal(window.dose_watch.looked, timeout=10_000):
        window.dose_watch.check()
    window.session.refresh()
    qtbot.waitUntil(lambda: window.session.bus.running == 0, timeout=10_000)


def _phase(qtbot, window, clock, phase: str, day: QDate) -> None:
    """Recorded through the phase dialog on the day it happens."""
    clock.set(datetime(day.year(), day.month(), day.day(), 9, 0))
    window.phase_dialog = None
    window.change_phase()
    qtbot.waitUntil(lambda: window.phase_dialog is not None, timeout=10_000)
    dialog = window.phase_dialog
    dialog.phase.setCurrentIndex(dialog.phase.findData(phase))
    assert dialog.phase.currentData() == phase
    dialog.on.setDate(day)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    qtbot.waitUntil(lambda: window.session.bus.running == 0, timeout=10_000)


def test_medicines_from_mobilization_to_a_missed_dose_at_home(qtbot, window_for, db_path, clock):
    clock.set(datetime(2027, 3, 1, 9, 0))
    window = window_for(db_path)
    _click(qtbot, window.setup_button)
    wizard = window.wizard
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    qtbot.keyClicks(wizard.patient.name, "Maria Lopez")
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    qtbot.waitUntil(wizard.protocol.isComplete)  # the protocols are read off the UI thread
    wizard.protocol.protocol.setCurrentIndex(wizard.protocol.protocol.findData("cy-atg"))
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    wizard.dates.phase.setCurrentIndex(wizard.dates.phase.findData("mobilization"))
    wizard.dates.since.setDate(QDate(2027, 3, 1))
    with qtbot.waitSignal(wizard.finished_with_patient, timeout=10_000):
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    qtbot.waitUntil(lambda: window.header.name.text() == "Maria Lopez", timeout=10_000)
    panel = window.doses
    qtbot.waitUntil(lambda: window.session.bus.running == 0, timeout=10_000)
    assert not panel.isVisible()  # cyclophosphamide day: no injection yet

    # The fifth day of mobilization: the first G-CSF injection, announced at 08:00, taken from the banner.
    _at(qtbot, window, clock, datetime(2027, 3, 5, 7, 0))
    assert _lines(panel) == ["08:00 — G-CSF (filgrastim) injections"]
    _at(qtbot, window, clock, datetime(2027, 3, 5, 8, 0))
    assert window.dose_banner.isVisible()
    qtbot.mouseClick(window.dose_banner.taken, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _statuses(panel) == ["Taken at 08:00"], timeout=10_000)
    # The next day from the keyboard path.
    _at(qtbot, window, clock, datetime(2027, 3, 6, 8, 10))
    window.take_dose_action.trigger()
    qtbot.waitUntil(lambda: _statuses(panel) == ["Taken at 08:10"], timeout=10_000)

    _at(qtbot, window, clock, datetime(2027, 3, 7, 8, 5))
    window.take_dose_action.trigger()
    qtbot.waitUntil(lambda: _statuses(panel) == ["Taken at 08:05"], timeout=10_000)

    # The cells are stored on the 7th: the course closes that day.
    _phase(qtbot, window, clock, "cells_stored", QDate(2027, 3, 7))
    _at(qtbot, window, clock, datetime(2027, 3, 8, 9, 0))
    assert not panel.isVisible() or _lines(panel) == []
    window.medicines_action.trigger()
    qtbot.waitUntil(lambda: window.medicines.model.rowCount() == 3, timeout=10_000)
    ended = next(v for v in window.medicines.courses if v.course.name.startswith("G-CSF"))
    assert (ended.course.first_day.isoformat(), ended.course.last_day.isoformat(), ended.status.value) == (
        "2027-03-05", "2027-03-07", "ended")
    window.journey_view_action.trigger()

    # Hospital, then home on 20 April: the prophylaxis starts the next morning.
    _phase(qtbot, window, clock, "conditioning", QDate(2027, 4, 1))
    _phase(qtbot, window, clock, "transplant", QDate(2027, 4, 7))
    _phase(qtbot, window, clock, "immune_rebuild", QDate(2027, 4, 20))
    _at(qtbot, window, clock, datetime(2027, 4, 20, 18, 0))
    assert _lines(panel) == []
    _at(qtbot, window, clock, datetime(2027, 4, 21, 8, 30))
    assert _lines(panel) == ["08:00 — aciclovir (antiviral prophylaxis)",
                             "08:00 — co-trimoxazole (PJP prophylaxis)",
                             "20:00 — aciclovir (antiviral prophylaxis)"]
    # Both 08:00 medicines announced together, and taken in one click.
    banner = window.dose_banner
    assert banner.text.text() == "Time for aciclovir (antiviral prophylaxis) and co-trimoxazole (PJP prophylaxis) (08:00)."
    assert banner.taken.text() == "All taken"
    qtbot.mouseClick(banner.taken, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _statuses(panel) == ["Taken at 08:30", "Taken at 08:30", "Due"], timeout=10_000)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)

    # The evening dose is forgotten: after midnight it is missed, and the warning says so.
    _at(qtbot, window, clock, datetime(2027, 4, 22, 0, 30))
    qtbot.waitUntil(lambda: window.header.alert_bar is not None and any(
        r.alert.code == "missed_dose" for r in window.header.alert_bar.rows()), timeout=10_000)
    warning = next(r for r in window.header.alert_bar.rows() if r.alert.code == "missed_dose")
    assert "aciclovir" in warning.alert.message and "20:00" in warning.alert.message
    assert _lines(panel)[0] == "yesterday 20:00 — aciclovir (antiviral prophylaxis)"
    assert _statuses(panel)[0] == "Missed"

    # The caregiver sees it too, and the missed dose among the day's medicines.
    carer = window_for(db_path, "caregiver")
    qtbot.waitUntil(lambda: carer.agenda is not None and carer.agenda.data is not None, timeout=10_000)
    assert any(a.code == "missed_dose" and "aciclovir" in a.message for a in carer.agenda.data.alerts)
    qtbot.waitUntil(lambda: carer.agenda_doses.today is not None, timeout=10_000)
    assert _lines(carer.agenda_doses)[0] == "yesterday 20:00 — aciclovir (antiviral prophylaxis)"
    assert carer.agenda_doses.taken_buttons == []
