"""The share dialog and the publication's state, against a real Radicale (read back with raw REPORTs)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox

from mstracker.services import calendar_publishing, logbook
from mstracker.services.context import open_context
from mstracker.ui.core.runner import Changes
from tests.radicale_fixture import USERS, read_calendar
from tests.ui.conftest import settle


def _dialog(qtbot, window):
    window.share_action.trigger()
    dialog = window.share_dialog
    qtbot.waitUntil(lambda: window.session.bus.running == 0, timeout=10_000)
    return dialog


def _fill(dialog, url, password):
    dialog.url.setText(url)
    dialog.user.setText("alice")
    dialog.password.setText(password)



def _published(db_path, clock, patient: int, url: str) -> None:
    """The patient published to alice's calendar before the window opens."""
    ctx = open_context(db_path, clock=clock)
    try:
        calendar_publishing.publish(ctx, patient, url, "alice", USERS["alice"])
    finally:
        ctx.close()

def test_publish_from_the_dialog_then_a_change_reaches_the_server(qtbot, window_for, db_path, in_hospital,
                                                                  radicale, monkeypatch, clock):
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", USERS["alice"])  # the background syncs' password
    window = window_for(db_path)
    dialog = _dialog(qtbot, window)
    url = radicale.url("alice/anna")
    _fill(dialog, url, USERS["alice"])
    dialog.publish.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Published:"), timeout=30_000)
    assert dialog.password.text() == ""  # never shown back
    before = read_calendar(radicale, url)
    assert before and all("URGENT" not in str(o.event.get("SUMMARY")) for o in before.values())
    qtbot.waitUntil(lambda: window.calendar_state.isVisible(), timeout=10_000)
    assert window.calendar_state.text() == "Caregiver's calendar: up to date · just now"

    # A fever while the neutrophils are low: an urgent alert, logged in the app, synced by itself.
    window.session.op(window, lambda: logbook.log(window.session.ctx, in_hospital, "temperature",
                                                  datetime(2027, 3, 20, 9, 30), {"celsius": "38.6"}),
                      Changes(log=True))
    qtbot.waitUntil(lambda: any("URGENT" in str(o.event.get("SUMMARY"))
                                for o in read_calendar(radicale, url).values()), timeout=30_000)
    settle(qtbot, window)
    assert window.calendar_state.text().endswith("up to date · just now")


def test_server_stopped_changes_wait_and_catch_up(qtbot, window_for, db_path, in_hospital, radicale, monkeypatch,
                                                    clock):
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", USERS["alice"])
    url = radicale.url("alice/anna")
    _published(db_path, clock, in_hospital, url)
    window = window_for(db_path)
    qtbot.waitUntil(lambda: window.calendar_state.text().endswith("up to date · just now"), timeout=30_000)
    radicale.stop()
    window.session.op(window, lambda: logbook.log(window.session.ctx, in_hospital, "temperature",
                                                  datetime(2027, 3, 20, 9, 30), {"celsius": "38.6"}),
                      Changes(log=True))
    qtbot.waitUntil(lambda: "waiting" in window.calendar_state.text(), timeout=30_000)
    settle(qtbot, window)
    text = window.calendar_state.text()
    assert "change" in text and "could not be reached" in text, text
    radicale.start()
    window.calendar_state.sync_now()  # what the timer does every few minutes
    qtbot.waitUntil(lambda: window.calendar_state.text().endswith("up to date · just now"), timeout=30_000)
    assert any("URGENT" in str(o.event.get("SUMMARY")) for o in read_calendar(radicale, url).values())


def test_wrong_password_and_plain_http_are_said_plainly(qtbot, window_for, db_path, in_hospital, radicale):
    window = window_for(db_path)
    dialog = _dialog(qtbot, window)
    _fill(dialog, radicale.url("alice/anna"), "not-the-password")
    dialog.test.click()
    qtbot.waitUntil(lambda: dialog.test.isEnabled() and dialog.message.text() != "Connecting…", timeout=30_000)
    assert "password" in dialog.message.text().lower()
    assert "not-the-password" not in dialog.message.text()
    _fill(dialog, "http://dav.example.org/alice/anna/", "x")
    dialog.publish.click()
    qtbot.waitUntil(lambda: "unencrypted" in dialog.message.text(), timeout=10_000)
    assert calendar_publishing.state(window.session.ctx, in_hospital) is None


def test_caregiver_window_shows_the_state_and_does_not_sync(qtbot, window_for, db_path, in_hospital, radicale, clock,
                                                            monkeypatch):
    url = radicale.url("alice/anna")
    ctx = open_context(db_path, clock=clock)
    try:
        calendar_publishing.publish(ctx, in_hospital, url, "alice", USERS["alice"])
        logbook.log(ctx, in_hospital, "temperature", datetime(2027, 3, 20, 9, 30), {"celsius": "38.6"})
    finally:
        ctx.close()
    monkeypatch.setenv("MSTRACKER_CALDAV_PASSWORD", USERS["alice"])
    window = window_for(db_path, "caregiver")
    qtbot.waitUntil(lambda: window.calendar_state.isVisible(), timeout=10_000)
    settle(qtbot, window)
    assert "waiting" in window.calendar_state.text()
    assert window.calendar_state.syncs_started == 0
    assert not window.calendar_state.timer.isActive()
    assert not any("URGENT" in str(o.event.get("SUMMARY")) for o in read_calendar(radicale, url).values())
    assert not window.share_action.isVisible()


def test_stop_sharing_asks_first(qtbot, window_for, db_path, in_hospital, radicale, monkeypatch, clock):
    url = radicale.url("alice/anna")
    _published(db_path, clock, in_hospital, url)
    window = window_for(db_path)
    dialog = _dialog(qtbot, window)
    assert dialog.stop.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.stop.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Sharing stopped"), timeout=30_000)
    assert calendar_publishing.state(window.session.ctx, in_hospital) is None
    assert read_calendar(radicale, url)  # the events stay without "remove"
    qtbot.waitUntil(lambda: not window.calendar_state.isVisible(), timeout=5_000)
