"""Fixtures for the caregiver and coordinator views: a context on the CLI fixture's database, a fake clock."""

from __future__ import annotations

from datetime import datetime

import pytest
from dateutil import tz

from mstracker.services.context import open_context

LONDON = tz.gettz("Europe/London")


def clock_at(text: str):
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=LONDON)
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
