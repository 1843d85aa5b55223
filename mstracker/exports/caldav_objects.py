"""The calendar objects of a CalDAV publication: one VCALENDAR per event, with the VTIMEZONE of its times.

The events come from ics.calendar_events (the same UIDs, titles, times and alarms as the .ics export), plus
each urgent alert as an event at the moment of the reading that raised it, with an alarm at its start.
An object's hash covers its VEVENT without DTSTAMP (the time it was built): two builds of an unchanged event
hash alike, so that only what changed is sent again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from .ics import PRODID, calendar_events, zone_span
from .ics_alarm import add_display_alarm
from .model import ExportData

# Marks the objects a publication wrote: what carries another mark (or none) is someone else's.
MARK = "X-MSTRACKER-PUBLICATION"
ALERT_LENGTH = timedelta(hours=1)
ALERT_WORDS = {
    "febrile_neutropenia": "fever while neutrophils are low",
    "fever": "fever after leaving hospital",
    "low_platelets": "platelets dangerously low",
}


@dataclass(frozen=True)
class UrgentAlert:
    code: str
    message: str  # what to do, in the app's words
    since: datetime  # aware: when the reading that raised it was taken


def alert_uid(data: ExportData, code: str) -> str:
    return f"patient-{data.patient.id}-alert-{code}@mstracker"


def publication_events(data: ExportData, alerts: list[UrgentAlert]) -> dict[str, Event]:
    """UID → VEVENT for everything a live calendar shows of this patient now."""
    events = {str(ev["UID"]): ev for ev in calendar_events(data, published=True)}
    for alert in alerts:
        ev = _alert_event(data, alert)
        events[str(ev["UID"])] = ev
    return events


def _alert_event(data: ExportData, alert: UrgentAlert) -> Event:
    zone = ZoneInfo(data.zone_key) if data.zone_key else UTC
    start = alert.since.astimezone(zone)
    title = f"URGENT: {ALERT_WORDS.get(alert.code, alert.code.replace('_', ' '))} ({data.patient.name})"
    ev = Event()
    ev.add("uid", alert_uid(data, alert.code))
    ev.add("dtstamp", data.generated_at.astimezone(UTC))
    ev.add("dtstart", start)
    ev.add("dtend", start + ALERT_LENGTH)
    ev.add("summary", title)
    ev.add("description", f"{alert.message}\nThis event stays while the alert shows in mstracker.")
    ev.add("categories", ["urgent"])
    ev.add("status", "CONFIRMED")
    ev.add("priority", 1)
    return add_display_alarm(ev, title)


def event_hash(ev: Event) -> str:
    lines = [line for line in ev.to_ical().splitlines() if not line.startswith(b"DTSTAMP")]
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def calendar_object(data: ExportData, ev: Event, token: str) -> bytes:
    """One event as a whole calendar object, marked as this publication's, with the VTIMEZONE of its zone."""
    ev[MARK] = token  # after hashing: the mark is the same on every object of a publication
    zone = _timezone(data.zone_key, *zone_span(data)) if data.zone_key else b""
    return b"".join((b"BEGIN:VCALENDAR\r\n", _HEAD, zone, ev.to_ical(), b"END:VCALENDAR\r\n"))


_HEAD = Calendar({"PRODID": PRODID, "VERSION": "2.0"}).to_ical().split(b"\r\n", 1)[1].rsplit(b"END:VCALENDAR", 1)[0]


@lru_cache(maxsize=8)
def _timezone(key: str, first, last) -> bytes:
    # One VTIMEZONE serves every object of a publication: built and folded once, not once per event.
    return Timezone.from_tzid(key, first_date=first, last_date=last).to_ical()


def mark_of(body: bytes) -> str | None:
    """The publication mark in a calendar object read from the server (None: not one of ours)."""
    try:
        cal = Calendar.from_ical(body)
    except ValueError:
        return None
    for ev in cal.walk("VEVENT"):
        if ev.get(MARK) is not None:
            return str(ev[MARK])
    return None
