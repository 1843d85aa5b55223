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


def test_a_remembered_weeks_zoom_opens_with_today_well_inside(qtbot, window_for, db_path, in_hospital, clock):
    """The zoom the user left (Weeks) is restored before any journey is read, against the real date: the
    patient's today must still come into view, far enough in for its marker and label."""
    from mstracker.ui.core.settings import UiSettings

    UiSettings().set_timeline_span(42)
    clock.set(datetime(2027, 3, 17, 10, 0))
    window = window_for(db_path)
    timeline = window.page.timeline
    assert timeline.span == 42
    x = timeline._x(date(2027, 3, 17))
    label = timeline.fontMetrics().horizontalAdvance("Today")
    assert label / 2 <= x <= timeline.width() - label / 2


def test_the_current_phase_runs_on_to_the_next_planned_one(qtbot, window_for, db_path, in_hospital, clock):
    """No blank gap after tomorrow: the bar of the phase going on reaches the next planned phase."""
    ctx = open_context(db_path, clock=clock)
    try:
        journeys.plan(ctx, in_hospital, Phase.IMMUNE_REBUILD, date(2027, 3, 30))
    finally:
        ctx.close()
    window = window_for(db_path)
    bands = window.page.timeline.bands
    current = next(b for b in bands if b.phase == Phase.TRANSPLANT)
    planned = next(b for b in bands if b.phase == Phase.IMMUNE_REBUILD)
    assert planned.planned and current.end == planned.start == date(2027, 3, 30)
    assert window.page.timeline.band_text(current) == "Recovery in hospital: since Mon 08 Mar 2027, 13 days so far"


def test_the_current_phase_without_a_plan_is_open_ended(qtbot, window_for, db_path, in_hospital, clock):
    window = window_for(db_path)
    timeline = window.page.timeline
    current = timeline.bands[-1]
    assert current.phase == Phase.TRANSPLANT and current.ongoing
    assert timeline.band_text(current).endswith("13 days so far")
    # Painted to the widget's right edge: the band's colour is there, a week past today.
    timeline.set_span(42)
    from mstracker.ui.patient.timeline import COLOURS

    image = timeline.grab().toImage()
    x = int(timeline._x(date(2027, 3, 27)))
    y = timeline.fontMetrics().height() + 6 + timeline._band_height() // 2
    assert image.pixelColor(x, y).name() == COLOURS[Phase.TRANSPLANT]


def test_a_withdrawn_journey_draws_its_bands_and_plans_nothing(tmp_path, clock):
    """A final phase (not in the phase order) has no "next": nothing planned is drawn after it."""
    from datetime import date as day

    from mstracker.domain.journey import Journey
    from mstracker.ui.patient.timeline_data import journey_bands

    db = str(tmp_path / "w.sqlite3")
    ctx = open_context(db, clock=clock)
    try:
        pid = patients.add_patient(ctx, "Wren")
        journeys.start_journey(ctx, pid, "beam-atg", day(2027, 1, 10))
        journeys.plan(ctx, pid, Phase.CONDITIONING, day(2027, 4, 1))
        journeys.advance(ctx, pid, Phase.WITHDRAWN, day(2027, 2, 1))
        journey: Journey = journeys.journey_of(ctx, pid)
    finally:
        ctx.close()
    bands = journey_bands(journey, day(2027, 3, 1))
    first = journey.transitions[0].phase
    assert [(b.phase, b.planned, b.ongoing) for b in bands] == [(first, False, False), (Phase.WITHDRAWN, False, False)]
    assert bands[0].end == bands[1].start == bands[1].end == day(2027, 2, 1)
