"""services.charts.chart_data: what the charts draw, from a journey built through the CLI."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mstracker.domain.chart_data import ChartData, summary
from mstracker.services.charts import chart_data
from mstracker.services.eligibility import eligibility

from .chart_journey import ANC, DAY_ZERO, NEUTROPHIL_ENGRAFTMENT, build_journey, context, ok


@pytest.fixture
def journey(cli):
    pid = build_journey(cli)
    ctx = context(cli)
    yield ctx, pid
    ctx.close()


def test_lab_series_oldest_first_with_corrections_and_without_retracted(journey):
    ctx, pid = journey
    data = chart_data(ctx, pid)
    assert [p.value for p in data.labs["anc"]] == [v for _at, v in ANC] + [1.2]
    assert [p.at.strftime("%Y-%m-%dT%H:%M") for p in data.labs["platelets"]] == ["2027-03-12T07:00"]
    assert [p.value for p in data.labs["hb"]] == [7.5]
    assert data.labs["wbc"] == () and data.labs["cd4"] == ()
    assert [p.value for p in data.temperatures] == [38.4]
    assert [p.value for p in data.edss] == [3.5]


def test_day_numbers_and_engraftment(journey):
    ctx, pid = journey
    data = chart_data(ctx, pid)
    assert (data.day_zero, data.day_zero_is_planned) == (DAY_ZERO, False)
    first, second = data.labs["anc"][:2]
    assert data.day_number(first.at) == pytest.approx(7 / 24)       # Day 0 at 07:00
    assert data.day_number(second.at) == pytest.approx(3 + 7 / 24)   # Day +3
    assert data.day_number(data.temperatures[0].at) == pytest.approx(4 + 14 / 24)
    assert data.neutrophil_engraftment == NEUTROPHIL_ENGRAFTMENT
    assert data.day_number(data.neutrophil_engraftment) == 9
    assert data.platelet_engraftment is None
    assert data.engraftment_marks("anc") == [(NEUTROPHIL_ENGRAFTMENT, "Neutrophil engraftment")]
    assert data.engraftment_marks("platelets") == []
    assert data.platelet_transfusions == (date(2027, 3, 13),)


def test_relapses_and_mris_marked_for_the_edss_chart(journey):
    ctx, pid = journey
    data = chart_data(ctx, pid)
    assert data.relapses == (date(2026, 11, 2),)  # the one the MS team marked confirmed=no is left out
    assert data.active_mris == (date(2026, 12, 1),)
    assert data.quiet_mris == (date(2027, 1, 15),)


def test_as_of_in_the_past_leaves_out_later_entries(journey):
    ctx, pid = journey
    data = chart_data(ctx, pid, as_of=datetime(2027, 3, 12, 15, 0))
    assert [p.value for p in data.labs["anc"]] == [0.3, 0.1]
    assert data.neutrophil_engraftment is None
    assert [p.value for p in data.temperatures] == [38.4]


def test_a_planned_day_zero_is_used_and_marked_planned(cli):
    pid = ok(cli("patient", "add", "--name", "Ben"))
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-04-01"))
    ok(cli("journey", "plan", pid, "transplant", "--on", "2027-05-10"))
    ok(cli("log", pid, "lab", "--at", "2027-04-10T08:00", "anc=3.1"))
    ctx = context(cli, "2027-06-20T10:00")
    try:
        data = chart_data(ctx, int(pid))
    finally:
        ctx.close()
    assert (data.day_zero, data.day_zero_is_planned) == (date(2027, 5, 10), True)
    assert data.day_number(data.labs["anc"][0].at) == pytest.approx(-30 + 8 / 24)


def test_patient_with_nothing_logged_has_empty_charts(cli):
    pid = int(ok(cli("patient", "add", "--name", "Cleo")))
    ctx = context(cli)
    try:
        data = chart_data(ctx, pid)
    finally:
        ctx.close()
    assert data.day_zero is None and data.day_number(datetime(2027, 1, 1)) is None
    assert all(data.is_empty(w) for w in ("anc", "platelets", "hb", "wbc", "cd4", "temperature", "edss"))
    assert data.empty_text("anc") == "No lab results logged yet"
    assert data.empty_text("temperature") == "No temperatures logged yet"
    assert data.empty_text("edss") == "No EDSS scores logged yet"
    assert summary(data, "anc") == "Neutrophils (ANC): no lab results logged yet."


def test_empty_text_names_the_missing_test_when_other_labs_exist(journey):
    ctx, pid = journey
    data = chart_data(ctx, pid)
    assert data.empty_text("cd4") == "No cd4 count results logged yet"
    assert "Neutrophil engraftment on 2027-03-17 (Day +9)" in summary(data, "anc")


def test_unknown_chart_is_refused():
    with pytest.raises(ValueError, match="unknown chart"):
        ChartData().points("sodium")


def test_eligibility_from_the_recorded_patient(journey):
    ctx, pid = journey
    items = {i.key: i for i in eligibility(ctx, pid, today=date(2027, 2, 5))}
    assert {k: i.status for k, i in items.items()} == {
        "ms_type": "met", "age": "met", "edss": "met", "disease_duration": "met", "disease_activity": "met",
        "strict_reading": "not_met",
    }
    assert items["age"].detail == "Age 36."
    assert items["strict_reading"].note


def test_eligibility_unknown_when_nothing_is_recorded(cli):
    pid = int(ok(cli("patient", "add", "--name", "Cleo")))
    ctx = context(cli)
    try:
        items = eligibility(ctx, pid)
    finally:
        ctx.close()
    assert [i.status for i in items if not i.note] == ["unknown"] * 5


def test_pdf_charts_section_feeds_the_pdf_writer(journey):
    from mstracker.exports.pdf import write_pdf
    from mstracker.services.charts import pdf_charts
    from mstracker.services.exporting import gather

    ctx, pid = journey
    html, images = pdf_charts(ctx, pid)
    # Non-empty charts only, in order of clinical use (no WBC or CD4 values were logged).
    assert list(images) == ["chart-anc.png", "chart-platelets.png", "chart-temperature.png", "chart-edss.png",
                            "chart-hb.png"]
    assert all(png.startswith(b"\x89PNG") for png in images.values())
    assert html.startswith("<h2>Charts</h2>") and html.count("<img ") == 5
    assert "Day 0: 2027-03-08" in html
    plain = write_pdf(gather(ctx, pid))
    with_charts = write_pdf(gather(ctx, pid), extra_html=html, images=images)
    assert with_charts.startswith(b"%PDF") and len(with_charts) > len(plain) + 20_000


def test_pdf_charts_is_empty_with_nothing_to_chart(cli):
    from mstracker.services.charts import pdf_charts

    pid = int(ok(cli("patient", "add", "--name", "Cleo")))
    ctx = context(cli)
    try:
        assert pdf_charts(ctx, pid) == ("", {})
    finally:
        ctx.close()
