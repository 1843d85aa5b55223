"""Opening the database off the UI thread while the painted window (or a busy window) stays alive; the role to
start in; and this process's hold on the file.

Imported before the window's first paint: what the opening needs beyond that (the runner, the role question,
the opened database and its lock) is imported inside the functions that use it, after the paint is queued.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QVBoxLayout, QWidget

from ...services.roles import Role
from ..core.settings import UiSettings


def open_for_start(app: QApplication, db: str | None, role: str, role_explicit: bool, settings: UiSettings,
                   smoke: bool = False, splash: bool = True):
    """The context to start in: the role (asked once, when not given and several patients share the
    database), and this process's hold on the file (or read-only, if the user chose that). None: quit."""
    from ...services.places import is_server_target
    from .role import decide_role

    first = role if role_explicit or smoke else (settings.role() or role)
    if not role_explicit and is_server_target(db):
        first = None  # a clinic server's grant decides the role
    ctx = open_off_ui_thread(app, db, first, splash)
    if not smoke and ctx.server is None:
        from ...services import patient_list

        count = 0 if role_explicit else len(_wait_off_ui_thread(lambda: patient_list.list_patients(ctx)))
        chosen = decide_role(role, role_explicit, settings, count)
        if chosen != ctx.role:
            ctx.close()
            ctx = open_off_ui_thread(app, db, chosen, splash)
    if smoke:
        return ctx, None
    from .instance_lock import claim  # its lock file comes with the opened database (services.locking)

    return claim(ctx, lambda: open_off_ui_thread(app, db, Role.CAREGIVER, splash))


def open_off_ui_thread(app: QApplication, db: str | None, role: str | None, splash: bool = True):
    """Open (and if needed back up and migrate) the database in a worker; a busy window shows if it takes a
    while (unless the main window already says so)."""
    return _wait_off_ui_thread(lambda: _open_and_import(db, role), splash)


def _wait_off_ui_thread(fn, splash: bool = False):
    """`fn()` in a worker while the UI thread's own loop runs (the painted window stays alive), before the
    window has a session; its result, or its exception raised here."""
    from ..core.runner import ChangeBus, run_query

    loop = QEventLoop()
    outcome: dict = {}
    opening = OpeningWindow()
    show_later = QTimer()
    show_later.setSingleShot(True)
    show_later.timeout.connect(opening.show)
    if splash:
        show_later.start(400)  # a quick open shows nothing at all

    def done(value) -> None:
        outcome["value"] = value
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    run_query(None, ChangeBus(), fn, done, on_failure=failed)
    loop.exec()
    show_later.stop()
    opening.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _open_and_import(db: str | None, role: str | None):
    """In the worker: the opened context, and what the window imports as it attaches to it imported here
    first, not on the UI thread.

    A plain file at this version's schema, with nothing to do first, is read the quick way until the first
    write (`services.lazy_context`): the window then shows its data without waiting for SQLAlchemy and every
    service to load (most of a second, and 50 MB)."""
    from ..window.main_window import ATTACH_IMPORTS, HOME_IMPORTS

    ctx = open_as_the_app_does(db, role)
    for name in ATTACH_IMPORTS + HOME_IMPORTS.get(ctx.role, ()):
        importlib.import_module(name)
    return ctx


def open_as_the_app_does(db: str | None, role: str | None, clock=None):
    """A `LazyContext` on a plain file at this schema with nothing to do first (a role given), else the
    database opened the full way (a server, whose grant decides the role; an encrypted file; a migration)."""
    from ...services.lazy_context import open_lazy
    from ...services.places import default_db_target, is_server_target

    target = db or default_db_target()
    if role is not None and not is_server_target(target):
        ctx = open_lazy(target, Role(role))
        if ctx is not None:
            ctx.clock = clock
            return ctx
    from ...services.context import open_context

    return open_context(db, role=role, clock=clock)


class OpeningWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("mstracker")
        self.setAccessibleName("Opening your data")
        label = QLabel("Opening your data…")
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setAccessibleName("Opening")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(bar)
