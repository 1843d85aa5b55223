"""The coordinators' dashboard read the quick way (sqlite3 alone) answers exactly as the full way (a session):
each of its reads at the edges of its windows, with corrections, and for patients with nothing to show; and
the dashboard's flags, missed doses and coming reminders computed from either."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from mstracker.domain.entries import LogKind
from mstracker.services import dashboard, demo, logbook, medicines, patients, reminders
from mstracker.services.context import open_context
from mstracker.services.quick_context import QuickContext
from mstracker.services.roles import Role
from mstracker.storage.session_reads import SessionReads
from mstracker.storage.sqlite_reads import open_reads

from .conftest import NOW, module_database

ON = date(2027, 6, 1)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    """Demo patients (with their reminders), one patient with nothing at all, and entries, doses and
    reminders placed on the edges of the dashboard's windows, some of them corrected."""
    with module_database(tmp_path_factory, "clinic", role="coordinator") as (ctx, path, zone):
        ids = demo.create_demo(ctx, ON)
        bare = patients.add_patient(ctx, "Nothing Logged")
        feverish, labs = ids[:2]
        dosed, forgetful = (patients.add_patient(ctx, name) for name in ("Doses Kept", "Doses Forgotten"))
        marks = _entries(ctx, feverish, labs)
        marks.update(_doses(ctx, dosed, forgetful))
        marks.update(_reminders(ctx, ids))  # only the demo patients have a journey and its reminders
        yield ctx, path, zone, {"ids": ids, "bare": bare, "feverish": feverish, "labs": labs, "dosed": dosed,
                                "forgetful": forgetful, **marks}


def _entries(ctx, feverish: int, labs: int) -> dict:
    def log(pid, kind, at, fields):
        return logbook.log(ctx, pid, kind, at, fields)

    day_before = NOW - dashboard.FEVER_WINDOW
    edge = log(feverish, LogKind.TEMPERATURE, day_before, {"celsius": 38.2})  # exactly 24 h ago: counts
    outside = log(feverish, LogKind.TEMPERATURE, day_before - timedelta(minutes=1), {"celsius": 39.5})
    latest = log(feverish, LogKind.TEMPERATURE, NOW, {"celsius": 37.0})  # exactly now: read
    log(feverish, LogKind.TEMPERATURE, NOW + timedelta(minutes=30), {"celsius": 39.9})  # later today: not yet
    typo = log(feverish, LogKind.TEMPERATURE, datetime(2027, 6, 20, 8), {"celsius": 38.9})
    logbook.amend(ctx, typo, None, {"celsius": 36.9})
    wrong = log(feverish, LogKind.TEMPERATURE, datetime(2027, 6, 19, 12), {"celsius": 38.5})
    logbook.retract(ctx, wrong, "wrong patient")
    back = log(feverish, LogKind.TEMPERATURE, datetime(2027, 6, 19, 14), {"celsius": 38.0})  # the fever
    logbook.retract(ctx, back, "typed twice")
    logbook.unretract(ctx, back)
    moved = log(feverish, LogKind.TEMPERATURE, datetime(2027, 6, 17, 8), {"celsius": 38.6})
    logbook.amend(ctx, moved, datetime(2027, 6, 20, 7), {})  # amended into the window: its original is older
    lab_edge = log(labs, LogKind.LAB, NOW - dashboard.LAB_WINDOW, {"platelets": 15, "anc": 0.4})
    log(labs, LogKind.LAB, NOW - dashboard.LAB_WINDOW - timedelta(minutes=1), {"platelets": 300})
    log(labs, LogKind.LAB, datetime(2027, 6, 12, 9), {"platelets": 12})
    recovered = log(labs, LogKind.LAB, datetime(2027, 6, 15, 9), {"anc": 0.3})
    logbook.amend(ctx, recovered, None, {"anc": 1.3})
    relapse_edge = log(labs, LogKind.RELAPSE, NOW - dashboard.RELAPSE_WINDOW, {"note": "legs weak"})
    log(labs, LogKind.RELAPSE, datetime(2027, 6, 10, 12), {"note": "vision", "confirmed": "no"})
    log(labs, LogKind.RELAPSE, datetime(2027, 6, 1, 12), {"note": "balance"})
    return {"edge": edge, "outside": outside, "latest": latest, "typo": typo, "wrong": wrong, "back": back,
            "moved": moved, "lab_edge": lab_edge, "recovered": recovered, "relapse_edge": relapse_edge}


def _doses(ctx, dosed: int, forgetful: int) -> dict:
    course = medicines.add_course(ctx, dosed, name="aciclovir", times=[time(8), time(20)], first_day=date(2027, 6, 10))
    records = {}
    for day in range(10, 20):
        records[day] = medicines.record_taken(ctx, course, datetime(2027, 6, day, 8),
                                              datetime(2027, 6, day, 8, 5))[0]
    medicines.record_taken(ctx, course, datetime(2027, 6, 18, 20), datetime(2027, 6, 18, 20, 10))
    medicines.record_skip(ctx, course, datetime(2027, 6, 17, 20), "felt sick")
    logbook.amend(ctx, records[18], datetime(2027, 6, 18, 9, 0), {})  # taken later than first recorded
    logbook.retract(ctx, records[19], "not taken after all")  # missed again, within the last 24 hours
    medicines.add_course(ctx, dosed, name="vitamin D", times=[time(9)], first_day=date(2027, 6, 1))
    medicines.add_course(ctx, forgetful, name="valaciclovir", times=[time(8), time(20)], first_day=date(2027, 6, 15))
    return {"dose_edge": datetime(2027, 6, 15, 8, 5)}


def _reminders(ctx, ids: list[int]) -> dict:
    """A reminder snoozed past its own due time, one done, one skipped; returns a pending one's due time."""
    pending = sorted((r for pid in ids for r in reminders.schedule(ctx, pid) if r.status == "pending"),
                     key=lambda r: (r.due, r.id))
    soon = [r for r in pending if NOW < r.due < NOW + timedelta(days=20)]
    assert len(soon) > 4
    snoozed = reminders.snooze(ctx, soon[0].id, soon[0].due + timedelta(days=30))
    reminders.complete(ctx, soon[1].id, NOW)
    reminders.skip(ctx, soon[2].id)
    return {"snoozed": snoozed, "due_edge": soon[3].due.strftime("%Y-%m-%dT%H:%M")}


def _both(clinic):
    ctx, path, _zone, _marks = clinic
    quick = open_reads(path)
    assert quick is not None
    return ctx, quick


def _aware(clinic, moment: datetime) -> datetime:
    return moment.replace(tzinfo=clinic[2])


def _windows(clinic, now: datetime) -> dict[str, datetime]:
    return {LogKind.TEMPERATURE.value: _aware(clinic, now - dashboard.FEVER_WINDOW),
            LogKind.LAB.value: _aware(clinic, now - dashboard.LAB_WINDOW),
            LogKind.RELAPSE.value: _aware(clinic, now - dashboard.RELAPSE_WINDOW)}


@pytest.mark.parametrize("now", [NOW, NOW + timedelta(minutes=1), NOW - timedelta(minutes=1),
                                 datetime(2027, 6, 19, 23, 0), datetime(2027, 3, 28, 1, 30)])
@pytest.mark.parametrize("bounded", [True, False])
def test_the_recent_entries_are_the_same_either_way(clinic, now, bounded):
    ctx, quick = _both(clinic)
    until = _aware(clinic, now) if bounded else None
    try:
        with ctx.db.reading() as s, quick:
            full = SessionReads(s).recent_entry_events(_windows(clinic, now), until)
            assert quick.recent_entry_events(_windows(clinic, now), until) == full
            only_temperatures = {"temperature": _aware(clinic, now - dashboard.FEVER_WINDOW)}
            assert quick.recent_entry_events(only_temperatures, until) == \
                SessionReads(s).recent_entry_events(only_temperatures, until)
    finally:
        quick.close()


def test_the_recent_entries_keep_their_edges_and_corrections(clinic):
    ctx, quick = _both(clinic)
    marks = clinic[3]
    try:
        with quick:
            events = quick.recent_entry_events(_windows(clinic, NOW), _aware(clinic, NOW))
    finally:
        quick.close()
    originals = {e.id for e in events if e.entry_id is None or e.entry_id == e.id}
    assert {marks["edge"], marks["latest"], marks["lab_edge"], marks["relapse_edge"]} <= originals
    assert not {marks["outside"], marks["moved"]} & originals
    assert all(e.occurred_at <= _aware(clinic, NOW) for e in events if e.id in originals)
    corrected = {(e.kind, e.entry_id) for e in events if e.kind in ("amend", "retract", "unretract")}
    assert {("amend", marks["typo"]), ("retract", marks["wrong"]), ("retract", marks["back"]),
            ("unretract", marks["back"]), ("amend", marks["recovered"])} <= corrected
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert {e.patient_id for e in events} == {marks["feverish"], marks["labs"]}


def test_the_open_reminders_are_the_same_either_way(clinic):
    ctx, quick = _both(clinic)
    marks = clinic[3]
    snoozed = marks["snoozed"]
    ends = [marks["due_edge"], "2000-01-01T00:00", "2027-06-20T10:00", "2099-12-31T23:59",
            snoozed.due.strftime("%Y-%m-%dT%H:%M"), snoozed.snoozed_until.strftime("%Y-%m-%dT%H:%M")]
    try:
        with ctx.db.reading() as s, quick:
            full = SessionReads(s)
            for end in ends:
                assert quick.open_reminders_until(end) == full.open_reminders_until(end), end
            assert quick.open_reminders_until("2000-01-01T00:00") == []
            everything = quick.open_reminders_until("2099-12-31T23:59")
    finally:
        quick.close()
    assert [pid for pid, _kind, _title in everything] == sorted(pid for pid, _kind, _title in everything)
    assert len({pid for pid, _kind, _title in everything}) > 1
    assert marks["bare"] not in {pid for pid, _kind, _title in everything}


def test_the_open_reminders_read_their_edges(clinic):
    """A reminder due exactly at the end counts; a snoozed one counts from its snooze, not its due time;
    done and skipped ones never count."""
    ctx, quick = _both(clinic)
    marks = clinic[3]
    snoozed = marks["snoozed"]
    until_due = snoozed.due.strftime("%Y-%m-%dT%H:%M")
    until_snooze = snoozed.snoozed_until.strftime("%Y-%m-%dT%H:%M")
    try:
        with quick:
            at_edge = quick.open_reminders_until(marks["due_edge"])
            before_edge = quick.open_reminders_until(_minute_before(marks["due_edge"]))
            mine_at_due = [r for r in quick.open_reminders_until(until_due) if r[0] == snoozed.patient_id]
            mine_at_snooze = [r for r in quick.open_reminders_until(until_snooze) if r[0] == snoozed.patient_id]
            everything = quick.open_reminders_until("2099-12-31T23:59")
    finally:
        quick.close()
    assert len(at_edge) > len(before_edge)
    assert (snoozed.patient_id, snoozed.kind, snoozed.title) not in mine_at_due
    assert (snoozed.patient_id, snoozed.kind, snoozed.title) in mine_at_snooze
    statuses = {r.id: r.status for pid in marks["ids"] for r in reminders.schedule(clinic[0], pid)}
    assert len(everything) == sum(status in ("pending", "snoozed") for status in statuses.values())


def _minute_before(text: str) -> str:
    return (datetime.strptime(text, "%Y-%m-%dT%H:%M") - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")


_COURSE_FIELDS = ("id patient_id journey_id key source name dose route times every_days weekdays first_day last_day "
                  "stopped_on ended_on pinned purpose uid").split()


def test_every_course_and_dose_is_the_same_either_way(clinic):
    ctx, quick = _both(clinic)
    marks = clinic[3]
    edge = _aware(clinic, marks["dose_edge"])
    try:
        with ctx.db.reading() as s, quick:
            full = SessionReads(s)
            courses = quick.every_course()
            assert [tuple(c) for c in courses] == \
                [tuple(getattr(c, name) for name in _COURSE_FIELDS) for c in full.every_course()]
            for since in (None, edge, edge + timedelta(microseconds=1), _aware(clinic, NOW + timedelta(days=1))):
                assert quick.every_dose_event(since) == full.every_dose_event(since), since
            at_edge, after_edge = quick.every_dose_event(edge), quick.every_dose_event(edge + timedelta(seconds=1))
            everything = quick.every_dose_event(None)
            assert quick.every_dose_event(_aware(clinic, NOW + timedelta(days=1))) == []
    finally:
        quick.close()
    assert {marks["dosed"], marks["forgetful"]} <= {c.patient_id for c in courses}
    assert marks["bare"] not in {c.patient_id for c in courses}
    assert len(at_edge) == len(after_edge) + 1  # the dose taken exactly then
    assert {e.kind for e in everything} == {"med_dose", "amend", "retract"}


@pytest.mark.parametrize("now", [NOW, NOW + timedelta(minutes=1), datetime(2027, 6, 20, 0, 30),
                                 datetime(2027, 6, 20, 16, 0), datetime(2027, 6, 21, 9, 0)])
def test_the_dashboard_is_the_same_either_way(clinic, now):
    ctx, path, zone, _marks = clinic
    moment = now.replace(tzinfo=zone)
    full = open_context(str(path), role="coordinator", clock=lambda: moment)
    quick = QuickContext(path, Role.COORDINATOR, zone=zone, clock=lambda: moment)
    try:
        assert dashboard.alert_flags(quick) == dashboard.alert_flags(full)
        assert dashboard.missed_doses(quick) == dashboard.missed_doses(full) == medicines.missed_last_24h(full)
        assert dashboard.coming_reminders(quick) == dashboard.coming_reminders(full)
        assert dashboard.coming_reminders(quick, days=0) == dashboard.coming_reminders(full, days=0)
    finally:
        full.close()


def test_the_dashboard_read_the_quick_way_shows_what_happened(clinic):
    """Not only the same either way: the flags, counts and reminders themselves, as of the fixture's now."""
    _ctx, path, zone, marks = clinic
    quick = QuickContext(path, Role.COORDINATOR, zone=zone, clock=lambda: NOW.replace(tzinfo=zone))
    flags = dashboard.alert_flags(quick)
    # The fever is the reading retracted and brought back; the typo was corrected, the readings exactly 24 hours
    # ago (or 14 days, 30 days) are read but no longer flag.
    assert flags[marks["feverish"]] == ["fever"]
    assert flags[marks["labs"]] == ["low_platelets", "relapse"]  # the low ANC was amended
    missed = dashboard.missed_doses(quick)
    # aciclovir: 19 June 08:00 (retracted), 19 June 20:00; vitamin D since 1 June at 09:00, never recorded:
    # 19 June 09:00 (missed at 13:00, within 24 h); valaciclovir: the same two aciclovir doses.
    assert (missed[marks["dosed"]], missed[marks["forgetful"]]) == (3, 2)
    coming = dashboard.coming_reminders(quick)
    assert marks["bare"] not in flags and marks["bare"] not in missed and marks["bare"] not in coming
    assert set(coming) <= set(marks["ids"]) and coming
