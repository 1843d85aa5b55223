"""Thinning a long series for a chart picture keeps every peak and trough, in time order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mstracker.domain.chart_data import ChartData, ChartPoint, thin

START = datetime(2027, 1, 1, tzinfo=UTC)


def _series(values: list[float]) -> tuple[ChartPoint, ...]:
    return tuple(ChartPoint(START + timedelta(hours=6 * i), v) for i, v in enumerate(values))


def test_a_short_series_is_kept_whole():
    points = _series([37.0, 38.4, 36.9])
    assert thin(points, 2) == points


def test_each_span_keeps_its_lowest_and_highest_point_in_time_order():
    values = [37.0] * 4000
    values[1234] = 39.1  # one fever
    values[3001] = 35.2  # one low reading
    points = _series(values)
    thinned = thin(points, 100)
    assert len(thinned) <= 200
    assert points[1234] in thinned and points[3001] in thinned
    assert list(thinned) == sorted(thinned, key=lambda p: p.at)
    assert thinned[0] == points[0] and max(p.value for p in thinned) == 39.1 and min(p.value for p in thinned) == 35.2


def test_chart_data_thins_every_series_and_nothing_else():
    long = _series([float(i % 50) for i in range(3000)])
    data = ChartData(labs={"anc": long, "platelets": long[:10]}, temperatures=long, edss=long[:5],
                     relapses=(START.date(),))
    thinned = data.thinned(50)
    assert len(thinned.labs["anc"]) <= 100 and len(thinned.temperatures) <= 100
    assert thinned.labs["platelets"] == long[:10] and thinned.edss == long[:5]
    assert thinned.relapses == data.relapses
