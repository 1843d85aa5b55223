"""The medicine courses in the printed timeline: one table row per course, with the last 7 days' adherence."""

from __future__ import annotations

import html

from .model import CourseItem, ExportData

HEADERS = ("Medicine", "Dose", "When", "From", "To", "Status", "Taken (7 days)")
WIDTHS = (24, 13, 16, 13, 13, 10, 11)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def adherence_text(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


def _when(course: CourseItem) -> str:
    times = ", ".join(t.strftime("%H:%M") for t in course.times)
    if course.weekdays is not None:
        return f"{times} on {', '.join(_DAYS[d] for d in course.weekdays)}"
    every = course.every_days or 1
    return f"{times} daily" if every == 1 else f"{times} every {every} days"


def course_rows(data: ExportData) -> list[list[str]]:
    """Each course's cells, HTML-escaped, in the order of HEADERS."""
    return [[html.escape(c.name) + (f"<br/><i>{html.escape(c.purpose)}</i>" if c.purpose else ""),
             html.escape(c.dose), html.escape(_when(c)), c.first_day.isoformat() if c.first_day else "not yet",
             c.last_day.isoformat() if c.last_day else "open-ended", c.status, adherence_text(c.adherence_7d)]
            for c in data.courses]


def summary_line(data: ExportData) -> str:
    return f"Doses taken over the last 7 days: {adherence_text(data.adherence_7d)} (skipped and missed doses count " \
           "against it; doses not yet due do not)."
