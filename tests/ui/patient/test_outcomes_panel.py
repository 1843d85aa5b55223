"""ui.outcomes_panel and ui.eligibility_panel, on journeys built through the CLI."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLabel

from mstracker.domain.clinical.eligibility import ELIGIBILITY_DISCLAIMER, EligibilityItem
from mstracker.services.eligibility import eligibility
from mstracker.services.status import status
from mstracker.ui.patient.eligibility_panel import EligibilityPanel
from mstracker.ui.patient.outcomes_panel import OutcomesPanel

from ...services.chart_journey import build_journey, context, ok

LATER = "2028-04-01T10:00"


def panel_for(qtbot, cli, pid: int, now: str) -> OutcomesPanel:
    ctx = context(cli, now)
    try:
        st = status(ctx, pid)
    finally:
        ctx.close()
    panel = OutcomesPanel()
    qtbot.addWidget(panel)
    panel.set_status(st)
    return panel


def test_before_the_first_year_closes_everything_is_pending(qtbot, cli):
    panel = panel_for(qtbot, cli, build_journey(cli), "2027-04-20T10:00")
    assert [panel.status_of(y) for y in (1, 2, 5)] == ["pending", "pending", "pending"]
    assert panel.status_text(1) == ("Not yet known: this period ends on 2028-03-08; nothing has counted against it "
                                    "so far.")
    assert panel.progression_text() == "Confirmed EDSS progression: none so far (baseline EDSS 3.5)."


def test_reference_figures_and_the_specialist_wording_beside_the_results(qtbot, cli):
    panel = panel_for(qtbot, cli, build_journey(cli), "2027-04-20T10:00")
    assert panel.reference_of(1) == "—"
    assert panel.reference_of(2) == "about 83 % of patients (Sormani 2017)"
    assert panel.reference_of(5) == "about 67 % of patients (Sormani 2017)"
    assert "discuss them with your MS specialist" in panel.footer_text()
    assert "Sormani" in panel.footer_text()


def test_a_year_with_follow_up_mris_and_edss_is_met(qtbot, cli):
    pid = build_journey(cli)
    for args in (("mri", "--at", "2027-09-01", "new_t2=0", "gd_enhancing=0"),
                 ("mri", "--at", "2028-02-01", "new_t2=0", "gd_enhancing=0"),
                 ("edss", "--at", "2027-09-01", "score=3.5"), ("edss", "--at", "2028-02-01", "score=3.0")):
        ok(cli("log", pid, *args, now=LATER))
    panel = panel_for(qtbot, cli, pid, LATER)
    assert [panel.status_of(y) for y in (1, 2, 5)] == ["met", "pending", "pending"]
    assert panel.status_text(1) == "Met: no relapse, no new MRI activity and no confirmed EDSS progression."


def test_a_relapse_after_day_zero_fails_every_window_with_the_reason_in_plain_words(qtbot, cli):
    pid = build_journey(cli)
    ok(cli("log", pid, "relapse", "--at", "2027-06-01", now=LATER))
    panel = panel_for(qtbot, cli, pid, LATER)
    assert [panel.status_of(y) for y in (1, 2, 5)] == ["not_met", "not_met", "not_met"]
    assert panel.status_text(2) == "Not met: a relapse was logged in this period."


def test_a_closed_year_without_follow_up_mri_is_unknown_and_says_what_is_missing(qtbot, cli):
    pid = build_journey(cli)
    ok(cli("log", pid, "edss", "--at", "2027-09-01", "score=3.5", now=LATER))
    panel = panel_for(qtbot, cli, pid, LATER)
    assert panel.status_of(1) == "unknown"
    assert panel.status_text(1).startswith("Unknown: no MRI after the re-baseline MRI")


def test_without_day_zero_it_says_outcomes_start_at_the_transplant(qtbot, cli):
    pid = int(ok(cli("patient", "add", "--name", "Cleo")))
    panel = panel_for(qtbot, cli, pid, "2027-04-20T10:00")
    assert [panel.status_of(y) for y in (1, 2, 5)] == ["unknown"] * 3
    assert "transplant day (Day 0), which is not recorded yet" in panel.status_text(1)
    assert "not recorded yet" in panel.progression_text()


# ---- eligibility ------------------------------------------------------------------------------

@pytest.fixture
def checklist(qtbot, cli) -> EligibilityPanel:
    pid = build_journey(cli)
    ctx = context(cli)
    try:
        items = eligibility(ctx, pid, today=date(2027, 2, 5))
    finally:
        ctx.close()
    panel = EligibilityPanel()
    qtbot.addWidget(panel)
    panel.set_items(items)
    return panel


def test_eligibility_rows_show_each_status_with_its_detail(checklist):
    assert checklist.row_text("age") == "Age under 45: Met. Age 36."
    assert checklist.row_text("edss").startswith("EDSS 5.5 or lower: Met. EDSS 3.5 on 2027-02-02")
    assert checklist.row_text("disease_activity").startswith(
        "Disease activity despite disease-modifying therapy in the previous 12 months: Met. In the last 12 months: "
        "1 relapse(s) and 1 MRI(s) with new or enhancing lesions.")
    assert "strict_reading" not in checklist._rows  # a note, not a criterion
    assert checklist.notes_text().startswith("Note — Stricter reading")


def test_eligibility_disclaimer_says_it_decides_nothing(checklist):
    assert checklist.disclaimer_text() == ELIGIBILITY_DISCLAIMER
    assert "decides nothing" in checklist.disclaimer_text()
    assert "MS specialist" in checklist.disclaimer_text()


def test_eligibility_refill_replaces_rows_and_empty_list_explains(qtbot):
    panel = EligibilityPanel()
    qtbot.addWidget(panel)
    panel.set_items([EligibilityItem("age", "Age under 45", "discuss", "Age 46: discuss."),
                     EligibilityItem("edss", "EDSS 5.5 or lower", "not_met", "EDSS 6.5.")])
    panel.set_items([EligibilityItem("age", "Age under 45", "unknown", "The date of birth is not recorded.")])
    assert list(panel._rows) == ["age"]
    assert panel.row_text("age") == "Age under 45: Unknown. The date of birth is not recorded."
    panel.set_items([])
    texts = [w.text() for w in panel._grid_host.findChildren(QLabel)]
    assert any(t.startswith("Nothing to check yet") for t in texts)
