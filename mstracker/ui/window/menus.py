"""Every entry of the main window's menus, declared once as data: text, shortcut, tip, who sees it, and whether it
writes. The window builds its menus, their shortcuts and their visibility from this table (`MainWindow._build_menus`).

Read before the first paint: NamedTuples, no dataclasses; the slots are looked up on the window when triggered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtGui import QKeySequence

from ..patient.tab_order import CHARTS, ELIGIBILITY, HISTORY, OUTCOMES

Key = QKeySequence.StandardKey


class Entry(NamedTuple):
    name: str  # the window's attribute for the action ("" for none)
    text: str
    slot: Callable  # called with the window
    tip: str
    shortcut: str | QKeySequence.StandardKey | None = None  # a platform's standard key: every binding it has
    writes: bool = False  # hidden from read-only roles
    needs: str | None = None  # a Role property the role must have ("sees_dashboard", "edits_protocols")
    server_backs_up: bool = False  # a clinic server backs itself up: disabled there
    server_only: bool = False  # only on a clinic server (who may connect is the server's business)


SEPARATOR = None


def _page(name: str) -> Callable:
    return lambda w: w.show_page(name)


MENUS: dict[str, list[Entry | None]] = {
    "&File": [
        Entry("switch_action", "&Open patient…", lambda w: w.choose_patient(),
              "Open another patient in this database", Key.Open),
        Entry("role_action", "S&witch role…", lambda w: w.switch_role(),
              "Open mstracker again as the patient, a caregiver or a coordinator"),
        SEPARATOR,
        Entry("export_action", "&Export…", lambda w: w.export_current(),
              "Save this patient's timeline as PDF, calendar, CSV, FHIR or JSON", "Ctrl+E"),
        Entry("export_all_action", "Export &all patients…", lambda w: w.export_all(),
              "One file per patient into a folder", "Ctrl+Shift+X", needs="sees_dashboard"),
        Entry("print_action", "&Print preview…", lambda w: w.print_preview(),
              "The printable timeline, or the schedule on the Schedule view", Key.Print),
        Entry("share_action", "S&hare with a caregiver…", lambda w: w.share_calendar(),
              "Publish the schedule to a calendar on the caregiver's phone (CalDAV)", writes=True),
        SEPARATOR,
        Entry("backup_action", "&Back up now…", lambda w: w.backup_now(),
              "Save a copy of all the data to a file you choose", "Ctrl+Shift+B", server_backs_up=True),
        Entry("clinic_action", "Clinic &access…", lambda w: w.clinic_access(),
              "Who may connect to this clinic server, in which role, seeing which patients",
              needs="edits_protocols", server_only=True),
        SEPARATOR,
        Entry("restore_action", "&Restore from backup…", lambda w: w.restore_backup(),
              "Put back an earlier backup; the current file is kept", writes=True, server_backs_up=True),
        SEPARATOR,
        Entry("quit_action", "&Quit", lambda w: w.quit(), "Close mstracker", Key.Quit),
    ],
    "&Edit": [
        Entry("undo_action", "&Undo", lambda w: w.session.undo_last(w),
              "Take back the last entry, correction, deletion or reminder action", Key.Undo, writes=True),
        SEPARATOR,
        Entry("correct_action", "&Correct entry…", lambda w: w.correct_entry(), "Correct the selected entry",
              writes=True),
        Entry("delete_action", "&Delete entry…", lambda w: w.delete_entry(),
              "Mark the selected entry entered in error", Key.Delete, writes=True),
        SEPARATOR,
        Entry("find_action", "&Find", lambda w: w.find(), "Search the history", Key.Find),
        SEPARATOR,
        Entry("prefs_action", "&Preferences…", lambda w: w.preferences(), "Larger text and high contrast",
              Key.Preferences),
    ],
    "&Log": [],  # one entry per kind of log, made with the opened database (`MainWindow._fill_log_menu`)
    "&Journey": [
        Entry("phase_action", "&Change phase or plan a date…", lambda w: w.change_phase(),
              "Record that a new phase began, or plan a date", "Ctrl+Shift+P", writes=True),
        Entry("wizard_action", "&Set up a journey…", lambda w: w.open_wizard(),
              "The first-run guide: patient, protocol and dates", writes=True),
        SEPARATOR,
        Entry("protocols_action", "P&rotocols…", lambda w: w.open_protocols(),
              "The centres' treatment protocols: look, import, copy and edit", "Ctrl+Shift+R",
              needs="edits_protocols"),
    ],
    "Medicines": [  # no Alt letter left free on every page; Ctrl+Shift+M and Ctrl+Shift+K reach it
        Entry("take_dose_action", "Record the next dose &taken", lambda w: w.take_next_dose(),
              "Record today's next open dose as taken now", "Ctrl+Shift+K", writes=True),
        Entry("skip_dose_action", "&Skip the next dose…", lambda w: w.skip_next_dose(),
              "Record today's next open dose as not taken, with a reason", writes=True),
        SEPARATOR,
        Entry("medicines_action", "&Medicines view", _page("medicines"),
              "Every medicine course: add, stop, change a dose", "Ctrl+Shift+M"),
    ],
    "&Reminders": [
        Entry("done_action", "Mark &done", lambda w: w.page.reminders.done.click(),
              "Mark the selected reminder done", "Ctrl+D", writes=True),
        Entry("snooze_action", "&Snooze for 1 hour", lambda w: w.page.reminders.snooze_selected("hour"),
              "Remind me again in an hour", writes=True),
        Entry("skip_action", "S&kip", lambda w: w.page.reminders.skip.click(),
              "Mark the selected reminder not needed", writes=True),
        SEPARATOR,
        Entry("", "Check &now", lambda w: w.watch.check(), "Look for due reminders now"),
    ],
    "&View": [
        Entry("journey_view_action", "&Journey view", _page("patient"),
              "Where the patient is, the timeline, history and reminders", "Ctrl+J"),
        Entry("agenda_action", "&Schedule (agenda)", _page("agenda"),
              "Today, this week, the next four weeks and a month calendar", "Ctrl+Shift+A"),
        Entry("dashboard_action", "Go to &dashboard", _page("dashboard"), "Every patient at once", "Ctrl+Shift+D",
              needs="sees_dashboard"),
        SEPARATOR,
        Entry("history_tab_action", "&History", lambda w: w.show_insight(HISTORY), "Show the history tab", "Ctrl+1"),
        Entry("charts_tab_action", "&Charts", lambda w: w.show_insight(CHARTS), "Show the charts tab", "Ctrl+2"),
        Entry("outcomes_tab_action", "&Outcomes", lambda w: w.show_insight(OUTCOMES), "Show the outcomes tab",
              "Ctrl+3"),
        Entry("eligibility_tab_action", "&Eligibility checklist", lambda w: w.show_insight(ELIGIBILITY),
              "Show the eligibility checklist tab", "Ctrl+4"),
        Entry("audit_action", "&Audit trail…", lambda w: w.show_audit(),
              "Who recorded what and when; exportable to CSV", "Ctrl+Shift+U"),
        SEPARATOR,
        Entry("large_action", "&Larger text and high contrast", lambda w: w.toggle_large_text(),
              "Bigger letters and stronger colours"),
        SEPARATOR,
        Entry("", "Zoom timeline &in", lambda w: w.page.timeline.zoom_in(), "Show fewer days, in more detail",
              Key.ZoomIn),
        Entry("", "Zoom timeline ou&t", lambda w: w.page.timeline.zoom_out(), "Show more days", Key.ZoomOut),
        Entry("", "&Refresh", lambda w: w.session.refresh(), "Read everything again", Key.Refresh),
    ],
    "&Help": [
        Entry("about_action", "&About mstracker", lambda w: w.about(), "Version and medical disclaimer"),
    ],
}
