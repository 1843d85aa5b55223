"""The Medicines view: every course of the patient — the protocol's and their own — with what, how, when and
whether it runs now; Add, Stop and Change dose for the roles that write. Follows the session like the other
views (reads `list_courses` off the UI thread on a patient switch and after any write)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.medicines.course import CourseStatus, Source
from ..core.focus_order import chain
from ..core.later import later
from ..core.row_model import Index, RowTableModel
from ..core.runner import Changes, Newest, error_text
from ..core.session import Session
from ..core.tables import row_table
from . import ops
from .course_dialogs import AddCourseDialog, ChangeDoseDialog, StopCourseDialog
from .words import COURSE_STATUS_WORDS, ROUTE_WORDS, course_span

if TYPE_CHECKING:
    from ...services.medicines import CourseView

medicines = later("mstracker.services.medicines")

COLUMNS = ("Medicine", "For", "Dose", "How", "When", "Days", "From", "Now")
MEDICINE, PURPOSE, DOSE, ROUTE, WHEN, DAYS, SOURCE, NOW = range(len(COLUMNS))
# What runs now first, then what is coming, then what has ended; by id within each.
STATUS_ORDER = {CourseStatus.ACTIVE: 0, CourseStatus.PLANNED: 1, CourseStatus.ENDED: 2}


class CoursesModel(RowTableModel):
    columns = COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        view: CourseView = self._rows[index.row()]
        c = view.course
        return (
            c.name,
            c.purpose,
            c.dose,
            ROUTE_WORDS.get(c.route.value, c.route.value),
            f"{c.times_text}, {c.rhythm_text}",
            course_span(c),
            "protocol" if c.source == Source.PROTOCOL else "your own",
            COURSE_STATUS_WORDS.get(view.status, view.status.value),
        )[index.column()]


class MedicinesView(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.ctx = session, session.ctx
        self.readonly = session.readonly
        self.courses: list[CourseView] = []
        self.dialog = None  # the form opened last, kept alive while it shows
        self._newest = Newest()
        title = QLabel("Medicines")
        title.setObjectName("sectionTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        note = QLabel("From your centre's protocol and your prescriptions. mstracker never prescribes: names, doses "
                      "and dates come from your team.")
        note.setWordWrap(True)
        self.state = QLabel("")
        self.state.setObjectName("medicinesState")
        self.model = CoursesModel(self)
        self.table = row_table(self.model, "Medicine courses", object_name="coursesTable")
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MEDICINE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PURPOSE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.add_button = QPushButton("&Add a medicine…")
        self.add_button.setObjectName("addCourse")
        self.stop_button = QPushButton("S&top…")
        self.stop_button.setObjectName("stopCourse")
        self.stop_button.setAccessibleName("Stop the selected medicine")
        self.change_button = QPushButton("C&hange dose…")
        self.change_button.setObjectName("changeDose")
        self.change_button.setAccessibleName("Change the dose of the selected medicine")
        self.add_button.clicked.connect(self.add)
        self.stop_button.clicked.connect(self.stop)
        self.change_button.clicked.connect(self.change_dose)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.stop_button, self.change_button):
            button.setVisible(not self.readonly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.state)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        chain(self.add_button, self.stop_button, self.change_button, self.table)  # the buttons sit above the table
        self._selection_changed()
        session.patient_changed.connect(lambda _pid: self.refresh())
        session.bus.changed.connect(self._changed)
        self.refresh()

    # ---- reading ----------------------------------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if changes.log or changes.journey or changes.patient:
            self.refresh()

    def refresh(self) -> None:
        pid = self.session.patient_id
        if pid is None:
            self._show([])
            return
        ctx = self.ctx
        self.state.setText("Loading…")
        self.session.query(self, lambda: medicines.list_courses(ctx, pid), self._show, newest=self._newest,
                           on_failure=lambda exc: self.state.setText(f"Could not read the medicines: "
                                                                     f"{error_text(exc)}"))

    def _show(self, courses: list[CourseView]) -> None:
        chosen = self.selected()
        courses = sorted(courses, key=lambda v: (STATUS_ORDER.get(v.status, 3), v.course.id))
        self.courses = courses
        self.model.replace_rows(courses)
        self.state.setText("" if courses else "No medicines yet.")
        if not (chosen is not None and self.select_course(chosen.course.id)) and courses:
            self.table.selectRow(0)  # Stop and Change dose work at once, from the keyboard too
        self._selection_changed()
        self.loaded.emit()

    # ---- selection ----------------------------------------------------------------------------------------
    def selected(self) -> CourseView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.courses[rows[0].row()] if rows and rows[0].row() < len(self.courses) else None

    def select_course(self, course_id: int) -> bool:
        for row, view in enumerate(self.courses):
            if view.course.id == course_id:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self, *_args) -> None:
        view = self.selected()
        running = view is not None and view.status != CourseStatus.ENDED
        self.stop_button.setEnabled(running)
        self.change_button.setEnabled(running and view.course.first_day is not None)

    # ---- writing --------------------------------------------------------------------------------------------
    def add(self) -> AddCourseDialog | None:
        pid = self.session.patient_id
        if pid is None or self.readonly:
            return None
        dialog: AddCourseDialog

        def write(values: dict) -> None:
            ops.add_course(dialog, self.session, pid, **values,
                           on_success=lambda _id: dialog.accept(), on_failure=dialog.show_error)

        dialog = AddCourseDialog(self.ctx.today(), write, self)
        return self._open(dialog)

    def stop(self) -> StopCourseDialog | None:
        view = self.selected()
        if view is None or self.readonly:
            return None
        c = view.course
        dialog: StopCourseDialog

        def write(on, reason: str) -> None:
            ops.stop_course(dialog, self.session, c.id, c.name, on, reason,
                            on_success=lambda _v: dialog.accept(), on_failure=dialog.show_error)

        dialog = StopCourseDialog(c, self.ctx.today(), write, self)
        return self._open(dialog)

    def change_dose(self) -> ChangeDoseDialog | None:
        view = self.selected()
        if view is None or self.readonly:
            return None
        c = view.course
        dialog: ChangeDoseDialog

        def write(dose: str, start) -> None:
            ops.change_dose(dialog, self.session, c.id, c.name, dose, start,
                            on_success=lambda _id: dialog.accept(), on_failure=dialog.show_error)

        dialog = ChangeDoseDialog(c, self.ctx.today(), write, self)
        return self._open(dialog)

    def _open(self, dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog
