"""The medicine courses in the iCalendar export: one recurring event per course and time of day.

DTSTART is the course's first dose at that time (a real occurrence: for a weekday course, its first
matching weekday); the RRULE repeats it daily, every N days or on the named weekdays, with UNTIL (in UTC, as
RFC 5545 asks beside a DTSTART with a TZID) once the last day is known. No EXDATE: expanding the series gives
exactly the course's scheduled doses, whatever their status. Each event has an alarm at the dose's time.
The UID is the course's own (stable when its anchors move) with the time of day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Event, vRecur

from .ics_alarm import add_display_alarm
from .model import CourseItem, ExportData

DURATION = timedelta(minutes=15)
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ROUTE_WORDS = {"oral": "by mouth", "injection": "injection", "other": ""}


def first_dose_day(course: CourseItem) -> date | None:
    """The first day the course puts a dose on, or None (not scheduled, or no day within its bounds)."""
    day = course.first_day
    if day is None:
        return None
    if course.weekdays is not None:
        while day.weekday() not in course.weekdays:
            day += timedelta(days=1)
    return day if course.last_day is None or day <= course.last_day else None


def event_uid(course: CourseItem, at: time) -> str:
    base = course.uid.removesuffix("@mstracker")
    return f"{base}-{at:%H%M}@mstracker"


def course_events(data: ExportData, zone: ZoneInfo | None, stamp: datetime) -> list[Event]:
    """The VEVENTs of every scheduled course."""
    return [_event(data, course, at, day, zone, stamp) for course in data.courses
            if (day := first_dose_day(course)) is not None for at in course.times]


def course_days(data: ExportData) -> list[date]:
    """The days the events span, for the VTIMEZONE's range."""
    return [d for c in data.courses for d in (c.first_day, c.last_day) if d is not None]


def _rule(course: CourseItem, at: time, zone: ZoneInfo | None) -> vRecur:
    rule: dict = {}
    if course.weekdays is not None:
        rule = {"freq": "weekly", "byday": [_BYDAY[d] for d in course.weekdays]}
    else:
        rule = {"freq": "daily"}
        if (course.every_days or 1) > 1:
            rule["interval"] = course.every_days
    if course.last_day is not None:
        last = datetime.combine(course.last_day, at)
        # With a zone, UNTIL is the last dose in UTC; floating times keep a floating UNTIL.
        rule["until"] = last.replace(tzinfo=zone).astimezone(UTC) if zone is not None else last
    return vRecur(rule)


def _event(data: ExportData, course: CourseItem, at: time, day: date, zone: ZoneInfo | None,
           stamp: datetime) -> Event:
    ev = Event()
    ev.add("uid", event_uid(course, at))
    ev.add("dtstamp", stamp)
    start = datetime.combine(day, at)
    start = start.replace(tzinfo=zone) if zone is not None else start
    ev.add("dtstart", start)
    ev.add("dtend", start + DURATION)
    ev.add("rrule", _rule(course, at, zone))
    summary = f"{course.name}: {course.dose}"
    ev.add("summary", summary)
    ev.add("status", "CONFIRMED")
    route = ROUTE_WORDS.get(course.route, course.route)
    lines = [f"{course.name} for {data.patient.name}" + (f" ({route})" if route else "") + ".",
             f"Dose: {course.dose}."]
    if course.purpose:
        lines.append(f"Purpose: {course.purpose}.")
    lines.append("Take it as your team prescribed; record it in mstracker when taken.")
    ev.add("description", "\n".join(lines))
    ev.add("categories", ["medicine"])
    ev.add("transp", "TRANSPARENT")
    return add_display_alarm(ev, summary)
