"""The application: `mstracker gui [--smoke]` calls `run_app` (start, smoke mode, shutdown); the role switch
(`reopen_in_role`). What only the start needs — the first paint, the opening off the UI thread, the role
question, the instance lock — is in `startup/`."""

from __future__ import annotations

import linecache
import logging
import sys

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ..domain.errors import UserError
from .core import app_log, screen_fit
from .core.paths import icon_path
from .core.settings import UiSettings
from .core.style import apply_text_mode
from .startup.first_paint import SMOKE_TIMEOUT_MS, PaintWatch, painted_first, smoke_painted
from .startup.opening import open_for_start
from .window.main_window import MainWindow

log = logging.getLogger(__name__)


def make_application(*, accessibility: bool = True) -> QApplication:
    """The application, with every window fitted to the screen and its title (core/screen_fit.py);
    `accessibility=False` leaves the drop-down lists' names to `install_accessibility` (after a first paint)."""
    app_log.install()  # before the QApplication: Qt's first warnings come as it is made
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("mstracker")
    app.setOrganizationName("mstracker")
    app.setApplicationDisplayName("mstracker")
    app.setDesktopFileName("mstracker")  # matches resources/mstracker.desktop
    app.setWindowIcon(QIcon(str(icon_path())))
    if accessibility:
        install_accessibility()
    screen_fit.install(app)  # windows not of the app's own classes: its own fit themselves
    return app  # type: ignore[return-value]


def build_window(db: str | None, role: str, *, clock=None, settings: UiSettings | None = None,
                 ctx=None, lock=None) -> MainWindow:
    """Open the database and the main window on the last patient viewed, on the role's home page
    (the caregiver's schedule, the coordinators' dashboard); tests call this directly. The database opens as
    the app's start opens it (startup/opening.py): the quick way on a plain file, else the full way."""
    if ctx is None:
        from .startup.opening import open_as_the_app_does

        ctx = open_as_the_app_does(db, role, clock)
    from .core.session import Session

    window = MainWindow(Session(ctx), settings or UiSettings(), db_key=ctx.where)
    _open(window, lock)
    return window


def install_accessibility() -> None:
    """Drop-down lists named by their labels for a screen reader (core/combo_names.py). Its QAccessible classes
    cost the first paint, which has no drop-down list, a fortieth of its time: put on before the patient's
    page (and any dialog) is built."""
    from .core import combo_names

    combo_names.install()


def _open(window: MainWindow, lock) -> None:
    window.instance_lock = lock
    window.role_switch_requested.connect(lambda role: reopen_in_role(window, role))
    window.open_initial()
    window.show_home()
    # PySide6 reads the source of every module imported after it (to see whether it uses its `__feature__`
    # switches), and Python keeps those lines in linecache: about 5 MB, the window's modules all in by now,
    # that nothing reads again (a traceback reads its lines back from the file).
    linecache.clearcache()


def reopen_in_role(old: MainWindow, role: str) -> MainWindow | None:
    """File ▸ Switch role…: the same database in a new window of `role`; the old window goes."""
    from ..services.context import open_context

    ctx = old.ctx
    try:
        new_ctx = open_context(ctx.target_text, role=role, passphrase=ctx.passphrase, clock=ctx.clock)
    except UserError as exc:
        QMessageBox.warning(old, "mstracker", str(exc))
        return None
    lock = old.instance_lock
    if lock is None and not new_ctx.readonly:
        from ..services.locking import acquire_instance_lock

        lock = acquire_instance_lock(new_ctx)
        if lock is None:
            new_ctx.close()
            QMessageBox.warning(old, "mstracker", "Another mstracker window has this database open, so it can "
                                "only be opened read-only here. Close the other window first.")
            return None
    window = build_window(None, role, settings=old.settings, ctx=new_ctx, lock=lock)
    if ctx.readonly and not new_ctx.readonly and old.session is not None and old.session.patient_id is not None:
        _record_switch(window, old.session.patient_id, ctx.role)
    window.show()
    old.instance_lock = None
    old.retire()
    app = QApplication.instance()
    if app is not None:
        app.setQuitOnLastWindowClosed(window.tray is None)
    _windows[:] = [window]
    return window


def _record_switch(window: MainWindow, patient_id: int, from_role: str) -> None:
    """A read-only user now writes: on the record of the patient they were viewing, as the new role's first write."""
    from ..services import audit
    from .core.runner import Changes

    ctx = window.session.ctx
    window.session.op(window, lambda: audit.record_role_switch(ctx, patient_id, from_role), Changes(),
                      on_success=lambda _r: window.session.bus.said.emit(
                          f"You are now the {ctx.role}: the switch is recorded in the audit trail.", 10_000))


_windows: list[MainWindow] = []  # the live window (a role switch replaces it)


def run_app(db: str | None, role: str = "patient", smoke: bool = False, role_explicit: bool = True,
            smoke_until_loaded: bool = False) -> int:
    """`smoke`: exit 0 once the window has been painted (docs/command-line.md); with `smoke_until_loaded` (the benchmarks),
    once the opened database's first full load (status, history, reminders) has arrived as well."""
    app = make_application(accessibility=False)
    settings = UiSettings()
    apply_text_mode(app, settings.large_text())
    shell = painted_first(db, role, role_explicit, settings, smoke)
    if shell is not None and smoke and not smoke_until_loaded:
        return smoke_painted(app, shell)
    try:
        if shell is not None:
            shell.show()  # painted while the database opens off the UI thread (its own loop runs)
        claimed = open_for_start(app, db, role, role_explicit, settings, smoke, splash=shell is None)
        install_accessibility()  # painted by now (the role question and the lock's box have no drop-down list)
        if claimed is None:
            return 0  # the database is open elsewhere and the user chose to quit
        ctx, lock = claimed
        window = _into(shell, ctx, lock, settings, db)
    except UserError as exc:
        if not smoke:
            QMessageBox.warning(shell, "mstracker cannot open the database", str(exc))
        raise  # the CLI prints it as one `error: ` line and exits 2
    _windows[:] = [window]
    failures: list[str] = []
    previous_hook = sys.excepthook

    def hook(kind, value, tb) -> None:  # an exception in a slot: logged; in smoke mode it fails the run
        log.error("unexpected error in the app", exc_info=(kind, value, tb))
        failures.append(f"{kind.__name__}: {value}")
        if smoke:
            app.exit(1)

    sys.excepthook = hook
    try:
        window.show()
        if smoke:
            return _smoke(app, window, failures)
        window.loaded.connect(lambda: _first_run(window))  # the patients are read off the UI thread
        QTimer.singleShot(0, window.start_checks)
        app.setQuitOnLastWindowClosed(window.tray is None)
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        QThreadPool.globalInstance().waitForDone()
        for live in _windows or [window]:
            live.session.ctx.close()
        _windows.clear()


def _into(shell: MainWindow | None, ctx, lock, settings: UiSettings, db: str | None) -> MainWindow:
    """The window on the opened database: the shell itself when it was made for the same file and role."""
    if shell is not None and shell.role == ctx.role and shell.readonly == ctx.readonly \
            and shell.db_key == ctx.where:
        from .core.session import Session

        shell.attach(Session(ctx))
        _open(shell, lock)
        return shell
    window = build_window(db, ctx.role, settings=settings, ctx=ctx, lock=lock)
    if shell is not None:  # e.g. opened read-only after all (another window holds the file)
        window.show()
        shell.hide()
        shell.deleteLater()
    return window


def _first_run(window: MainWindow) -> None:
    """No patient yet in a file the user may write: the first-run guide opens by itself."""
    if window.session.patient_id is None and not window.readonly:
        window.open_wizard()


def _smoke(app: QApplication, window: MainWindow, failures: list[str]) -> int:
    """Exit 0 once the window has been painted and its first load has arrived without errors; else 1."""
    loaded = {"done": window._loaded_once}

    def poll() -> None:
        if failures or window.load_errors:
            app.exit(1)
        elif watch.painted and loaded["done"]:
            app.exit(0)

    watch = PaintWatch(first_paint=poll)
    window.installEventFilter(watch)
    window.loaded.connect(lambda: (loaded.update(done=True), poll()))
    timer = QTimer()  # errors arrive by other ways: looked at now and then
    timer.setInterval(20)
    timer.timeout.connect(poll)
    timer.start()
    QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(1))
    window.update()
    code = app.exec()
    for problem in failures + window.load_errors:
        print(f"error: {problem}", file=sys.stderr)
    return code
