"""iCalendar (RFC 5545) export: every reminder as a timed event with an alarm, the phases as all-day events.

UIDs are stable across exports, so that a calendar re-importing an update replaces events instead of
duplicating them: a reminder keeps the UID stored with it (it survives anchor moves); a phase's UID names
the journey, the phase and the attempt, and a planned date shares the UID of the phase it plans, so the
planned event becomes the real one. Reminder times are local wall-clock times in the local zone with its
VTIMEZONE (a 09:00 blood test stays 09:00 across a DST change); where the zone has no IANA name (a POSIX
TZ string) they are floating local times.
Skipped reminders stay in the file as CANCELLED, so a re-import cancels them instead of leaving them behind.

`calendar_events` is the one source of the per-event components: this file's writer and the CalDAV
publication (exports/caldav_objects.py) both take their events from it, so that UIDs, titles, times and
alarms never differ between the two. A published calendar is live, so it tells apart what a one-off file
cannot: a done reminder is marked "Done: " without an alarm, an overdue one "Overdue: ", a skipped one is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from ..domain.reminder_times import is_overdue
from .ics_alarm import add_display_alarm
from .ics_medicines import course_days, course_events
from .model import ExportData, PhaseSpan, ScheduledItem

PRODID = "-//mstracker//aHSCT journey//EN"
DURATION = timedelta(minutes=30)
KIND_WORDS = {
    "mri": "MRI", "blood_test": "blood test", "evaluation": "medical evaluation", "vaccination": "vaccination",
    "medication": "medication review", "appointment": "appointment", "custom": "reminder",
}
# How long before the reminder its alarm rings: an evening temperature check at the time itself.
ALARM_BEFORE = {"custom": timedelta(0)}
DEFAULT_ALARM_BEFORE = timedelta(hours=1)


def write_ics(data: ExportData) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{data.patient.name}: aHSCT journey")
    zone = ZoneInfo(data.zone_key) if data.zone_key else None
    if data.zone_key:
        cal.add("x-wr-timezone", data.zone_key)
    for event in calendar_events(data):
        cal.add_component(event)
    if zone is not None:
        first, last = zone_span(data)
        cal.add_missing_timezones(first_date=first, last_date=last)
        if not cal.subcomponents:
            # RFC 5545 wants at least one component: a patient with nothing planned yet gets the zone.
            cal.add_component(Timezone.from_tzid(data.zone_key, first_date=first, last_date=last))
    return cal.to_ical()


def calendar_events(data: ExportData, *, published: bool = False) -> Iterator[Event]:
    """Every event of the patient's calendar, one VEVENT each: the phases, then the reminders.

    `published`: as a live CalDAV calendar shows them (see the module's docstring).
    """
    stamp = data.generated_at.astimezone(UTC)
    zone = ZoneInfo(data.zone_key) if data.zone_key else None
    for span in data.phases:
        yield _phase_event(data, span, stamp)
    for item in data.reminders:
        if published and item.status == "skipped":
            continue
        yield _reminder_event(data, item, zone, stamp, published=published)
    yield from course_events(data, zone, stamp)


def zone_span(data: ExportData) -> tuple[date, date]:
    """The VTIMEZONE must cover every event (the library's default stops at 2038)."""
    days = [s.start for s in data.phases] + [r.effective_due.date() for r in data.reminders] + course_days(data)
    days.append(data.generated_at.date())
    return date(min(days).year - 1, 1, 1), date(max(days).year + 2, 1, 1)


def _local(wall: datetime, zone: ZoneInfo | None) -> datetime:
    # Without a named zone: floating local time (RFC 5545 3.3.5), still 09:00 wherever the calendar is.
    return wall.replace(tzinfo=zone) if zone is not None else wall


def _overdue(data: ExportData, item: ScheduledItem) -> bool:
    return is_overdue(item.status, item.effective_due, data.generated_at)  # the one rule, as the app shows it


def _reminder_event(data: ExportData, item: ScheduledItem, zone: ZoneInfo | None, stamp: datetime, *,
                    published: bool = False) -> Event:
    ev = Event()
    ev.add("uid", item.uid)
    ev.add("dtstamp", stamp)
    start = _local(item.effective_due, zone)
    ev.add("dtstart", start)
    ev.add("dtend", start + DURATION)
    done = published and item.status == "done"
    overdue = published and _overdue(data, item)
    ev.add("summary", f"Done: {item.title}" if done else f"Overdue: {item.title}" if overdue else item.title)
    lines = [f"{KIND_WORDS.get(item.kind, item.kind).capitalize()} for {data.patient.name}.",
             f"Status: {item.status}."]
    if item.status == "snoozed":
        lines.append(f"Snoozed from {item.due:%Y-%m-%d %H:%M}.")
    if item.done_at is not None:
        lines.append(f"Done {item.done_at:%Y-%m-%d %H:%M}.")
    lines.append("A reminder to ask your transplant team, not an order.")
    ev.add("description", "\n".join(lines))
    ev.add("categories", [item.kind])
    ev.add("status", "CANCELLED" if item.status == "skipped" else "CONFIRMED")
    ev.add("transp", "TRANSPARENT")
    if done:
        return ev  # nothing left to remind of
    return add_display_alarm(ev, item.title, ALARM_BEFORE.get(item.kind, DEFAULT_ALARM_BEFORE))


def phase_uid(data: ExportData, span: PhaseSpan) -> str:
    return f"{data.journey_id or 0}-phase-{span.phase}-{span.attempt}@mstracker"


def _phase_event(data: ExportData, span: PhaseSpan, stamp: datetime) -> Event:
    ev = Event()
    ev.add("uid", phase_uid(data, span))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", span.start)
    end = span.end if span.end is not None and span.end > span.start else span.start + timedelta(days=1)
    ev.add("dtend", end)
    attempt = f" (attempt {span.attempt})" if span.attempt > 1 else ""
    planned = "planned: " if span.planned else ""
    day = f" · {data.day_label(span.day)}" if span.day is not None else ""
    ev.add("summary", f"{planned}{span.label.capitalize()}{attempt}{day}")
    lines = [f"{data.patient.name}: {'planned start' if span.planned else 'started'} {span.start.isoformat()}."]
    if span.end is not None:
        lines.append(f"Ended {span.end.isoformat()}.")
    if span.reason:
        lines.append(f"Reason: {span.reason}.")
    ev.add("description", "\n".join(lines))
    ev.add("categories", ["phase"])
    ev.add("status", "TENTATIVE" if span.planned else "CONFIRMED")
    ev.add("transp", "TRANSPARENT")
    return ev
