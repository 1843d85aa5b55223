"""The main window: where am I, the timeline, the history and the reminders, with a menu for every action."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDoubleSpinBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from ...services.roles import Role
from ..core.paths import icon_path
from ..core.settings import UiSettings
from ..core.style import apply_text_mode
from ..patient.tab_order import CHARTS, ELIGIBILITY, HISTORY, OUTCOMES
from .header import Header

if TYPE_CHECKING:  # the services import the storage engine: the window paints first, then opens the data
    from ...domain.entries import LogKind
    from ...services.patients import PatientSummary
    from ..core.runner import Changes
    from ..core.session import Session
    from .due_watch import DueWatch

# The `Qt` namespace is imported where it is used: PySide6 builds its ~100 enums on first use (~20 ms), which
# the first paint does without. The patient's page and its modules come with the opened database.

PATIENT_PAGE, AGENDA_PAGE, DASHBOARD_PAGE = "patient", "agenda", "dashboard"
HOME_PAGES = {Role.PATIENT: PATIENT_PAGE, Role.CAREGIVER: AGENDA_PAGE, Role.COORDINATOR: DASHBOARD_PAGE}


class MainWindow(QMainWindow):
    loaded = Signal()  # the first full load (status, history, reminders) has arrived
    page_changed = Signal(str)
    role_switch_requested = Signal(str)  # the app opens the same database again in that role

    def __init__(self, session: Session | None, settings: UiSettings, db_key: str, *, role: str = "patient",
                 readonly: bool = False, server: bool = False) -> None:
        """Without a session (the app's start): the window as `role` will see it, painted at once; `attach`
        gives it the opened database. `server`: a clinic server, which backs itself up."""
        super().__init__()
        self.session, self.settings, self.db_key = session, settings, db_key
        self.ctx = session.ctx if session is not None else None
        self.role = Role(session.ctx.role if session is not None else role)
        self.readonly = session.readonly if session is not None else readonly
        self.server = session.ctx.db.target.path is None if session is not None else server
        self.summary: PatientSummary | None = None
        self.status = None
        self._generation = {"status": 0, "history": 0, "schedule": 0}
        self._loaded_once = False
        self.load_errors: list[str] = []
        self.instance_lock = None  # this process's hold on the database file (app.py sets it)
        self.agenda = None  # the caregiver's schedule and the coordinators' dashboard: built when first shown
        self.dashboard = None
        self.patient_count = 0
        self.setObjectName("mainWindow")
        self.setWindowTitle("mstracker")
        self.setWindowIcon(QIcon(str(icon_path())))
        self.body_built = False
        self._build_frame()
        self._build_menus()
        self.tray = self._build_tray()
        self.watch: DueWatch | None = None
        self._restore_geometry()
        if session is not None:
            self.attach(session)

    def attach(self, session: Session) -> None:
        """The database is open: the window works on it from now on."""
        from .due_watch import DueWatch

        self.session, self.ctx = session, session.ctx
        self._build_body()
        self._fill_log_menu()
        self.header.allow_selection()
        self.insight.ctx = session.ctx
        self.watch = DueWatch(self.ctx, lambda: self.session.patient_id, self)
        self.watch.due.connect(self.banner.set_due)
        self.watch.newly_due.connect(self._announce)
        session.bus.changed.connect(self.refresh)
        session.bus.busy.connect(self._busy)
        session.undo.changed.connect(self._update_undo)
        self._update_undo()

    def show_glance(self, glance) -> None:
        """Before the database is open (`services.first_look`): who, and that the rest is on its way."""
        if glance is None:
            self.header.show_empty("Opening your data…")
            return
        self.header.show_glance(glance.name, glance.phase, "Opening your data…")
        self.setWindowTitle(f"{glance.name} — mstracker" + (" (read-only)" if self.readonly else ""))

    # ---- building ---------------------------------------------------------------------------------------
    def _build_frame(self) -> None:
        """What the first paint shows: the header, the quick log and the page area. The patient's page (timeline,
        history, reminders) is built with the opened database, so that the window paints before those modules
        are even imported."""
        self.header = Header()
        self.header.urgent_raised.connect(self._announce_urgent)
        self.quick = self._build_quick_log()
        self.phase_button = QPushButton("Change &phase…")
        self.phase_button.setObjectName("phaseButton")
        self.phase_button.setAccessibleName("Change phase")
        self.phase_button.setAccessibleDescription("Record that a new phase began, or plan a date")
        self.phase_button.clicked.connect(self.change_phase)
        self.phase_button.setVisible(not self.readonly)
        self.phase_button.setEnabled(False)  # until a patient is shown (`_enable_for_phase`)
        self.setup_button = QPushButton("Set up your &journey…")
        self.setup_button.setObjectName("setupButton")
        self.setup_button.setAccessibleName("Set up your journey")
        self.setup_button.setAccessibleDescription("Add the patient, the centre's protocol and the dates known so far")
        self.setup_button.clicked.connect(self.open_wizard)
        self.setup_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        side = QVBoxLayout()
        side.addWidget(self.quick)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.setup_button)
        row.addWidget(self.phase_button)
        side.addLayout(row)
        side.addStretch(1)
        top.addLayout(side)

        frame = QWidget()
        frame_layout = QVBoxLayout(frame)
        frame_layout.addLayout(top)
        # The alerts across the whole width (not beside the quick log): fewer lines each, less height taken.
        alerts = QVBoxLayout()
        alerts.setContentsMargins(0, 0, 0, 0)
        frame_layout.addLayout(alerts)
        self.header.alert_layout = alerts
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        frame_layout.addWidget(self.pages, 1)
        self.patient_page = QWidget()  # an empty page until `_build_body`
        self.pages.addWidget(self.patient_page)
        self._page_widgets: dict[str, QWidget] = {PATIENT_PAGE: self.patient_page}
        self.setCentralWidget(frame)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setAccessibleName("Working")
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(300)
        self._busy_timer.timeout.connect(lambda: self.progress.setVisible(self.session.bus.running > 0))

    def _build_body(self) -> None:
        """The patient's page: banner, timeline, history with the other insight tabs, and the reminders."""
        if self.body_built:
            return
        from PySide6.QtCore import Qt

        from ..patient.banner import DueBanner
        from ..patient.history_view import HistoryView
        from ..patient.insight import InsightTabs
        from ..patient.reminders_panel import RemindersPanel
        from ..patient.timeline import Timeline

        self.body_built = True
        self.banner = DueBanner(self.readonly)
        self.banner.done_requested.connect(self.reminder_done)
        self.banner.snooze_requested.connect(
            lambda r: self.reminder_snooze(r, self.reminders.snooze_until("hour")))
        self.banner.show_requested.connect(lambda r: self.reminders.select_id(r.id))
        self.notice = QLabel("")
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Notice")
        self.notice.hide()

        self.timeline = Timeline()
        zoom = QHBoxLayout()
        title = QLabel("Your journey")
        title.setObjectName("sectionTitle")
        zoom.addWidget(title)
        zoom.addStretch(1)
        self.zoom_buttons: dict[int, QPushButton] = {}
        for days, text, tip in ((42, "&Weeks", "the hospital stay"), (182, "M&onths", "half a year"),
                                (1826, "&Years", "the follow-up years")):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAccessibleName(f"Show {text.replace('&', '').lower()}")
            button.setAccessibleDescription(f"Zoom the timeline to {tip}")
            button.clicked.connect(lambda _=False, d=days: self.timeline.set_span(d))
            zoom.addWidget(button)
            self.zoom_buttons[days] = button
        today = QPushButton("To&day")
        today.setAccessibleName("Show today on the timeline")
        today.clicked.connect(self.timeline.show_today)
        zoom.addWidget(today)
        self.timeline.span_changed.connect(self._span_changed)
        self._span_changed(self.timeline.span)

        self.history = HistoryView()
        self.history.selection_changed.connect(self._update_entry_actions)
        self.reminders = RemindersPanel(self.readonly, lambda: self.ctx.now().replace(tzinfo=None))
        self.reminders.done_requested.connect(self.reminder_done)
        self.reminders.snooze_requested.connect(self.reminder_snooze)
        self.reminders.skip_requested.connect(self.reminder_skip)
        entry_buttons = QHBoxLayout()
        self.correct_button = QPushButton("&Correct…")
        self.correct_button.setAccessibleName("Correct the selected entry")
        self.correct_button.clicked.connect(self.correct_entry)
        self.delete_button = QPushButton("De&lete…")
        self.delete_button.setAccessibleName("Delete the selected entry")
        self.delete_button.setAccessibleDescription("Marks it entered in error; it stays in the audit trail")
        self.delete_button.clicked.connect(self.delete_entry)
        for button in (self.correct_button, self.delete_button):
            button.setVisible(not self.readonly)
            entry_buttons.addWidget(button)
        entry_buttons.addStretch(1)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.history, 1)
        history_layout.addLayout(entry_buttons)
        self.insight = InsightTabs(self.ctx, history_box, lambda: self.session.patient_id)
        self.history.title.hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.insight)
        self.splitter.addWidget(self.reminders)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self.patient_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addLayout(zoom)
        layout.addWidget(self.timeline)
        layout.addWidget(self.splitter, 1)
        self._restore_body_state()
        self._update_entry_actions()

    def _build_quick_log(self) -> QWidget:
        """The most frequent entry of the first month, in one step: type the temperature, press Enter."""
        box = QWidget()
        box.setObjectName("quickLog")
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.quick_temp = QDoubleSpinBox()
        self.quick_temp.setObjectName("quickTemperature")
        self.quick_temp.setRange(34.0, 43.0)
        self.quick_temp.setDecimals(1)
        self.quick_temp.setSingleStep(0.1)
        self.quick_temp.setValue(37.0)
        self.quick_temp.setSuffix(" °C")
        self.quick_temp.setAccessibleName("Temperature now")
        self.quick_temp.setAccessibleDescription("Type your temperature and press Enter to log it for now")
        self.quick_temp.setMinimumWidth(self.quick_temp.fontMetrics().horizontalAdvance("00.0 °C") + 48)
        label = QLabel("&Temperature now:")
        label.setBuddy(self.quick_temp)
        self.quick_button = QPushButton("Log it")
        self.quick_button.setObjectName("quickLogButton")
        self.quick_button.setAccessibleName("Log the temperature now")
        self.quick_button.clicked.connect(self.log_quick_temperature)
        self.quick_temp.lineEdit().returnPressed.connect(self.log_quick_temperature)
        self.log_button = QPushButton("&Log…")
        self.log_button.setObjectName("logButton")
        self.log_button.setAccessibleName("Log something")
        self.log_button.setAccessibleDescription("Choose what to log: lab result, symptom, side effect and more")
        layout.addWidget(label)
        layout.addWidget(self.quick_temp)
        layout.addWidget(self.quick_button)
        layout.addWidget(self.log_button)
        box.setVisible(not self.readonly)
        box.setEnabled(False)  # nothing to log into before the data is open and a journey has begun
        return box

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.switch_action = self._action(file_menu, "&Open patient…", self.choose_patient,
                                          "Open another patient in this database", QKeySequence.StandardKey.Open)
        self.role_action = self._action(file_menu, "S&witch role…", self.switch_role,
                                        "Open mstracker again as the patient, a caregiver or a coordinator")
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "&Export…", self.export_current,
                                          "Save this patient's timeline as PDF, calendar, CSV, FHIR or JSON",
                                          "Ctrl+E")
        self.export_all_action = self._action(file_menu, "Export &all patients…", self.export_all,
                                              "One file per patient into a folder", "Ctrl+Shift+X")
        self.print_action = self._action(file_menu, "&Print preview…", self.print_preview,
                                         "The printable timeline, or the schedule on the Schedule view",
                                         QKeySequence.StandardKey.Print)
        file_menu.addSeparator()
        self.backup_action = self._action(file_menu, "&Back up now…", self.backup_now,
                                          "Save a copy of all the data to a file you choose", "Ctrl+Shift+B")
        self.restore_action = self._action(file_menu, "&Restore from backup…", self.restore_backup,
                                           "Put back an earlier backup; the current file is kept")
        file_menu.addSeparator()
        quit_action = self._action(file_menu, "&Quit", self.quit, "Close mstracker",
                                   QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action = quit_action

        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", lambda: self.session.undo_last(self),
                                        "Take back the last entry, correction, deletion or reminder action",
                                        QKeySequence.StandardKey.Undo)
        edit.addSeparator()
        self.correct_action = self._action(edit, "&Correct entry…", self.correct_entry, "Correct the selected entry")
        self.delete_action = self._action(edit, "&Delete entry…", self.delete_entry,
                                          "Mark the selected entry entered in error", QKeySequence.StandardKey.Delete)
        edit.addSeparator()
        self.find_action = self._action(edit, "&Find", self.find,
                                        "Search the history", QKeySequence.StandardKey.Find)
        edit.addSeparator()
        self.prefs_action = self._action(edit, "&Preferences…", self.preferences, "Larger text and high contrast",
                                         QKeySequence.StandardKey.Preferences)
        if self.prefs_action.shortcut().isEmpty():
            self.prefs_action.setShortcuts([QKeySequence("Ctrl+,")])  # many desktops define no Preferences key
        self.prefs_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.log_menu = bar.addMenu("&Log")  # its entries come with the opened database (`_fill_log_menu`)
        self.log_actions: dict[LogKind, QAction] = {}
        self.log_button.setMenu(self.log_menu)

        journey = self.journey_menu = bar.addMenu("&Journey")
        self.phase_action = self._action(journey, "&Change phase or plan a date…", self.change_phase,
                                         "Record that a new phase began, or plan a date", "Ctrl+Shift+P")
        self.wizard_action = self._action(journey, "&Set up a journey…", self.open_wizard,
                                          "The first-run guide: patient, protocol and dates")
        journey.addSeparator()
        self.protocols_action = self._action(journey, "P&rotocols…", self.open_protocols,
                                             "The centres' treatment protocols: look, import, copy and edit",
                                             "Ctrl+Shift+R")

        rem = bar.addMenu("&Reminders")
        self.done_action = self._action(rem, "Mark &done", lambda: self._with_reminder(self.reminder_done),
                                        "Mark the selected reminder done", "Ctrl+D")
        self.snooze_action = self._action(
            rem, "&Snooze for 1 hour",
            lambda: self._with_reminder(lambda r: self.reminder_snooze(r, self.reminders.snooze_until("hour"))),
            "Remind me again in an hour")
        self.skip_action = self._action(rem, "S&kip", lambda: self._with_reminder(self.reminder_skip),
                                        "Mark the selected reminder not needed")
        rem.addSeparator()
        self._action(rem, "Check &now", self.watch_check, "Look for due reminders now")

        view = bar.addMenu("&View")
        self.journey_view_action = self._action(view, "&Journey view", lambda: self.show_page(PATIENT_PAGE),
                                                "Where the patient is, the timeline, history and reminders",
                                                "Ctrl+J")
        self.agenda_action = self._action(view, "&Schedule (agenda)", lambda: self.show_page(AGENDA_PAGE),
                                          "Today, this week, the next four weeks and a month calendar",
                                          "Ctrl+Shift+A")
        self.dashboard_action = self._action(view, "Go to &dashboard", lambda: self.show_page(DASHBOARD_PAGE),
                                             "Every patient at once", "Ctrl+Shift+D")
        view.addSeparator()
        self.tab_actions = {}
        for index, text, key in ((HISTORY, "&History", "Ctrl+1"), (CHARTS, "C&harts", "Ctrl+2"),
                                 (OUTCOMES, "&Outcomes", "Ctrl+3"), (ELIGIBILITY, "&Eligibility checklist", "Ctrl+4")):
            self.tab_actions[index] = self._action(
                view, text, lambda _=False, i=index: self.show_insight(i),
                f"Show the {text.replace('&', '').lower()} tab", key)
        self.audit_action = self._action(view, "&Audit trail…", self.show_audit,
                                         "Who recorded what and when; exportable to CSV", "Ctrl+Shift+U")
        view.addSeparator()
        self.large_action = self._action(view, "&Larger text and high contrast", self.toggle_large_text,
                                         "Bigger letters and stronger colours")
        self.large_action.setCheckable(True)
        self.large_action.setChecked(self.settings.large_text())
        view.addSeparator()
        self._action(view, "Zoom timeline &in", lambda: self.timeline.zoom_in(), "Show fewer days, in more detail",
                     QKeySequence.StandardKey.ZoomIn)
        self._action(view, "Zoom timeline &out", lambda: self.timeline.zoom_out(), "Show more days",
                     QKeySequence.StandardKey.ZoomOut)
        self._action(view, "&Refresh", self.refresh_everything, "Read everything again",
                     QKeySequence.StandardKey.Refresh)

        help_menu = bar.addMenu("&Help")
        about = self._action(help_menu, "&About mstracker", self.about, "Version and medical disclaimer")
        about.setMenuRole(QAction.MenuRole.AboutRole)

        for action in (self.correct_action, self.delete_action, self.phase_action, self.wizard_action,
                       self.done_action, self.snooze_action, self.skip_action, self.undo_action,
                       self.restore_action):
            action.setVisible(not self.readonly)
        coordinator = self.role == "coordinator"
        for action in (self.export_all_action, self.dashboard_action, self.protocols_action):
            action.setVisible(coordinator)
        if self.server:  # a clinic server: its own tools back up and restore
            for action in (self.backup_action, self.restore_action):
                action.setEnabled(False)
                action.setToolTip("Backups of a server database belong to the server's own tools")
        if self.readonly:
            self.log_menu.menuAction().setVisible(False)
            self.journey_menu.menuAction().setVisible(False)
        for action in (self.correct_action, self.delete_action):
            action.setEnabled(False)  # until an entry is selected

    def _fill_log_menu(self) -> None:
        """One entry per kind of log, with the shortcuts of the frequent ones. Made with the opened database:
        the entries module (kinds, fields, ranges) is not needed for the first paint."""
        from ...domain.entries import LogKind
        from ..core.words import KIND_WORDS

        if self.log_actions:
            return
        shortcuts = {LogKind.TEMPERATURE: "Ctrl+T", LogKind.SYMPTOM: "Ctrl+Shift+S", LogKind.LAB: "Ctrl+Shift+L",
                     LogKind.NOTE: "Ctrl+Shift+N", LogKind.SIDE_EFFECT: "Ctrl+Shift+E"}
        for kind in LogKind:
            action = self._action(self.log_menu, f"{KIND_WORDS[kind]}…", lambda _=False, k=kind: self.log_entry(k),
                                  f"Log a {KIND_WORDS[kind].lower()}", shortcuts.get(kind))
            action.setObjectName(f"log_{kind.value}")
            action.setVisible(not self.readonly)
            self.log_actions[kind] = action

    def _action(self, menu: QMenu, text: str, slot, tip: str, shortcut=None) -> QAction:
        action = QAction(text, self)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # every binding the platform has for it, the usual one first
        elif shortcut is not None:
            # setShortcuts, not setShortcut: resolving the latter's overloads makes PySide6 build the ~100 enums
            # of its Qt namespace, a sixth of a bare window's start, before the first paint.
            action.setShortcuts([QKeySequence(shortcut)])
        # Nothing to act on until the database is open (the first fraction of a second of a start).
        action.triggered.connect(lambda _=False: slot() if self.session is not None else None)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _build_tray(self) -> QSystemTrayIcon | None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None  # no tray (offscreen, some desktops): the in-window banner does the reminding
        tray = QSystemTrayIcon(self.windowIcon(), self)
        tray.setToolTip("mstracker")
        menu = QMenu(self)
        menu.addAction("Show mstracker", self.show_normal)
        if not self.readonly:  # a due reminder can be dealt with from the tray, without opening the window
            menu.addAction("Mark the due reminder done", lambda: self._from_tray("done_requested"))
            menu.addAction("Snooze the due reminder for 1 hour", lambda: self._from_tray("snooze_requested"))
        menu.addSeparator()
        menu.addAction("Quit", self.quit)
        tray.setContextMenu(menu)
        tray.activated.connect(lambda _reason: self.show_normal())
        tray.messageClicked.connect(self.show_normal)
        tray.show()
        return tray

    def _from_tray(self, signal_name: str) -> None:
        if self.body_built:  # before the data is open there is no due reminder to act on
            self.banner._emit(getattr(self.banner, signal_name))

    # ---- opening a patient -----------------------------------------------------------------------------
    def open_initial(self) -> None:
        """The projection only (no replay): who and where."""
        from ...services import patients

        items = patients.list_patients(self.ctx)
        self._set_patient_count(len(items))
        wanted = self.settings.last_patient(self.db_key)
        chosen = next((p for p in items if p.id == wanted), None) or (items[0] if items else None)
        self._show_patient(chosen)

    def _show_patient(self, summary: PatientSummary | None) -> None:
        self.summary = summary
        self.status = None
        today = self.ctx.today()
        self.insight.clear()
        self.insight.set_phase(summary.phase if summary else None)
        if self.agenda is not None:
            self.agenda.set_patient(summary.id if summary else None)
        if summary is None:
            self.session.set_patient(None)
            self.header.show_empty("No patient yet." + ("" if self.readonly else " Set up your journey to begin."))
            self.timeline.clear(today)
            self.history.set_entries([])
            self.reminders.set_reminders([], self.ctx.now().replace(tzinfo=None))
            self.setup_button.setVisible(not self.readonly)
            self.phase_button.setEnabled(False)
            self.quick.setEnabled(False)
            self.banner.set_due([])
            self._loaded()
            return
        self.session.set_patient(summary.id)
        self.settings.set_last_patient(self.db_key, summary.id)
        self.header.show_summary(summary, today)
        self.setWindowTitle(f"{summary.name} — mstracker" + (" (read-only)" if self.readonly else ""))
        if self.settings.timeline_span() is None:
            self.timeline.set_span(span_for(summary.phase))
        self.setup_button.setVisible(not self.readonly and summary.phase is None)
        self._enable_for_phase(summary.phase)
        from ..core.runner import Changes

        self.refresh(Changes.everything())

    def _enable_for_phase(self, phase: str | None) -> None:
        """A final phase (completed, withdrawn) has no phase change left; logging stays open once started."""
        final = phase in ("completed", "withdrawn")
        self.phase_button.setEnabled(not final)
        self.phase_action.setEnabled(not final)
        self.phase_button.setToolTip("The journey is finished: no further phase can be recorded." if final else "")
        self.quick.setEnabled(phase is not None)

    def choose_patient(self) -> None:
        from ...services import patients

        items = patients.list_patients(self.ctx)
        self._set_patient_count(len(items))
        if not items:
            if not self.readonly:
                self.open_wizard()
            return
        names = [f"{p.name} (#{p.id})" for p in items]
        current = next((i for i, p in enumerate(items) if p.id == self.session.patient_id), 0)
        name, ok = QInputDialog.getItem(self, "Open patient", "&Patient:", names, current, False)
        if ok:
            self._show_patient(items[names.index(name)])
            if self.current_page() == DASHBOARD_PAGE:
                self.show_page(PATIENT_PAGE)

    def open_patient(self, patient_id: int) -> None:
        from ...services import patients

        items = patients.list_patients(self.ctx)
        self._set_patient_count(len(items))
        self._show_patient(next((p for p in items if p.id == patient_id), None))

    def open_from_dashboard(self, patient_id: int) -> None:
        self.open_patient(patient_id)
        self.show_page(PATIENT_PAGE)

    def _set_patient_count(self, count: int) -> None:
        """The picker only where there is something to pick."""
        self.patient_count = count
        self.switch_action.setEnabled(count > 1 or (count == 0 and not self.readonly))
        if getattr(self, "agenda_pick", None) is not None:
            self.agenda_pick.setVisible(count > 1)

    # ---- pages: the patient's journey, the caregiver's schedule, the coordinators' dashboard -------------
    def show_home(self) -> None:
        self.show_page(HOME_PAGES.get(self.role, PATIENT_PAGE))

    def current_page(self) -> str:
        widget = self.pages.currentWidget()
        return next((name for name, w in self._page_widgets.items() if w is widget), PATIENT_PAGE)

    def show_page(self, name: str) -> None:
        if name == DASHBOARD_PAGE and not self.role.sees_dashboard:
            return
        widget = self._page_widgets.get(name) or self._build_page(name)
        self.pages.setCurrentWidget(widget)
        if name == DASHBOARD_PAGE:
            self.dashboard.refresh()
            self.dashboard.table.setFocus()
        elif name == AGENDA_PAGE:
            self.agenda.table.setFocus()
        self.page_changed.emit(name)

    def _build_page(self, name: str) -> QWidget:
        if name == AGENDA_PAGE:
            from ..agenda.view import AgendaView

            self.agenda = AgendaView(self.ctx, self.session.patient_id)
            self.agenda.setAccessibleName("Schedule")
            # The window's Print action prints the agenda while it is shown: one Ctrl+P, not two.
            self.agenda.print_action.setShortcut(QKeySequence())
            self.agenda_pick = QPushButton("Choose &patient…")
            self.agenda_pick.setAccessibleName("Choose the patient whose schedule to show")
            self.agenda_pick.clicked.connect(self.choose_patient)
            self.agenda_pick.setVisible(self.patient_count > 1)
            self.agenda.top.insertWidget(2, self.agenda_pick)
            widget: QWidget = self.agenda
        else:
            from ..dashboard.view import DashboardView

            self.dashboard = DashboardView(self.ctx)
            self.dashboard.setAccessibleName("Patients")
            self.dashboard.patient_opened.connect(self.open_from_dashboard)
            for action in self.dashboard.actions():  # Ctrl+F comes from the window's Find, for every page
                if action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find):
                    action.setShortcut(QKeySequence())
            widget = self.dashboard
        self.pages.addWidget(widget)
        self._page_widgets[name] = widget
        return widget

    def show_insight(self, index: int) -> None:
        self.show_page(PATIENT_PAGE)
        self.insight.show_tab(index)

    def find(self) -> None:
        page = self.current_page()
        if page == DASHBOARD_PAGE:
            self.dashboard.search.setFocus()
        elif page == PATIENT_PAGE:
            self.insight.show_tab(HISTORY)
            self.history.focus_search()

    # ---- the File menu's other actions ----------------------------------------------------------------------
    def target_patient(self) -> tuple[int | None, str]:
        """Whom Export and Print act on: the dashboard's selected row while it is shown, else the open patient."""
        if self.current_page() == DASHBOARD_PAGE:
            pid = self.dashboard.current_patient()
            rows = self.dashboard.data.rows if self.dashboard.data else []
            row = next((r for r in rows if r.patient.id == pid), None) if pid else None
            return (pid, row.patient.name) if row else (None, "")
        return self.session.patient_id, self.summary.name if self.summary else "patient"

    def export_current(self) -> None:
        from ..operations import export as export_actions

        export_actions.export_current(self)

    def export_all(self) -> None:
        from ..operations import export as export_actions

        export_actions.export_all(self)

    def print_preview(self) -> None:
        if self.current_page() == AGENDA_PAGE:
            self.agenda.print_preview()
            return
        from ..operations import export as export_actions

        export_actions.print_preview(self)

    def backup_now(self) -> None:
        from ..operations import safety

        safety.backup_now(self)

    def restore_backup(self) -> None:
        from ..operations import safety

        safety.restore_from_backup(self)

    def switch_role(self) -> None:
        """File ▸ Switch role…: asks, remembers, and leaves the reopening to the app (`role_switch_requested`)."""
        from ..dialogs import role as role_dialog

        role = role_dialog.choose_role(self, default=self.ctx.role)
        if role is None or role == self.ctx.role:
            return
        self.settings.set_role(role)
        self.role_switch_requested.emit(role)

    def open_protocols(self) -> None:
        from PySide6.QtCore import Qt

        from ..dialogs.protocols import ProtocolsDialog

        dialog = ProtocolsDialog(self.ctx.role, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.protocols_dialog = dialog

    def show_audit(self) -> None:
        from PySide6.QtCore import Qt

        from ..dialogs.audit import AuditDialog

        dialog = AuditDialog(self.ctx, self.session.patient_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.audit_dialog = dialog

    # ---- loading (off the UI thread) ---------------------------------------------------------------------
    def refresh_everything(self) -> None:
        from ..core.runner import Changes

        self.refresh(Changes.everything())

    def refresh(self, changes: Changes) -> None:
        pid = self.session.patient_id
        if pid is None:
            if changes.patient:
                self.open_initial()
            return
        from ...services import patients, reminders

        ctx = self.ctx
        if self.agenda is not None:
            self.agenda.refresh()
        if self.dashboard is not None and self.current_page() == DASHBOARD_PAGE:
            self.dashboard.refresh()
        if changes.log or changes.journey or changes.patient:
            self.insight.mark_stale()
        if changes.patient or changes.journey:
            summary = next((p for p in patients.list_patients(ctx) if p.id == pid), None)
            if summary is not None:
                self.insight.set_phase(summary.phase)
                self.summary = summary
                self.setup_button.setVisible(not self.readonly and summary.phase is None)
                self._enable_for_phase(summary.phase)
        self._load("status", lambda: _status_or_journey(ctx, pid), self._status_arrived)
        if changes.log:
            self._load("history", lambda: _first_history_page(ctx, pid), self._history_arrived)
        if changes.reminders or changes.journey:
            self._load("schedule", lambda: reminders.schedule(ctx, pid), self._schedule_arrived)

    def _load(self, part: str, fn, deliver) -> None:
        self._generation[part] += 1
        generation = self._generation[part]
        pid = self.session.patient_id
        self._pending = getattr(self, "_pending", set()) | {part}

        def arrived(value) -> None:
            if generation != self._generation[part] or pid != self.session.patient_id:
                return  # a newer load of this part is on its way
            deliver(value)
            self._pending.discard(part)
            if not self._pending:
                self._loaded()

        def failed(exc: BaseException) -> None:
            from ..core.runner import error_text

            self._pending.discard(part)
            message = f"Could not read the {part}: {error_text(exc)}"
            self.load_errors.append(message)
            self._show_notice(message)
            if not self._pending:
                self._loaded()

        self.session.query(self, fn, arrived, on_failure=failed)

    def _loaded(self) -> None:
        self.watch_check()
        if not self._loaded_once:
            self._loaded_once = True
            self.watch.start()
            self.loaded.emit()

    def _status_arrived(self, result) -> None:
        kind, value, problem = result
        today = self.ctx.today()
        if kind == "status":
            self.status = value
            self.header.show_status(value, today)
            self.insight.set_status(value)
            self.timeline.set_journey(value.full_journey, today, value.day_zero, value.day_zero_is_planned)
        else:  # the clinical rules could not run: show the journey, and say that alerts are missing
            if self.summary is not None:
                self.header.show_summary(self.summary, today)
            self.timeline.set_journey(value, today)
        self._show_notice(problem)

    def _history_arrived(self, first) -> None:
        entries, total = first
        ctx, pid = self.ctx, self.session.patient_id

        def more(after, count: int):
            from ...services import logbook

            return logbook.history_page(ctx, pid, limit=count, before=logbook.page_key(after))

        self.history.set_entries(entries, total, more)

    def _schedule_arrived(self, items) -> None:
        self.reminders.set_reminders(items, self.ctx.now().replace(tzinfo=None))

    def _show_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setAccessibleDescription(text or "")
        self.notice.setVisible(bool(text))

    def _busy(self, busy: bool) -> None:
        # Only show the indicator for work that takes a moment: no flicker for quick reads.
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.progress.hide()

    # ---- logging ----------------------------------------------------------------------------------------------
    def log_quick_temperature(self) -> None:
        from ..operations import log as actions_log

        actions_log.quick_temperature(self)

    def log_entry(self, kind: LogKind) -> None:
        from ..operations import log as actions_log

        actions_log.open_log_dialog(self, kind)

    def correct_entry(self) -> None:
        from ..operations import log as actions_log

        actions_log.correct(self)

    def delete_entry(self) -> None:
        from ..operations import log as actions_log

        actions_log.delete(self)

    def _update_entry_actions(self) -> None:
        has = self.history.current_entry() is not None
        for widget in (self.correct_action, self.delete_action, self.correct_button, self.delete_button):
            widget.setEnabled(has)

    def _update_undo(self) -> None:
        top = self.session.undo.top
        self.undo_action.setEnabled(top is not None)
        self.undo_action.setText(f"&Undo {top.label}" if top else "&Undo")

    # ---- journey ------------------------------------------------------------------------------------------------
    def change_phase(self) -> None:
        from ...services import journeys
        from ..dialogs.phase import PhaseDialog

        pid = self.session.patient_id
        if pid is None:
            self.open_wizard()
            return
        dialog = PhaseDialog(self.session, pid, journeys.journey_of(self.ctx, pid), self)
        dialog.open()
        self.phase_dialog = dialog

    def open_wizard(self) -> None:
        from ..dialogs.wizard import FirstRunWizard

        wizard = FirstRunWizard(self.session, self.settings, self)
        wizard.finished_with_patient.connect(self.open_patient)
        wizard.open()
        self.wizard = wizard

    # ---- reminders -----------------------------------------------------------------------------------------------
    def _with_reminder(self, fn) -> None:
        reminder = self.reminders.current()
        if reminder is not None:
            fn(reminder)

    def reminder_done(self, reminder) -> None:
        from ..operations import reminders as actions_reminders

        actions_reminders.done(self, reminder)

    def reminder_snooze(self, reminder, until: datetime) -> None:
        from ..operations import reminders as actions_reminders

        actions_reminders.snooze(self, reminder, until)

    def reminder_skip(self, reminder) -> None:
        from ..operations import reminders as actions_reminders

        actions_reminders.skip(self, reminder)

    def watch_check(self) -> None:
        try:
            self.watch.check()
        except Exception as exc:  # a failed look at the clock must not stop the app; say so in the window
            from ..core.runner import error_text

            self._show_notice(f"Could not check the reminders: {error_text(exc)}")

    def _announce(self, items) -> None:
        first = items[0]
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage("Reminder due", first.title, QSystemTrayIcon.MessageIcon.Information, 30_000)
        QApplication.alert(self)

    def _announce_urgent(self, alert) -> None:
        """An urgent alert: red in the window already; also a tray notification where there is a tray."""
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage("Urgent", alert.message, QSystemTrayIcon.MessageIcon.Critical, 60_000)
        QApplication.alert(self)

    # ---- view ----------------------------------------------------------------------------------------------------
    def _span_changed(self, days: int) -> None:
        for span, button in self.zoom_buttons.items():
            button.setChecked(span == days)

    def toggle_large_text(self) -> None:
        on = self.large_action.isChecked()
        self.settings.set_large_text(on)
        apply_text_mode(QApplication.instance(), on)
        self.timeline.high_contrast = on
        self.timeline.updateGeometry()
        self.timeline.update()

    def preferences(self) -> None:
        from ..dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        dialog.accepted.connect(lambda: (self.large_action.setChecked(self.settings.large_text()),
                                         self.toggle_large_text()))
        dialog.open()
        self.prefs_dialog = dialog

    def about(self) -> None:
        from ..dialogs.about import show_about

        show_about(self)

    def show_normal(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # ---- closing ----------------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry("main")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QApplication.primaryScreen()
            area = screen.availableGeometry() if screen is not None else None
            if area is not None and area.width() > 0:
                self.resize(QSize(min(1700, int(area.width() * 0.95)), min(1050, int(area.height() * 0.95))))
            else:
                self.resize(QSize(1200, 760))

    def _restore_body_state(self) -> None:
        splitter = self.settings.geometry("splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            # History three fifths, reminders two: titles there stay readable in the larger-text mode too.
            width = max(self.width() - 40, 600)
            self.splitter.setSizes([width * 3 // 5, width * 2 // 5])
        tab = self.settings.insight_tab()
        self.insight.setCurrentIndex(HISTORY if tab is None else tab)
        span = self.settings.timeline_span()
        if span is not None:
            self.timeline.set_span(span)

    def save_state(self) -> None:
        self.settings.set_geometry("main", self.saveGeometry())
        if not self.body_built:
            return  # closed before the data was open: nothing else has changed
        self.settings.set_geometry("splitter", self.splitter.saveState())
        self.settings.set_timeline_span(self.timeline.span)
        self.settings.set_insight_tab(self.insight.currentIndex())

    def quit(self) -> None:
        """Quit (Ctrl+Q) ends the app with exit 0, even when the tray keeps it alive on close."""
        self.save_state()
        self._quitting = True
        QApplication.instance().quit()

    def retire(self) -> None:
        """Replaced by a window in another role: close without quitting, then let go of the database."""
        from PySide6.QtCore import QThreadPool

        self.save_state()
        self.watch.timer.stop()
        self._retiring = True
        if self.tray is not None:
            self.tray.hide()
        self.close()
        QThreadPool.globalInstance().waitForDone()  # no read of this window's may outlive its context
        self.session.ctx.close()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        if getattr(self, "_retiring", False):
            event.accept()
            return
        self.save_state()
        if self.tray is not None and not getattr(self, "_quitting", False):
            # Reminders keep working from the tray; Quit ends the app.
            self.hide()
            self.tray.showMessage("mstracker is still running", "Reminders will appear here. Quit from the menu.",
                                  QSystemTrayIcon.MessageIcon.Information, 5_000)
            event.ignore()
            return
        event.accept()
        QApplication.instance().quit()


def span_for(phase: str | None) -> int:
    """The first zoom that fits where the patient is: weeks in hospital, months at home, years later on."""
    if phase in ("conditioning", "transplant"):
        return 42
    if phase in ("follow_up", "completed"):
        return 1826
    return 182


def _first_history_page(ctx, pid):
    """The newest screenful of the history and how many entries it holds: never the whole log at once."""
    from ...services import logbook
    from ..patient.history_model import PAGE

    return logbook.history_page(ctx, pid, limit=PAGE), logbook.history_count(ctx, pid)


def _status_or_journey(ctx, pid):
    """The full status; while the clinical rules are unavailable, the journey alone and why."""
    try:
        from ...services import status as status_service  # imports the clinical rules: after the first paint

        return ("status", status_service.status(ctx, pid), None)
    except ImportError as exc:
        from ...services import journeys

        return ("journey", journeys.journey_of(ctx, pid),
                f"Alerts are not available in this version ({exc}); your entries are safe.")
