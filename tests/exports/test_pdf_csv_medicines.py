"""Medicine courses in the PDF (a table with the week's adherence) and in the CSV (a row per course event)."""

from __future__ import annotations

import csv
import io
import json
import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument

from tests.cli import conftest as cli_helpers
from tests.cli.conftest import ok

walk = cli_helpers.walk  # the fixture: a patient walked through the phases
NOW = "2027-06-20T13:00"


def _with_doses(cli, walk) -> tuple[int, dict[str, int]]:
    pid = walk("immune_rebuild")
    courses = {c["name"].split(" ")[0]: c["id"] for c in cli("med", "list", pid, "--json").json()}
    for day in (17, 18, 19):
        ok(cli("med", "taken", courses["aciclovir"], "--dose", f"2027-06-{day}T08:00", "--at", f"2027-06-{day}T08:05"))
    ok(cli("med", "skip", courses["aciclovir"], "--dose", "2027-06-19T20:00", "--reason", "asleep"))
    return pid, courses


def _text(content: bytes) -> str:
    buffer = QBuffer()
    buffer.setData(QByteArray(content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    text = " ".join(doc.getAllText(i).text() for i in range(doc.pageCount()))
    doc.close()
    return re.sub(r"\s+", " ", text)


def test_pdf_lists_the_courses_with_adherence(cli, walk, tmp_path, qapp):
    pid, _ = _with_doses(cli, walk)
    out = tmp_path / "p.pdf"
    ok(cli("export", pid, "--format", "pdf", "--out", out, now=NOW))
    text = _text(out.read_bytes())
    assert "Medicines at home" in text
    # aciclovir: due 06-17 08:00 … 06-20 08:00 (7 doses): 3 taken, 1 skipped, 3 missed → 43 %.
    assert re.search(r"aciclovir \(antiviral prophylaxis\).*?2027-06-17 2028-05-31 active 43 %", text)
    assert "co-trimoxazole (PJP prophylaxis)" in text and "08:00 on Mon, Wed, Fri" in text
    # All courses: the 3 taken of aciclovir's 7 and co-trimoxazole's missed Friday dose: 3 of 8.
    assert "Doses taken over the last 7 days: 38 %" in text


def test_csv_has_a_row_for_each_recorded_dose(cli, walk, tmp_path):
    pid, courses = _with_doses(cli, walk)
    out = tmp_path / "p.csv"
    ok(cli("export", pid, "--format", "csv", "--out", out, now=NOW))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    doses = [r for r in rows if r["kind"] == "med_dose"]
    assert len(doses) == 4
    skipped = next(r for r in doses if json.loads(r["details"])["status"] == "skipped")
    assert (skipped["reason"], json.loads(skipped["details"])["due"]) == ("asleep", "2027-06-19T20:00")
    assert json.loads(skipped["details"])["course"] == courses["aciclovir"]

