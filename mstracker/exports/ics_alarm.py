"""The one kind of alarm the calendars carry: a notice on the device with the event's words."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Alarm, Event


def add_display_alarm(event: Event, text: str, before: timedelta = timedelta(0)) -> Event:
    """`event` with a DISPLAY alarm showing `text`, `before` its start (at its start by default)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -before)
    event.add_component(alarm)
    return event
