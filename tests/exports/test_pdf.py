"""The PDF export, read back with QtPdf's text extraction."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument

from mstracker.exports.model import Entry, ExportData, PatientInfo, PhaseSpan, ScheduledItem
from mstracker.exports.pdf import write_pdf


def _pages(content: bytes, qapp) -> list[str]:
    buffer = QBuffer()
    buffer.setData(QByteArray(content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    assert doc.status() == QPdfDocument.Status.Ready and doc.pageCount() > 0
    pages = [doc.getAllText(i).text() for i in range(doc.pageCount())]
    doc.close()
    return pages


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_timeline_has_the_patient_phases_schedule_labs_and_side_effects(journey, qapp):
    pages = _pages(journey.export("pdf").read_bytes(), qapp)
    text = _flat(" ".join(pages))
    assert "aHSCT timeline: Anna Example" in text
    assert "Day +10 · recovery in hospital" in text  # as of 2027-06-10
    for phase, start, day in (("Stem cell mobilization", "2027-03-01", "Day −91"),
                              ("Cells stored", "2027-03-12", "Day −80"),
                              ("Conditioning (chemotherapy)", "2027-05-25", "Day −6"),
                              ("Recovery in hospital", "2027-05-31", "Day 0")):
        assert re.search(rf"{re.escape(phase)} {start} \S+ {day}", text), phase
    assert "Immune rebuild at home (planned) 2027-06-14 Day +14" in text
    assert "Brain MRI with gadolinium, new baseline (month 6)" in text
    # Lab values of both tests, the amended platelets (14, not 12), not the retracted ANC 9.9.
    assert re.search(r"2027-06-01 07:00 Day \+1 0\.8 0\.3 45 9\.4", text)
    assert re.search(r"2027-06-05 07:00 corrected Day \+5 0\.1 14", text)
    assert "9.9" not in text
    assert "mouth sores (mucositis) 3" in text
    assert "EDSS score: 3.5" in text


def test_the_first_page_leads_with_where_the_patient_stands_and_the_current_alerts(journey, qapp):
    alerts = journey.run("status", journey.pid, "--json").json()["alerts"]
    assert alerts  # Day +10 with an ANC of 0.1 and platelets of 14: the rules raise several
    first = _flat(_pages(journey.export("pdf").read_bytes(), qapp)[0])
    assert first.index("Summary") < first.index("Needs attention now") < first.index("Phases")
    for alert in alerts:
        assert _flat(alert["message"]) in first, alert
    assert "URGENT" in first or all(a["level"] != "urgent" for a in alerts)


def test_latest_values_and_a_summary_of_the_log(journey, qapp):
    text = _flat(" ".join(_pages(journey.export("pdf").read_bytes(), qapp)))
    latest = text[text.index("Latest values"):]
    # The newest of each measure: the amended platelets (14), ANC 0.1 (not the retracted 9.9), hb from lab1.
    assert re.search(r"neutrophils \(ANC\) 0\.1 ×10⁹/L 2027-06-05 07:00", latest)
    assert re.search(r"platelets 14 ×10⁹/L 2027-06-05 07:00", latest)
    assert re.search(r"haemoglobin 9\.4 g/dL 2027-06-01 07:00", latest)
    assert re.search(r"temperature 38\.4 °C 2027-06-04 22:00", latest)
    log = text[text.index("The log"):]
    assert re.search(r"Lab result 2 2027-06-01 2027-06-05", log)
    assert "5 entries; 1 corrected, 1 retracted" in log
    assert "is in the CSV and JSON exports" in log


def test_pages_are_numbered_and_no_row_is_cut_across_pages(journey, qapp):
    pages = _pages(journey.export("pdf").read_bytes(), qapp)
    assert len(pages) >= 3  # five years of follow-up
    for number, page in enumerate(pages, 1):
        assert f"page {number} of {len(pages)}" in page
        assert "Anna Example · aHSCT timeline" in page
    ahead = [r for r in journey.schedule() if r["due"] >= "2027-06-10"]
    flat = [_flat(p) for p in pages]
    for r in ahead:
        row = f"{r['due'].replace('T', ' ')} "
        # The whole row (its time and its full title) is on one page: a cut row would split the title.
        assert sum(1 for p in flat if row in p and r["title"] in p) >= 1, r
    # The schedule table's header repeats on every page that holds schedule rows.
    rows = [f"{r['due'].replace('T', ' ')} " for r in ahead]
    schedule_pages = [p for p in flat if any(row in p for row in rows)]
    assert len(schedule_pages) >= 2
    assert all("When Day What Status" in p for p in schedule_pages)


def _plain_data() -> ExportData:
    zone = ZoneInfo("Europe/London")
    return ExportData(
        patient=PatientInfo(7, "Jürgen Ünal", date(1985, 1, 2), None, "rrms"),
        generated_at=datetime(2027, 6, 20, 10, 0, tzinfo=zone), zone_key="Europe/London", journey_id=3,
        protocol_name="beam-atg", protocol_title="BEAM and ATG", phase="transplant", phase_label="recovery in hospital",
        day=5, day_zero=date(2027, 6, 15),
        phases=(PhaseSpan("transplant", "recovery in hospital", date(2027, 6, 15), day=0),),
        reminders=(ScheduledItem(1, "u1", datetime(2027, 7, 1, 9, 0), "blood_test", "Blood count", "pending"),),
        entries=(Entry(1, "lab", datetime(2027, 6, 18, 7, 0, tzinfo=zone), {"anc": 0.25}, day=3),),
    )


def test_charts_can_be_added_through_extra_html_and_images(qapp):
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f5fa8"))
    png = QBuffer()
    png.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(png, "PNG")
    content = write_pdf(_plain_data(), extra_html="<h2>Charts</h2><p>ANC over time</p><img src='anc' width='300'>",
                        images={"anc": bytes(png.data().data())})
    text = _flat(" ".join(_pages(content, qapp)))
    assert "Jürgen Ünal" in text and "ANC over time" in text and "0.25" in text and "Blood count" in text
    plain = write_pdf(_plain_data())
    assert len(content) > len(plain) + 500  # the image is embedded


def test_works_from_a_fresh_process_without_a_qt_application_or_display(tmp_path):
    """As the command line runs it: no QApplication, no DISPLAY, no QT_QPA_PLATFORM."""
    out = tmp_path / "plain.pdf"
    script = (f"import sys; sys.path.insert(0, {os.getcwd()!r})\n"
              "from tests.exports.test_pdf import _plain_data\n"
              "from mstracker.exports.pdf import write_pdf\n"
              f"open({str(out)!r}, 'wb').write(write_pdf(_plain_data()))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_the_first_page_leads_with_where_the_patient_stands_and_what_is_wrong_now(journey, qapp):
    pages = _pages(journey.export("pdf").read_bytes(), qapp)
    first = _flat(pages[0])
    assert "Day +10 · recovery in hospital" in first
    # ANC 0.1 on Day +5 and the platelets 14 are still low as of 2027-06-10: said before the phases.
    assert "Needs attention now (as of 2027-06-10" in first
    attention = first[first.index("Needs attention now"):first.index("Phases")]
    assert "Warning" in attention and "very low" in attention, attention


def test_no_alerts_is_said_and_a_tall_charts_section_fills_the_first_page(qapp):
    from mstracker.exports.pdf import BLOCK_BREAK

    image = QImage(600, 420, QImage.Format.Format_RGB32)
    image.fill(QColor("#dddddd"))
    row = "<table><tr><td><img src='c' width='330' height='228'></td><td><img src='c' width='330' height='228'></td></tr></table>"
    charts = "<h2>Charts</h2><p>six charts</p>" + "".join(BLOCK_BREAK + row for _ in range(3))
    pages = _pages(write_pdf(_plain_data(), extra_html=charts, images={"c": image}), qapp)
    first = _flat(pages[0])
    assert "Needs attention now" in first and "No alerts." in first
    assert "Charts" in first  # the first row of charts starts on page 1, not a nearly blank page before them
