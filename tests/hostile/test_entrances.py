"""Issue 19, findings 1, 9, 10 and 11: dates in a plausible window, ids in ASCII digits, no control characters
in names and titles — the same at every entrance — and nothing stored stops `db check` or the repairs."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.conftest import assert_refused, dump, ok


@pytest.fixture
def patient(cli):
    pid = ok(cli("patient", "add", "--name", "Anna Example", "--born", "1990-04-02")).strip()
    ok(cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01"))
    return pid


# ---- finding 1: a year typo -------------------------------------------------------------------------
@pytest.mark.parametrize("on", ["0207-06-01", "1899-12-31", "2201-01-01", "9999-12-31"])
def test_a_date_outside_1900_2200_is_refused_and_changes_nothing(cli, patient, on):
    before = dump(cli.db)
    assert_refused(cli("journey", "plan", patient, "transplant", "--on", on), "1900", "2200")
    assert dump(cli.db) == before


def test_edges_of_the_window_are_accepted(cli, patient):
    ok(cli("journey", "plan", patient, "transplant", "--on", "2200-12-31"))
    ok(cli("schedule", patient))
    ok(cli("status", patient, "--on", "1900-01-01"))


def test_a_stored_year_before_1000_does_not_stop_db_check_or_the_repairs(cli, patient, monkeypatch):
    """However such a date got in (an older version wrote it), the commands that repair it still run."""
    with monkeypatch.context() as m:  # the window check as it was before: none
        m.setattr("mstracker.domain.dates.check_day", lambda day, what: day)
        m.setattr("mstracker.services.journeys.check_day", lambda day, what: day)
        ok(cli("journey", "plan", patient, "transplant", "--on", "0207-06-01"))
    ok(cli("status", patient))
    ok(cli("schedule", patient))
    check = cli("db", "check")
    assert check.code in (0, 2), check.err  # a finding, never a crash
    ok(cli("journey", "plan", patient, "transplant", "--on", "2027-06-01"))  # the repair
    ok(cli("status", patient))
    ok(cli("schedule", patient))
    ok(cli("export", patient, "--format", "ics", "--out", cli.db.parent / "p.ics"))
    assert ok(cli("db", "check")).strip() == "sound"


# ---- finding 9: exit 2, never 1 ----------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ("status", str(2**63)), ("status", str(2**64 + 5)), ("history", "99999999999999999999999"),
    ("reminder", "done", str(2**63)), ("amend", str(2**63), "celsius=37"), ("retract", str(2**63), "--reason", "x"),
    ("journey", "undo", str(2**63), "--reason", "x"), ("export", str(2**63), "--format", "csv", "--out", "x.csv"),
])
def test_ids_beyond_64_bits_are_refused(cli, patient, args):
    assert_refused(cli(*args))


def test_impossible_times_are_refused(cli, patient):
    assert_refused(cli("status", patient, "--on", "0001-01-01"))
    ok(cli("journey", "plan", patient, "transplant", "--on", "2027-06-01"))
    sched = cli("schedule", patient, "--json").json()
    assert_refused(cli("reminder", "done", sched[0]["id"], "--at", "0001-01-01T00:00"))
    assert_refused(cli("log", patient, "temperature", "--at", "0001-01-01T00:00", "celsius=37"))


def test_a_lone_surrogate_in_a_name_is_refused(cli):
    ok(cli("patient", "add", "--name", "Someone"))
    before = dump(cli.db)
    assert_refused(cli("patient", "add", "--name", "Eve\ud800"))
    assert dump(cli.db) == before


# ---- finding 10: control characters --------------------------------------------------------------
@pytest.mark.parametrize("name", ["Eve\x1b[31mRED", "Eve\nline2", "Eve\x00", "Eve\u202eevil", "Eve\u2028x", "E\x7f"])
def test_control_characters_and_bidi_overrides_in_names_are_refused(cli, name):
    ok(cli("patient", "add", "--name", "Someone"))
    before = dump(cli.db)
    assert_refused(cli("patient", "add", "--name", name), "U+")
    assert dump(cli.db) == before


def test_reasons_and_notes_are_checked_too(cli, patient):
    assert_refused(cli("journey", "advance", patient, "withdrawn", "--on", "2027-03-02", "--reason", "a\x1b[2Jb"))
    assert_refused(cli("log", patient, "note", "--at", "2027-06-01T10:00", "text=bad\x07bell"))


def test_a_name_stored_with_an_escape_is_printed_escaped(cli, patient):
    con = sqlite3.connect(cli.db)
    with con:
        con.execute("UPDATE patient SET name = ?", ("Eve\x1b[31mRED\nline2",))
    con.close()
    out = ok(cli("patient", "list"))
    assert "\x1b" not in out and len(out.strip().splitlines()) == 1
    assert "\\x1b" in out
    assert "\x1b" not in ok(cli("status", patient))


def test_unicode_names_are_welcome(cli):
    pid = ok(cli("patient", "add", "--name", "Zoë Ødegård-李 (عائشة) 👩‍⚕️")).strip()
    assert "Zoë Ødegård-李" in ok(cli("status", pid))


# ---- finding 11: lenient parsing -------------------------------------------------------------------
@pytest.mark.parametrize("word", ["5_0", "٥", "５", " 5", "5 ", "+5", "0x5", "5.0", ""])
def test_ids_are_ascii_digits_only(cli, patient, word):
    assert_refused(cli("reminder", "done", word))
    assert_refused(cli("status", word))


@pytest.mark.parametrize("on", ["2027-W25-1", "", "2027-6-1", "２０２７-06-01", "2027-06-0١", "20270601", "2027-06-01 "])
def test_dates_are_yyyy_mm_dd_only_and_never_empty(cli, patient, on):
    assert_refused(cli("status", patient, "--on", on))
    assert_refused(cli("schedule", patient, "--from", on))
    assert_refused(cli("demo", "--on", on))


@pytest.mark.parametrize("value", ["3_7", "٣٧", "0x25", "infinity", "37,5"])
def test_numbers_are_ascii_decimals_only(cli, patient, value):
    before = dump(cli.db)
    assert_refused(cli("log", patient, "temperature", "--at", "2027-06-01T10:00", f"celsius={value}"))
    assert dump(cli.db) == before


def test_moments_need_two_digit_fields(cli, patient):
    assert_refused(cli("log", patient, "temperature", "--at", "2027-6-1T9:05", "celsius=37"))
    assert_refused(cli("log", patient, "temperature", "--at", "2027-06-01T١٠:00", "celsius=37"))
    ok(cli("log", patient, "temperature", "--at", "2027-06-01T09:05", "celsius= 37.2"))
