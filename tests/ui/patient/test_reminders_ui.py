"""A reminder becoming due by the (fake) clock while the app runs: announced, snoozed, announced again, done."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from mstracker.services import patients, reminders

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
    assert window.page.banner.text.text().startswith(f"Due now: {first.title} — today 09:00")

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
    clock.set(datetime(2027, 5, 9, 9, 30))  # the month-2 blood test was yesterday 09:00: overdue (24 h past)
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
    assert texts == ["For 1 hour", "To the next morning, 09:00", "For 1 week"]


def test_a_future_reminder_snoozed_for_a_week_moves_later_and_says_when(qtbot, window_for, db_path, in_hospital,
                                                                          clock):
    window = window_for(db_path)
    panel, model = window.page.reminders, window.page.reminders.model
    future = next(model.reminder(r) for r in range(model.rowCount()) if model.reminder(r).due > datetime(2027, 4, 1))
    assert panel.select_id(future.id)
    said = []
    window.session.bus.said.connect(lambda text, *_: said.append(text))
    week = next(a for a in panel.snooze_menu.actions() if a.data() == "week")
    with qtbot.waitSignal(window.session.bus.changed, timeout=10_000):
        week.trigger()
    settle(qtbot, window)
    moved = next(r for r in reminders.schedule(window.ctx, in_hospital) if r.id == future.id)
    new_time = future.due + timedelta(days=7)
    assert (moved.status, moved.effective_due) == ("snoozed", new_time)
    words = new_time.strftime("%a %d %b %Y, %H:%M")
    assert any(f"snoozed until {words}" in text for text in said), said
    assert words in window.undo_action.text()  # Undo names the new date too
    # Not due sooner: the list shows it at its new, later time, after everything due before it.
    qtbot.waitUntil(lambda: any(model.reminder(r).status == "snoozed" for r in range(model.rowCount())),
                    timeout=10_000)
    dues = [model.reminder(r).effective_due for r in range(model.rowCount())]
    assert dues == sorted(dues) and new_time in dues


def test_overdue_is_one_rule_in_the_list_the_banner_and_the_alerts(qtbot, window_for, db_path, in_hospital, clock):
    clock.set(datetime(2027, 5, 9, 8, 0))  # the month-2 blood test was yesterday 09:00: due, not yet 24 h
    window = window_for(db_path)
    model = window.page.reminders.model
    assert model.index(0, 0).data() == "Due now: yesterday 09:00"
    window.watch.check()
    qtbot.waitUntil(window.page.banner.isVisible, timeout=10_000)
    assert window.page.banner.text.text().startswith("Due now: ")
    assert not any(a.code == "overdue" for a in window.page.status.alerts)
    assert [p.overdue for p in patients.list_patients(window.ctx)] == [0]  # the dashboard's count

    clock.set(datetime(2027, 5, 9, 9, 0))  # 24 h past: overdue everywhere at once
    with qtbot.waitSignal(window.page.loaded, timeout=10_000):
        window.session.refresh()
    settle(qtbot, window)
    assert model.index(0, 0).data() == "Overdue: yesterday 09:00"
    window.watch.check()
    qtbot.waitUntil(lambda: window.page.banner.text.text().startswith("Overdue: "), timeout=10_000)
    assert any(a.code == "overdue" for a in window.page.status.alerts)
    assert [p.overdue for p in patients.list_patients(window.ctx)] == [1]
