"""What the medicines' buttons do: record a dose taken or skipped (undoable), add, stop and change a course.
Each write runs through the session's runner off the UI thread; a refusal is the service's own sentence —
the one the command line prints after `error: ` — shown inline by the dialog that asked (`on_failure`) or
in the standard dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from PySide6.QtWidgets import QWidget

from ...domain.medicines.course import Route
from ...domain.medicines.doses import Dose
from ..core.later import later
from ..core.runner import Changes
from ..core.session import Session
from ..core.undo import Undo

medicines = later("mstracker.services.medicines")

# A recorded dose or a course is an event in the log: the history, the status (alerts, adherence) follow it.
CHANGES = Changes(log=True)

Failure = Callable[[str], None] | None


def record_taken(parent: QWidget | None, session: Session, dose: Dose, *, on_failure: Failure = None) -> None:
    if session.readonly:
        return
    ctx, name = session.ctx, dose.course.name
    session.op(parent, lambda: medicines.record_taken(ctx, dose.course.id, dose.due), CHANGES,
               undo=lambda result: Undo(f"“{name}” taken", medicines.undo_record, (result[0],)),
               on_success=lambda _r: session.bus.said.emit(
                   f"{name} ({dose.due:%H:%M}) recorded as taken. Ctrl+Z takes it back.", 10_000),
               on_failure=on_failure)


def record_skip(parent: QWidget | None, session: Session, dose: Dose, reason: str, *,
                on_failure: Failure = None, on_success: Callable[[], None] | None = None) -> None:
    if session.readonly:
        return
    ctx, name = session.ctx, dose.course.name

    def done(_result) -> None:
        session.bus.said.emit(f"{name} ({dose.due:%H:%M}) recorded as skipped. Ctrl+Z takes it back.", 10_000)
        if on_success is not None:
            on_success()

    session.op(parent, lambda: medicines.record_skip(ctx, dose.course.id, dose.due, reason), CHANGES,
               undo=lambda result: Undo(f"“{name}” skipped", medicines.undo_record, (result[0],)),
               on_success=done, on_failure=on_failure)


def add_course(parent: QWidget | None, session: Session, patient_id: int, *, name: str, times: tuple[time, ...],
               first_day: date, last_day: date | None, every_days: int | None, weekdays: tuple[int, ...] | None,
               dose: str, route: Route, purpose: str, on_success: Callable[[int], None], on_failure: Failure) -> None:
    ctx = session.ctx
    session.op(parent, lambda: medicines.add_course(
        ctx, patient_id, name=name, times=times, first_day=first_day, last_day=last_day, every_days=every_days,
        weekdays=weekdays, dose=dose, route=route, purpose=purpose), CHANGES,
        on_success=lambda course_id: (session.bus.said.emit(f"{name} added.", 8_000), on_success(course_id)),
        on_failure=on_failure)


def stop_course(parent: QWidget | None, session: Session, course_id: int, name: str, on: date, reason: str, *,
                on_success: Callable[[object], None], on_failure: Failure) -> None:
    ctx = session.ctx
    session.op(parent, lambda: medicines.stop_course(ctx, course_id, on, reason), CHANGES,
               on_success=lambda view: (session.bus.said.emit(f"{name}: last day {on:%-d %b %Y}.", 8_000),
                                        on_success(view)),
               on_failure=on_failure)


def change_dose(parent: QWidget | None, session: Session, course_id: int, name: str, dose: str, from_day: date, *,
                on_success: Callable[[int], None], on_failure: Failure) -> None:
    ctx = session.ctx
    session.op(parent, lambda: medicines.change_dose(ctx, course_id, dose, from_day), CHANGES,
               on_success=lambda new_id: (session.bus.said.emit(
                   f"{name}: {dose.strip()} from {from_day:%-d %b %Y}.", 8_000), on_success(new_id)),
               on_failure=on_failure)
