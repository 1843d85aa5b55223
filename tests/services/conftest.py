"""A service context on a fresh database with a fixed clock (2027-06-20 10:00, Europe/London)."""

from __future__ import annotations

from datetime import datetime

import pytest

from mstracker.services.context import local_zone, open_context
from tests.radicale_fixture import radicale  # noqa: F401

NOW = datetime(2027, 6, 20, 10, 0)


@pytest.fixture
def service_ctx(tmp_path):
    zone = local_zone()
    moment = NOW.replace(tzinfo=zone)
    context = open_context(str(tmp_path / "services.sqlite3"), clock=lambda: moment)
    yield context
    context.close()


@pytest.fixture
def ctx(service_ctx):
    return service_ctx
