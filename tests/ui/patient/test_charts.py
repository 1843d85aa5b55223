"""ui.charts: chart views and the charts panel, fed from a journey built through the CLI."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from mstracker.domain.chart_data import ChartData
from mstracker.services.charts import chart_data
from mstracker.ui.patient.charts import ChartsPanel, EdssChartView, LabChartView, TemperatureChartView

from ...services.chart_journey import build_journey, context


@pytest.fixture
def data(cli) -> ChartData:
    pid = build_journey(cli)
    ctx = context(cli)
    try:
        return chart_data(ctx, pid)
    finally:
        ctx.close()


def names(view) -> dict[str, object]:
    return {s.name(): s for s in view.chart().series() if s.name()}


def test_lab_view_draws_the_counts_with_limit_and_engraftment_at_the_right_day(qtbot, data):
    view = LabChartView("anc")
    qtbot.addWidget(view)
    view.set_data(data)
    series = names(view)
    assert [round(p.y(), 2) for p in series["Neutrophils (ANC)"].points()] == [0.3, 0.1, 0.6, 0.8, 1.1, 1.2]
    assert {p.y() for p in series["0.5: very low"].points()} == {0.5}
    assert {p.x() for p in series["Neutrophil engraftment (Day +9)"].points()} == {9.0}
    assert not view.is_empty() and view.empty_text() == ""
    assert view.accessibleName() == "Neutrophils (ANC) chart"
    assert "Neutrophil engraftment on 2027-03-17 (Day +9)" in view.accessibleDescription()


def test_set_field_switches_the_count(qtbot, data):
    view = LabChartView("anc")
    qtbot.addWidget(view)
    view.set_data(data)
    view.set_field("platelets")
    series = names(view)
    assert {p.y() for p in series["20: low"].points()} == {20.0}
    assert {p.y() for p in series["10: dangerously low"].points()} == {10.0}
    assert view.accessibleName() == "Platelets chart"
    with pytest.raises(ValueError):
        view.set_field("temperature")


def test_temperature_and_edss_views(qtbot, data):
    temperature, edss = TemperatureChartView(), EdssChartView()
    for view in (temperature, edss):
        qtbot.addWidget(view)
        view.set_data(data)
    assert {"38.0 °C: fever (low neutrophils: twice in 1–2 hours is an emergency)",
            "38.3 °C: low neutrophils: one reading is an emergency"} <= set(names(temperature))
    assert {"Relapse", "MRI with new or enhancing lesions", "MRI without new activity"} <= set(names(edss))


def test_empty_state_says_what_is_missing(qtbot):
    view = LabChartView("anc")
    qtbot.addWidget(view)
    view.show()
    assert view.empty_text() == "Nothing to show yet"
    view.set_data(ChartData(patient_name="Cleo"))
    assert view.is_empty()
    assert view.empty_text() == "No lab results logged yet"
    label = view.findChild(type(view._empty), "chartEmptyText")
    assert label.isVisible() and label.text() == "No lab results logged yet"
    assert view.chart().series() == []
    assert view.accessibleDescription() == "Neutrophils (ANC): no lab results logged yet."


def test_empty_label_hides_once_there_is_data(qtbot, data):
    view = TemperatureChartView()
    qtbot.addWidget(view)
    view.show()
    view.set_data(ChartData())
    assert view._empty.isVisible()
    view.set_data(data)
    assert not view._empty.isVisible() and view.chart().series()


def test_panel_has_a_tab_per_chart_and_refreshes_all(qtbot, data):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.show()
    tabs = panel.tabs()
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Neutrophils", "Platelets", "Haemoglobin", "White cells", "CD4", "Temperature", "EDSS"]
    panel.set_data(data)
    assert not panel.view("anc").is_empty()
    assert panel.view("cd4").empty_text() == "No cd4 count results logged yet"
    with qtbot.waitSignal(panel.current_changed) as signal:
        panel.set_current("edss")
    assert signal.args == ["edss"] and panel.current() == "edss"
    assert panel.view("edss").isVisible() and not panel.view("anc").isVisible()


def test_tabs_switch_by_keyboard(qtbot, data):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_data(data)
    tab_bar = panel.tabs().tabBar()
    tab_bar.setFocus()
    qtbot.keyClick(tab_bar, Qt.Key.Key_Right)
    assert panel.current() == "platelets"


def test_large_text_redraws_with_the_bigger_font(qtbot, data):
    view = LabChartView("anc")
    qtbot.addWidget(view)
    view.set_data(data)
    before = view.chart().titleFont().pointSizeF()
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    after = view.chart().titleFont().pointSizeF()
    assert after == pytest.approx(before * 2)
    assert view.chart().axes()[0].labelsFont().pointSizeF() == pytest.approx(font.pointSizeF())


def test_panel_legend_wraps_under_the_chart_instead_of_cutting_entries(qtbot, data):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_data(data)
    view = panel.view("anc")
    legend = view.legend_label()
    assert not view.chart().legend().isVisible()
    assert legend.isVisible() and legend.wordWrap()
    text = legend.text().replace("&nbsp;", " ")  # each entry is kept on one line
    assert "0.5: very low" in text and "Neutrophil engraftment (Day +9)" in text
    assert "Neutrophils (ANC)" not in text  # the title already names the data line
    panel.set_data(ChartData())
    assert not legend.isVisible()


@pytest.mark.parametrize("factor", [1.0, 1.35, 2.0])
def test_the_plot_keeps_a_usable_size_with_larger_text(qtbot, data, factor):
    """At its smallest, with the larger-text mode's font (or twice the usual), the plot inside the axes keeps
    room for the values: the labels and titles grow, and so does the view."""
    from PySide6.QtGui import QFont

    view = LabChartView("platelets")
    qtbot.addWidget(view)
    font = QFont(view.font())
    font.setPointSizeF((font.pointSizeF() if font.pointSizeF() > 0 else 10) * factor)
    view.setFont(font)
    view.set_data(data)
    view.resize(view.minimumSize())
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.chart().plotArea().height() > 0)
    plot = view.chart().plotArea()
    assert plot.height() >= 120 and plot.width() >= 220, plot
