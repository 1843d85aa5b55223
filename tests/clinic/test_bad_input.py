"""`clinic` refusals: exit 2, one `error:` line, and nothing changed on the server (or on disk)."""

from __future__ import annotations

import json

import pytest

from tests.cli_results import ok, refused

pytestmark = pytest.mark.postgres


def _state(clinic) -> tuple:
    """The logins, their grants and every login the server knows, as the owner sees them."""
    logins = ok(clinic.cli(None, "clinic", "logins", "--json"))
    with clinic.sql(None) as conn:
        roles = conn.execute("SELECT rolname FROM pg_roles ORDER BY 1").fetchall()
    return logins, roles


BAD = [
    ("grant", "1abc", "--role", "caregiver", "--patients", "1"),
    ("grant", "bad-name", "--role", "caregiver", "--patients", "1"),
    ("grant", "robert'); DROP TABLE event; --", "--role", "caregiver", "--patients", "1"),
    ("grant", "x" * 64, "--role", "caregiver", "--patients", "1"),
    ("grant", "pg_monitor", "--role", "coordinator"),
    ("grant", "", "--role", "coordinator"),
    ("revoke", "no-such login"),
    ("grant", "{new}", "--role", "caregiver", "--patients", "999"),
    ("grant", "{new}", "--role", "caregiver", "--patients", "1,999"),
    ("grant", "{new}", "--role", "patient", "--patients", "1,2"),
    ("grant", "{new}", "--role", "patient"),
    ("grant", "{new}", "--role", "caregiver"),
    ("grant", "{new}", "--role", "coordinator", "--patients", "1"),
    ("grant", "{new}", "--role", "nurse", "--patients", "1"),
    ("grant", "{new}", "--role", "caregiver", "--patients", "one"),
    ("grant", "{carol}", "--role", "caregiver", "--patients", "999"),
    ("revoke", "{new}"),
    ("revoke", "{carol}", "--patients", "2"),
    ("revoke", "{carol}", "--patients", "999"),
    ("revoke", "{coord}", "--patients", "1"),
    ("revoke", "postgres"),
    ("grant", "postgres", "--role", "caregiver", "--patients", "1"),
]


def test_bad_input_changes_nothing(clinic):
    before = _state(clinic)
    for args in BAD:  # one database for all (each a few seconds to set up)
        words = [a.format(new=clinic.login("newcomer"), carol=clinic.login("carol"), coord=clinic.login("coord"))
                 for a in args]
        refused(clinic.cli("coord", "clinic", *words))
        assert _state(clinic) == before, args


@pytest.mark.parametrize("kind", ["anna", "carol"])
def test_only_coordinators_grant_and_revoke(clinic, kind, monkeypatch):
    monkeypatch.delenv("MSTRACKER_NEW_PASSWORD")  # refused for who asks, before any password is asked for
    before = _state(clinic)
    for role in (None, "coordinator"):
        refused(clinic.cli(kind, "clinic", "grant", clinic.login("newcomer"), "--role", "coordinator", role=role),
                "not allowed")
        refused(clinic.cli(kind, "clinic", "grant", clinic.login(kind), "--role", "coordinator", role=role),
                "not allowed")
        refused(clinic.cli(kind, "clinic", "revoke", clinic.login("ben"), role=role), "not allowed")
        refused(clinic.cli(kind, "clinic", "logins", role=role), "not allowed")
    # A coordinator narrowed to patient by --role does not grant either.
    refused(clinic.cli("coord", "clinic", "revoke", clinic.login("ben"), role="patient"), "not allowed")
    assert _state(clinic) == before


def test_clinic_commands_on_sqlite_are_refused_and_create_nothing(tmp_path, cli):
    db = tmp_path / "own.sqlite3"
    for args in (("clinic", "logins"), ("clinic", "grant", "carol", "--role", "caregiver", "--patients", "1"),
                 ("clinic", "revoke", "carol")):
        refused(cli(*args, db_path=db), "clinic-server")
        assert not db.exists()
    ok(cli("patient", "add", "--name", "Anna Example", db_path=db))
    before = db.read_bytes()
    refused(cli("clinic", "logins", "--json", db_path=db), "clinic-server")
    assert db.read_bytes() == before


def test_a_login_cannot_change_its_own_grant(clinic):
    before = _state(clinic)
    refused(clinic.cli("coord", "clinic", "grant", clinic.login("coord"), "--role", "caregiver", "--patients", "1"))
    refused(clinic.cli("coord", "clinic", "revoke", clinic.login("coord")))
    assert _state(clinic) == before
    assert json.loads(before[0])  # the listing itself worked


class _Keyboard:
    """Someone at the keyboard: stdin is a terminal, and getpass returns what they type, in turn."""

    def __init__(self, monkeypatch, *typed: str) -> None:
        import getpass
        import io
        import sys

        answers = iter(typed)
        terminal = io.StringIO()
        terminal.isatty = lambda: True  # type: ignore[method-assign]
        monkeypatch.setattr(sys, "stdin", terminal)
        monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))


def test_the_new_password_at_the_prompt(clinic, monkeypatch):
    monkeypatch.delenv("MSTRACKER_NEW_PASSWORD")
    before = _state(clinic)
    _Keyboard(monkeypatch, "typed once", "typed twice")
    refused(clinic.cli("coord", "clinic", "grant", clinic.login("hal"), "--role", "caregiver", "--patients", "1"),
            "passwords differ")
    assert _state(clinic) == before
    _Keyboard(monkeypatch, "the same words", "the same words")
    result = clinic.cli("coord", "clinic", "grant", clinic.login("hal"), "--role", "caregiver", "--patients", "1")
    assert ok(result) == "" and "same words" not in result.err
    url = clinic.cluster.login_url(clinic.url, clinic.login("hal"), "the%20same%20words")
    assert json.loads(ok(clinic.run_as(url, "patient", "list", "--json")))[0]["id"] == clinic.anna
