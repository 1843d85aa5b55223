"""The desktop app on a clinic server opens in the role the login's grant gives it (no role question), and a
role asked for on the command line is only ever narrowed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("kind, role", [("carol", "caregiver"), ("anna", "patient"), ("coord", "coordinator")])
def test_the_app_opens_in_the_logins_role(qtbot, clinic, kind, role):
    from mstracker.ui.app import make_application
    from mstracker.ui.core.settings import UiSettings
    from mstracker.ui.startup.opening import open_for_start

    app = make_application()
    settings = UiSettings()
    settings.set_role("patient")  # a role remembered from a SQLite file does not count here
    ctx, _lock = open_for_start(app, clinic.url_of(kind), "patient", False, settings, smoke=True)
    try:
        assert ctx.role == role and ctx.readonly == (role == "caregiver")
    finally:
        ctx.close()
    ctx, _lock = open_for_start(app, clinic.url_of(kind), "coordinator", True, settings, smoke=True)
    try:
        assert ctx.role == role  # --role coordinator: never more than the grant
    finally:
        ctx.close()
