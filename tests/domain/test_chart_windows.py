"""domain.chart_data: which Days a count chart shows, its value range, and where its line breaks."""

from __future__ import annotations

from mstracker.domain.chart_data import (
    BEFORE_DAY_ZERO,
    GAP_DAYS,
    THRESHOLDS,
    count_window,
    runs,
    value_range,
)


def test_runs_break_at_gaps_wider_than_two_weeks():
    assert runs([]) == []
    assert runs([1.0]) == [(0, 1)]
    assert runs([1, 2, 3, 3 + GAP_DAYS, 3 + 2 * GAP_DAYS + 0.5]) == [(0, 4), (4, 5)]
    assert runs([0, 20, 40, 41]) == [(0, 1), (1, 2), (2, 4)]
    assert runs([0.0, 0.5, 0.5]) == [(0, 3)]  # two readings at the same moment stay on one line


def test_the_window_starts_two_weeks_before_day_zero_at_most():
    assert count_window([-90, -60, 1, 5, 11], 12) == (-BEFORE_DAY_ZERO, 12)
    assert count_window([3, 5], 9) == (3, 9)  # no older readings: from the first one
    assert count_window([3, 5], None) == (3, 5)
    assert count_window([400, 410], 420) == (400, 420)


def test_before_a_far_planned_day_zero_every_reading_shows():
    assert count_window([-60, -30, -25], -20) == (-60, -20)


def test_value_range_keeps_every_limit_in_view():
    lo, hi = value_range([0.05, 0.1], THRESHOLDS["anc"])
    assert lo == 0 and hi > 0.5
    lo, hi = value_range([8, 22, 40], THRESHOLDS["platelets"])
    assert hi == 40 * 1.15
    assert value_range([], ()) == (0.0, 1.0)
