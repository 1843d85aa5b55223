"""Searching the coordinators' list finds every patient with such a reminder coming, not only the next one."""

from __future__ import annotations

from datetime import timedelta

from mstracker.services import demo, patients, reminders
from mstracker.ui.core.session import Session
from mstracker.ui.dashboard.model import IdRole
from mstracker.ui.dashboard.view import DashboardView

from ..conftest import clock_at

NOW = "2026-12-06T09:00"


def test_searching_blood_finds_every_patient_with_a_blood_test_coming(qtbot, open_ctx):
    ctx = open_ctx(NOW)
    demo.create_demo(ctx)
    horizon = clock_at(NOW)().replace(tzinfo=None) + timedelta(days=30)
    expected = {p.id for p in patients.list_patients(ctx)
                if any(r.status in ("pending", "snoozed") and r.kind == "blood_test" and r.effective_due <= horizon
                       for r in reminders.schedule(ctx, p.id))}
    next_is_blood = {p.id for p in patients.list_patients(ctx) if "blood" in (p.next_title or "").lower()}
    assert len(expected) >= 2 and expected - next_is_blood  # more than the "Next due" column shows

    view = DashboardView(Session(ctx))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None and not view.loading, timeout=20_000)
    view.search.setText("blood")
    # Each patient with a blood test in the coming 30 days, and each whose next reminder (however far) is one.
    assert {view.proxy.index(r, 0).data(IdRole) for r in range(view.proxy.rowCount())} == expected | next_is_blood
    view.search.setText("no such reminder")
    assert view.proxy.rowCount() == 0
