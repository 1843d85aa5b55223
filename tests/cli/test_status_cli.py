"""`status --json` carries exactly the documented keys (docs/command-line.md), with the shapes it gives."""

from __future__ import annotations

from tests.cli.conftest import ok

CLI_MD_KEYS = {"patient", "phase", "phase_since", "day", "day_zero", "day_zero_is_planned", "admitted", "discharged",
               "length_of_stay_days", "engraftment", "alerts", "next", "outcomes", "medications"}


def test_status_json_keys_and_shapes(cli, walk):
    pid = walk("immune_rebuild")
    for day in range(0, 14):
        on = f"2027-06-{day + 1:02d}T06:30"
        anc = 0.2 if day < 9 else 1.2
        ok(cli("log", pid, "lab", "--at", on, f"anc={anc}", f"platelets={15 if day < 10 else 45}"))
    ok(cli("log", pid, "temperature", "--at", "2027-06-19T21:00", "celsius=38.6"))
    data = cli("status", pid, "--json").json()
    # every documented key; "protocol" is an addition
    assert CLI_MD_KEYS <= set(data) and set(data) - CLI_MD_KEYS <= {"protocol"}
    assert data["patient"] == {"id": pid, "name": "Test Patient"}
    assert (data["phase"], data["phase_since"]) == ("immune_rebuild", "2027-06-16")
    assert (data["day"], data["day_zero"], data["day_zero_is_planned"]) == (20, "2027-05-31", False)
    assert (data["admitted"], data["discharged"], data["length_of_stay_days"]) == ("2027-05-25", "2027-06-16", 22)
    assert set(data["engraftment"]) >= {"neutrophil", "platelet"}
    assert data["engraftment"]["neutrophil"] == "2027-06-10"
    assert data["engraftment"]["platelet"] == "2027-06-11"
    for alert in data["alerts"]:
        assert set(alert) == {"level", "code", "message"} and alert["level"] in ("urgent", "warning", "info")
    assert "fever" in {a["code"] for a in data["alerts"]}
    assert len(data["next"]) <= 5 and data["next"]
    for item in data["next"]:
        assert set(item) == {"id", "due", "kind", "title", "status"}
    outcomes = data["outcomes"]
    assert set(outcomes) >= {"neda", "neda_reasons", "edss_progression"}
    assert set(outcomes["neda"]) == {"1", "2", "5"}
    assert all(v in ("met", "not_met", "unknown", "pending") for v in outcomes["neda"].values())
    assert set(outcomes["edss_progression"]) >= {"confirmed", "since"}
    assert set(data["medications"]) == {"due_today", "adherence_7d"}
    for dose in data["medications"]["due_today"]:
        assert set(dose) == {"course", "name", "due", "status", "taken_at", "late"}


def test_status_before_anything_and_before_day_zero(cli):
    pid = int(ok(cli("patient", "add", "--name", "New")).strip())
    data = cli("status", pid, "--json").json()
    assert CLI_MD_KEYS <= set(data)
    assert (data["phase"], data["day"], data["day_zero"], data["admitted"]) == (None, None, None, None)
    assert data["next"] == [] and data["engraftment"] == {"neutrophil": None, "platelet": None}
    assert ok(cli("status", pid)).splitlines()[0] == "New: journey not started"


def test_status_on_a_past_date_shows_the_journey_as_it_stood(cli, walk):
    pid = walk("follow_up")
    then = cli("status", pid, "--json", "--on", "2027-05-27").json()
    assert (then["phase"], then["phase_since"], then["day"]) == ("conditioning", "2027-05-25", -4)
    assert then["discharged"] is None
    assert cli("status", pid, "--json", "--on", "2027-06-16T00:00").json()["phase"] == "immune_rebuild"
