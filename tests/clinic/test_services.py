"""The calls the desktop app's "Clinic access…" dialog and its title use: what the connection is, the
logins with their role and patients, grant and revoke."""

from __future__ import annotations

import pytest

from mstracker.domain.errors import UserError
from mstracker.services import clinic as access
from mstracker.services.context import open_context

pytestmark = pytest.mark.postgres


def test_a_connection_says_which_login_and_role_it_has(clinic):
    for kind, role in (("coord", "coordinator"), ("anna", "patient"), ("carol", "caregiver")):
        ctx = open_context(clinic.url_of(kind))
        try:
            server = access.access(ctx)
            assert (server.login, server.role, server.owner) == (clinic.login(kind), role, False)
            assert ctx.role == role and ctx.user == clinic.login(kind)
            assert ctx.readonly == (role == "caregiver") and ctx.db.readonly == (role == "caregiver")
            assert access.title_note(ctx) == f"{role} login {clinic.login(kind)}"
        finally:
            ctx.close()
    # A role asked for is narrowed to the grant, never widened; the owner acts as a coordinator.
    ctx = open_context(clinic.url_of("anna"), role="coordinator")
    assert ctx.role == "patient"
    ctx.close()
    ctx = open_context(clinic.url_of("coord"), role="caregiver")
    assert ctx.role == "caregiver" and ctx.db.readonly
    ctx.close()
    ctx = open_context(clinic.url)
    assert ctx.server.owner and ctx.role == "coordinator"
    assert access.title_note(ctx) == "coordinator login postgres (owner)"
    ctx.close()


def test_grant_list_and_revoke_through_the_services(clinic):
    ctx = open_context(clinic.url_of("coord"))
    try:
        new = clinic.login("gina")
        assert access.check_grant(ctx, new, "caregiver", [clinic.anna])
        with pytest.raises(UserError, match="password"):
            access.grant(ctx, new, "caregiver", [clinic.anna])
        granted = access.grant(ctx, new, "caregiver", [clinic.anna], password="gina's words")
        assert granted.to_json() == {"login": new, "role": "caregiver", "patients": [clinic.anna]}
        assert not access.check_grant(ctx, new, "caregiver", [clinic.anna])
        access.grant(ctx, new, "caregiver", [clinic.ben])  # a caregiver's patients add up
        assert [x.patients for x in access.list_logins(ctx) if x.login == new] == [(clinic.anna, clinic.ben)]
        access.revoke(ctx, new, [clinic.anna])
        assert [x.patients for x in access.list_logins(ctx) if x.login == new] == [(clinic.ben,)]
        access.revoke(ctx, new)
        assert new not in {x.login for x in access.list_logins(ctx)}
    finally:
        ctx.close()


def test_on_sqlite_there_is_no_server(tmp_path):
    ctx = open_context(str(tmp_path / "own.sqlite3"))
    try:
        assert access.access(ctx) is None and access.title_note(ctx) is None
        with pytest.raises(UserError, match="clinic-server"):
            access.list_logins(ctx)
    finally:
        ctx.close()


@pytest.mark.parametrize("name", ["alice", "_x", "carer$2", "zoë", "a" * 63])
def test_valid_logins(name):
    assert access.valid_login(name) == name


@pytest.mark.parametrize("name", ["", "1abc", "bad-name", "with space", "a" * 64, "ü" * 32, "pg_anything", "x;y"])
def test_invalid_logins(name):
    with pytest.raises(UserError, match="login"):
        access.valid_login(name)
