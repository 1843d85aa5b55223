"""The window's reads the quick way (`LazyContext`, sqlite3 alone) answer as the full open does; the first
write opens the database the full way; the day's backup is taken without the storage engine."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta

import pytest

from mstracker.domain.entries import LogKind
from mstracker.domain.errors import NotFoundError, ReadOnlyError
from mstracker.services import (
    calendar_state,
    demo,
    history,
    logbook,
    medicine_today,
    medicines,
    reminder_reads,
    reminders,
)
from mstracker.services.check_report import start_check
from mstracker.services.clock import local_zone
from mstracker.services.context import open_context
from mstracker.services.lazy_context import LazyContext, open_lazy
from mstracker.services.replay import LOG_KINDS
from mstracker.services.roles import Role
from mstracker.storage import backups
from mstracker.storage.session_reads import SessionReads
from mstracker.storage.sqlite_reads import open_reads

ON = date(2027, 6, 1)
NOW = datetime(2027, 6, 20, 10, 0)


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """Demo patients, one with a long history corrected in every way (an amendment moving an old entry to the
    top of the history, a retraction, a retraction taken back), reminders done, snoozed and skipped, doses."""
    folder = tmp_path_factory.mktemp("window")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        mp.setenv("TZ", "Europe/London")
        zone = local_zone()
        moment = NOW.replace(tzinfo=zone)
        path = folder / "window.sqlite3"
        ctx = open_context(str(path), clock=lambda: moment)
        ids = demo.create_demo(ctx, ON)
        pid = next(i for i in ids if sum(r.status == "pending" for r in reminders.schedule(ctx, i)) > 3)
        ids.remove(pid)
        ids.insert(0, pid)  # the first patient is the one with everything
        logged = [logbook.log(ctx, pid, LogKind.TEMPERATURE, datetime(2027, 5, 1) + timedelta(hours=7 * i),
                              {"celsius": 36.5 + (i % 10) / 10}) for i in range(120)]
        logbook.amend(ctx, logged[3], datetime(2027, 6, 19, 23, 0), {"celsius": 38.6})  # moves to the top
        logbook.amend(ctx, logged[50], None, {"celsius": 37.9})  # stays where it was
        logbook.retract(ctx, logged[60], "typed twice")
        logbook.retract(ctx, logged[61], "wrong patient")
        logbook.unretract(ctx, logged[61])
        open_ones = [r for r in reminders.schedule(ctx, pid) if r.status == "pending"]
        reminders.complete(ctx, open_ones[0].id, datetime(2027, 6, 19, 9))
        reminders.snooze(ctx, open_ones[1].id, datetime(2027, 6, 25, 9))
        reminders.skip(ctx, open_ones[2].id)
        medicines.add_course(ctx, pid, name="aciclovir", times=[time(8), time(20)], first_day=date(2027, 6, 10))
        course = medicines.list_courses(ctx, pid)[-1].course.id
        for day in range(10, 20):
            medicines.record_taken(ctx, course, datetime(2027, 6, day, 8), datetime(2027, 6, day, 8, 5))
        yield ctx, ids, path, zone
        ctx.close()


def _lazy(rich, role: Role = Role.PATIENT) -> LazyContext:
    ctx, _ids, path, zone = rich
    return LazyContext(path, role, zone=zone, clock=ctx.clock)


def test_the_history_reads_give_the_same_values(rich):
    ctx, ids, path, zone = rich
    quick = open_reads(path)
    assert quick is not None
    try:
        with ctx.db.reading() as s, quick:
            full = SessionReads(s)
            for pid in [*ids, 999]:
                for kinds in (LOG_KINDS, ("temperature",), ("lab", "note")):
                    assert quick.entry_count(pid, kinds) == full.entry_count(pid, kinds)
                    for limit in (1, 5, 50, 500):
                        assert quick.newest_entry_rows(pid, kinds, limit) == full.newest_entry_rows(pid, kinds, limit)
                    rows = full.newest_entry_rows(pid, kinds, 20).plain
                    for row in rows[::7]:
                        before = (row[2], row[0])
                        assert quick.newest_entry_rows(pid, kinds, 20, before) == \
                            full.newest_entry_rows(pid, kinds, 20, before)
                edges = [(r.due, r.due) for r in full.reminders(pid)[:3]]  # both bounds are inclusive
                for start, end in ((None, None), ("2027-06-15", None), (None, "2027-06-20T23:59"),
                                   ("2027-06-20", "2027-06-20T23:59"), ("2030-01-01", None), *edges):
                    assert [tuple(r) for r in quick.reminders(pid, start, end)] == \
                        [_reminder_columns(r) for r in full.reminders(pid, start, end)]
                assert quick.publication(pid) == full.publication(pid)
    finally:
        quick.close()


def _reminder_columns(row) -> tuple:
    fields = "id patient_id item_id occurrence kind title due status snoozed_until done_at edited uid"
    return tuple(getattr(row, name) for name in fields.split())


def test_the_windows_answers_are_the_same_either_way(rich):
    ctx, ids, _path, _zone = rich
    lazy = _lazy(rich)
    for pid in ids:
        assert history.history_count(lazy, pid) == history.history_count(ctx, pid)
        first = history.history_page(lazy, pid, limit=30)
        assert first == history.history_page(ctx, pid, limit=30)
        if first:
            after = history.page_key(first[-1])
            assert history.history_page(lazy, pid, limit=30, before=after) == \
                history.history_page(ctx, pid, limit=30, before=after)
        assert history.history_page(lazy, pid, "temperature", limit=10) == \
            history.history_page(ctx, pid, "temperature", limit=10)
        assert reminder_reads.schedule(lazy, pid) == reminder_reads.schedule(ctx, pid)
        assert reminder_reads.schedule(lazy, pid, ON, ON + timedelta(days=30)) == \
            reminder_reads.schedule(ctx, pid, ON, ON + timedelta(days=30))
        assert reminder_reads.due_now(lazy, pid) == reminder_reads.due_now(ctx, pid)
        assert medicine_today.today(lazy, pid) == medicine_today.today(ctx, pid)
        assert calendar_state.state(lazy, pid) == calendar_state.state(ctx, pid)
    assert not lazy.is_open_fully  # every answer came from sqlite3 alone
    lazy.close()


def test_the_paged_history_is_the_whole_history(rich):
    """Page after page, the quick reads give every entry once, in order, the corrections applied."""
    ctx, ids, _path, _zone = rich
    lazy = _lazy(rich)
    pages, before = [], None
    while True:
        page = history.history_page(lazy, ids[0], limit=17, before=before)
        if not page:
            break
        pages += page
        before = history.page_key(page[-1])
    assert pages == logbook.history(ctx, ids[0])
    assert len(pages) == history.history_count(lazy, ids[0])
    assert pages[0].fields["celsius"] == 38.6 and pages[0].amended  # the amended entry moved to the top
    lazy.close()


def test_an_unknown_patient_is_refused_with_the_same_words(rich):
    ctx = rich[0]
    lazy = _lazy(rich)
    for read in (history.history_page, reminder_reads.schedule, medicine_today.today, calendar_state.state):
        with pytest.raises(NotFoundError) as full_error:
            read(ctx, 999)
        with pytest.raises(NotFoundError) as quick_error:
            read(lazy, 999)
        assert str(quick_error.value) == str(full_error.value)
    lazy.close()


def test_the_first_write_opens_the_database_the_full_way(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    path = tmp_path / "write.sqlite3"
    ctx = open_context(str(path))
    pid = demo.create_demo(ctx, ON)[0]
    ctx.close()
    lazy = open_lazy(str(path), Role.PATIENT)
    assert lazy is not None
    count = history.history_count(lazy, pid)
    assert not lazy.is_open_fully
    entry = logbook.log(lazy, pid, LogKind.TEMPERATURE, datetime(2027, 6, 20, 9, 0), {"celsius": 38.2})
    assert lazy.is_open_fully
    assert history.history_count(lazy, pid) == count + 1
    assert history.history_page(lazy, pid, limit=1)[0].entry_id == entry
    lazy.close()
    with pytest.raises(RuntimeError):
        lazy.db  # noqa: B018  (closed: no second open behind the window's back)


def test_a_caregiver_reads_quickly_and_cannot_write(rich):
    ids = rich[1]
    lazy = _lazy(rich, Role.CAREGIVER)
    assert lazy.readonly
    assert reminder_reads.schedule(lazy, ids[0])
    with pytest.raises(ReadOnlyError):
        lazy.require_write("log a temperature")
    with pytest.raises(ReadOnlyError):
        logbook.log(lazy, ids[0], LogKind.TEMPERATURE, datetime(2027, 6, 20, 9, 0), {"celsius": 37.0})
    lazy.close()


def test_open_lazy_steps_aside_only_where_the_full_open_has_work(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    path = tmp_path / "aside.sqlite3"
    assert open_lazy(str(path), Role.PATIENT) is None  # no file yet: the full open creates it
    open_context(str(path)).close()
    assert backups.list_backups(path.resolve()) == []
    assert open_lazy(str(path), Role.PATIENT) is not None  # a due backup is the start check's, not the open's
    staged = path.with_name(path.name + ".restoring")
    staged.write_bytes(b"")
    assert open_lazy(str(path), Role.PATIENT) is None  # what a killed restore left: the full open tidies it
    staged.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
    assert open_lazy(str(path), Role.PATIENT) is None  # an older schema: the full open upgrades it
    assert open_lazy("postgresql://clinic.example/mstracker", Role.COORDINATOR) is None


def test_the_start_check_takes_the_days_backup_with_sqlite3_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    path = tmp_path / "daily.sqlite3"
    ctx = open_context(str(path))
    pid = demo.create_demo(ctx, ON)[0]
    ctx.close()
    lazy = open_lazy(str(path), Role.PATIENT)
    report, problem = start_check(lazy)
    assert report.sound and problem is None
    assert not lazy.is_open_fully
    taken = backups.list_backups(path.resolve())
    assert len(taken) == 1
    copy = sqlite3.connect(taken[0].path)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM event WHERE patient_id = ?", (pid,)).fetchone()[0] > 0
    copy.close()
    start_check(lazy)
    assert len(backups.list_backups(path.resolve())) == 1  # once a day
    lazy.close()
    caregiver = open_lazy(str(path), Role.CAREGIVER)
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-21T10:00")
    caregiver.clock = None
    assert start_check(caregiver)[0].sound
    assert len(backups.list_backups(path.resolve())) == 1  # a read-only window backs nothing up
    caregiver.close()


def test_a_damaged_file_gets_the_full_check(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    path = tmp_path / "damaged.sqlite3"
    ctx = open_context(str(path))
    demo.create_demo(ctx, ON)
    ctx.close()
    lazy = open_lazy(str(path), Role.PATIENT)
    from mstracker.storage import sqlitefiles

    monkeypatch.setattr(sqlitefiles, "integrity_problems", lambda *_a, **_k: ["page 7: btree damaged"])
    calls = []
    from mstracker.services import maintenance

    monkeypatch.setattr(maintenance, "startup_check", lambda c: calls.append(c) or "full report")
    monkeypatch.setattr(maintenance, "daily_backup_if_due", lambda c: None)
    assert start_check(lazy) == ("full report", None)
    assert calls == [lazy]
    lazy.close()
