"""The caregiver's agenda, on a journey built through the CLI, seen at a fixed clock."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton

from mstracker.ui.agenda.rows import Section
from mstracker.ui.agenda.view import AgendaView
from mstracker.ui.core.session import Session

NOW = "2027-03-25T10:00"  # Day +17, five days after discharge on 20 March


def _journey(cli) -> None:
    assert cli("patient", "add", "--name", "Ana Silva", now=NOW).out.strip() == "1"
    cli("journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-02-20", now=NOW)
    for phase, on in (("cells_stored", "2027-03-01"), ("conditioning", "2027-03-02"),
                      ("transplant", "2027-03-08"), ("immune_rebuild", "2027-03-20")):
        assert cli("journey", "advance", "1", phase, "--on", on, now=NOW).code == 0
    items = cli("schedule", "1", "--from", "2027-03-21", "--to", "2027-03-21", "--json", now=NOW).json()
    evening = next(r for r in items if "evening 2 of 30" in r["title"])
    assert cli("reminder", "done", str(evening["id"]), now=NOW).code == 0
    assert cli("log", "1", "temperature", "--at", "2027-03-25T08:00", "celsius=38.6", now=NOW).code == 0


def _view(qtbot, ctx) -> AgendaView:
    session = Session(ctx)
    session.set_patient(1)
    view = AgendaView(session)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000), qtbot.waitSignal(view.month_loaded, timeout=10000):
        pass
    return view


def _sections(view: AgendaView) -> dict[Section, list[str]]:
    out: dict[Section, list[str]] = {}
    for row in view.rows:
        if row.reminder is not None:
            out.setdefault(row.section, []).append(row.reminder.title)
    return out


def test_agenda_groups_overdue_today_week_and_four_weeks(cli, open_ctx, qtbot):
    _journey(cli)
    view = _view(qtbot, open_ctx(NOW, role="caregiver"))
    headings = [r.section for r in view.rows if r.is_heading]
    assert headings == [Section.OVERDUE, Section.TODAY, Section.WEEK, Section.FOUR_WEEKS]
    sections = _sections(view)
    evening = "Temperature check at home (evening {} of 30)"
    # 20 March onwards: evenings 1, 3, 4, 5 not done yet; evening 2 was done and is not overdue.
    assert sections[Section.OVERDUE] == [evening.format(k) for k in (1, 3, 4, 5)]
    assert sections[Section.TODAY] == [evening.format(6)]
    week = sections[Section.WEEK]
    assert week[0] == evening.format(7) and evening.format(12) in week and evening.format(13) not in week
    assert "Full blood count, kidney and liver tests (week 1 after discharge)" in week
    later = sections[Section.FOUR_WEEKS]
    assert later[0] == evening.format(13)  # 1 April
    assert "Medical evaluation with EDSS (4 weeks after discharge)" in later
    # Nothing past the four weeks (28 April): the month-2 blood test on 8 May is not on the agenda.
    every = [t for titles in sections.values() for t in titles]
    assert not any("(month 2)" in t for t in every)
    assert all(r.reminder.effective_due.date() <= date(2027, 4, 28) for r in view.rows if r.reminder)
    # The heading row spans the table, and the alert (a fever at home) is on top.
    assert view.table.columnSpan(0, 0) == view.model.columnCount()
    assert view.model.index(0, 0).data() == "Not done yet, from earlier days (4)"
    assert view.alerts.has_urgent() and "38.6" in view.alerts.alerts()[0].message
    assert "overdue" not in [a.code for a in view.alerts.alerts()]  # the "Not done yet" section says it already
    assert view.title.text() == "Schedule — Ana Silva"


def test_calendar_marks_the_days_that_hold_something(cli, open_ctx, qtbot):
    _journey(cli)
    view = _view(qtbot, open_ctx(NOW))
    assert (view.calendar.yearShown(), view.calendar.monthShown()) == (2027, 3)
    marked = view.marked_days()
    # The calendar's page runs a week either side of March: every evening from discharge to 14 April.
    assert marked == [date(2027, 3, 20) + timedelta(days=n) for n in range(26)]
    from PySide6.QtCore import QDate

    assert view.calendar.dateTextFormat(QDate(2027, 3, 27)).fontWeight() == QFont.Weight.Bold
    assert view.calendar.dateTextFormat(QDate(2027, 3, 19)).fontWeight() != QFont.Weight.Bold

    view.calendar.setSelectedDate(QDate(2027, 3, 27))
    titles = [view.day_model.row_at(i).text for i in range(view.day_model.rowCount())]
    assert titles == ["CMV and EBV PCR blood test (week 1 after discharge)",  # by time, kind, title
                      "Full blood count, kidney and liver tests (week 1 after discharge)",
                      "Temperature check at home (evening 8 of 30)"]

    with qtbot.waitSignal(view.month_loaded, timeout=10000):
        view.calendar.setCurrentPage(2027, 5)
    assert date(2027, 5, 8) in view.marked_days()  # the month-2 blood test
    assert date(2027, 3, 27) not in view.marked_days()  # March's marks were cleared


def test_print_html_holds_the_agenda(cli, open_ctx, qtbot):
    _journey(cli)
    view = _view(qtbot, open_ctx(NOW, role="caregiver"))
    text = view.document().toPlainText()
    assert "Schedule for Ana Silva" in text
    assert "Not done yet, from earlier days (4)" in text
    assert "Temperature check at home (evening 6 of 30)" in text
    assert "Full blood count, kidney and liver tests (week 1 after discharge)" in text
    assert "38.6" in text  # the alert is printed too
    assert text.index("Not done yet") < text.index("Today") < text.index("This week") < text.index("Next four weeks")


def test_caregiver_sees_no_write_action(cli, open_ctx, qtbot):
    _journey(cli)
    view = _view(qtbot, open_ctx(NOW, role="caregiver"))
    buttons = [b for b in view.findChildren(QPushButton) if not view.alerts.isAncestorOf(b)]
    assert [b.text() for b in buttons] == ["Pr&int…"]  # besides the alert bar's "show more"
    assert [a.text() for a in view.actions()] == ["Print schedule…"]


def test_without_a_patient_the_agenda_asks_for_one(cli, open_ctx, qtbot):
    _journey(cli)
    view = AgendaView(Session(open_ctx(NOW)))
    qtbot.addWidget(view)
    assert view.model.rowCount() == 0
    assert "Choose a patient" in view.title.text()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.session.set_patient(1)  # the view follows the session's patient itself
    assert view.model.rowCount() > 0


def test_print_preview_paints_the_agenda_without_blocking(cli, open_ctx, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    _journey(cli)
    view = _view(qtbot, open_ctx(NOW, role="caregiver"))
    view.print_preview()  # open(), not exec(): the test goes on
    dialog = view.findChild(QPrintPreviewDialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 1, timeout=5000)
    qtbot.wait(200)  # pages are drawn from the printer later: it must outlive print_preview()
    dialog.close()


def test_overdue_follows_the_24_hour_rule_of_the_alerts(cli, open_ctx, qtbot):
    from mstracker.ui.agenda.rows import status_text

    _journey(cli)
    view = _view(qtbot, open_ctx(NOW))
    overdue = [r.reminder for r in view.rows if r.section is Section.OVERDUE and r.reminder]
    # Evening 5 (yesterday 20:00) is 14 h past due at 10:00: not overdue yet, as in the dashboard's count.
    assert [status_text(r, view.data.now) for r in overdue] == ["overdue", "overdue", "overdue", "not done yet"]
