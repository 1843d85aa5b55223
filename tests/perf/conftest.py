"""Fixtures for the performance work's tests: a context on SQLite or PostgreSQL with a fixed clock."""

from __future__ import annotations

from datetime import datetime

import pytest

from mstracker.services.context import local_zone, open_context
from tests.postgres_fixture import postgres_cluster, postgres_url  # noqa: F401
from tests.reliability.targets import db_target  # noqa: F401

NOW = datetime(2027, 6, 20, 10, 0)


@pytest.fixture
def perf_ctx(db_target):  # noqa: F811 (the fixture imported above)
    """A patient's context on each backend, at NOW (Europe/London)."""
    moment = NOW.replace(tzinfo=local_zone())
    context = open_context(db_target, role="coordinator", clock=lambda: moment)
    yield context
    context.close()
