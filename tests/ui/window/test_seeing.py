"""Seeing it on a bad day: warnings once per window and compact, titles whole, text that grows."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from PySide6.QtGui import QFontMetrics

from mstracker.services import logbook
from mstracker.services.context import open_context
from mstracker.ui.core.alert_bar import AlertRow


@pytest.fixture
def four_warnings(db_path, in_hospital, clock):
    """Anna in hospital on a bad day: neutrophils and platelets low, mouth sores."""
    ctx = open_context(db_path, clock=clock)
    try:
        logbook.log(ctx, in_hospital, "lab", datetime(2027, 3, 20, 6, 30), {"anc": "0.2", "platelets": "15"})
        logbook.log(ctx, in_hospital, "side_effect", datetime(2027, 3, 19, 9, 0),
                    {"name": "mucositis", "grade": "3"})
    finally:
        ctx.close()
    return in_hospital


def _visible_alerts(window) -> Counter:
    return Counter(row.alert.code for row in window.findChildren(AlertRow) if row.isVisible())


def test_the_caregiver_sees_each_warning_once(qtbot, window_for, db_path, four_warnings):
    window = window_for(db_path, role="caregiver")
    assert window.current_page() == "agenda"
    qtbot.waitUntil(lambda: window.agenda.alerts.isVisible(), timeout=10_000)
    seen = _visible_alerts(window)
    assert seen and set(seen.values()) == {1}, seen
    # The patient's page (View ▸ the journey) shows them once too, in the window's own bar.
    window.show_page("patient")
    seen = _visible_alerts(window)
    assert seen and set(seen.values()) == {1} and window.alert_area.isVisible()


def test_a_patient_in_hospital_keeps_the_warnings_compact(qtbot, window_for, db_path, four_warnings):
    window = window_for(db_path)
    rows = [r for r in window.header.alert_bar.rows() if r.isVisible()]
    assert len(rows) >= 2
    assert not rows[0].compact and all(r.compact for r in rows[1:])
    line = rows[1].fontMetrics().height()
    assert window.alert_area.height() <= rows[0].height() + len(rows[1:]) * (line + 16) + line * 2 + 20


# ---- titles whole and said once ------------------------------------------------------------------------------
def test_the_caregiver_title_names_the_app_once(window_for, db_path, in_hospital):
    from mstracker.ui.core.screen_fit import full_title

    window = window_for(db_path, role="caregiver")
    assert window.windowTitle() == "Anna Berg (read-only) — mstracker"
    assert full_title(window) == window.windowTitle()  # Qt adds nothing: it already ends with the app's name
    assert full_title(window).count("mstracker") == 1


def test_dialog_titles_fit_their_title_bar(qtbot, window_for, db_path, in_hospital):
    from mstracker.domain.entries import LogKind
    from mstracker.ui.core.screen_fit import full_title, title_width
    from mstracker.ui.dialogs.log_entry import LogDialog
    from mstracker.ui.dialogs.role import RoleDialog

    window = window_for(db_path)
    entry = window.session.ctx  # the newest temperature, to correct
    from mstracker.services import logbook

    temperature = next(e for e in logbook.history_page(entry, in_hospital, limit=10) if e.kind == LogKind.TEMPERATURE)
    dialogs = [LogDialog(window.session, in_hospital, LogKind.TEMPERATURE, entry=temperature, parent=window),
               RoleDialog(parent=window)]
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert full_title(dialog) in ("Correct: Temperature — mstracker", "Who is using mstracker? — mstracker")
        assert dialog.width() >= title_width(dialog)
        dialog.close()


# ---- every window fits the screen -------------------------------------------------------------------------------
def _inside(window) -> bool:
    from mstracker.ui.core.screen_fit import available

    return available(window).contains(window.frameGeometry())


def test_the_print_preview_fits_a_small_screen(qtbot, window_for, db_path, in_hospital, tmp_path):
    """The offscreen screen is 800 px tall: the preview asked for 900 and put its buttons below it."""
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

    from mstracker.ui.dialogs.pdf_preview import PdfPreview

    window = window_for(db_path)
    path = tmp_path / "t.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(100, 100, "Timeline")
    painter.end()
    preview = PdfPreview(path.read_bytes(), "Timeline — Anna Berg", window)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    assert _inside(preview)
    close = next(b for b in preview.findChildren(type(window.phase_button)) if b.text() == "&Close")
    assert close.isVisible() and preview.rect().contains(close.geometry().translated(close.parentWidget().pos()))


def test_the_main_window_fits_with_text_twice_as_large(qtbot, window_for, db_path, in_hospital):
    """What QT_SCALE_FACTOR=2 does to an 800 px screen, in logical pixels: the window's content no longer fits,
    so it scrolls inside a window that does."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from mstracker.ui.core.screen_fit import available

    app = QApplication.instance()
    before = QFont(app.font())
    try:
        big = QFont(before)
        big.setPointSizeF((before.pointSizeF() if before.pointSizeF() > 0 else 10) * 3)
        app.setFont(big)
        window = window_for(db_path)
        window.resize(available(window).size() * 2)  # e.g. restored from a larger screen
        window.hide()
        window.setProperty("mstrackerFitted", False)
        window.show()
        qtbot.waitExposed(window)
        assert _inside(window)
        assert window.minimumSizeHint().height() <= available(window).height()
        scroll = window.scroll
        assert scroll.widget().minimumSizeHint().height() > scroll.viewport().height()  # it does need to scroll
        qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
        scroll.ensureWidgetVisible(window.page.reminders)
        assert scroll.verticalScrollBar().value() > 0  # the reminders can be reached
    finally:
        app.setFont(before)


# ---- larger text ---------------------------------------------------------------------------------------------
def test_larger_text_grows_the_header_and_keeps_the_phase_colour(qtbot, window_for, db_path, in_hospital):
    from PySide6.QtWidgets import QApplication

    from mstracker.ui.core.style import LARGE_FACTOR, apply_text_mode

    window = window_for(db_path)
    apply_text_mode(QApplication.instance(), False)  # as `gui` starts: the app's stylesheet on
    header = window.header
    before = {name: getattr(header, name).font().pointSizeF() for name in ("name", "where", "next")}
    header.where.ensurePolished()
    assert header.where.palette().windowText().color().name() == "#1f4e52"
    try:
        window.large_action.setChecked(True)
        window.toggle_large_text()
        after = {name: getattr(header, name).font().pointSizeF() for name in ("name", "where", "next")}
        for name in before:
            assert after[name] == pytest.approx(before[name] * LARGE_FACTOR, rel=0.02), name
        header.where.ensurePolished()
        assert header.where.palette().windowText().color().name() == "#1f4e52"  # not black: still the phase colour
        # The body text grows too, and the "Next:" line stays at least as large as it.
        assert after["next"] >= window.page.history.font().pointSizeF()
    finally:
        window.large_action.setChecked(False)
        window.toggle_large_text()


def test_the_dashboard_cuts_no_phase_or_day_in_larger_text(qtbot, window_for, db_path, in_hospital, clock):
    """"conditioning (chemotherapy)" and "Day −20 (planned)" whole, at the larger-text mode's size."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from mstracker.domain.phases import Phase
    from mstracker.services import journeys, patients
    from mstracker.ui.core.style import LARGE_FACTOR
    from mstracker.ui.dashboard.model import DAY, NAME, PHASE

    ctx = open_context(db_path, clock=clock)
    try:
        theo = patients.add_patient(ctx, "Theodora Conditioning-Smith")
        journeys.start_journey(ctx, theo, "beam-atg", datetime(2027, 1, 5).date())
        journeys.advance(ctx, theo, Phase.CELLS_STORED, datetime(2027, 2, 1).date())
        journeys.advance(ctx, theo, Phase.CONDITIONING, datetime(2027, 3, 17).date())
        journeys.plan(ctx, theo, Phase.TRANSPLANT, datetime(2027, 3, 23).date())
    finally:
        ctx.close()
    app = QApplication.instance()
    before = QFont(app.font())
    try:
        big = QFont(before)
        big.setPointSizeF((before.pointSizeF() if before.pointSizeF() > 0 else 10) * LARGE_FACTOR)
        app.setFont(big)
        window = window_for(db_path, role="coordinator")
        table = window.dashboard.table
        qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=10_000)
        metrics = table.fontMetrics()
        for row in range(table.model().rowCount()):
            for column in (NAME, PHASE, DAY):
                index = table.model().index(row, column)
                text = index.data(Qt.ItemDataRole.DisplayRole) or ""
                font = index.data(Qt.ItemDataRole.FontRole)
                width = (QFontMetrics(font) if font else metrics).horizontalAdvance(text)
                assert width + 8 <= table.columnWidth(column), (text, width, table.columnWidth(column))
    finally:
        app.setFont(before)


def test_the_dashboards_alerts_are_in_view_without_scrolling(qtbot, window_for, db_path, in_hospital):
    """On a 1280-pixel-wide window the alerts and the missed doses were behind a horizontal scroll bar; "Next
    due" now gives way first (its whole text is in its tooltip)."""
    from mstracker.ui.dashboard.model import ALERTS, MISSED, NEXT

    window = window_for(db_path, role="coordinator")
    window.resize(1216, 760)
    table = window.dashboard.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: table.horizontalHeader().length() <= table.viewport().width() + 1)
    assert not table.horizontalScrollBar().isVisible() or table.horizontalScrollBar().maximum() == 0
    for column in (MISSED, ALERTS):
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= table.viewport().width() + 1
    assert table.columnWidth(NEXT) > 0
