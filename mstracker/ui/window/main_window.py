"""The main window: where am I, the timeline, the history and the reminders, with a menu for every action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from ...services.roles import Role
from ..core.paths import icon_path
from ..core.screen_fit import FitsScreen
from ..core.settings import UiSettings
from ..core.style import apply_text_mode
from ..patient.tab_order import CHARTS, ELIGIBILITY, HISTORY, OUTCOMES
from .header import Header

if TYPE_CHECKING:  # the services import the storage engine: the window paints first, then opens the data
    from ...domain.entries import LogKind
    from ...services.patient_list import PatientSummary
    from ..core.runner import Changes
    from ..core.session import Session
    from .due_watch import DueWatch

# The `Qt` namespace is imported where it is used: PySide6 builds its ~100 enums on first use (~20 ms), which
# the first paint does without. The patient's page and its modules come with the opened database.

PATIENT_PAGE, AGENDA_PAGE, DASHBOARD_PAGE, MEDICINES_PAGE = "patient", "agenda", "dashboard", "medicines"
HOME_PAGES = {Role.PATIENT: PATIENT_PAGE, Role.CAREGIVER: AGENDA_PAGE, Role.COORDINATOR: DASHBOARD_PAGE}

# What attaching the window to the opened database imports (the deferred imports below), and each role's home
# page: the opening worker imports these first, off the UI thread, so that the attach does not stall the window.
ATTACH_IMPORTS = ("mstracker.ui.patient.page", "mstracker.ui.operations.reminders", "mstracker.ui.operations.patients",
                  "mstracker.ui.medicines.banner", "mstracker.ui.medicines.dose_watch", "mstracker.ui.medicines.ops",
                  "mstracker.ui.medicines.today_panel", "mstracker.ui.sharing.state", "mstracker.ui.window.due_watch",
                  "mstracker.ui.window.menus")
HOME_IMPORTS = {Role.CAREGIVER: ("mstracker.ui.agenda.view",), Role.COORDINATOR: ("mstracker.ui.dashboard.view",)}


class MainWindow(FitsScreen, QMainWindow):
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
        self.server = session.on_server if session is not None else server
        self.summary: PatientSummary | None = None
        self.status = None
        self._retiring = self._quitting = False  # closing: replaced by another role's window; Quit
        self.agenda_pick: QPushButton | None = None
        self.phase_dialog = self.log_dialog = self.delete_dialog = self.share_dialog = None  # opened last, kept alive
        self.startup_report = self.damaged_box = self.restored_from = None  # the data-safety checks' outcome
        self.export_progress = self.pdf_preview = None
        self._loaded_once = False
        # The first thing a patient does each day is the temperature: it has the focus once it can take it,
        # after the start and after the first-run guide (`_enable_for_phase`).
        self._temperature_first = True
        self.load_errors: list[str] = []
        self.instance_lock = None  # this process's hold on the database file (app.py sets it)
        self.agenda = None  # the caregiver's schedule and the coordinators' dashboard: built when first shown
        self.dashboard = None
        self.medicines = self.doses = self.agenda_doses = self.dose_watch = self.dose_banner = None
        self.patient_count = 0
        self.patients: list[PatientSummary] = []
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
        self.watch = DueWatch(session, self)
        self.watch.due.connect(self.page.banner.set_due)
        self.watch.newly_due.connect(self._announce)
        self.watch.failed.connect(lambda message: self.page.show_notice(f"Could not check the reminders: {message}"))
        session.bus.changed.connect(self._changed)
        session.bus.busy.connect(self._busy)
        session.bus.said.connect(self.statusBar().showMessage)
        session.undo.changed.connect(self._update_undo)
        self._update_undo()
        from ..sharing.state import CalendarState

        self.calendar_state = CalendarState(session, self)
        self.statusBar().addPermanentWidget(self.calendar_state)

    def show_glance(self, glance) -> None:
        """Before the database is open (`services.first_look`): who, and that the rest is on its way."""
        if glance is None:
            self.header.show_empty("Opening your data…")
            return
        self.header.show_glance(glance.name, glance.phase, "Opening your data…")
        self.setWindowTitle(self._title(glance.name))

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
        self.setup_button = QPushButton("Set &up your journey…")
        self.setup_button.setObjectName("setupButton")
        self.setup_button.setAccessibleName("Set up your journey")
        self.setup_button.setAccessibleDescription("Add the patient, the centre's protocol and the dates known so far")
        self.setup_button.clicked.connect(self.open_wizard)
        self.setup_button.hide()
        self.header.alerts_tab_after = self.phase_button  # the alerts sit below the quick log, above the page

        # Coordinators: a visible way back from a patient to the list of all patients.
        self.back_button = QPushButton("← &Back to all patients")
        self.back_button.setObjectName("backToDashboard")
        self.back_button.setAccessibleName("Back to all patients")
        self.back_button.setAccessibleDescription("The coordinators' list of every patient")
        self.back_button.clicked.connect(lambda: self.show_page(DASHBOARD_PAGE))
        self.back_button.setVisible(self.role.sees_dashboard)
        back = QVBoxLayout()
        back.addWidget(self.back_button)
        back.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(back)
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
        # One patient's header, quick log and alerts: hidden over the list of all patients, where they would
        # name (and log for) a patient who is not visibly selected.
        self.patient_strip = QWidget()
        self.patient_strip.setObjectName("patientStrip")
        strip = QVBoxLayout(self.patient_strip)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addLayout(top)
        # The alerts across the whole width (not beside the quick log): fewer lines each, less height taken.
        # Hidden on the caregiver's schedule, which shows the same alerts itself: once per window.
        self.alert_area = QWidget()
        self.alert_area.setObjectName("alertArea")
        alerts = QVBoxLayout(self.alert_area)
        alerts.setContentsMargins(0, 0, 0, 0)
        strip.addWidget(self.alert_area)
        frame_layout.addWidget(self.patient_strip)
        self.header.alert_layout = alerts
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        frame_layout.addWidget(self.pages, 1)
        self.patient_page = QWidget()  # an empty page until `_build_body`
        self.pages.addWidget(self.patient_page)
        self._page_widgets: dict[str, QWidget] = {PATIENT_PAGE: self.patient_page}
        # Taller than the screen (QT_SCALE_FACTOR=2 on a laptop, larger text): the window still fits the screen,
        # and its content scrolls inside it instead of running off the bottom.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("frameScroll")
        self.scroll.setAccessibleName("Main window")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(frame)
        self.setCentralWidget(self.scroll)

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
        """The patient's page (banner, timeline, history with the other tabs, reminders), which follows the
        session itself; the window wires its requests to the operations."""
        if self.body_built:
            return
        from ..operations import reminders as reminder_ops
        from ..patient.page import PatientPage

        self.body_built = True
        page = self.page = PatientPage(self.session, self.settings.timeline_span())
        layout = QVBoxLayout(self.patient_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)
        page.status_arrived.connect(self._status_arrived)
        page.loaded.connect(self._loaded)
        page.load_failed.connect(self.load_errors.append)
        page.entry_selected.connect(self._update_entry_actions)
        page.done_requested.connect(lambda r: reminder_ops.done(self, self.session, r))
        page.snooze_requested.connect(lambda r, span: reminder_ops.snooze(self, self.session, r, span))
        page.skip_requested.connect(lambda r: reminder_ops.skip(self, self.session, r))
        page.insight.eligibility_offered.connect(self.eligibility_tab_action.setVisible)
        self.eligibility_tab_action.setVisible(page.insight.offers_eligibility)
        page.correct_button.clicked.connect(self.correct_entry)
        page.delete_button.clicked.connect(self.delete_entry)
        self._build_medicines(page)
        page.restore_state(self.settings.geometry("splitter"), self.settings.insight_tab(), self.width())

    def _build_medicines(self, page) -> None:
        """Today's doses above the reminders, the dose announcement above the page, and the watch that makes it
        (the medicines' own room: `ui/medicines`)."""
        from ..core.focus_order import chain
        from ..medicines.banner import DoseBanner
        from ..medicines.dose_watch import DoseWatch
        from ..medicines.ops import record_taken
        from ..medicines.today_panel import TodayDoses

        self.doses = TodayDoses(self.session)
        self.doses.tab_after = page.delete_button  # the history's column (its last stop), then this one
        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.addWidget(self.doses)
        column_layout.addWidget(page.reminders, 1)  # moves it out of the splitter, kept alive by the column
        page.splitter.insertWidget(1, column)
        page.splitter.setStretchFactor(1, 2)
        self.dose_banner = DoseBanner()
        page.layout().insertWidget(0, self.dose_banner)
        chain(self.phase_button, self.dose_banner.taken, self.dose_banner.dismiss)  # on top of the page
        self.dose_banner.taken_requested.connect(lambda doses: [record_taken(self, self.session, d) for d in doses])
        self.doses.arrived.connect(lambda: self.dose_banner.still_open(self.doses.open_doses()))
        self.dose_watch = DoseWatch(self.session, self)
        self.dose_watch.looked.connect(self.doses.show_today)
        self.dose_watch.announce.connect(self._announce_doses)

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
        self.log_button = QPushButton("Lo&g…")
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
        """The menus from the table in `menus.py`: each entry's action, its shortcut, and whether this role sees
        it (hidden when it writes and the role only reads, or when it needs what the role may not do)."""
        from .menus import MENUS

        bar = self.menuBar()
        for title, entries in MENUS.items():
            menu = bar.addMenu(title)
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                    continue
                action = self._action(menu, entry.text, lambda e=entry: e.slot(self), entry.tip, entry.shortcut)
                action.setVisible(not (entry.writes and self.readonly)
                                  and (entry.needs is None or getattr(self.role, entry.needs))
                                  and (self.server or not entry.server_only))
                if entry.server_backs_up and self.server:  # a clinic server: its own tools back up and restore
                    action.setEnabled(False)
                    action.setToolTip("Backups of a server database belong to the server's own tools")
                if entry.name:
                    setattr(self, entry.name, action)
            if title == "&Log":
                self.log_menu = menu
            elif title == "&Journey":
                self.journey_menu = menu
        self.log_actions: dict[LogKind, QAction] = {}
        self.log_button.setMenu(self.log_menu)
        self.tab_actions = {HISTORY: self.history_tab_action, CHARTS: self.charts_tab_action,
                            OUTCOMES: self.outcomes_tab_action, ELIGIBILITY: self.eligibility_tab_action}
        if self.prefs_action.shortcut().isEmpty():
            self.prefs_action.setShortcuts([QKeySequence("Ctrl+,")])  # many desktops define no Preferences key
        self.prefs_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.large_action.setCheckable(True)
        self.large_action.setChecked(self.settings.large_text())
        if self.readonly:
            self.log_menu.menuAction().setVisible(False)
            self.journey_menu.menuAction().setVisible(False)
        for action in (self.correct_action, self.delete_action):
            action.setEnabled(False)  # until an entry is selected

    def _fill_log_menu(self) -> None:
        """One entry per kind of log, with the shortcuts of the frequent ones. Made with the opened database:
        the entries module (kinds, fields, ranges) is not needed for the first paint."""
        from ...domain.entries import LogKind
        from ..core.words import LOG_KIND_WORDS

        if self.log_actions:
            return
        shortcuts = {LogKind.TEMPERATURE: "Ctrl+T", LogKind.SYMPTOM: "Ctrl+Shift+S", LogKind.LAB: "Ctrl+Shift+L",
                     LogKind.NOTE: "Ctrl+Shift+N", LogKind.SIDE_EFFECT: "Ctrl+Shift+E"}
        for kind in LogKind:
            action = self._action(self.log_menu, f"{LOG_KIND_WORDS[kind]}…", lambda _=False, k=kind: self.log_entry(k),
                                  f"Log a {LOG_KIND_WORDS[kind].lower()}", shortcuts.get(kind))
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
            # Before the data is open there is no due reminder to act on.
            menu.addAction("Mark the due reminder done", lambda: self.body_built and self.page.banner.request_done())
            menu.addAction("Snooze the due reminder for 1 hour",
                           lambda: self.body_built and self.page.banner.request_snooze())
        menu.addSeparator()
        menu.addAction("Quit", self.quit)
        tray.setContextMenu(menu)
        tray.activated.connect(lambda _reason: self.show_normal())
        tray.messageClicked.connect(self.show_normal)
        tray.show()
        return tray

    # ---- opening a patient -----------------------------------------------------------------------------
    def open_initial(self) -> None:
        """The last patient viewed in this database, else the first (the list read off the UI thread)."""
        from ..operations import patients as patient_ops

        patient_ops.read_patients(self, self.session, self._initial_patients)

    def _initial_patients(self, items) -> None:
        self._set_patients(items)
        wanted = self.settings.last_patient(self.db_key)
        self._show_patient(next((p for p in items if p.id == wanted), None) or (items[0] if items else None))

    def _show_patient(self, summary: PatientSummary | None) -> None:
        """Who the window is about; the views follow the session's patient themselves."""
        self.summary = summary
        self.status = None
        if summary is None:
            self.header.show_empty("No patient yet." + ("" if self.readonly else " Set up your journey to begin."))
            self.setup_button.setVisible(not self.readonly)
            self.phase_button.setEnabled(False)
            self.quick.setEnabled(False)
            self.session.set_patient(None)
            return
        self.settings.set_last_patient(self.db_key, summary.id)
        self.header.show_summary(summary, self.ctx.today())
        self.setWindowTitle(self._title(summary.name))
        self._enable_for_phase(summary.phase)
        self.session.set_patient(summary.id)

    def _title(self, name: str) -> str:
        """Ends with the app's name, so that Qt does not add it a second time. On a clinic server, once open, it
        says how the login acts: "Anna (caregiver login carol, read-only) — mstracker"."""
        notes = []
        if self.ctx is not None and self.server:
            from ...services.clinic import title_note  # the database is open: the services are loaded

            notes.append(title_note(self.ctx))
        if self.readonly:
            notes.append("read-only")
        suffix = f" ({', '.join(notes)})" if notes else ""
        return f"{name}{suffix} — mstracker"

    def _changed(self, changes: Changes) -> None:
        """The window's own part of a change: who the patient is (name, phase) and how many there are."""
        from ..operations import patients as patient_ops

        if self.session.patient_id is None:
            if changes.patient:
                self.open_initial()
            return
        if changes.patient or changes.journey:
            patient_ops.read_patients(self, self.session, self._patients_arrived)

    def _patients_arrived(self, items) -> None:
        self._set_patients(items)
        summary = next((p for p in items if p.id == self.session.patient_id), None)
        if summary is not None:
            self.summary = summary
            self._enable_for_phase(summary.phase)

    def _enable_for_phase(self, phase: str | None) -> None:
        """A final phase (completed, withdrawn) has no phase change left; logging stays open once started."""
        from ...domain.phases import FINAL

        final = phase in FINAL
        self.setup_button.setVisible(not self.readonly and phase is None)
        self.phase_button.setEnabled(not final)
        self.phase_action.setEnabled(not final)
        self.phase_button.setToolTip("The journey is finished: no further phase can be recorded." if final else "")
        self.quick.setEnabled(phase is not None)
        if phase is not None and self._temperature_first and self.current_page() == PATIENT_PAGE:
            self._temperature_first = False
            self.focus_page(PATIENT_PAGE)

    def choose_patient(self) -> None:
        from ..operations import patients as patient_ops

        patient_ops.read_patients(self, self.session, self._choose_from)

    def _choose_from(self, items) -> None:
        from ..operations import patients as patient_ops

        self._set_patients(items)
        if not items:
            if not self.readonly:
                self.open_wizard()
            return
        chosen = patient_ops.ask_patient(self, items, self.session.patient_id)
        if chosen is not None:
            self._show_patient(chosen)
            if self.current_page() == DASHBOARD_PAGE:
                self.show_page(PATIENT_PAGE)

    def open_patient(self, patient_id: int) -> None:
        from ..operations import patients as patient_ops

        def arrived(items) -> None:
            self._set_patients(items)
            self._show_patient(next((p for p in items if p.id == patient_id), None))

        patient_ops.read_patients(self, self.session, arrived)

    def open_from_dashboard(self, patient_id: int) -> None:
        self.open_patient(patient_id)
        self.show_page(PATIENT_PAGE)

    def _set_patients(self, items: list[PatientSummary]) -> None:
        """The picker only where there is something to pick."""
        self.patients = items  # as last read: the first-run guide resumes a patient without a journey
        count = self.patient_count = len(items)
        self.switch_action.setEnabled(count > 1 or (count == 0 and not self.readonly))
        if self.agenda_pick is not None:
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
        if name == MEDICINES_PAGE and not self.body_built:
            return
        widget = self._page_widgets.get(name) or self._build_page(name)
        self.pages.setCurrentWidget(widget)
        self.patient_strip.setVisible(name != DASHBOARD_PAGE)
        self.alert_area.setVisible(name != AGENDA_PAGE)
        if name == DASHBOARD_PAGE:
            self.dashboard.refresh()
        self.focus_page(name)
        self.page_changed.emit(name)

    def focus_page(self, name: str) -> None:
        """Where the keyboard starts on a page: the temperature (Enter logs it), the schedule, the patients."""
        from PySide6.QtCore import Qt

        reason = Qt.FocusReason.OtherFocusReason
        if name == DASHBOARD_PAGE:
            self.dashboard.table.setFocus(reason)
        elif name == AGENDA_PAGE:
            self.agenda.table.setFocus(reason)
        elif name == MEDICINES_PAGE:
            self.medicines.table.setFocus(reason)
        elif self.quick.isVisibleTo(self) and self.quick.isEnabled():
            self.quick_temp.setFocus(reason)
            self.quick_temp.selectAll()  # the value typed replaces the one shown
        elif self.body_built:
            self.page.reminders.table.setFocus(reason)

    def _build_page(self, name: str) -> QWidget:
        if name == AGENDA_PAGE:
            from ..agenda.view import AgendaView

            self.agenda = AgendaView(self.session)
            self.agenda.setAccessibleName("Schedule")
            # The window's Print action prints the agenda while it is shown: one Ctrl+P, not two.
            self.agenda.print_action.setShortcut(QKeySequence())
            self.agenda_pick = QPushButton("&Choose patient…")
            self.agenda_pick.setAccessibleName("Choose the patient whose schedule to show")
            self.agenda_pick.clicked.connect(self.choose_patient)
            self.agenda_pick.setVisible(self.patient_count > 1)
            self.agenda.top.insertWidget(2, self.agenda_pick)
            from ..medicines.today_panel import TodayDoses

            # The caregiver's home: today's doses, the missed ones and the week's adherence, under the alerts.
            self.agenda_doses = TodayDoses(self.session)
            self.agenda.layout().insertWidget(2, self.agenda_doses)
            widget: QWidget = self.agenda
        elif name == MEDICINES_PAGE:
            from ..medicines.view import MedicinesView

            widget = self.medicines = MedicinesView(self.session)
        else:
            from ..dashboard.view import DashboardView

            self.dashboard = DashboardView(self.session)
            self.dashboard.setAccessibleName("Patients")
            self.dashboard.patient_opened.connect(self.open_from_dashboard)
            for action in self.dashboard.actions():  # Ctrl+F comes from the window's Find, for every page
                if action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find):
                    action.setShortcut(QKeySequence())
            widget = self.dashboard
        self.pages.addWidget(widget)
        self._page_widgets[name] = widget
        if name == AGENDA_PAGE:
            self._order_agenda()
        return widget

    def _order_agenda(self) -> None:
        """The schedule's Tab round as it is laid out, below the quick log: the patient picker and Print (its
        top row), its alerts, today's doses, the list, the calendar, the day. Picker and doses are made here,
        after the schedule, and would otherwise come last."""
        from ..core.focus_order import chain

        agenda = self.agenda
        chain(self.phase_button, self.agenda_pick, agenda.print_button, agenda.alerts.last_stop, agenda.table,
              agenda.calendar, agenda.day_table)
        self.agenda_doses.tab_after = agenda.alerts.last_stop

    def show_insight(self, index: int) -> None:
        self.show_page(PATIENT_PAGE)
        self.page.insight.show_tab(index)

    def find(self) -> None:
        page = self.current_page()
        if page == DASHBOARD_PAGE:
            self.dashboard.search.setFocus()
        elif page == PATIENT_PAGE:
            self.page.insight.show_tab(HISTORY)
            self.page.history.focus_search()

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

        export_actions.export_current(self, self.session, *self.target_patient())

    def export_all(self) -> None:
        from ..operations import export as export_actions

        self.export_progress = export_actions.export_all(self, self.session)

    def print_preview(self) -> None:
        if self.current_page() == AGENDA_PAGE:
            self.agenda.print_preview()
            return
        from ..operations import export as export_actions

        export_actions.print_preview(self, self.session, *self.target_patient(), opened=self._preview_opened)

    def _preview_opened(self, preview) -> None:
        self.pdf_preview = preview

    def backup_now(self) -> None:
        from ..operations import safety

        safety.backup_now(self, self.session)

    def restore_backup(self) -> None:
        from ..operations import safety

        safety.restore_from_backup(self, self.session, self.instance_lock, self._restored)

    def _restored(self, source, _saved) -> None:
        self.restored_from = source
        self.open_initial()  # the restored file may hold other patients

    def start_checks(self) -> None:
        """The day's backup and the quick integrity check, off the UI thread, once the window is up."""
        from ..operations import safety

        safety.start_checks(self, self.session, self._checked)

    def _checked(self, report, problem: str | None) -> None:
        from ..operations import safety

        self.startup_report = report
        if problem:
            self.page.show_notice(problem)
        if report is not None and not report.sound:
            self.damaged_box = safety.offer_restore(self, self.session, report, self.instance_lock, self._restored)

    def share_calendar(self) -> None:
        from ..sharing.dialog import ShareDialog

        if self.session.patient_id is None:
            return
        self.share_dialog = ShareDialog(self.session, self.session.patient_id, self)
        self.share_dialog.published.connect(self.calendar_state.show_state)
        self.share_dialog.show()

    def switch_role(self) -> None:
        """File ▸ Switch role…: asks, remembers, and leaves the reopening to the app (`role_switch_requested`)."""
        from ..dialogs import role as role_dialog

        role = role_dialog.choose_role(self, default=self.ctx.role)
        if role is None or role == self.ctx.role:
            return
        if Role(self.ctx.role).read_only and not Role(role).read_only:
            # From looking to writing: said plainly and confirmed; the new window records it in the audit trail.
            self.role_confirm = role_dialog.confirm_writing_role(self, Role(self.ctx.role), Role(role),
                                                                 lambda: self._switch_to(role))
            return
        self._switch_to(role)

    def _switch_to(self, role: str) -> None:
        self.settings.set_role(role)
        self.role_switch_requested.emit(role)

    def open_protocols(self) -> None:
        from PySide6.QtCore import Qt

        from ..dialogs.protocols import ProtocolsDialog

        dialog = ProtocolsDialog(self.ctx.role, self.session.bus, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.protocols_dialog = dialog

    def clinic_access(self) -> None:
        """File ▸ Clinic access… (a coordinator on a clinic server): the logins, grant and revoke."""
        from PySide6.QtCore import Qt

        from ..dialogs.clinic_access import ClinicAccessDialog

        dialog = ClinicAccessDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.clinic_dialog = dialog

    def show_audit(self) -> None:
        from PySide6.QtCore import Qt

        from ..dialogs.audit import AuditDialog

        dialog = AuditDialog(self.session, self.session.patient_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.audit_dialog = dialog

    # ---- what the patient's page reads ---------------------------------------------------------------------
    def _status_arrived(self, status) -> None:
        self.status = status
        today = self.ctx.today()
        if status is not None:
            self.header.show_status(status, today)
        elif self.summary is not None:  # the clinical rules could not run: who and where, without alerts
            self.header.show_summary(self.summary, today)

    def _loaded(self) -> None:
        self.watch.check()
        self.dose_watch.check()
        if not self._loaded_once:
            self._loaded_once = True
            self.watch.start()
            self.dose_watch.start()
            self.loaded.emit()

    def _busy(self, busy: bool) -> None:
        # Only show the indicator for work that takes a moment: no flicker for quick reads.
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.progress.hide()

    # ---- logging ----------------------------------------------------------------------------------------------
    def log_quick_temperature(self) -> None:
        from ..operations import log as log_ops

        if self.session.patient_id is None or self.readonly or not self.quick_temp.isVisible():
            return  # never for a patient not on show (the dashboard hides the quick log)
        self.quick_button.setEnabled(False)  # one temperature at a time; back once it is saved or refused
        log_ops.quick_temperature(self, self.session, self.quick_temp.value(),
                                  finished=lambda: self.quick_button.setEnabled(True))

    def _show_whom_it_is_for(self) -> None:
        """A write from the menus while the list of all patients is shown: first the patient it is for."""
        if self.current_page() == DASHBOARD_PAGE:
            self.show_page(PATIENT_PAGE)

    def log_entry(self, kind: LogKind) -> None:
        from ..operations import log as log_ops

        self._show_whom_it_is_for()
        self.log_dialog = log_ops.open_log_dialog(self, self.session, kind, log_ops.gvhd_allowed(self.status))

    def correct_entry(self) -> None:
        from ..operations import log as log_ops

        self.log_dialog = log_ops.correct(self, self.session, self.page.history.current_entry(),
                                          log_ops.gvhd_allowed(self.status))

    def delete_entry(self) -> None:
        from ..operations import log as log_ops

        self.delete_dialog = log_ops.delete(self, self.session, self.page.history.current_entry())

    def _update_entry_actions(self, selected: bool) -> None:
        for action in (self.correct_action, self.delete_action):
            action.setEnabled(selected)

    def _update_undo(self) -> None:
        top = self.session.undo.top
        self.undo_action.setEnabled(top is not None)
        self.undo_action.setText(f"&Undo {top.label}" if top else "&Undo")

    # ---- journey ------------------------------------------------------------------------------------------------
    def change_phase(self) -> None:
        from ..operations import journey as journey_ops

        pid = self.session.patient_id
        if pid is None:
            self.open_wizard()
            return
        self._show_whom_it_is_for()
        journey_ops.change_phase(self, self.session, pid, opened=self._phase_dialog_opened)

    def _phase_dialog_opened(self, dialog) -> None:
        self.phase_dialog = dialog

    def open_wizard(self) -> None:
        from ..dialogs.wizard import FirstRunWizard

        waiting = next((p.id for p in self.patients if p.phase is None), None)
        wizard = FirstRunWizard(self.session, self.settings, self, resume_id=waiting)
        wizard.finished_with_patient.connect(self._after_wizard)
        wizard.open()
        self.wizard = wizard

    def _after_wizard(self, patient_id: int) -> None:
        self._temperature_first = True
        self.show_page(PATIENT_PAGE)
        self.open_patient(patient_id)

    # ---- reminders -----------------------------------------------------------------------------------------------
    def _announce(self, items) -> None:
        first = items[0]
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage("Reminder due", first.title, QSystemTrayIcon.MessageIcon.Information, 30_000)
        QApplication.alert(self)

    def _announce_doses(self, items) -> None:
        """A dose at its time, and once more an hour later while unrecorded: the tray and the banner."""
        from ..medicines.words import announcement_words

        self.dose_banner.set_announcements(items)
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage("Medicine due", announcement_words([a.dose for a in items], items[0].repeat),
                                  QSystemTrayIcon.MessageIcon.Information, 30_000)
        QApplication.alert(self)

    def take_next_dose(self) -> None:
        if self.doses is not None and not self.readonly:
            self.doses.take_next()

    def skip_next_dose(self) -> None:
        if self.doses is not None and not self.readonly:
            self.doses.skip_next()

    def _announce_urgent(self, alert) -> None:
        """An urgent alert: red in the window already; also a tray notification where there is a tray."""
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage("Urgent", alert.message, QSystemTrayIcon.MessageIcon.Critical, 60_000)
        QApplication.alert(self)

    # ---- view ----------------------------------------------------------------------------------------------------
    def toggle_large_text(self) -> None:
        on = self.large_action.isChecked()
        self.settings.set_large_text(on)
        apply_text_mode(QApplication.instance(), on)
        if self.body_built:
            self.page.timeline.high_contrast = on
            self.page.timeline.updateGeometry()
            self.page.timeline.update()

    def preferences(self) -> None:
        from ..dialogs.preferences import PreferencesDialog

        where = self.session.where if self.session is not None else self.db_key
        dialog = PreferencesDialog(self.settings, self, database=where)
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

    def save_state(self) -> None:
        self.settings.set_geometry("main", self.saveGeometry())
        if not self.body_built:
            return  # closed before the data was open: nothing else has changed
        self.settings.set_geometry("splitter", self.page.splitter.saveState())
        self.settings.set_timeline_span(self.page.timeline.span)
        self.settings.set_insight_tab(self.page.insight.currentIndex())

    def quit(self) -> None:
        """Quit (Ctrl+Q) ends the app with exit 0, even when the tray keeps it alive on close."""
        self.save_state()
        self._quitting = True
        QApplication.instance().quit()

    def retire(self) -> None:
        """Replaced by a window in another role: close without quitting, then let go of the database."""
        from PySide6.QtCore import QThreadPool

        self.save_state()
        self.watch.stop()
        if self.dose_watch is not None:
            self.dose_watch.stop()
        self._retiring = True
        if self.tray is not None:
            self.tray.hide()
        self.close()
        QThreadPool.globalInstance().waitForDone()  # no read of this window's may outlive its context
        self.session.close()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._retiring:
            event.accept()
            return
        self.save_state()
        if self.tray is not None and not self._quitting:
            # Reminders keep working from the tray; Quit ends the app.
            self.hide()
            self.tray.showMessage("mstracker is still running", "Reminders will appear here. Quit from the menu.",
                                  QSystemTrayIcon.MessageIcon.Information, 5_000)
            event.ignore()
            return
        event.accept()
        QApplication.instance().quit()
