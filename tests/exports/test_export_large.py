"""A patient with 3,000 entries exports completely in every format (speed is measured by benchmarks/run.py)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

from fhir.resources.R4B.bundle import Bundle

from mstracker.domain.phases import Phase
from mstracker.services import journeys, logbook, patients, transfer
from mstracker.services.context import open_context

ENTRIES = 3000


def _busy_patient(ctx) -> int:
    pid = patients.add_patient(ctx, "Busy Patient")
    journeys.start_journey(ctx, pid, "cy-atg", date(2027, 3, 1))
    for phase, on in ((Phase.CELLS_STORED, date(2027, 3, 12)), (Phase.CONDITIONING, date(2027, 5, 25)),
                      (Phase.TRANSPLANT, date(2027, 5, 31)), (Phase.IMMUNE_REBUILD, date(2027, 6, 16)),
                      (Phase.FOLLOW_UP, date(2027, 10, 1))):
        journeys.advance(ctx, pid, phase, on)
    start = datetime(2027, 5, 25, 7, 0)
    kinds = [("lab", lambda i: {"anc": str(0.1 + i % 50 / 10), "platelets": str(10 + i % 200), "hb": "9.5"}),
             ("temperature", lambda i: {"celsius": "37.1"}),
             ("side_effect", lambda i: {"name": "fatigue", "grade": "1"}),
             ("edss", lambda i: {"score": "3.5"})]
    entries = [logbook.NewEntry(kinds[i % 4][0], start + timedelta(hours=8 * i), kinds[i % 4][1](i))
               for i in range(ENTRIES)]
    logbook.log_many(ctx, pid, entries)
    return pid


def test_exports_of_a_patient_with_thousands_of_entries_are_complete(tmp_path, qapp):
    now = datetime(2030, 3, 1, 10, 0)
    ctx = open_context(str(tmp_path / "busy.sqlite3"), role="coordinator", clock=lambda: now)
    try:
        pid = _busy_patient(ctx)
        outputs = {fmt: transfer.render(ctx, pid, fmt) for fmt in ("csv", "ics", "fhir", "pdf")}
    finally:
        ctx.close()
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].decode("utf-8"))))
    assert sum(1 for r in rows if r["kind"] in ("lab", "temperature", "side_effect", "edss")) == ENTRIES
    bundle = json.loads(outputs["fhir"])
    observations = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert len(observations) == 750 * 3 + 750 + 750  # lab values, temperatures, EDSS scores
    assert outputs["pdf"].startswith(b"%PDF") and outputs["ics"].startswith(b"BEGIN:VCALENDAR")
    Bundle.model_validate(bundle)  # every resource, against the R4B models (the writer checks one of each kind)


def test_the_pdf_of_a_long_log_summarises_it_in_a_few_pages(tmp_path, qapp):
    from tests.exports.test_pdf import _flat, _pages

    now = datetime(2030, 3, 1, 10, 0)
    ctx = open_context(str(tmp_path / "busy.sqlite3"), role="coordinator", clock=lambda: now)
    try:
        pid = _busy_patient(ctx)
        pages = _pages(transfer.render(ctx, pid, "pdf"), qapp)
    finally:
        ctx.close()
    assert len(pages) <= 10  # the schedule ahead and the summaries, not one row per entry (~80 pages)
    text = _flat(" ".join(pages))
    assert "Lab result 750" in text and "Temperature 750" in text and "EDSS score 750" in text
    assert "Lab results (the latest 20 of 750)" in text and "Side effects (the latest 20 of 750)" in text
    assert "is in the CSV and JSON exports" in text
