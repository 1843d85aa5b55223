"""A caregiver's agenda as rows: overdue first, then today, this week and the next four weeks.

Pure Python (no Qt), so the grouping is tested on its own. Times are naive local wall times, as the
schedule stores them. "This week" is the six days after today and "Next four weeks" the 28 days after
that: rolling windows, so that a Saturday's agenda still shows next week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from ...domain.reminder_times import DueState, due_state
from ...services.replay import Reminder

WEEK_DAYS = 6  # after today
FOUR_WEEKS_DAYS = 28
OPEN = ("pending", "snoozed")

STATUS_WORDS = {"pending": "to do", "snoozed": "snoozed", "done": "done", "skipped": "skipped"}


class Section(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"
    FOUR_WEEKS = "four_weeks"


@dataclass(frozen=True)
class AgendaRow:
    """A section heading, one reminder under it, or the "Nothing planned" line of an empty section."""

    section: Section | None  # None: a row of a single day's list
    text: str
    reminder: Reminder | None = None
    placeholder: bool = False

    @property
    def is_heading(self) -> bool:
        return self.reminder is None and not self.placeholder


def horizon(today: date) -> date:
    """The last day the agenda shows."""
    return today + timedelta(days=WEEK_DAYS + FOUR_WEEKS_DAYS)


def section_of(reminder: Reminder, today: date) -> Section | None:
    """Where a reminder goes, by its effective (snoozed) time; None when it is not on the agenda."""
    day = reminder.effective_due.date()
    if reminder.status == "skipped":
        return None
    if day < today:
        return Section.OVERDUE if reminder.status in OPEN else None
    if day == today:
        return Section.TODAY
    if day <= today + timedelta(days=WEEK_DAYS):
        return Section.WEEK
    if day <= horizon(today):
        return Section.FOUR_WEEKS
    return None


def heading(section: Section, today: date, count: int) -> str:
    week_end = today + timedelta(days=WEEK_DAYS)
    if section is Section.OVERDUE:
        return f"Not done yet, from earlier days ({count})"
    if section is Section.TODAY:
        return f"Today, {today:%A %-d %B}"
    if section is Section.WEEK:
        return f"This week — {today + timedelta(days=1):%a %-d %b} to {week_end:%a %-d %b}"
    return f"Next four weeks — {week_end + timedelta(days=1):%a %-d %b} to {horizon(today):%a %-d %b}"


def build_rows(reminders: list[Reminder], now: datetime) -> list[AgendaRow]:
    """Headings and reminders in agenda order; a section with nothing in it says so (except "Not done yet")."""
    today = now.date()
    grouped: dict[Section, list[Reminder]] = {s: [] for s in Section}
    for r in reminders:
        section = section_of(r, today)
        if section is not None:
            grouped[section].append(r)
    rows: list[AgendaRow] = []
    for section, items in grouped.items():
        if section is Section.OVERDUE and not items:
            continue
        items.sort(key=lambda r: (r.effective_due, r.kind, r.title))
        rows.append(AgendaRow(section, heading(section, today, len(items))))
        rows.extend(AgendaRow(section, r.title, r) for r in items)
        if not items:
            rows.append(AgendaRow(section, "Nothing planned", placeholder=True))
    return rows


def when_text(reminder: Reminder, today: date) -> str:
    """'09:00' today, 'Tue 22 Jun 09:00' otherwise."""
    due = reminder.effective_due
    return f"{due:%H:%M}" if due.date() == today else f"{due:%a %-d %b %H:%M}"


def status_text(reminder: Reminder, now: datetime) -> str:
    """'overdue' by the same rule as the alerts and the dashboard (24 h past due), 'not done yet' before."""
    state = due_state(reminder.status, reminder.effective_due, now)
    if state is DueState.OVERDUE:
        return "overdue"
    if state is DueState.DUE and reminder.effective_due < now.replace(tzinfo=None):
        return "not done yet"
    return STATUS_WORDS.get(reminder.status, reminder.status)


def days_with_items(reminders: list[Reminder]) -> dict[date, bool]:
    """Each day holding a reminder not skipped → whether one of them is still open (to do or snoozed)."""
    days: dict[date, bool] = {}
    for r in reminders:
        if r.status == "skipped":
            continue
        day = r.effective_due.date()
        days[day] = days.get(day, False) or r.status in OPEN
    return days
