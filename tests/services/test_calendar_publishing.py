"""Publishing to a real Radicale, read back with another client (raw REPORT, icalendar)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from mstracker.domain.errors import ReadOnlyError, UserError
from mstracker.domain.phases import Phase
from mstracker.services import calendar_publishing as cal
from mstracker.services import calendar_state, journeys, logbook, reminders, transfer
from mstracker.services.caldav_client import Refused, Unreachable, check_url, object_href
from tests.postgres_fixture import postgres_cluster, postgres_url  # noqa: F401
from tests.radicale_fixture import USERS, radicale_tls, read_calendar  # noqa: F401
from tests.services.calendar_journeys import Clock, at_home, context, install_year_protocol, planned_day_zero

PASSWORD = USERS["alice"]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ctx(tmp_path, clock):
    c = context(tmp_path / "cal.sqlite3", clock)
    yield c
    c.close()


def _content(obj) -> bytes:
    """An object's event as the server holds it, without the stamp of when it was built."""
    return b"\n".join(line for line in obj.event.to_ical().splitlines() if not line.startswith(b"DTSTAMP"))


def _ics_uids(ctx, pid) -> dict[str, str]:
    exported = Calendar.from_ical(transfer.render(ctx, pid, "ics"))
    return {str(e["UID"]): str(e["STATUS"]) for e in exported.walk("VEVENT")}


def test_publish_creates_the_calendar_one_object_per_event_with_the_exports_uids(ctx, radicale):
    pid = planned_day_zero(ctx)
    url = radicale.url("alice/anna")
    result = cal.publish(ctx, pid, url, "alice", PASSWORD)
    assert result.created and result.error is None and result.pending == 0
    held = read_calendar(radicale, url)
    exported = _ics_uids(ctx, pid)
    assert set(held) == {uid for uid, status in exported.items() if status != "CANCELLED"}
    assert result.sent == len(held) > 50
    for obj in held.values():
        ev = obj.event
        start = ev["DTSTART"]
        if "TZID" in start.params:  # a timed event carries the VTIMEZONE of its times
            assert start.params["TZID"] == "Europe/London"
            assert [str(tz["TZID"]) for tz in obj.calendar.walk("VTIMEZONE")] == ["Europe/London"]
        if "phase" not in [str(c) for c in ev.categories]:
            assert len(ev.walk("VALARM")) == 1
    state = cal.state(ctx, pid)
    assert state.in_step and state.pending == 0 and state.last_error is None
    assert state.summary(ctx.now() + timedelta(minutes=2)) == "up to date · 2 minutes ago"


def test_a_change_is_queued_with_it_and_the_sync_rewrites_only_that_event_under_its_uid(ctx, radicale, clock):
    pid = planned_day_zero(ctx)
    url = radicale.url("alice/anna")
    cal.publish(ctx, pid, url, "alice", PASSWORD)
    before = read_calendar(radicale, url)
    first = reminders.schedule(ctx, pid)[0]
    reminders.complete(ctx, first.id, datetime(2027, 6, 20, 9, 0))
    # Queued in the write's own transaction: the state says so without any network.
    state = cal.state(ctx, pid)
    assert (state.pending, state.in_step) == (1, False)
    assert state.summary(ctx.now()) == "1 change waiting to be sent"
    result = cal.sync(ctx, pid, PASSWORD)
    assert (result.sent, result.removed, result.pending, result.error) == (1, 0, 0, None)
    after = read_calendar(radicale, url)
    assert set(after) == set(before)
    done = after[first.uid].event
    assert str(done["SUMMARY"]) == f"Done: {first.title}" and done.walk("VALARM") == []
    changed = {uid for uid in after if after[uid].etag != before[uid].etag}
    assert changed == {first.uid}
    # A skipped reminder's event is removed.
    second = reminders.schedule(ctx, pid)[1]
    reminders.skip(ctx, second.id)
    result = cal.sync(ctx, pid, PASSWORD)
    assert (result.sent, result.removed) == (0, 1)
    assert second.uid not in read_calendar(radicale, url)


@pytest.mark.slow
def test_a_year_of_reminders_and_a_day_zero_move_sends_only_the_events_that_moved(ctx, radicale, tmp_path):
    protocol = install_year_protocol(tmp_path)
    pid = planned_day_zero(ctx, protocol=protocol)
    url = radicale.url("alice/anna")
    result = cal.publish(ctx, pid, url, "alice", PASSWORD)
    before = read_calendar(radicale, url)
    assert len(before) == result.sent > 400  # a year of evening temperature checks and the follow-up
    journeys.plan(ctx, pid, Phase.TRANSPLANT, date(2027, 6, 23))  # Day 0 two days later; discharge as planned
    queued = cal.state(ctx, pid).pending
    result = cal.sync(ctx, pid, PASSWORD)
    after = read_calendar(radicale, url)
    moved = {uid for uid in after if _content(after[uid]) != _content(before[uid])}
    assert set(after) == set(before)
    assert 0 < result.sent == queued == len(moved) < len(before) // 4
    assert all(after[uid].etag == before[uid].etag for uid in set(after) - moved)


def test_an_urgent_alert_is_an_event_with_an_alarm_while_it_shows(ctx, radicale, clock):
    pid = at_home(ctx)
    url = radicale.url("alice/ben")
    cal.publish(ctx, pid, url, "alice", PASSWORD)
    logbook.log(ctx, pid, "temperature", datetime(2027, 6, 20, 9, 30), {"celsius": "38.6"})
    assert cal.state(ctx, pid).pending >= 1
    cal.sync(ctx, pid, PASSWORD)
    urgent = [o.event for o in read_calendar(radicale, url).values() if str(o.event["SUMMARY"]).startswith("URGENT:")]
    assert len(urgent) == 1
    ev = urgent[0]
    assert ev.DTSTART == datetime(2027, 6, 20, 9, 30, tzinfo=ev.DTSTART.tzinfo)
    assert ev.DTSTART.utcoffset() == timedelta(hours=1)
    assert "Call your transplant team now" in str(ev["DESCRIPTION"])
    [alarm] = ev.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(0) and str(alarm["ACTION"]) == "DISPLAY"
    # Time alone clears it (a fever shows for a day): found and removed at the next sync.
    clock.forward(hours=25)
    result = cal.sync(ctx, pid, PASSWORD)
    assert result.removed == 1 and result.error is None
    held = read_calendar(radicale, url)
    assert not [o for o in held.values() if str(o.event["SUMMARY"]).startswith("URGENT:")]
    # ... and so does time make reminders overdue ("Overdue: " in their title).
    assert any(str(o.event["SUMMARY"]).startswith("Overdue: ") for o in held.values())


def test_the_server_stopped_in_the_middle_of_a_sync_keeps_what_it_did_not_confirm(ctx, radicale):
    pid = planned_day_zero(ctx)
    url = radicale.url("alice/anna")
    cal.publish(ctx, pid, url, "alice", PASSWORD)
    journeys.plan(ctx, pid, Phase.TRANSPLANT, date(2027, 6, 24))
    waiting = cal.state(ctx, pid).pending
    assert waiting > 10

    def stop_after_five(done: int, total: int) -> None:
        if done == 5:
            radicale.stop()

    with pytest.raises(Unreachable, match="could not be reached"):
        cal.sync(ctx, pid, PASSWORD, progress=stop_after_five)
    state = cal.state(ctx, pid)
    assert state.pending == waiting - 5
    assert state.summary(ctx.now()) == f"{waiting - 5} changes waiting: the server at {radicale.base} could not be reached"
    logbook.log(ctx, pid, "note", datetime(2027, 6, 20, 9, 0), {"text": "a quiet day"})  # clinical writes go on
    radicale.start()
    result = cal.sync(ctx, pid, PASSWORD)
    assert (result.sent, result.pending, result.error) == (waiting - 5, 0, None)
    held = read_calendar(radicale, url)  # no duplicates (checked by the reader), the moved times everywhere
    day_zero = [o.event for o in held.values() if str(o.event["SUMMARY"]).startswith("planned: Recovery in hospital")]
    assert [e.DTSTART for e in day_zero] == [date(2027, 6, 24)]
    assert cal.state(ctx, pid).in_step


def test_a_wrong_password_is_refused_and_the_changes_wait(ctx, radicale):
    pid = planned_day_zero(ctx)
    url = radicale.url("alice/anna")
    cal.publish(ctx, pid, url, "alice", PASSWORD)
    reminders.skip(ctx, reminders.schedule(ctx, pid)[0].id)
    with pytest.raises(Refused) as refused:
        cal.sync(ctx, pid, "not-the-password")
    assert "wrong user name or password" in str(refused.value) and "not-the-password" not in str(refused.value)
    state = cal.state(ctx, pid)
    assert state.pending == 1 and "refused" in state.last_error
    assert cal.sync(ctx, pid, PASSWORD).removed == 1


def test_a_412_on_a_concurrent_change_to_our_event_is_resolved_with_ours(ctx, radicale):
    pid = planned_day_zero(ctx)
    url = radicale.url("alice/anna")
    cal.publish(ctx, pid, url, "alice", PASSWORD)
    first = reminders.schedule(ctx, pid)[0]
    obj = read_calendar(radicale, url)[first.uid]
    edited = obj.calendar.to_ical().replace(first.title.encode()[:20], b"Edited on the phone ")
    status, _h, _b = radicale.request("PUT", radicale.base + obj.href, edited,
                                      {"Content-Type": "text/calendar", "If-Match": obj.etag})
    assert status in (201, 204)
    reminders.complete(ctx, first.id, datetime(2027, 6, 20, 9, 0))
    result = cal.sync(ctx, pid, PASSWORD)  # If-Match with the old ETag: 412, then rewritten with the new one
    assert (result.sent, result.error) == (1, None)
    assert str(read_calendar(radicale, url)[first.uid].event["SUMMARY"]) == f"Done: {first.title}"


FOREIGN = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//family//phone//EN\r
BEGIN:VEVENT\r
UID:%s\r
DTSTAMP:20270601T100000Z\r
DTSTART:20270622T150000Z\r
DTEND:20270622T160000Z\r
SUMMARY:Dentist (Ben)\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_calendar_that_holds_someone_elses_events_keeps_them_untouched(ctx, radicale):
    pid = planned_day_zero(ctx)
    url = radicale.url("alice/family")
    status, _h, _b = radicale.request("MKCALENDAR", url)
    assert status == 201
    dentist = url + "dentist.ics"
    assert radicale.request("PUT", dentist, FOREIGN % b"dentist-1@family", {"Content-Type": "text/calendar"})[0] == 201
    # Another program's object where mstracker would put the first reminder: it stays theirs.
    first = reminders.schedule(ctx, pid)[0]
    squatter = object_href(check_url(url), first.uid)
    assert radicale.request("PUT", squatter, FOREIGN % b"squatter@family", {"Content-Type": "text/calendar"})[0] == 201
    before = read_calendar(radicale, url)

    result = cal.publish(ctx, pid, url, "alice", PASSWORD)
    assert result.skipped == (first.uid,) and "mstracker did not write" in result.error
    assert cal.state(ctx, pid).pending == 1
    reminders.complete(ctx, reminders.schedule(ctx, pid)[1].id, datetime(2027, 6, 20, 9, 0))
    cal.sync(ctx, pid, PASSWORD)
    removed = cal.unpublish(ctx, pid, delete=True, password=PASSWORD)
    after = read_calendar(radicale, url)
    assert set(after) == {"dentist-1@family", "squatter@family"}
    assert removed == result.sent
    for uid in after:
        assert after[uid].etag == before[uid].etag
    assert cal.state(ctx, pid) is None


def test_a_publication_moved_to_another_url_sends_everything_there_and_leaves_the_old_one(ctx, radicale):
    pid = planned_day_zero(ctx)
    old, new = radicale.url("alice/anna"), radicale.url("alice/anna-2")
    first = cal.publish(ctx, pid, old, "alice", PASSWORD)
    old_held = read_calendar(radicale, old)
    moved = cal.publish(ctx, pid, new, "alice", PASSWORD)
    assert moved.created and moved.sent == first.sent
    assert set(read_calendar(radicale, new)) == set(old_held)
    reminders.skip(ctx, reminders.schedule(ctx, pid)[0].id)
    cal.sync(ctx, pid, PASSWORD)
    assert len(read_calendar(radicale, new)) == len(old_held) - 1
    assert {u: o.etag for u, o in read_calendar(radicale, old).items()} == {u: o.etag for u, o in old_held.items()}
    # The calendar removed on the server (by its owner): the next sync makes it again and fills it.
    assert radicale.request("DELETE", new)[0] in (200, 204)
    result = cal.sync(ctx, pid, PASSWORD)
    assert result.sent == len(old_held) - 1 and len(read_calendar(radicale, new)) == result.sent


def test_a_caregiver_reads_the_state_but_cannot_publish_sync_or_unpublish(tmp_path, clock, radicale):
    db = tmp_path / "cal.sqlite3"
    owner = context(db, clock)
    pid = planned_day_zero(owner)
    url = radicale.url("alice/anna")
    cal.publish(owner, pid, url, "alice", PASSWORD)
    owner.close()
    reader = context(db, clock, role="caregiver")
    try:
        assert cal.state(reader, pid).in_step
        for call in (lambda: cal.publish(reader, pid, url, "alice", PASSWORD),
                     lambda: cal.sync(reader, pid, PASSWORD),
                     lambda: cal.unpublish(reader, pid, delete=True, password=PASSWORD)):
            with pytest.raises(ReadOnlyError, match="read-only"):
                call()
    finally:
        reader.close()


def test_check_connection_says_whether_the_calendar_exists_and_refuses_bad_passwords(radicale):
    assert cal.check_connection(radicale.url("alice/new"), "alice", PASSWORD) == "missing"
    with pytest.raises(Refused):
        cal.check_connection(radicale.url("alice/new"), "alice", "wrong")
    with pytest.raises(UserError, match="not a calendar"):
        cal.check_connection(radicale.url("alice"), "alice", PASSWORD)


def test_the_outbox_is_written_in_the_changes_own_transaction(ctx, radicale, monkeypatch):
    """Queueing fails: so does the change, and nothing of either is kept (one transaction)."""
    from mstracker.services import calendar_outbox

    pid = planned_day_zero(ctx)
    cal.publish(ctx, pid, radicale.url("alice/anna"), "alice", PASSWORD)
    entries = len(logbook.history(ctx, pid))

    def broken(*_args):
        raise RuntimeError("disk full while queueing")

    monkeypatch.setattr(calendar_outbox, "queue_changes", broken)
    with pytest.raises(RuntimeError):
        logbook.log(ctx, pid, "temperature", datetime(2027, 6, 20, 9, 0), {"celsius": "38.6"})
    assert len(logbook.history(ctx, pid)) == entries
    assert cal.state(ctx, pid).pending == 0


def test_the_background_sync_never_raises_and_reports_in_the_state(ctx, radicale, monkeypatch):
    pid = planned_day_zero(ctx)
    url = radicale.url("alice/anna")
    cal.publish(ctx, pid, url, "alice", PASSWORD)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("MSTRACKER_CALDAV_PASSWORD", raising=False)
    reminders.skip(ctx, reminders.schedule(ctx, pid)[0].id)
    state = calendar_state.sync_in_background(ctx, pid)
    assert state.pending == 1 and "no password" in state.last_error
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", PASSWORD)
    radicale.stop()
    state = calendar_state.sync_in_background(ctx, pid)
    assert state.summary(ctx.now()).startswith("1 change waiting: the server at")
    radicale.start()
    state = calendar_state.sync_in_background(ctx, pid)
    assert state.in_step and state.summary(ctx.now()) == "up to date · just now"


def test_a_certificate_that_cannot_be_verified_is_refused(ctx, radicale_tls):  # noqa: F811
    pid = planned_day_zero(ctx)
    url = radicale_tls.url("alice/anna")
    assert url.startswith("https://127.0.0.1:")
    with pytest.raises(UserError, match="certificate .* could not be verified"):
        cal.publish(ctx, pid, url, "alice", PASSWORD)
    assert cal.state(ctx, pid) is None
    # The server itself answers (a client that does not verify gets a CalDAV answer): the refusal is ours.
    import ssl
    import urllib.request

    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(urllib.request.Request(url, method="PROPFIND"), context=insecure, timeout=30)
    assert answer.value.code == 401


@pytest.mark.postgres
def test_publishing_from_a_clinic_server_database(postgres_url, clock, radicale):  # noqa: F811
    """The same tables and the same outbox on PostgreSQL."""
    from mstracker.services.context import open_context

    ctx = open_context(postgres_url, role="coordinator", clock=clock)
    try:
        pid = planned_day_zero(ctx)
        url = radicale.url("alice/anna")
        first = cal.publish(ctx, pid, url, "alice", PASSWORD)
        reminders.complete(ctx, reminders.schedule(ctx, pid)[0].id, datetime(2027, 6, 20, 9, 0))
        assert cal.state(ctx, pid).pending == 1
        assert cal.sync(ctx, pid, PASSWORD).sent == 1
        assert len(read_calendar(radicale, url)) == first.sent
        assert cal.state(ctx, pid).in_step
    finally:
        ctx.close()
