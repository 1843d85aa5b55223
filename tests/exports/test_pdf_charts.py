"""exports.pdf_charts: the QCharts (limits, engraftment marks) and their offscreen PNGs for the PDF."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from dateutil import tz
from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtGui import QImage

from mstracker.domain.chart_data import ChartData, ChartPoint
from mstracker.exports.pdf_charts import build_chart, render_chart_png

ZONE = tz.gettz("Europe/London")
D0 = date(2027, 3, 8)


def at(day: int, hour: int = 7) -> datetime:
    return datetime.combine(D0 + timedelta(days=day), datetime.min.time()).replace(hour=hour, tzinfo=ZONE)


def sample(**changes) -> ChartData:
    values = dict(
        patient_name="Anna", day_zero=D0,
        labs={"anc": tuple(ChartPoint(at(d), v) for d, v in [(-2, 2.0), (1, 0.3), (5, 0.1), (9, 0.6), (10, 0.9),
                                                             (11, 1.4)]),
              "platelets": tuple(ChartPoint(at(d), v) for d, v in [(-2, 150), (4, 12), (8, 25), (12, 60)]),
              "hb": (ChartPoint(at(3), 7.6),), "wbc": (), "cd4": ()},
        temperatures=(ChartPoint(at(4, 14), 38.4), ChartPoint(at(5, 8), 37.0)),
        edss=(ChartPoint(datetime(2026, 5, 1, 12, tzinfo=ZONE), 3.5), ChartPoint(at(200, 12), 3.0)),
        relapses=(date(2026, 9, 1),), active_mris=(date(2026, 10, 1),), quiet_mris=(date(2027, 9, 1),),
        platelet_transfusions=(D0 + timedelta(days=5),),
        neutrophil_engraftment=D0 + timedelta(days=9), platelet_engraftment=D0 + timedelta(days=12),
    )
    values.update(changes)
    return ChartData(**values)


_keep = []  # the QChart owns its series: keep each chart alive while a test reads them


def series_by_name(chart) -> dict[str, object]:
    _keep[:] = [chart]
    return {s.name(): s for s in chart.series() if s.name()}


def xs(series) -> list[float]:
    return [p.x() for p in series.points()]


def ys(series) -> list[float]:
    return [p.y() for p in series.points()]


def test_anc_chart_has_the_limit_line_day_zero_and_engraftment_at_day_9(qapp):
    chart = build_chart(sample(), "anc")
    named = series_by_name(chart)
    assert set(ys(named["0.5: very low"])) == {0.5}
    assert set(xs(named["Neutrophil engraftment (Day +9)"])) == {9.0}
    assert set(xs(named["Day 0"])) == {0.0}
    data_line = named["Neutrophils (ANC)"]
    assert isinstance(data_line, QLineSeries)
    assert xs(data_line)[0] == pytest.approx(-2 + 7 / 24)
    assert ys(data_line) == [2.0, 0.3, 0.1, 0.6, 0.9, 1.4]
    x_axis = chart.axes()[0]
    assert x_axis.titleText() == "Day (Day 0: 2027-03-08)"


def test_platelet_chart_has_both_limits_engraftment_and_transfusions(qapp):
    named = series_by_name(build_chart(sample(), "platelets"))
    assert set(ys(named["20: low"])) == {20.0}
    assert set(ys(named["10: dangerously low"])) == {10.0}
    assert set(xs(named["Platelet engraftment (Day +12)"])) == {12.0}
    assert isinstance(named["Platelet transfusion"], QScatterSeries)
    assert xs(named["Platelet transfusion"]) == [5.0]
    assert "Neutrophil engraftment (Day +9)" not in named


def test_haemoglobin_and_temperature_limits(qapp):
    hb = series_by_name(build_chart(sample(), "hb"))
    assert set(ys(hb["8: low"])) == {8.0}
    temperature = series_by_name(build_chart(sample(), "temperature"))
    assert set(ys(temperature["38.0 °C: fever (low neutrophils: twice in 1–2 hours is an emergency)"])) == {38.0}
    assert set(ys(temperature["38.3 °C: low neutrophils: one reading is an emergency"])) == {38.3}
    assert xs(temperature["Temperature"])[0] == pytest.approx(4 + 14 / 24)


def test_edss_chart_marks_relapses_and_mri_activity(qapp):
    named = series_by_name(build_chart(sample(), "edss"))
    assert ys(named["EDSS score"]) == [3.5, 3.0]
    for name in ("Relapse", "MRI with new or enhancing lesions", "MRI without new activity"):
        # A vertical line at the date across the whole scale: no height that could read as a score.
        assert isinstance(named[name], QLineSeries) and ys(named[name]) == [0.0, 10.0]
        assert len(set(xs(named[name]))) == 1
    assert "Day 0 (transplant)" in named


def test_without_day_zero_the_counts_run_against_the_date(qapp):
    chart = build_chart(sample(day_zero=None, neutrophil_engraftment=None, platelet_engraftment=None), "anc")
    assert chart.axes()[0].titleText() == "Date (Day 0 not yet known)"
    assert "Day 0" not in series_by_name(chart)


def test_empty_chart_builds_nothing_and_unknown_chart_is_refused(qapp):
    assert build_chart(sample(), "cd4") is None
    with pytest.raises(ValueError, match="unknown chart"):
        build_chart(sample(), "sodium")


def _image(png: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(png, "PNG")
    return image


def _non_white_share(image: QImage) -> float:
    step = 4
    total = dark = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            total += 1
            if image.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / total


@pytest.mark.parametrize("which", ["anc", "platelets", "hb", "temperature", "edss"])
def test_png_has_the_requested_size_and_is_not_blank(qapp, which):
    png = render_chart_png(sample(), which, 640, 360)
    assert png.startswith(b"\x89PNG")
    image = _image(png)
    assert (image.width(), image.height()) == (640, 360)
    assert _non_white_share(image) > 0.01  # axes, labels, lines


def test_png_of_an_empty_chart_says_so_and_is_not_blank(qapp):
    image = _image(render_chart_png(sample(), "cd4", 400, 300))
    assert (image.width(), image.height()) == (400, 300)
    assert 0 < _non_white_share(image) < 0.2


def test_png_too_small_is_refused(qapp):
    with pytest.raises(ValueError):
        render_chart_png(sample(), "anc", 10, 10)


def test_renders_in_a_fresh_process_without_display_or_qapplication(tmp_path):
    """The cli's PDF export: no QApplication yet, no display, no QT_QPA_PLATFORM."""
    script = (
        "import sys; sys.path.insert(0, {!r})\n"
        "from tests.exports.test_pdf_charts import sample\n"
        "from mstracker.exports.pdf_charts import render_chart_png\n"
        "open({!r}, 'wb').write(render_chart_png(sample(), 'anc', 500, 300))\n"
    ).format(os.getcwd(), str(tmp_path / "anc.png"))
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    image = _image((tmp_path / "anc.png").read_bytes())
    assert (image.width(), image.height()) == (500, 300)


def test_pixel_ratio_keeps_the_requested_size_and_draws_the_same_chart_sharper(qapp):
    image = _image(render_chart_png(sample(), "platelets", 1200, 800, pixel_ratio=2))
    assert (image.width(), image.height()) == (1200, 800)
    assert _non_white_share(image) > 0.01


def test_legend_html_lists_limits_and_marks_each_on_one_line(qapp):
    from mstracker.exports.pdf_charts import legend_html

    chart = build_chart(sample(), "platelets")
    text = legend_html(chart)
    assert "20:&nbsp;low" in text and "Platelet&nbsp;engraftment&nbsp;(Day&nbsp;+12)" in text
    assert "▲" in text  # the transfusion marker
    assert ">Platelets<" not in text  # the title names the data line


def _value_axis(chart):
    from PySide6.QtCharts import QValueAxis

    _keep[:] = [chart]
    return [a for a in chart.axes() if isinstance(a, QValueAxis)][-1]


def test_counts_are_scaled_to_the_transplant_window_not_the_assessment(qapp):
    """A count of 4.5 at assessment (Day -90) must not flatten the neutrophils after the transplant onto the line."""
    anc = tuple(ChartPoint(at(d), v) for d, v in [(-90, 4.5), (-60, 30.0), (1, 0.3), (5, 0.08), (9, 0.6), (11, 0.9)])
    platelets = tuple(ChartPoint(at(d), v) for d, v in [(-90, 310), (2, 40), (5, 15), (9, 8), (12, 22)])
    data = sample(labs={"anc": anc, "platelets": platelets, "hb": (), "wbc": (), "cd4": ()}, as_of=at(12))
    chart = build_chart(data, "anc")
    x_axis, y_axis = chart.axes()[0], _value_axis(chart)
    assert -16 <= x_axis.min() <= -14 and x_axis.max() >= 12
    assert 0.9 <= y_axis.max() <= 1.5  # the values in view and the 0.5 line fill the height
    chart = build_chart(data, "platelets")
    y_axis = _value_axis(chart)
    assert 40 <= y_axis.max() <= 60  # 20 and 10 stay in view, well apart from each other and from 0


def test_thresholds_stay_in_view_when_every_value_is_below_them(qapp):
    data = sample(labs={"anc": (ChartPoint(at(3), 0.05), ChartPoint(at(4), 0.1)), "platelets": (ChartPoint(at(3), 5),),
                        "hb": (), "wbc": (), "cd4": ()})
    assert _value_axis(build_chart(data, "anc")).max() >= 0.5
    assert _value_axis(build_chart(data, "platelets")).max() >= 20


def test_no_line_across_weeks_without_data(qapp):
    anc = tuple(ChartPoint(at(d), v) for d, v in [(1, 0.3), (3, 0.2), (5, 0.4), (40, 2.1), (42, 2.4)])
    chart = build_chart(sample(labs={"anc": anc, "platelets": (), "hb": (), "wbc": (), "cd4": ()}), "anc")
    _keep[:] = [chart]
    lines = [s for s in chart.series() if s.name() == "Neutrophils (ANC)"]
    assert [len(line.points()) for line in lines] == [3, 2]
    assert max(xs(lines[0])) < 6 and min(xs(lines[1])) > 39  # nothing joins Day +5 to Day +40
    dots = [s for s in chart.series() if isinstance(s, QScatterSeries) and len(s.points()) == 5]
    assert dots  # every reading is still drawn as a dot


def test_temperature_limits_say_what_they_mean(qapp):
    named = series_by_name(build_chart(sample(), "temperature"))
    fever = next(n for n in named if n.startswith("38.0 °C"))
    single = next(n for n in named if n.startswith("38.3 °C"))
    assert "fever" in fever and "twice" in fever
    assert "one reading" in single and "emergency" in single
