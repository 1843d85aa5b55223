"""A reminder becoming due by the (fake) clock while the app runs: announced, snoozed, announced again, done."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from mstracker.services import reminders

from ..conftest import settle


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_due_reminder_is_announced_snoozed_and_completed(qtbot, window_for, db_path, in_hospital, clock):
    window = window_for(db_path)
    assert window.tray is None  # offscreen: no system tray, the banner does the reminding
    assert not window.page.banner.isVisible()
    first = reminders.schedule(window.ctx, in_hospital)[0]
    assert first.due == datetime(2027, 5, 8, 9, 0)

    window.watch.timer.setInterval(20)  # the real timer, ticking fast; the clock is the context's
    with qtbot.waitSignal(window.watch.newly_due, timeout=10_000) as due:
        clock.set(datetime(2027, 5, 8, 9, 5))
    assert [r.id for r in due.args[0]] == [first.id]
    qtbot.waitUntil(window.page.banner.isVisible, timeout=10_000)
    assert window.page.banner.text.text().startswith(f"Due now: {first.title} (09:00)")

    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _click(qtbot, window.page.banner.snooze)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not window.page.banner.isVisible(), timeout=10_000)
    snoozed = reminders.schedule(window.ctx, in_hospital)[0]
    assert (snoozed.status, snoozed.snoozed_until) == ("snoozed", datetime(2027, 5, 8, 10, 5))

    with qtbot.waitSignal(window.watch.newly_due, timeout=10_000):
        clock.set(datetime(2027, 5, 8, 10, 6))  # its new time has come: announced again
    qtbot.waitUntil(window.page.banner.isVisible, timeout=10_000)

    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _click(qtbot, window.page.banner.done)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not window.page.banner.isVisible(), timeout=10_000)
    done = reminders.schedule(window.ctx, in_hospital)[0]
    assert (done.status, done.done_at) == ("done", datetime(2027, 5, 8, 10, 6))
    assert all(window.page.reminders.model.reminder(r).id != first.id for r in range(window.page.reminders.model.rowCount()))


def test_reminders_panel_done_skip_and_undo(qtbot, window_for, db_path, in_hospital, clock):
    clock.set(datetime(2027, 5, 9, 8, 0))  # the month-2 blood test was yesterday: overdue
    window = window_for(db_path)
    model = window.page.reminders.model
    assert model.group(0) == "overdue"
    assert model.index(0, 0).data() == "Overdue: yesterday 09:00"
    first = model.reminder(0)
    window.page.reminders.table.selectRow(0)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        _click(qtbot, window.page.reminders.skip)
    qtbot.waitUntil(lambda: model.rowCount() and model.reminder(0).id != first.id, timeout=10_000)
    assert reminders.schedule(window.ctx, in_hospital)[0].status == "skipped"
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.reminder(0).id == first.id, timeout=10_000)
    assert reminders.schedule(window.ctx, in_hospital)[0].status == "pending"
    window.page.reminders.table.selectRow(0)
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        window.done_action.trigger()
    assert reminders.schedule(window.ctx, in_hospital)[0].status == "done"


def test_snooze_menu_offers_calm_choices(window_for, db_path, in_hospital, clock):
    window = window_for(db_path)
    texts = [a.text() for a in window.page.reminders.snooze_menu.actions()]
    assert texts == ["For 1 hour", "Until tomorrow 09:00", "For 1 week"]
    assert window.page.reminders.snooze_until("tomorrow") == datetime(2027, 3, 21, 9, 0)
