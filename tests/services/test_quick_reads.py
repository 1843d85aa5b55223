"""The quick read path (sqlite3 alone) answers exactly as the full one (a session): every read, `status` and
the patients' list, on a database with every kind of record — and steps aside wherever it cannot answer."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta

import pytest

from mstracker.domain.entries import LogKind
from mstracker.services import demo, logbook, medicines, reminders
from mstracker.services.context import open_context
from mstracker.services.patient_list import list_patients
from mstracker.services.quick_context import QuickContext, open_quick
from mstracker.services.replay import JOURNEY_KINDS
from mstracker.services.roles import Role
from mstracker.services.status import RULE_KINDS, status
from mstracker.storage.session_reads import SessionReads
from mstracker.storage.sqlite_reads import open_reads

from .conftest import module_database

ON = date(2027, 6, 1)
NOW = datetime(2027, 6, 20, 10, 0)


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """Demo patients in every phase, plus corrections, reminders done and snoozed, and recorded doses."""
    with module_database(tmp_path_factory, "rich") as (ctx, path, zone):
        ids = demo.create_demo(ctx, ON)
        # A patient with reminders overdue: one of them snoozed, so that "overdue" must read the snooze.
        pid = next(i for i in ids if sum(r.status == "pending" and r.due < NOW for r in reminders.schedule(ctx, i)) > 3)
        entries = [logbook.log(ctx, pid, LogKind.TEMPERATURE, datetime(2027, 6, 19, 8 + i), {"celsius": 37.0 + i})
                   for i in range(4)]
        logbook.amend(ctx, entries[0], datetime(2027, 6, 19, 7, 30), {"celsius": 38.4})
        logbook.retract(ctx, entries[1], "typed twice")
        logbook.retract(ctx, entries[2], "wrong patient")
        logbook.unretract(ctx, entries[2])
        lab = logbook.log(ctx, pid, LogKind.LAB, datetime(2027, 6, 18, 9), {"anc": 0.4, "platelets": 15})
        logbook.amend(ctx, lab, None, {"anc": 0.6})
        open_ones = [r for r in reminders.schedule(ctx, pid) if r.status == "pending"]
        reminders.complete(ctx, open_ones[0].id, datetime(2027, 6, 19, 9))
        reminders.snooze(ctx, open_ones[1].id, datetime(2027, 6, 25, 9))
        reminders.skip(ctx, open_ones[2].id)
        medicines.add_course(ctx, pid, name="aciclovir", times=[time(8), time(20)], first_day=date(2027, 6, 10))
        for day in range(10, 20):
            course = medicines.list_courses(ctx, pid)[-1].course.id
            medicines.record_taken(ctx, course, datetime(2027, 6, day, 8), datetime(2027, 6, day, 8, 5))
        yield ctx, ids, path, zone


def both(rich):
    ctx, _ids, path, _zone = rich
    quick = open_reads(path)
    assert quick is not None
    return ctx, quick


def test_every_read_gives_the_same_values(rich):
    ctx, quick = both(rich)
    ids, zone = rich[1], rich[3]
    try:
        with ctx.db.reading() as s, quick:
            full = SessionReads(s)
            for pid in [*ids, 999]:
                assert tuple(quick.patient(pid) or ()) == _columns(full.patient(pid), "id name born diagnosed ms_type")
                assert tuple(quick.latest_journey(pid) or ()) == _columns(full.latest_journey(pid),
                                                                          "protocol_name protocol_text")
                assert quick.events(pid, JOURNEY_KINDS) == full.events(pid, JOURNEY_KINDS)
                since = datetime(2027, 6, 1, tzinfo=zone)
                assert _rows(quick.entry_rows(pid, RULE_KINDS, ("temperature",), since)) == \
                    _rows(full.entry_rows(pid, RULE_KINDS, ("temperature",), since))
                assert _rows(quick.entry_rows(pid, ())) == _rows(full.entry_rows(pid, ()))
                fields = "id patient_id item_id occurrence kind title due status snoozed_until done_at edited uid"
                assert [tuple(r) for r in quick.reminders(pid)] == [_columns(r, fields) for r in full.reminders(pid)]
                assert [tuple(r) for r in quick.courses(pid)] == [_columns(r, _COURSE_FIELDS) for r in full.courses(pid)]
                for since in (None, datetime(2027, 6, 15, tzinfo=zone)):
                    assert quick.dose_events(pid, since) == full.dose_events(pid, since)
            for overdue_before, today in (("2027-06-19T10:00", "2027-06-20"), ("2027-06-24T00:00", "2027-06-24"),
                                          ("2027-06-26T00:00", "2027-06-26"),
                                          ("2030-01-01T00:00", "2029-12-31")):
                assert quick.patient_summaries(overdue_before, today) == full.patient_summaries(overdue_before, today)
    finally:
        quick.close()


_COURSE_FIELDS = ("id patient_id journey_id key source name dose route times every_days weekdays first_day last_day "
                  "stopped_on ended_on pinned purpose uid")


def _columns(row, names: str) -> tuple:
    return () if row is None else tuple(getattr(row, name) for name in names.split())


def _rows(rows):
    return sorted(rows.plain), rows.corrected


@pytest.mark.parametrize("as_of", [None, datetime(2027, 6, 1, 18, 0), datetime(2027, 3, 28, 1, 30),
                                   datetime(2027, 6, 19, 8, 0), datetime(2026, 2, 28, 23, 59)])
def test_status_is_the_same_either_way(rich, as_of):
    ctx, ids, path, zone = rich
    quick = QuickContext(path, Role.PATIENT, zone=zone, clock=ctx.clock)
    for pid in ids:
        assert status(quick, pid, as_of).to_json() == status(ctx, pid, as_of).to_json()


def test_the_patients_list_is_the_same_either_way(rich):
    ctx, ids, path, zone = rich
    quick = QuickContext(path, Role.COORDINATOR, zone=zone, clock=ctx.clock)
    assert list_patients(quick) == list_patients(ctx)
    later = QuickContext(path, Role.COORDINATOR, zone=zone, clock=lambda: datetime(2028, 1, 1, tzinfo=zone))
    assert [p.id for p in list_patients(later)] == ids


def test_an_unknown_patient_is_refused_with_the_same_words(rich):
    ctx, _ids, path, zone = rich
    quick = QuickContext(path, Role.PATIENT, zone=zone, clock=ctx.clock)
    with pytest.raises(Exception) as full_error:
        status(ctx, 999)
    with pytest.raises(type(full_error.value)) as quick_error:
        status(quick, 999)
    assert str(quick_error.value) == str(full_error.value)


def test_the_quick_way_steps_aside_where_only_the_full_open_can_read(tmp_path, rich):
    assert open_reads(tmp_path / "missing.sqlite3") is None
    (tmp_path / "not-a-db.sqlite3").write_bytes(b"this is a letter, not a database" * 100)
    assert open_reads(tmp_path / "not-a-db.sqlite3") is None
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    assert open_reads(empty) is None  # not ours (no schema revision)
    for revision in ("0004", "9999"):  # older: to be upgraded; newer: refused by the full open
        copy = tmp_path / f"at-{revision}.sqlite3"
        source, conn = sqlite3.connect(rich[2]), sqlite3.connect(copy)
        source.backup(conn)  # the write-ahead log's pages too
        source.close()
        assert open_reads(copy) is not None
        with conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        conn.close()
        assert open_reads(copy) is None
    assert open_quick("postgresql://clinic.example/mstracker", Role.COORDINATOR) is None


def test_a_due_daily_backup_sends_the_command_the_full_way(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    path = tmp_path / "daily.sqlite3"
    ctx = open_context(str(path))
    ctx.close()
    assert open_quick(str(path), Role.PATIENT) is None  # no backup yet today: the full open takes it
    assert open_quick(str(path), Role.CAREGIVER) is not None  # a read-only open takes none anyway
    from mstracker.services.maintenance import daily_backup_if_due

    ctx = open_context(str(path))
    assert daily_backup_if_due(ctx) is not None
    ctx.close()
    assert open_quick(str(path), Role.PATIENT) is not None
    monkeypatch.setenv("MSTRACKER_NOW", (datetime(2027, 6, 20) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    assert open_quick(str(path), Role.PATIENT) is None  # a new day


def test_leftovers_of_a_killed_command_send_the_command_the_full_way(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    path = tmp_path / "tidy.sqlite3"
    ctx = open_context(str(path))
    from mstracker.services.maintenance import daily_backup_if_due

    daily_backup_if_due(ctx)
    ctx.close()
    assert open_quick(str(path), Role.PATIENT) is not None
    staged = path.with_name(path.name + ".restoring")
    staged.write_bytes(b"")
    assert open_quick(str(path), Role.PATIENT) is None  # the full open removes it
    assert open_quick(str(path), Role.CAREGIVER) is not None  # a read-only open leaves it
    open_context(str(path)).close()
    assert not staged.exists() and open_quick(str(path), Role.PATIENT) is not None


def test_a_read_that_fails_half_way_is_left_to_the_full_open(rich, monkeypatch):
    from mstracker.services.quick_context import QuickUnavailable
    from mstracker.storage import sqlite_reads

    ctx, ids, path, zone = rich

    def busy(self, patient_id):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(sqlite_reads.SqliteReads, "reminders", busy)
    with pytest.raises(QuickUnavailable):
        status(QuickContext(path, Role.PATIENT, zone=zone, clock=ctx.clock), ids[0])
