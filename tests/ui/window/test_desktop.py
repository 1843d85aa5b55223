"""Desktop conventions and people with MS: read-only caregivers, larger text, names for screen readers,
remembered geometry, the About box, the sample journey."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QWizard

from mstracker.domain.phases import Phase
from mstracker.services import patients
from mstracker.ui.core.settings import UiSettings
from mstracker.ui.dialogs.about import DISCLAIMER


def test_a_caregiver_sees_no_write_actions(window_for, db_path, in_hospital):
    window = window_for(db_path, role="caregiver")
    assert window.header.where.text() == "Day +12 · recovery in hospital"
    assert not window.quick.isVisible()
    assert not window.phase_button.isVisible()
    assert not window.log_menu.menuAction().isVisible()
    assert not any(a.isVisible() for a in window.log_actions.values())
    assert not window.page.reminders.buttons.isVisible()
    assert not window.page.correct_button.isVisible() and not window.page.delete_button.isVisible()
    assert not window.undo_action.isVisible()
    window.log_quick_temperature()  # even if reached somehow, nothing is attempted
    assert window.session.bus.running == 0


def test_every_control_has_an_accessible_name(window_for, db_path, in_hospital):
    window = window_for(db_path)
    controls = [w for w in window.findChildren(QAbstractButton) + window.findChildren(QComboBox)
                + window.findChildren(QLineEdit) if w.isVisible() and w.parent() is not None
                and not isinstance(w.parent(), QComboBox) and w.objectName() != "qt_spinbox_lineedit"]
    assert controls
    unnamed = [w for w in controls if not (w.accessibleName() or w.text() if hasattr(w, "text") else
                                           w.accessibleName())]
    assert unnamed == []
    assert window.page.timeline.accessibleName() == "Journey timeline"
    assert window.page.timeline.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_larger_text_mode_is_remembered(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    before = QApplication.font().pointSizeF()
    window.large_action.trigger()
    try:
        assert QApplication.font().pointSizeF() > before * 1.3
        assert window.header.where.font().pointSizeF() > QApplication.font().pointSizeF()
        assert UiSettings().large_text()
    finally:
        window.large_action.trigger()
    assert QApplication.font().pointSizeF() == before
    assert not UiSettings().large_text()


def test_geometry_and_last_patient_are_remembered(qtbot, window_for, db_path, in_hospital, clock):
    window = window_for(db_path)
    window.resize(760, 560)  # the offscreen screen is 800×600
    window.page.timeline.set_span(1826)
    window.save_state()
    again = window_for(db_path)
    assert (again.width(), again.height()) == (760, 560)
    assert again.page.timeline.span == 1826
    assert again.session.patient_id == in_hospital


def test_timeline_zoom_and_tooltips(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    timeline = window.page.timeline
    qtbot.mouseClick(window.page.zoom_buttons[42], Qt.MouseButton.LeftButton)
    assert timeline.span == 42 and window.page.zoom_buttons[42].isChecked()
    timeline.setFocus()
    qtbot.keyClick(timeline, Qt.Key.Key_Minus)
    assert timeline.span == 91 and not window.page.zoom_buttons[42].isChecked()
    timeline.show_today()
    band = timeline.band_at(timeline._x(timeline.today) - 2)
    assert band is not None and band.phase is Phase.TRANSPLANT
    assert timeline.band_text(band) == "Recovery in hospital: since Mon 08 Mar 2027, 13 days so far"


def test_about_box_carries_the_disclaimer(window_for, db_path, in_hospital):
    window = window_for(db_path)
    from mstracker.ui.dialogs.about import show_about

    box = show_about(window)
    assert "not a medical device" in box.informativeText() and box.informativeText() == DISCLAIMER
    box.close()


def test_explore_a_sample_journey(qtbot, window_for, db_path):
    window = window_for(db_path)
    window.open_wizard()
    wizard = window.wizard
    assert wizard.welcome.sample.isVisible()
    qtbot.mouseClick(wizard.welcome.sample, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, wizard.welcome.sample.height() // 2))
    assert wizard.welcome.sample.isChecked()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.sample
    with qtbot.waitSignal(wizard.finished_with_patient, timeout=30_000) as done:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    summaries = {p.id: p for p in patients.list_patients(window.ctx)}
    assert len(summaries) >= 7
    assert summaries[done.args[0]].phase == "transplant"
    qtbot.waitUntil(lambda: window.header.name.text() == summaries[done.args[0]].name, timeout=10_000)


def test_the_keyboard_path_reaches_every_panel_in_order(qtbot, window_for, db_path, in_hospital):
    window = window_for(db_path)
    window.activateWindow()
    window.quick_temp.setFocus()
    wanted = [window.quick_button, window.log_button, window.phase_button, window.page.timeline,
              window.page.history.kind, window.page.history.search, window.page.history.table, window.page.reminders.table,
              window.page.reminders.done]
    seen = []
    widget = window.quick_temp
    for _ in range(40):
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() & Qt.FocusPolicy.TabFocus != Qt.FocusPolicy.TabFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
        seen.append(widget)
    positions = [seen.index(w) for w in wanted]
    assert positions == sorted(positions)
