"""A journey built through the CLI, shared by the chart, outcome and eligibility tests.

Anna (born 1990, RRMS diagnosed 2022) goes from assessment on 2027-02-01 to Day 0 on 2027-03-08; her ANC
reaches ≥ 0.5 on three measured days from 2027-03-17 (Day +9: neutrophil engraftment).
"""

from __future__ import annotations

from datetime import date, datetime

from dateutil import tz

NOW = "2027-04-20T10:00"
DAY_ZERO = date(2027, 3, 8)
NEUTROPHIL_ENGRAFTMENT = date(2027, 3, 17)
ANC = [("2027-03-08T07:00", 0.3), ("2027-03-11T07:00", 0.1), ("2027-03-17T07:00", 0.6),
       ("2027-03-18T07:00", 0.8), ("2027-03-19T07:00", 1.1)]


def ok(result):
    assert result.code == 0, result.err
    return result.out.strip()


def build_journey(cli, now: str = NOW) -> int:
    """Patient 1's journey; returns the patient id."""
    pid = ok(cli("patient", "add", "--name", "Anna Example", "--born", "1990-04-02", "--diagnosed", "2022-01-01",
                 "--ms-type", "rrms", now=now))
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-02-01", "--phase", "assessment", now=now))
    ok(cli("log", pid, "relapse", "--at", "2026-11-02", now=now))
    ok(cli("log", pid, "relapse", "--at", "2026-12-15", "confirmed=no", now=now))
    ok(cli("log", pid, "mri", "--at", "2026-12-01", "new_t2=2", "gd_enhancing=1", now=now))
    ok(cli("log", pid, "mri", "--at", "2027-01-15", "new_t2=0", "gd_enhancing=0", now=now))
    ok(cli("log", pid, "edss", "--at", "2027-02-02", "score=3.5", now=now))
    for phase, on in (("mobilization", "2027-02-10"), ("cells_stored", "2027-02-20"),
                      ("conditioning", "2027-03-03"), ("transplant", "2027-03-08")):
        ok(cli("journey", "advance", pid, phase, "--on", on, now=now))
    for at, value in ANC:
        ok(cli("log", pid, "lab", "--at", at, f"anc={value}", now=now))
    ok(cli("log", pid, "lab", "--at", "2027-03-12T07:00", "platelets=15", "hb=7.5", now=now))
    ok(cli("log", pid, "transfusion", "--at", "2027-03-13T10:00", "product=platelets", now=now))
    ok(cli("log", pid, "temperature", "--at", "2027-03-12T14:00", "celsius=38.4", now=now))
    # A wrong value corrected, and one entered in error: the charts show the corrected one, not the retracted.
    wrong = ok(cli("log", pid, "lab", "--at", "2027-03-20T07:00", "anc=12", now=now))
    ok(cli("amend", wrong, "anc=1.2", now=now))
    mistake = ok(cli("log", pid, "lab", "--at", "2027-03-21T07:00", "anc=9", now=now))
    ok(cli("retract", mistake, "--reason", "entered in error", now=now))
    return int(pid)


def context(cli, now: str = NOW):
    """A service context on the CLI's database with a fixed clock."""
    from mstracker.services.context import open_context

    zone = tz.gettz("Europe/London")
    moment = datetime.strptime(now, "%Y-%m-%dT%H:%M").replace(tzinfo=zone)
    return open_context(str(cli.db), clock=lambda: moment)
