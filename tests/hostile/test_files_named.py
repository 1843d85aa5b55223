"""Issue 19, finding 12: db check on another program's SQLite file, and --out files that exist already."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.conftest import assert_refused, ok


def test_db_check_on_another_programs_database_is_not_sound_and_leaves_nothing(cli, tmp_path):
    other = tmp_path / "other" / "photos.db"
    other.parent.mkdir()
    con = sqlite3.connect(other)
    with con:
        con.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, path TEXT)")
        con.execute("INSERT INTO photo (path) VALUES ('a.jpg')")
    con.close()
    before = other.read_bytes()
    assert_refused(cli("db", "check", db_path=other), "not an mstracker database")
    assert sorted(p.name for p in other.parent.iterdir()) == ["photos.db"]
    assert other.read_bytes() == before


@pytest.fixture
def patient(cli):
    return ok(cli("patient", "add", "--name", "Anna Example")).strip()


def test_backup_out_refuses_an_existing_file_without_force(cli, patient, tmp_path):
    out = tmp_path / "precious.sqlite3"
    out.write_bytes(b"the user's own file")
    assert_refused(cli("backup", "--out", out), "--force")
    assert out.read_bytes() == b"the user's own file"
    ok(cli("backup", "--out", out, "--force"))
    assert out.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("fmt", ["ics", "csv", "json", "fhir"])
def test_export_out_refuses_an_existing_file_without_force(cli, patient, tmp_path, fmt):
    out = tmp_path / f"precious.{fmt}"
    out.write_bytes(b"the user's own file")
    assert_refused(cli("export", patient, "--format", fmt, "--out", out), "--force")
    assert out.read_bytes() == b"the user's own file"
    ok(cli("export", patient, "--format", fmt, "--out", out, "--force"))
    assert out.read_bytes() != b"the user's own file"


def test_export_all_refuses_before_writing_any(cli, patient, tmp_path):
    ok(cli("patient", "add", "--name", "Ben Example"))
    folder = tmp_path / "all"
    ok(cli("export", "--all", "--format", "csv", "--out", folder))
    first = sorted(folder.iterdir())
    assert len(first) == 2
    first[1].write_bytes(b"edited by hand")
    first[0].unlink()
    assert_refused(cli("export", "--all", "--format", "csv", "--out", folder), "--force")
    assert sorted(folder.iterdir()) == first[1:]  # the missing one was not written either
    ok(cli("export", "--all", "--format", "csv", "--out", folder, "--force"))
    assert len(list(folder.iterdir())) == 2 and first[1].read_bytes() != b"edited by hand"
