"""A service context on a fresh database with a fixed clock (2027-06-20 10:00, Europe/London)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path

import pytest

from mstracker.services.context import AppContext, local_zone, open_context
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


@contextmanager
def module_database(tmp_path_factory, name: str, role: str | None = None) -> Iterator[tuple[AppContext, Path, tzinfo]]:
    """A database of its own for a module's tests (built once, by a module-scoped fixture), in London time with
    the clock at NOW: (context, path, zone). Its data folder is set while the fixture builds it."""
    folder = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        mp.setenv("TZ", "Europe/London")
        zone = local_zone()
        moment = NOW.replace(tzinfo=zone)
        path = folder / f"{name}.sqlite3"
        ctx = open_context(str(path), role=role, clock=lambda: moment)
        try:
            yield ctx, path, zone
        finally:
            ctx.close()
