"""The publication's calendar objects: the export's events, one per object, hashed without their stamp."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from mstracker.exports.caldav_objects import MARK, UrgentAlert, calendar_object, event_hash, mark_of, publication_events
from mstracker.exports.ics import write_ics
from mstracker.exports.model import ExportData, PatientInfo, PhaseSpan, ScheduledItem

LONDON = ZoneInfo("Europe/London")


def _data(at: datetime, status: str = "pending") -> ExportData:
    items = (ScheduledItem(1, "1-mri-1@mstracker", datetime(2027, 11, 30, 9, 0), "mri", "Brain MRI", status,
                           done_at=datetime(2027, 11, 30, 10, 0) if status == "done" else None),
             ScheduledItem(2, "1-blood-1@mstracker", datetime(2027, 6, 21, 9, 0), "blood_test", "Blood count",
                           "skipped"))
    return ExportData(patient=PatientInfo(1, "Anna Example"), generated_at=at, zone_key="Europe/London", zone=LONDON,
                      journey_id=1, phases=(PhaseSpan("transplant", "recovery in hospital", date(2027, 6, 1)),),
                      reminders=items)


def test_the_hash_ignores_when_the_object_was_built_and_sees_every_change():
    early, late = _data(datetime(2027, 6, 20, 10, 0, tzinfo=LONDON)), _data(datetime(2027, 6, 20, 11, 0, tzinfo=LONDON))
    a, b = publication_events(early, []), publication_events(late, [])
    assert set(a) == {"1-mri-1@mstracker", "1-phase-transplant-1@mstracker"}  # the skipped one is left out
    assert {u: event_hash(e) for u, e in a.items()} == {u: event_hash(e) for u, e in b.items()}
    done = publication_events(_data(datetime(2027, 12, 1, 10, 0, tzinfo=LONDON), "done"), [])
    assert event_hash(done["1-mri-1@mstracker"]) != event_hash(a["1-mri-1@mstracker"])
    assert str(done["1-mri-1@mstracker"]["SUMMARY"]) == "Done: Brain MRI"
    assert done["1-mri-1@mstracker"].walk("VALARM") == []


def test_an_object_is_one_event_with_its_vtimezone_and_the_publications_mark():
    data = _data(datetime(2027, 6, 20, 10, 0, tzinfo=LONDON))
    body = calendar_object(data, publication_events(data, [])["1-mri-1@mstracker"], "token-1")
    cal = Calendar.from_ical(body)
    [event] = cal.walk("VEVENT")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert cal.get_missing_tzids() == set()
    assert event.DTSTART == datetime(2027, 11, 30, 9, 0, tzinfo=event.DTSTART.tzinfo)
    assert event.DTSTART.utcoffset() == timedelta(0)
    assert str(event[MARK]) == "token-1" and mark_of(body) == "token-1"
    assert mark_of(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n") is None


def test_an_urgent_alert_is_an_event_at_the_reading_with_an_alarm_at_its_start():
    data = _data(datetime(2027, 6, 20, 10, 0, tzinfo=LONDON))
    alert = UrgentAlert("fever", "Call your transplant team now: temperature 38.6 °C.",
                        datetime(2027, 6, 20, 8, 30, tzinfo=ZoneInfo("UTC")))
    ev = publication_events(data, [alert])["patient-1-alert-fever@mstracker"]
    assert str(ev["SUMMARY"]).startswith("URGENT: ")
    assert ev.DTSTART == datetime(2027, 6, 20, 9, 30, tzinfo=LONDON)
    [alarm] = ev.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(0)
    assert "Call your transplant team now" in str(ev["DESCRIPTION"])


def test_the_ics_export_keeps_its_own_rules():
    """A one-off file keeps every reminder with its alarm (skipped ones CANCELLED), unlike the live calendar."""
    cal = Calendar.from_ical(write_ics(_data(datetime(2027, 12, 1, 10, 0, tzinfo=LONDON), "done")))
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert str(events["1-blood-1@mstracker"]["STATUS"]) == "CANCELLED"
    assert str(events["1-mri-1@mstracker"]["SUMMARY"]) == "Brain MRI"
    assert len(events["1-mri-1@mstracker"].walk("VALARM")) == 1
