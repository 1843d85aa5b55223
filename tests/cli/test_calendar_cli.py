"""`mstracker calendar …` against a real Radicale: the happy path, and every refusal (exit 2, one `error:`
line, nothing clinical changed, the password nowhere on disk)."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from tests.cli.conftest import assert_refused, dump, ok
from tests.radicale_fixture import USERS, read_calendar

PASSWORD = USERS["alice"]
WRONG = "Wrong-Password-987"
CLINICAL = ("patient", "journey", "event", "reminder", "patient_state")


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch):
    """The machine's own keyring is never touched: the password comes from the environment here."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", PASSWORD)


@pytest.fixture
def patient(cli):
    ok(cli("patient", "add", "--name", "Anna Example"))
    ok(cli("journey", "start", 1, "--protocol", "cy-atg", "--on", "2027-03-01"))
    ok(cli("journey", "advance", 1, "cells_stored", "--on", "2027-03-12"))
    ok(cli("journey", "plan", 1, "transplant", "--on", "2027-07-01"))
    return 1


def _clinical(db: Path) -> list[str]:
    return [line for line in dump(db) if any(f'INSERT INTO "{t}"' in line for t in CLINICAL)]


def _on_disk(folder: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_publish_status_sync_and_unpublish(cli, patient, radicale, tmp_path):
    url = radicale.url("alice/anna")
    result = ok(cli("calendar", "publish", patient, "--url", url, "--user", "alice"))
    assert "published at" in result
    held = read_calendar(radicale, url)
    assert len(held) > 50
    status = cli("calendar", "status", patient, "--json").json()
    assert status == {"url": url, "user": "alice", "last_sync": "2027-06-20T10:00", "in_step": True, "pending": 0,
                      "last_error": None}
    ok(cli("journey", "plan", patient, "transplant", "--on", "2027-07-03"))
    waiting = cli("calendar", "status", patient, "--json").json()
    assert waiting["pending"] > 0 and waiting["in_step"] is False
    assert "changes waiting to be sent" in ok(cli("calendar", "status", patient))
    assert f"{waiting['pending']} sent" in ok(cli("calendar", "sync"))  # every published patient
    assert cli("calendar", "status", patient, "--json").json()["pending"] == 0
    assert f"{len(held)} event(s) removed from the calendar" in ok(cli("calendar", "unpublish", patient, "--delete"))
    assert read_calendar(radicale, url) == {}
    assert cli("calendar", "status", patient, "--json").json()["url"] is None
    assert _on_disk(tmp_path, PASSWORD) == []


class _NotCalDAV(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def web_server(tmp_path):
    """A plain web server on a loopback port: it answers, but not in CalDAV."""
    (tmp_path / "site").mkdir()
    handler = lambda *a, **k: _NotCalDAV(*a, directory=str(tmp_path / "site"), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/calendars/anna/"
    server.shutdown()
    server.server_close()


REFUSALS = {
    "not-a-web-address": (["calendar", "publish", 1, "--url", "ftp://dav.example.org/anna/", "--user", "alice"],
                          "not a web address"),
    "no-scheme": (["calendar", "publish", 1, "--url", "dav.example.org/anna", "--user", "alice"], "not a web address"),
    "http-to-another-host": (["calendar", "publish", 1, "--url", "http://dav.example.org/anna/", "--user", "alice"],
                             "https://dav.example.org/anna/"),
    "password-in-the-address": (["calendar", "publish", 1, "--url", f"https://alice:{PASSWORD}@dav.example.org/a/",
                                 "--user", "alice"], "not inside the address"),
    "unknown-patient": (["calendar", "publish", 99, "--url", "RADICALE", "--user", "alice"], "no patient with id 99"),
    "not-published": (["calendar", "sync", 1], "not published"),
    "unpublish-not-published": (["calendar", "unpublish", 1], "not published"),
    "status-unknown-patient": (["calendar", "status", 99], "no patient with id 99"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_bad_input_is_refused_and_changes_nothing(cli, patient, radicale, tmp_path, case):
    args, words = REFUSALS[case]
    args = [radicale.url("alice/anna") if a == "RADICALE" else a for a in args]
    before = dump(cli.db)
    line = assert_refused(cli(*args), words)
    assert PASSWORD not in line
    assert dump(cli.db) == before
    assert _on_disk(tmp_path, PASSWORD) == []


def test_a_server_that_is_not_caldav_is_refused(cli, patient, web_server, tmp_path):
    before = dump(cli.db)
    assert_refused(cli("calendar", "publish", patient, "--url", web_server, "--user", "alice"), "not a CalDAV")
    assert dump(cli.db) == before


def test_a_wrong_password_is_refused_and_nothing_clinical_changes(cli, patient, radicale, tmp_path, monkeypatch):
    url = radicale.url("alice/anna")
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", WRONG)
    before = dump(cli.db)
    line = assert_refused(cli("calendar", "publish", patient, "--url", url, "--user", "alice"),
                          "wrong user name or password")
    assert WRONG not in line and dump(cli.db) == before
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", PASSWORD)
    ok(cli("calendar", "publish", patient, "--url", url, "--user", "alice"))
    ok(cli("journey", "plan", patient, "transplant", "--on", "2027-07-02"))
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", WRONG)
    clinical = _clinical(cli.db)
    line = assert_refused(cli("calendar", "sync", patient), "wrong user name or password")
    assert WRONG not in line and _clinical(cli.db) == clinical
    state = cli("calendar", "status", patient, "--json").json()
    assert state["pending"] > 0 and "refused" in state["last_error"]
    assert _on_disk(tmp_path, WRONG) == [] and _on_disk(tmp_path, PASSWORD) == []


def test_an_unreachable_server_is_refused_and_the_changes_wait(cli, patient, radicale):
    url = radicale.url("alice/anna")
    ok(cli("calendar", "publish", patient, "--url", url, "--user", "alice"))
    ok(cli("journey", "plan", patient, "transplant", "--on", "2027-07-02"))
    radicale.stop()
    clinical = _clinical(cli.db)
    assert_refused(cli("calendar", "sync", patient), "could not be reached")
    assert _clinical(cli.db) == clinical
    assert "waiting: the server at" in ok(cli("calendar", "status", patient))


@pytest.mark.parametrize("action", [["publish", 1, "--url", "ftp://bad", "--user", "alice"], ["sync"], ["sync", 1],
                                    ["unpublish", 1, "--delete"]], ids=lambda a: a[0])
def test_a_caregiver_cannot_publish_sync_or_unpublish_refused_first(cli, patient, action):
    before = dump(cli.db)
    assert_refused(cli("calendar", *action, role="caregiver"), "read-only")
    assert dump(cli.db) == before


def test_a_caregiver_reads_the_status(cli, patient, radicale):
    ok(cli("calendar", "publish", patient, "--url", radicale.url("alice/anna"), "--user", "alice"))
    assert cli("calendar", "status", patient, "--json", role="caregiver").json()["in_step"] is True
