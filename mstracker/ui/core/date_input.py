"""The one input for a typed date or date and time: type `2027-03-01` (or the locale's short date) and go.

A line edit rather than Qt's QDateEdit: that one lands Tab on the weekday section, takes months only as
names, jumps on as a section fills and spends Tab on moving between its sections. Here one Tab leaves the
field, and the calendar (the field's button, or Alt+Down) is there for the mouse.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QStyle, QWidget, QWidgetAction

from ...domain.errors import UserError
from .calendar_names import name_calendar

DATE_FORMAT = "yyyy-MM-dd"
TIME_FORMAT = "HH:mm"


def parse_date(text: str) -> QDate:
    """ISO (`2027-03-01`), then the locale's short and long formats; an invalid QDate when none fits."""
    text = text.strip()
    found = QDate.fromString(text, DATE_FORMAT)
    if found.isValid():
        return found
    locale = QLocale()
    for fmt in (QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat):
        found = locale.toDate(text, fmt)
        if found.isValid():
            if found.year() < 100:  # "01/03/27": two-digit years mean this century
                found = found.addYears(2000)
            return found
    return QDate()


def parse_time(text: str) -> QTime:
    text = text.strip()
    for fmt in (TIME_FORMAT, "H:mm", "HH:mm:ss", "HHmm"):
        found = QTime.fromString(text, fmt)
        if found.isValid():
            return found
    return QLocale().toTime(text, QLocale.FormatType.ShortFormat)


def parse_date_time(text: str) -> QDateTime:
    """`2027-03-01 14:30`, `2027-03-01T14:30`, the locale's short date and a time, or a date alone (00:00)."""
    text = text.strip().replace("T", " ")
    if " " in text:
        day_text, _, time_text = text.rpartition(" ")
        day, moment = parse_date(day_text), parse_time(time_text)
        if day.isValid() and moment.isValid():
            return QDateTime(day, moment)
    day = parse_date(text)
    return QDateTime(day, QTime(0, 0)) if day.isValid() else QDateTime()


class DateInput(QLineEdit):
    """`date()` / `setDate()` like QDateEdit; `value()` gives a `datetime.date` or refuses with a UserError."""

    date_changed = Signal(QDate)
    with_time = False

    def __init__(self, value: QDate | date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self._format().upper().replace("HH", "hh"))
        self.setAccessibleDescription(f"Type the date as {self._example()}")
        self.setToolTip(f"Type it as {self._example()}, or press Alt+Down for a calendar")
        icon = QIcon.fromTheme("x-office-calendar")
        if icon.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        self._calendar_action = QAction(icon, "Choose on a calendar", self)
        self._calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self._calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.textChanged.connect(self._text_changed)
        if value is not None:
            self.setDate(value)

    # ---- like QDateEdit ----------------------------------------------------------------------------------
    def date(self) -> QDate:
        return self._parsed().date()

    def setDate(self, value: QDate | date) -> None:
        day = value if isinstance(value, QDate) else QDate(value.year, value.month, value.day)
        moment = self._parsed()
        keep = moment.time() if moment.isValid() else QTime(0, 0)
        self._show(QDateTime(day, keep))

    def value(self, what: str = "date") -> date:
        """The date typed, or a UserError that names the field and how to type it."""
        day = self.date()
        if not day.isValid():
            raise UserError(f"{what}: “{self.text().strip()}” is not a date; type it as {self._example()}")
        return day.toPython()

    # ---- the calendar, for the mouse ----------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> None:
        menu = QMenu(self)
        calendar = name_calendar(QCalendarWidget(menu), "Choose a date")
        if self.date().isValid():
            calendar.setSelectedDate(self.date())
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)
        calendar.activated.connect(lambda day: (self.setDate(day), menu.close()))
        calendar.clicked.connect(lambda day: (self.setDate(day), menu.close()))
        calendar.setFocus()
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))
        menu.deleteLater()

    # ---- inside ---------------------------------------------------------------------------------------------
    def _format(self) -> str:
        return DATE_FORMAT

    def _example(self) -> str:
        return "2027-03-01"

    def _parsed(self) -> QDateTime:
        day = parse_date(self.text())
        return QDateTime(day, QTime(0, 0)) if day.isValid() else QDateTime()

    def _show(self, moment: QDateTime) -> None:
        self.setText(moment.toString(self._format()))

    def _text_changed(self, _text: str) -> None:
        moment = self._parsed()
        valid = moment.isValid() or not self.text().strip()
        self.setProperty("invalid", not valid)  # the stylesheet marks a field that is not a date yet
        self.style().unpolish(self)
        self.style().polish(self)
        if moment.isValid():
            # The date in words beside the digits, for the ear and the eye: "Monday 1 March 2027".
            words = QLocale().toString(moment.date(), QLocale.FormatType.LongFormat)
            self.setAccessibleDescription(f"{words}. Type the date as {self._example()}")
            self.setToolTip(words)
            self.date_changed.emit(moment.date())


class DateTimeInput(DateInput):
    """The same for a moment: `2027-03-01 14:30`; `dateTime()` / `setDateTime()` like QDateTimeEdit."""

    with_time = True

    def dateTime(self) -> QDateTime:
        return self._parsed()

    def setDateTime(self, value: QDateTime | datetime) -> None:
        self._show(value if isinstance(value, QDateTime) else QDateTime(value))

    def setDate(self, value: QDate | date) -> None:
        day = value if isinstance(value, QDate) else QDate(value.year, value.month, value.day)
        moment = self._parsed()
        self._show(QDateTime(day, moment.time() if moment.isValid() else QTime(0, 0)))

    def value_moment(self, what: str = "when") -> datetime:
        moment = self._parsed()
        if not moment.isValid():
            raise UserError(f"{what}: “{self.text().strip()}” is not a date and time; type it as {self._example()}")
        return moment.toPython().replace(second=0, microsecond=0)

    def _format(self) -> str:
        return f"{DATE_FORMAT} {TIME_FORMAT}"

    def _example(self) -> str:
        return "2027-03-01 14:30"

    def _parsed(self) -> QDateTime:
        return parse_date_time(self.text())
