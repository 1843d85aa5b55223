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
    assert rows[0].accessibleName() == f"Urgent: {FEVER.message}"
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


def test_many_calm_alerts_collapse_behind_a_button_but_urgent_never_do(qtbot):
    bar = make_bar(qtbot)
    calm = [Alert("info", "overdue_reminder", f"Reminder {i} is overdue.") for i in range(7)]
    bar.set_alerts(calm + [FEVER])
    rows = bar.rows()
    assert rows[0].alert == FEVER and rows[0].isVisible()
    assert sum(r.isVisible() for r in rows) == 1 + 4
    assert bar._more.isVisible() and bar._more.text() == "Show 3 more alert(s)"
    qtbot.mouseClick(bar._more, Qt.MouseButton.LeftButton)
    assert all(r.isVisible() for r in rows) and bar._more.text() == "Show fewer alerts"


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
