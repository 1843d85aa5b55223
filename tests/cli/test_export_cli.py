"""`mstracker export`: one patient to a file, or every patient to a folder; refusals leave no file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from icalendar import Calendar

FORMATS = {"ics": "ics", "csv": "csv", "pdf": "pdf", "fhir": "json", "json": "json"}


def _patient(cli, name: str, day_zero: str = "2027-05-31") -> str:
    pid = cli("patient", "add", "--name", name).out.strip()
    assert cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01").code == 0
    assert cli("journey", "advance", pid, "cells_stored", "--on", "2027-03-12").code == 0
    assert cli("journey", "plan", pid, "transplant", "--on", day_zero).code == 0
    assert cli("log", pid, "lab", "--at", "2027-03-05T08:00", "anc=1.2").code == 0
    return pid


def _one_error_line(result) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    return lines[0]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_one_patient_in_each_format(cli, tmp_path, fmt):
    pid = _patient(cli, "Anna Example")
    out = tmp_path / f"anna.{FORMATS[fmt]}"
    result = cli("export", pid, "--format", fmt, "--out", str(out))
    assert (result.code, result.err) == (0, "")
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "ics":
        assert len(Calendar.from_ical(data).walk("VEVENT")) > 10
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert [r["kind"] for r in rows][:2] == ["start", "lab"]
    else:
        document = json.loads(data)
        assert document.get("resourceType") == "Bundle" if fmt == "fhir" else document["patient"]["name"] == "Anna Example"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_export_all_writes_one_file_per_patient_into_a_new_folder(cli, tmp_path):
    ids = [_patient(cli, "Anna Example"), _patient(cli, "Zoë Ødegård / Smith"), cli("patient", "add", "--name", "Ben").out.strip()]
    folder = tmp_path / "exports" / "2027-06"
    result = cli("export", "--all", "--format", "ics", "--out", str(folder))
    assert result.code == 0, result.err
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{ids[0]}-Anna_Example.ics", f"{ids[1]}-Zoë_Ødegård_Smith.ics", f"{ids[2]}-Ben.ics"])
    ben = Calendar.from_ical((folder / f"{ids[2]}-Ben.ics").read_bytes())
    # No journey yet: no events, but still one component (RFC 5545), the local zone.
    assert ben.walk("VEVENT") == [] and [str(tz["TZID"]) for tz in ben.walk("VTIMEZONE")] == ["Europe/London"]
    for fmt in ("csv", "pdf", "fhir"):
        assert cli("export", "--all", "--format", fmt, "--out", str(folder)).code == 0
    assert len(list(folder.iterdir())) == 12


def test_unknown_patient_is_refused_without_a_file(cli, tmp_path):
    _patient(cli, "Anna Example")
    for fmt in FORMATS:
        out = tmp_path / f"nobody.{fmt}"
        line = _one_error_line(cli("export", "99", "--format", fmt, "--out", str(out)))
        assert "no patient with id 99" in line
        assert list(tmp_path.glob("nobody*")) == []


def test_out_in_a_missing_folder_is_refused_for_a_single_export(cli, tmp_path):
    pid = _patient(cli, "Anna Example")
    out = tmp_path / "missing" / "anna.pdf"
    line = _one_error_line(cli("export", pid, "--format", "pdf", "--out", str(out)))
    assert "does not exist" in line
    assert not (tmp_path / "missing").exists()


def test_patient_and_all_together_or_neither_are_refused(cli, tmp_path):
    pid = _patient(cli, "Anna Example")
    _one_error_line(cli("export", pid, "--all", "--format", "csv", "--out", str(tmp_path / "x")))
    _one_error_line(cli("export", "--format", "csv", "--out", str(tmp_path / "x.csv")))
    _one_error_line(cli("export", pid, "--format", "docx", "--out", str(tmp_path / "x.docx")))
    assert list(tmp_path.glob("x*")) == []


def test_a_caregiver_can_export(cli, tmp_path):
    pid = _patient(cli, "Anna Example")
    out = tmp_path / "anna.ics"
    assert cli("export", pid, "--format", "ics", "--out", str(out), role="caregiver").code == 0
    assert out.exists()


def test_export_all_in_worker_processes_writes_the_same_files_as_one_process(tmp_path, cli):
    from mstracker.services import transfer
    from mstracker.services.context import open_context

    for name in ("Ann", "Ben", "Cleo"):
        assert cli("patient", "add", "--name", name).code == 0
    ctx = open_context(str(tmp_path / "test.sqlite3"), role="coordinator")  # the cli fixture's, its clock fixed
    try:
        one = transfer.export_all(ctx, "fhir", tmp_path / "one", workers=1)
        seen: list[tuple[int, int]] = []
        two = transfer.export_all(ctx, "fhir", tmp_path / "two", progress=lambda *a: seen.append(a), workers=2)
    finally:
        ctx.close()
    assert [p.name for p in one] == [p.name for p in two] == ["1-Ann.json", "2-Ben.json", "3-Cleo.json"]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes()
