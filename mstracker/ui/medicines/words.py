"""How a dose, a course and the week's adherence read on screen (Qt-free, so tests and views share them)."""

from __future__ import annotations

from datetime import date, datetime

from ...domain.medicines.course import Course, CourseStatus
from ...domain.medicines.doses import Dose, DoseStatus

ROUTE_WORDS = {"oral": "by mouth", "injection": "injection", "other": "other"}
COURSE_STATUS_WORDS = {CourseStatus.PLANNED: "not started yet", CourseStatus.ACTIVE: "taking now",
                       CourseStatus.ENDED: "ended"}


def day_words(day: date, today: date) -> str:
    if day == today:
        return "today"
    delta = (day - today).days
    if delta == -1:
        return "yesterday"
    if delta == 1:
        return "tomorrow"
    return f"{day:%a %-d %b}"


def medicine_words(course: Course) -> str:
    """'valaciclovir 500 mg'; a dose that only says "as prescribed" is left to the Medicines view: on every
    line of the day it would be noise."""
    if not course.dose or course.dose.lower().startswith("as prescribed"):
        return course.name
    return f"{course.name} {course.dose}"


def status_words(dose: Dose) -> str:
    """What became of a dose, in a few words: colour is never the only sign."""
    if dose.status == DoseStatus.TAKEN:
        at = f" at {dose.taken_at:%H:%M}" if dose.taken_at else ""
        return f"Taken{at}" + (" (late)" if dose.late else "")
    if dose.status == DoseStatus.SKIPPED:
        return "Skipped" + (f": {dose.reason}" if dose.reason else "")
    if dose.status == DoseStatus.MISSED:
        return "Missed"
    return "Due"


def dose_line(dose: Dose, today: date) -> str:
    """'08:00 — aciclovir …, as prescribed by your team': the time first, the day when it is not today."""
    when = f"{dose.due:%H:%M}" if dose.due.date() == today else f"{day_words(dose.due.date(), today)} {dose.due:%H:%M}"
    return f"{when} — {medicine_words(dose.course)}"


def adherence_words(value: float | None) -> str:
    if value is None:
        return "This week: no doses due yet."
    return f"This week: {round(value * 100)} % of doses taken."


def announcement_words(doses: list[Dose], repeat: bool) -> str:
    """One sentence for the doses announced together: 'Time for aciclovir … and co-trimoxazole … (08:00).'"""
    names = [medicine_words(d.course) for d in doses]
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    times = sorted({f"{d.due:%H:%M}" for d in doses})
    if repeat:
        return f"Still not recorded: {what}, due at {' and '.join(times)}."
    return f"Time for {what} ({' and '.join(times)})."


def course_span(course: Course) -> str:
    if course.first_day is None:
        return "not scheduled yet"
    end = f"{course.last_day:%-d %b %Y}" if course.last_day else "open-ended"
    return f"{course.first_day:%-d %b %Y} to {end}"


def moment_words(moment: datetime) -> str:
    return f"{moment:%a %-d %b %H:%M}"
