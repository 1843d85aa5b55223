"""Fixtures for driving the real app offscreen: a database made through the services, a fake clock."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest
from dateutil import tz

from mstracker.domain.phases import Phase
from mstracker.services import journeys, logbook, patients
from mstracker.services.context import open_context

ZONE = tz.gettz("Europe/London")


class FakeClock:
    """The context's clock; tests move it forward by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment.replace(tzinfo=ZONE)

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment.replace(tzinfo=ZONE)


@pytest.fixture
def clock():
    return FakeClock(datetime(2027, 3, 20, 10, 0))


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "ui.sqlite3")


@pytest.fixture
def in_hospital(db_path, clock):
    """Anna, Day +12 in hospital (Day 0 on 2027-03-08), with a temperature and a lab result."""
    ctx = open_context(db_path, clock=clock)
    try:
        pid = patients.add_patient(ctx, "Anna Berg")
        journeys.start_journey(ctx, pid, "beam-atg", date(2027, 1, 10))
        journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 1, 25))
        journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 3, 2))
        journeys.advance(ctx, pid, Phase.TRANSPLANT, date(2027, 3, 8))
        logbook.log(ctx, pid, "temperature", datetime(2027, 3, 19, 8, 0), {"celsius": "37.2"})
        logbook.log(ctx, pid, "lab", datetime(2027, 3, 19, 7, 0), {"anc": "0.3", "platelets": "45"})
    finally:
        ctx.close()
    return pid


@pytest.fixture
def window_for(qtbot, clock):
    """Open the main window on a database, as `mstracker gui` does, and wait for its first load."""
    from PySide6.QtCore import QThreadPool

    from mstracker.ui.app import build_window, make_application

    made = []

    def open_window(db: str, role: str = "patient"):
        make_application()
        window = build_window(db, role, clock=clock)
        qtbot.addWidget(window)
        made.append(window)
        window.show()
        qtbot.waitUntil(lambda: window._loaded_once and window.session.bus.running == 0, timeout=10_000)
        return window

    yield open_window
    QThreadPool.globalInstance().waitForDone()
    for window in made:
        window.session.ctx.close()


def settle(qtbot, window) -> None:
    """Wait until every service call the window started has reported back."""
    qtbot.waitUntil(lambda: window.session.bus.running == 0, timeout=10_000)


@pytest.fixture
def app_env(tmp_path) -> dict:
    """The environment for the app as a subprocess: offscreen, its own data and settings, the tests' clock."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "MSTRACKER_NOW": "2027-03-20T10:00"}


def clock_at(text: str):
    """A fixed clock at "YYYY-MM-DDTHH:MM", London time."""
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=ZONE)
    return lambda: moment


@pytest.fixture
def open_ctx(cli):
    """open_ctx(now="YYYY-MM-DDTHH:MM", role=...) → an AppContext on the `cli` fixture's database."""
    opened = []

    def make(now: str, role: str = "coordinator"):
        ctx = open_context(str(cli.db), role=role, clock=clock_at(now))
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()
