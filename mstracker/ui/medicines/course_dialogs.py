"""The Medicines view's dialogs: add a course of the patient's own, stop one, change a dose. Each reads what
was typed with the same rules as `mstracker med` (so a bad time, an unknown weekday or a last day before the
first is refused in the very words the command line prints after `error: `), shows a refusal inline keeping
what was typed, and closes once the write is done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import UserError
from ...domain.medicines import course as rules
from ...domain.medicines.course import Course, Route
from ..core.screen_fit import FitsScreen
from .words import ROUTE_WORDS

RHYTHMS = (("daily", "Every day"), ("every", "Every few days"), ("weekdays", "On named weekdays"))


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    edit.setAccessibleName(name)
    return edit


class _Form(FitsScreen, QDialog):
    """A form with an inline error line; OK calls `submit`, which ends with `accept` once written."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel("")
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.setAccessibleName("Problem")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.write: Callable[[QDialog], None] | None = None

    def show_error(self, message: str) -> None:
        self.ok.setEnabled(True)
        self.error.setText(message)
        self.error.setAccessibleDescription(message)
        self.error.show()

    def _submit(self) -> None:
        self.error.hide()
        try:
            self.submit()
        except UserError as exc:
            self.show_error(str(exc))

    def submit(self) -> None:  # pragma: no cover - each form its own
        raise NotImplementedError


class AddCourseDialog(_Form):
    """`write(values)` is called with the parsed values (the keywords of `services.medicines.add_course`)."""

    def __init__(self, today: date, write: Callable[[dict], None], parent: QWidget | None = None) -> None:
        super().__init__("Add a medicine", "Add", parent)
        self._write = write
        self.name = QLineEdit()
        self.name.setObjectName("courseName")
        self.name.setPlaceholderText("as on the prescription, e.g. valaciclovir")
        self.dose = QLineEdit()
        self.dose.setObjectName("courseDose")
        self.dose.setPlaceholderText("e.g. 500 mg (empty: as prescribed)")
        self.route = QComboBox()
        self.route.setObjectName("courseRoute")
        for route in Route:
            self.route.addItem(ROUTE_WORDS.get(route.value, route.value), route.value)
        self.times = QLineEdit("08:00")
        self.times.setObjectName("courseTimes")
        self.times.setPlaceholderText("HH:MM, e.g. 08:00,20:00")
        self.rhythm = QComboBox()
        self.rhythm.setObjectName("courseRhythm")
        for key, words in RHYTHMS:
            self.rhythm.addItem(words, key)
        self.every = QSpinBox()
        self.every.setObjectName("courseEveryDays")
        self.every.setRange(2, rules.MAX_EVERY_DAYS)
        self.every.setSuffix(" days")
        self.weekdays = QLineEdit()
        self.weekdays.setObjectName("courseWeekdays")
        self.weekdays.setPlaceholderText("e.g. mon,wed,fri")
        self.first = date_edit(today, "First day")
        self.first.setObjectName("courseFrom")
        self.has_last = QCheckBox("Ends on")
        self.has_last.setObjectName("courseHasLast")
        self.last = date_edit(today, "Last day")
        self.last.setObjectName("courseTo")
        self.last.setEnabled(False)
        self.has_last.toggled.connect(self.last.setEnabled)
        self.purpose = QLineEdit()
        self.purpose.setObjectName("coursePurpose")
        self.purpose.setPlaceholderText("optional, e.g. PJP prophylaxis")
        self.rhythm.currentIndexChanged.connect(self._rhythm_changed)
        self._rhythm_changed()
        f = self.form
        f.addRow("&Medicine:", self.name)
        f.addRow("&Dose:", self.dose)
        f.addRow("&Route:", self.route)
        f.addRow("&Times of day:", self.times)
        f.addRow("&How often:", self.rhythm)
        f.addRow("E&very:", self.every)
        f.addRow("&Weekdays:", self.weekdays)
        f.addRow("&First day:", self.first)
        f.addRow(self.has_last, self.last)
        f.addRow("&Purpose:", self.purpose)

    def _rhythm_changed(self) -> None:
        key = self.rhythm.currentData()
        self.every.setEnabled(key == "every")
        self.weekdays.setEnabled(key == "weekdays")

    def submit(self) -> None:
        key = self.rhythm.currentData()
        times = rules.parse_times(self.times.text())
        weekdays = rules.parse_weekdays(self.weekdays.text()) if key == "weekdays" else None
        every = self.every.value() if key == "every" else None
        first = pydate(self.first.date())
        last = pydate(self.last.date()) if self.has_last.isChecked() else None
        rules.check_span(first, last)
        self.ok.setEnabled(False)  # one write at a time; back on a refusal
        self._write({"name": self.name.text(), "times": times, "first_day": first, "last_day": last,
                     "every_days": every, "weekdays": weekdays, "dose": self.dose.text(),
                     "route": Route(self.route.currentData()), "purpose": self.purpose.text()})


class StopCourseDialog(_Form):
    def __init__(self, course: Course, today: date, write: Callable[[date, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Stop {course.name}", "Stop", parent)
        self._write = write
        intro = QLabel("The last day with doses (it may lie ahead: a planned end). Doses already recorded are kept.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.on = date_edit(today, "Last day with doses")
        self.on.setObjectName("stopOn")
        self.reason = QLineEdit()
        self.reason.setObjectName("stopReason")
        self.reason.setPlaceholderText("optional, e.g. the team stopped it")
        self.form.addRow("&Last day:", self.on)
        self.form.addRow("&Reason:", self.reason)

    def submit(self) -> None:
        self.ok.setEnabled(False)
        self._write(pydate(self.on.date()), self.reason.text())


class ChangeDoseDialog(_Form):
    def __init__(self, course: Course, today: date, write: Callable[[str, date], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Change the dose of {course.name}", "Change", parent)
        self._write = write
        intro = QLabel(f"Now: {course.dose or 'as prescribed'}. The course stops the day before the new dose "
                       "starts, and a new one takes over with the same times, so the history keeps both.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.dose = QLineEdit()
        self.dose.setObjectName("newDose")
        self.dose.setPlaceholderText("e.g. 400 mg")
        self.start = date_edit(today, "New dose from")
        self.start.setObjectName("newDoseFrom")
        self.form.addRow("New &dose:", self.dose)
        self.form.addRow("&From:", self.start)

    def submit(self) -> None:
        self.ok.setEnabled(False)
        self._write(self.dose.text(), pydate(self.start.date()))
