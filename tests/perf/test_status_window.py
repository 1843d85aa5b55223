"""`status` reads temperatures only from a recent window and no symptoms or notes: the same answer as
reading the whole log, at many moments of a journey with fevers, relapses and corrections."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mstracker.domain.phases import Phase
from mstracker.services import journeys, logbook, patients, status
from mstracker.services.records import load_entries


def _whole_log(reads, patient_id, zone, moment):
    return load_entries(reads.session, patient_id, zone)


def _journey_with_events(ctx) -> int:
    pid = patients.add_patient(ctx, "Window", born=date(1990, 1, 1))
    journeys.start_journey(ctx, pid, "cy-atg", date(2027, 1, 4))
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 1, 15))
    journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 2, 10))
    journeys.advance(ctx, pid, Phase.TRANSPLANT, date(2027, 2, 16))
    journeys.advance(ctx, pid, Phase.IMMUNE_REBUILD, date(2027, 3, 2))
    entries = []
    day = datetime(2027, 1, 4, 7, 0)
    while day < datetime(2027, 6, 20):
        n = (day - datetime(2027, 1, 4, 7, 0)).days
        fever = n % 23 == 0 or 43 <= n <= 52
        entries.append(logbook.NewEntry("temperature", day, {"celsius": "38.6" if fever else "36.7"}))
        entries.append(logbook.NewEntry("temperature", day + timedelta(hours=1, minutes=30),
                                        {"celsius": "38.4" if fever else "36.8"}))
        entries.append(logbook.NewEntry("symptom", day, {"name": "fatigue", "severity": str(n % 7)}))
        if n % 3 == 0:
            anc = "0.3" if 43 <= n <= 53 else "2.5"
            entries.append(logbook.NewEntry("lab", day, {"anc": anc, "platelets": "15" if 44 <= n <= 50 else "180"}))
        if n in (60, 70, 130, 162):
            entries.append(logbook.NewEntry("relapse", day + timedelta(hours=5), {"note": "legs"}))
        if n in (75, 150):
            entries.append(logbook.NewEntry("side_effect", day, {"name": "infection", "grade": "3"}))
        if n % 30 == 0:
            entries.append(logbook.NewEntry("edss", day, {"score": "3.5"}))
            entries.append(logbook.NewEntry("note", day, {"text": "fine"}))
        day += timedelta(days=1)
    ids = logbook.log_many(ctx, pid, entries)
    # An old fever moved into the last weeks, and a recent one retracted.
    logbook.amend(ctx, ids[0], datetime(2027, 6, 18, 21, 0), {})
    logbook.retract(ctx, ids[-20], "entered in error")
    return pid


def test_windowed_status_equals_the_whole_log(perf_ctx, monkeypatch):
    pid = _journey_with_events(perf_ctx)
    moments = [datetime(2027, 1, 5, 9, 0)] + [datetime(2027, 2, 1, 9, 0) + timedelta(days=d, hours=d % 13)
                                              for d in range(0, 139, 3)] + [None]
    windowed = [status.status(perf_ctx, pid, m).to_json() for m in moments]
    monkeypatch.setattr(status, "status_entries", _whole_log)
    whole = [status.status(perf_ctx, pid, m).to_json() for m in moments]
    assert windowed == whole
    codes = {a["code"] for answer in whole for a in answer["alerts"]}
    assert {"fever", "febrile_neutropenia", "relapse", "possible_pseudo_relapse", "low_platelets"} <= codes
