"""ui.alert_bar: urgent first and impossible to miss, hidden when empty, one notification per new urgent alert."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from mstracker.domain.clinical.alerts import Alert
from mstracker.services.status import status
from mstracker.ui.core.alert_bar import AlertBar

from ...services.chart_journey import build_journey, context

FEVER = Alert("urgent", "febrile_neutropenia", "Call your transplant team now: temperature 38.4 °C at 2027-03-12 14:00.")
PLATELETS = Alert("urgent", "low_platelets", "Platelets 8 ×10⁹/L are dangerously low: call your transplant team now.")
LOW_HB = Alert("warning", "low_hemoglobin", "Haemoglobin 7.5 g/dL is low: tell your transplant team.")
OVERDUE = Alert("info", "overdue_reminder", "Blood test was due yesterday.")


def make_bar(qtbot) -> AlertBar:
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    bar = AlertBar()
    layout.addWidget(bar)
    layout.addWidget(QLineEdit())  # something after the bar, so Tab has somewhere to go
    host.show()
    bar.test_host = host  # qtbot keeps only a weak reference; the host owns the bar
    return bar


def test_hidden_when_there_are_no_alerts(qtbot):
    bar = make_bar(qtbot)
    assert not bar.isVisible()
    bar.set_alerts([LOW_HB])
    assert bar.isVisible()
    bar.set_alerts([])
    assert not bar.isVisible() and bar.rows() == []


def test_urgent_first_then_warnings_then_information(qtbot):
    bar = make_bar(qtbot)
    bar.set_alerts([OVERDUE, LOW_HB, FEVER])
    assert [a.code for a in bar.alerts()] == ["febrile_neutropenia", "low_hemoglobin", "overdue_reminder"]
    rows = bar.rows()
    assert [r.objectName() for r in rows] == ["alertUrgent", "alertWarning", "alertInfo"]
    assert rows[0].accessibleName() == "Urgent: Call your transplant team now: temperature 38.4 °C at Fri 12 Mar 2027, 14:00."
    assert "Call your transplant team now" in rows[0].text.text()
    assert rows[0].text.text().startswith("<b>Urgent:</b>")
    assert not rows[0].icon.pixmap().isNull()
    # Urgent text is bigger than the calmer alerts'.
    assert rows[0].text.font().pointSizeF() > rows[1].text.font().pointSizeF()


def test_urgent_raised_once_per_new_urgent_alert(qtbot):
    bar = make_bar(qtbot)
    raised = []
    bar.urgent_raised.connect(raised.append)
    bar.set_alerts([LOW_HB, FEVER])
    assert raised == [FEVER]
    bar.set_alerts([FEVER, LOW_HB])        # a refresh with the same alert: no second notification
    bar.set_alerts([FEVER, PLATELETS])     # one new urgent alert
    assert raised == [FEVER, PLATELETS]
    bar.set_alerts([LOW_HB])
    assert raised == [FEVER, PLATELETS]    # warnings never notify
    bar.set_alerts([FEVER])                # gone and back (e.g. a new reading): shown again, so notified again
    assert raised == [FEVER, PLATELETS, FEVER]


def test_each_alert_is_a_tab_stop(qtbot):
    bar = make_bar(qtbot)
    bar.set_alerts([FEVER, LOW_HB])
    first, second = bar.rows()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert second.hasFocus()


def test_the_most_urgent_in_full_the_rest_one_line_each_until_opened(qtbot):
    bar = make_bar(qtbot)
    bar.resize(700, 400)
    long = "Neutrophils 0.2 ×10⁹/L on 2026-12-06 are very low: take infection precautions (hand hygiene, avoid " \
           "crowds and sick contacts, food safety), check your temperature and call your team at 38.0 °C or above."
    warnings = [Alert("warning", f"w{i}", f"{long} ({i})") for i in range(3)]
    bar.set_alerts(warnings + [OVERDUE, FEVER])
    rows = bar.rows()
    assert rows[0].alert == FEVER and not rows[0].compact and rows[0].text.isVisible()
    assert all(r.compact and r.line.isVisible() and not r.text.isVisible() for r in rows[1:])
    line = rows[1].line.fontMetrics().height()
    assert all(r.height() <= line + 12 for r in rows[1:])  # one line each
    shown = rows[1].line.text()
    assert shown.endswith("…") and rows[1].line.fontMetrics().horizontalAdvance(shown) <= rows[1].line.width()
    assert rows[1].accessibleName().endswith("(0)")  # the whole message for a screen reader, still
    height = bar.sizeHint().height()
    assert bar._more.isVisible() and bar._more.text() == "Show all 5 alerts in full"
    qtbot.mouseClick(bar._more, Qt.MouseButton.LeftButton)
    assert all(not r.compact and r.text.isVisible() for r in rows) and bar._more.text() == "Show less"
    assert bar.sizeHint().height() > height
    qtbot.mouseClick(bar._more, Qt.MouseButton.LeftButton)
    assert all(r.compact for r in rows[1:])


def test_a_second_urgent_alert_is_never_shortened(qtbot):
    bar = make_bar(qtbot)
    bar.set_alerts([LOW_HB, PLATELETS, FEVER])
    assert [r.compact for r in bar.rows()] == [False, False, True]


def test_a_single_alert_needs_no_button(qtbot):
    bar = make_bar(qtbot)
    bar.set_alerts([LOW_HB])
    assert not bar.rows()[0].compact and not bar._more.isVisible()


def test_dates_in_alerts_read_as_in_the_rest_of_the_app(qtbot):
    bar = make_bar(qtbot)
    bar.set_alerts([FEVER, Alert("warning", "low_platelets", "Platelets 15 ×10⁹/L on 2026-12-06 are low.")])
    full, short = bar.rows()
    assert "Fri 12 Mar 2027, 14:00" in full.text.text() and "2027-03-12" not in full.accessibleName()
    assert "on Sun 06 Dec 2026 are low" in short.line.full and "2026-12-06" not in short.accessibleName()


def test_alerts_from_a_journey_built_through_the_cli(qtbot, cli):
    pid = build_journey(cli)
    ctx = context(cli)
    try:
        st = status(ctx, pid, as_of=datetime(2027, 3, 12, 15, 0))
    finally:
        ctx.close()
    bar = make_bar(qtbot)
    with qtbot.waitSignal(bar.urgent_raised) as signal:
        bar.set_alerts(st.alerts)
    assert signal.args[0].code == "febrile_neutropenia"
    assert bar.rows()[0].objectName() == "alertUrgent"
    assert {r.alert.code for r in bar.rows()} >= {"febrile_neutropenia", "low_platelets", "low_hemoglobin"}
