"""Names for the parts of Qt's month calendar, which a screen reader otherwise meets as unnamed buttons and
an unnamed table."""

from __future__ import annotations

from PySide6.QtWidgets import QCalendarWidget, QWidget

_PARTS = {
    "qt_calendar_prevmonth": ("Previous month", "Show the month before"),
    "qt_calendar_nextmonth": ("Next month", "Show the month after"),
    "qt_calendar_monthbutton": ("Choose the month", ""),
    "qt_calendar_yearbutton": ("Choose the year", ""),
    "qt_calendar_yearedit": ("Year", ""),
    "qt_calendar_calendarview": ("Days of the month", "Arrows move between days"),
}


def name_calendar(calendar: QCalendarWidget, name: str) -> QCalendarWidget:
    calendar.setAccessibleName(name)
    for object_name, (part_name, description) in _PARTS.items():
        part = calendar.findChild(QWidget, object_name)
        if part is not None:
            part.setAccessibleName(f"{name}: {part_name}" if object_name.endswith("calendarview") else part_name)
            if description:
                part.setAccessibleDescription(description)
    return calendar
