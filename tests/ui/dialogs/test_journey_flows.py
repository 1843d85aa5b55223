"""First run and phase changes through the real wizard and dialog."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from mstracker.domain.phases import Phase
from mstracker.services import journeys, patients, reminders
from mstracker.services.context import open_context


def _click(qtbot, button) -> None:
    # Near the left edge: a radio button or check box answers only on its circle, box or text.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _next(qtbot, wizard) -> None:
    qtbot.waitUntil(wizard.currentPage().isComplete)  # the protocol page: once its list is read off the UI thread
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))


@pytest.fixture
def cells_stored(db_path, clock):
    """Ben, cells stored on 2027-03-01, no dates planned yet."""
    ctx = open_context(db_path, clock=clock)
    try:
        pid = patients.add_patient(ctx, "Ben Okafor")
        journeys.start_journey(ctx, pid, "cy-atg", date(2027, 2, 1))
        journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 3, 1))
    finally:
        ctx.close()
    return pid


def test_first_run_wizard_to_a_journey(qtbot, window_for, db_path):
    window = window_for(db_path)
    assert window.session.patient_id is None
    assert window.setup_button.isVisible()
    _click(qtbot, window.setup_button)
    wizard = window.wizard
    assert wizard.isVisible()
    _next(qtbot, wizard)
    assert wizard.currentId() == 1
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # the name is needed
    qtbot.keyClicks(wizard.patient.name, "Maria Lopez")
    _next(qtbot, wizard)
    qtbot.waitUntil(wizard.protocol.isComplete)
    wizard.protocol.protocol.setCurrentIndex(wizard.protocol.protocol.findData("cy-atg"))
    assert wizard.protocol.description.text()
    _next(qtbot, wizard)
    dates = wizard.dates
    dates.phase.setCurrentIndex(dates.phase.findData("mobilization"))
    dates.since.setDate(QDate(2027, 3, 1))
    _click(qtbot, dates.day0_check)
    dates.day0.setDate(QDate(2027, 5, 10))
    with qtbot.waitSignal(wizard.finished_with_patient, timeout=10_000) as done:
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    pid = done.args[0]
    qtbot.waitUntil(lambda: window.header.name.text() == "Maria Lopez", timeout=10_000)
    qtbot.waitUntil(lambda: window.status is not None, timeout=10_000)
    assert window.header.where.text() == "Day −51 (planned) · stem cell mobilization"
    journey = journeys.journey_of(window.ctx, pid)
    assert journey.phase is Phase.MOBILIZATION and journey.planned[Phase.TRANSPLANT] == date(2027, 5, 10)
    assert not window.setup_button.isVisible()


def test_a_patient_already_in_follow_up_enters_the_dates_they_know(qtbot, window_for, db_path, clock):
    clock.set(datetime(2027, 6, 20, 10, 0))
    window = window_for(db_path)
    _click(qtbot, window.setup_button)
    wizard = window.wizard
    _next(qtbot, wizard)
    qtbot.keyClicks(wizard.patient.name, "Fay Long")
    _next(qtbot, wizard)
    qtbot.waitUntil(wizard.protocol.isComplete)
    wizard.protocol.protocol.setCurrentIndex(wizard.protocol.protocol.findData("cy-atg"))
    _next(qtbot, wizard)
    dates = wizard.dates
    assert dates.phase.findData("follow_up") >= 0  # every phase up to follow-up is offered
    assert not dates.milestones[Phase.TRANSPLANT].isVisible()  # nothing behind a patient in mobilization
    dates.phase.setCurrentIndex(dates.phase.findData("follow_up"))
    assert dates.milestones[Phase.TRANSPLANT].isVisible() and not dates.day0_check.isVisible()
    known = {Phase.MOBILIZATION: QDate(2025, 9, 1), Phase.CELLS_STORED: QDate(2025, 9, 20),
             Phase.CONDITIONING: QDate(2025, 11, 3), Phase.TRANSPLANT: QDate(2025, 11, 10),
             Phase.IMMUNE_REBUILD: QDate(2025, 11, 28)}
    for phase, day in known.items():
        dates.milestones[phase].setDate(day)
    dates.since.setDate(QDate(2026, 11, 10))
    with qtbot.waitSignal(wizard.finished_with_patient, timeout=10_000) as done:
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    journey = journeys.journey_of(window.ctx, done.args[0])
    assert journey.phase is Phase.FOLLOW_UP and journey.day_zero == date(2025, 11, 10)
    assert journey.entered(Phase.IMMUNE_REBUILD) == date(2025, 11, 28)
    qtbot.waitUntil(lambda: window.status is not None, timeout=10_000)
    assert window.header.where.text().endswith("long-term follow-up")
    # Past the assessment: the eligibility checklist is gone from the tabs and from the menu.
    qtbot.waitUntil(lambda: not window.page.insight.offers_eligibility, timeout=10_000)
    assert not window.eligibility_tab_action.isVisible()


def test_dates_out_of_order_are_refused_inline_and_nothing_half_made_is_repeated(qtbot, window_for, db_path, clock):
    clock.set(datetime(2027, 6, 20, 10, 0))
    window = window_for(db_path)
    window.open_wizard()
    wizard = window.wizard
    _next(qtbot, wizard)
    qtbot.keyClicks(wizard.patient.name, "Ivo Rebuild")
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    dates = wizard.dates
    dates.phase.setCurrentIndex(dates.phase.findData("immune_rebuild"))
    for phase, day in ((Phase.MOBILIZATION, QDate(2027, 2, 1)), (Phase.CELLS_STORED, QDate(2027, 2, 20)),
                       (Phase.CONDITIONING, QDate(2027, 5, 1)), (Phase.TRANSPLANT, QDate(2027, 4, 1))):
        dates.milestones[phase].setDate(day)  # Day 0 before the admission: wrong
    dates.since.setDate(QDate(2027, 5, 25))
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert dates.error.isVisible() and "Recovery in hospital must begin after" in dates.error.text()
    assert patients.list_patients(window.ctx) == []  # refused before anything was written
    dates.milestones[Phase.TRANSPLANT].setDate(QDate(2027, 5, 7))
    with qtbot.waitSignal(wizard.finished_with_patient, timeout=10_000) as done:
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert [p.name for p in patients.list_patients(window.ctx)] == ["Ivo Rebuild"]
    journey = journeys.journey_of(window.ctx, done.args[0])
    assert journey.phase is Phase.IMMUNE_REBUILD and journey.day_zero == date(2027, 5, 7)


def test_wizard_skipped_keeps_what_was_typed_and_resumes(qtbot, window_for, db_path):
    window = window_for(db_path)
    window.open_wizard()
    wizard = window.wizard
    _next(qtbot, wizard)
    qtbot.keyClicks(wizard.patient.name, "Sam Reed")
    _click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))  # "Set up later"
    assert not wizard.isVisible()
    assert patients.list_patients(window.ctx) == []
    window.open_wizard()
    assert window.wizard.patient.name.text() == "Sam Reed"


def test_wizard_resumes_a_patient_without_a_journey(qtbot, window_for, db_path, clock):
    ctx = open_context(db_path, clock=clock)
    pid = patients.add_patient(ctx, "Lea Novak")
    ctx.close()
    window = window_for(db_path)
    assert window.setup_button.isVisible()  # the patient is there, the journey is not
    window.open_wizard()
    wizard = window.wizard
    _next(qtbot, wizard)
    assert wizard.currentId() == 2  # straight to the protocol: the patient exists
    _next(qtbot, wizard)
    with qtbot.waitSignal(wizard.finished_with_patient, timeout=10_000) as done:
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert done.args == [pid]
    assert [p.id for p in patients.list_patients(window.ctx)] == [pid]
    assert journeys.journey_of(window.ctx, pid).phase is Phase.MOBILIZATION


def test_the_phase_dialog_offers_only_allowed_transitions(qtbot, window_for, db_path, cells_stored):
    window = window_for(db_path)
    window.change_phase()  # the journey is read off the UI thread, then the dialog opens on it
    qtbot.waitUntil(lambda: window.phase_dialog is not None, timeout=10_000)
    dialog = window.phase_dialog
    offered = [dialog.phase.itemData(i) for i in range(dialog.phase.count())]
    assert offered == ["conditioning", "withdrawn"]
    dialog.on.setDate(QDate(2027, 3, 18))
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    qtbot.waitUntil(lambda: window.header.where.text().lower().endswith("conditioning (chemotherapy)"), timeout=10_000)
    assert journeys.journey_of(window.ctx, cells_stored).admitted == date(2027, 3, 18)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.undo_action.trigger()  # entered in error
    qtbot.waitUntil(lambda: window.header.where.text().lower().endswith("cells stored"), timeout=10_000)


def test_a_transition_dated_before_the_phase_began_is_refused_inline(qtbot, window_for, db_path, cells_stored):
    window = window_for(db_path)
    window.change_phase()  # the journey is read off the UI thread, then the dialog opens on it
    qtbot.waitUntil(lambda: window.phase_dialog is not None, timeout=10_000)
    dialog = window.phase_dialog
    dialog.on.setDate(QDate(2027, 2, 20))
    with qtbot.waitSignal(window.session.bus.failed, timeout=10_000) as failed:
        _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert "dates of transitions must not go backwards" in failed.args[0]
    assert dialog.isVisible() and dialog.error.text() == failed.args[0]


def test_planning_day_zero_moves_the_schedule(qtbot, window_for, db_path, cells_stored):
    window = window_for(db_path)

    def plan_day_zero(on: QDate) -> None:
        window.phase_dialog = None
        window.change_phase()
        qtbot.waitUntil(lambda: window.phase_dialog is not None, timeout=10_000)
        dialog = window.phase_dialog
        _click(qtbot, dialog.plan)
        dialog.phase.setCurrentIndex(dialog.phase.findData("transplant"))
        assert dialog.phase.currentText().startswith("Day 0")
        dialog.on.setDate(on)
        with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
            _click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))

    plan_day_zero(QDate(2027, 4, 12))
    qtbot.waitUntil(lambda: window.header.where.text() == "Day −23 (planned) · cells stored", timeout=10_000)
    first = {r.id: r.due for r in reminders.schedule(window.ctx, cells_stored)}
    assert first
    assert any(band.planned and band.phase is Phase.TRANSPLANT for band in window.page.timeline.bands)

    plan_day_zero(QDate(2027, 4, 19))
    qtbot.waitUntil(lambda: window.header.where.text() == "Day −30 (planned) · cells stored", timeout=10_000)
    moved = {r.id: r.due for r in reminders.schedule(window.ctx, cells_stored)}
    assert set(moved) == set(first)  # the same reminders, ids kept
    shifts = {moved[i] - first[i] for i in first}
    assert timedelta(days=7) in shifts and all(s >= timedelta(0) for s in shifts)
    # The header follows the status; the reminders list follows its own read of the plan, which may come after.
    soonest = min(d for d in moved.values() if d >= datetime(2027, 3, 20))
    model = window.page.reminders.model
    qtbot.waitUntil(lambda: model.rowCount() > 0 and model.reminder(0).due == soonest, timeout=10_000)


def test_a_finished_journey_offers_no_phase_change(qtbot, window_for, db_path, cells_stored, clock):
    ctx = open_context(db_path, clock=clock)
    journeys.advance(ctx, cells_stored, Phase.WITHDRAWN, date(2027, 3, 10), "chose to stop")
    ctx.close()
    window = window_for(db_path)
    assert window.header.where.text() == "Withdrawn"
    assert not window.phase_button.isEnabled() and not window.phase_action.isEnabled()
    assert window.quick.isEnabled()  # logging how one feels goes on
