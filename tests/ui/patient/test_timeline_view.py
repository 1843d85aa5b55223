"""The journey timeline on the patient's page: it opens with today in view, in every zoom and for every patient."""

from __future__ import annotations

from datetime import date, datetime

from mstracker.domain.phases import Phase
from mstracker.services import journeys, patients
from mstracker.services.context import open_context
from mstracker.ui.patient.page import span_for


def _in_view(timeline, day: date) -> bool:
    return timeline.start <= day <= timeline.end


def test_day_plus_nine_in_hospital_opens_on_weeks_with_today_in_view(qtbot, window_for, db_path, in_hospital, clock):
    clock.set(datetime(2027, 3, 17, 10, 0))  # Day +9 (Day 0 on 8 March), still in hospital
    window = window_for(db_path)
    timeline = window.page.timeline
    today = date(2027, 3, 17)
    assert timeline.today == today
    assert timeline.span == 42 and window.page.zoom_buttons[42].isChecked()
    assert _in_view(timeline, today)
    for days, button in window.page.zoom_buttons.items():  # Weeks, Months, Years and back
        button.click()
        assert timeline.span == days and _in_view(timeline, today)
    window.page.zoom_buttons[42].click()
    assert _in_view(timeline, today)


def test_switching_patient_in_weeks_shows_today(qtbot, window_for, db_path, in_hospital, clock):
    clock.set(datetime(2027, 3, 17, 10, 0))
    ctx = open_context(db_path, clock=clock)
    try:
        other = patients.add_patient(ctx, "Ben Ola")
        journeys.start_journey(ctx, other, "beam-atg", date(2026, 11, 2))
        journeys.advance(ctx, other, Phase.CELLS_STORED, date(2026, 11, 20))
    finally:
        ctx.close()
    window = window_for(db_path)
    timeline = window.page.timeline
    window.page.zoom_buttons[42].click()
    timeline.scroll(-3.0)  # looking at the past, far from today
    assert not _in_view(timeline, date(2027, 3, 17))
    window.open_patient(other)
    qtbot.waitUntil(lambda: window.header.name.text() == "Ben Ola" and not window.page.loading, timeout=10_000)
    assert _in_view(timeline, date(2027, 3, 17))


def test_the_first_zoom_fits_the_phase():
    assert span_for(Phase.TRANSPLANT) == span_for(Phase.CONDITIONING) == 42
    assert span_for(Phase.FOLLOW_UP) == span_for(Phase.COMPLETED) == 1826
    assert span_for(Phase.CELLS_STORED) == span_for(None) == 182
