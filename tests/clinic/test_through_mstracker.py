"""The same rules through mstracker as each login: the role comes from the server, --role only narrows it,
a patient the login may not see does not exist for it, and the audit trail names the login."""

from __future__ import annotations

import json

import pytest

from tests.cli_results import ok, refused

pytestmark = pytest.mark.postgres


def _ids(result) -> set[int]:
    return {p["id"] for p in json.loads(ok(result))}


def test_each_login_lists_only_its_patients(clinic):
    assert _ids(clinic.cli("coord", "patient", "list", "--json")) == {clinic.anna, clinic.ben}
    assert _ids(clinic.cli("anna", "patient", "list", "--json")) == {clinic.anna}
    assert _ids(clinic.cli("ben", "patient", "list", "--json")) == {clinic.ben}
    assert _ids(clinic.cli("carol", "patient", "list", "--json")) == {clinic.anna}
    # --role cannot widen: a caregiver asking for coordinator still sees only its patient.
    assert _ids(clinic.cli("carol", "patient", "list", "--json", role="coordinator")) == {clinic.anna}


@pytest.mark.parametrize("args", [("status", "{pid}"), ("history", "{pid}"), ("schedule", "{pid}"),
                                  ("audit", "{pid}"), ("export", "{pid}", "--format", "json", "--out", "{out}"),
                                  ("log", "{pid}", "note", "--at", "2027-06-02", "text=x")])
def test_a_patient_out_of_reach_answers_like_an_unknown_one(clinic, args, tmp_path):
    def words(pid: int) -> list[str]:
        return [a.format(pid=pid, out=tmp_path / "x.json") for a in args]

    for kind, other in (("anna", clinic.ben), ("ben", clinic.anna), ("carol", clinic.ben)):
        unknown = refused(clinic.cli(kind, *words(999)))
        line = refused(clinic.cli(kind, *words(other)))
        assert line == unknown.replace("999", str(other)), (kind, line, unknown)
    assert not (tmp_path / "x.json").exists()


def test_the_role_comes_from_the_server_and_is_only_narrowed(clinic):
    # Without --role each login acts in its group's role; the audit trail names the login and that role.
    ok(clinic.cli("anna", "log", str(clinic.anna), "note", "--at", "2027-06-02", "text=from anna"))
    ok(clinic.cli("coord", "log", str(clinic.anna), "note", "--at", "2027-06-03", "text=from the team"))
    # A patient login asking for coordinator stays a patient: its writes are recorded as a patient's.
    ok(clinic.cli("anna", "log", str(clinic.anna), "note", "--at", "2027-06-04", "text=again", role="coordinator"))
    trail = json.loads(ok(clinic.cli("coord", "audit", str(clinic.anna), "--json")))
    notes = [(r["user"], r["role"]) for r in trail if r["action"] == "note"]
    assert notes == [(clinic.login("anna"), "patient"), (clinic.login("coord"), "coordinator"),
                     (clinic.login("anna"), "patient")]
    # A coordinator narrowed to caregiver writes nothing.
    refused(clinic.cli("coord", "log", str(clinic.anna), "note", "--at", "2027-06-05", "text=x", role="caregiver"),
            "read-only")


def test_a_caregiver_login_reads_and_never_writes(clinic):
    ok(clinic.cli("carol", "status", str(clinic.anna), "--json"))
    ok(clinic.cli("carol", "schedule", str(clinic.anna), "--json"))
    before = ok(clinic.cli("coord", "audit", "--json"))
    for role in (None, "patient", "coordinator"):
        refused(clinic.cli("carol", "log", str(clinic.anna), "note", "--at", "2027-06-02", "text=x", role=role),
                "read-only")
        refused(clinic.cli("carol", "patient", "add", "--name", "New Person", role=role), "read-only")
    assert ok(clinic.cli("coord", "audit", "--json")) == before


def test_a_patient_login_may_not_add_patients_or_touch_another(clinic):
    before = ok(clinic.cli("coord", "audit", "--json"))
    refused(clinic.cli("anna", "patient", "add", "--name", "Someone Else"), "not allowed")
    reminders = json.loads(ok(clinic.cli("coord", "schedule", str(clinic.ben), "--json")))
    refused(clinic.cli("anna", "reminder", "done", str(reminders[0]["id"]), "--at", "2027-06-20T09:00"))
    ben_entry = json.loads(ok(clinic.cli("coord", "history", str(clinic.ben), "--json")))[0]["id"]
    refused(clinic.cli("anna", "amend", str(ben_entry), "celsius=37.5"))
    refused(clinic.cli("anna", "retract", str(ben_entry), "--reason", "not mine"))
    assert ok(clinic.cli("coord", "audit", "--json")) == before
    # Its own reminders it may complete (the reminder's state and the projection are written as it goes).
    own = json.loads(ok(clinic.cli("anna", "schedule", str(clinic.anna), "--json")))[0]["id"]
    ok(clinic.cli("anna", "reminder", "done", str(own), "--at", "2027-06-20T09:00"))
    assert json.loads(ok(clinic.cli("anna", "schedule", str(clinic.anna), "--json")))[0]["status"] == "done"


def test_logins_and_the_owner(clinic):
    rows = json.loads(ok(clinic.cli(None, "clinic", "logins", "--json")))
    assert rows == sorted([
        {"login": clinic.login("anna"), "role": "patient", "patients": [clinic.anna]},
        {"login": clinic.login("ben"), "role": "patient", "patients": [clinic.ben]},
        {"login": clinic.login("carol"), "role": "caregiver", "patients": [clinic.anna]},
        {"login": clinic.login("coord"), "role": "coordinator", "patients": "all"},
    ], key=lambda r: r["login"])
    assert json.loads(ok(clinic.cli("coord", "clinic", "logins", "--json"))) == rows
    # A coordinator grants: a new caregiver for both patients, then a role change.
    ok(clinic.cli("coord", "clinic", "grant", clinic.login("dora"), "--role", "caregiver", "--patients",
                  f"{clinic.ben},{clinic.anna}"))
    assert _ids(clinic.cli("dora", "patient", "list", "--json")) == {clinic.anna, clinic.ben}
    ok(clinic.cli("coord", "clinic", "grant", clinic.login("dora"), "--role", "patient", "--patients", str(clinic.ben)))
    dora = [r for r in json.loads(ok(clinic.cli("coord", "clinic", "logins", "--json")))
            if r["login"] == clinic.login("dora")]
    assert dora == [{"login": clinic.login("dora"), "role": "patient", "patients": [clinic.ben]}]


def test_a_revoked_or_refused_login_exits_2(clinic):
    ok(clinic.cli("coord", "clinic", "revoke", clinic.login("carol")))
    refused(clinic.cli("carol", "patient", "list"), "not allowed")
    result = clinic.cli(None, "patient", "list")
    refused(clinic.run_as(clinic.cluster.login_url(clinic.url, clinic.login("anna"), "wrong"), "patient", "list"),
            "wrong password")
    assert result.code == 0


def test_the_new_password_is_never_shown(clinic, monkeypatch):
    monkeypatch.setenv("MSTRACKER_NEW_PASSWORD", "very secret words")
    result = clinic.cli("coord", "clinic", "grant", clinic.login("eve"), "--role", "caregiver", "--patients",
                        str(clinic.anna))
    ok(result)
    assert "very secret" not in result.out + result.err
    monkeypatch.delenv("MSTRACKER_NEW_PASSWORD")
    refused(clinic.cli("coord", "clinic", "grant", clinic.login("frank"), "--role", "caregiver", "--patients",
                       str(clinic.anna)), "MSTRACKER_NEW_PASSWORD")
    # An existing login needs no password: its own is kept.
    ok(clinic.cli("coord", "clinic", "grant", clinic.login("eve"), "--role", "caregiver", "--patients",
                  str(clinic.ben)))
    assert _ids(clinic.run_as(clinic.cluster.login_url(clinic.url, clinic.login("eve"), "very secret words"),
                              "patient", "list", "--json")) == {clinic.anna, clinic.ben}
