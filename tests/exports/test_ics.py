"""The iCalendar export, read back with icalendar's own parser."""

from __future__ import annotations

from datetime import date, time, timedelta

from icalendar import Calendar


def _read(path):
    return Calendar.from_ical(path.read_bytes())


def _events(cal):
    return list(cal.walk("VEVENT"))


def _reminders(cal):
    return [e for e in _events(cal) if not {"phase", "medicine"} & {str(c) for c in e.categories}]


def _medicines(cal):
    return [e for e in _events(cal) if "medicine" in [str(c) for c in e.categories]]


def _phases(cal):
    return [e for e in _events(cal) if "phase" in [str(c) for c in e.categories]]


def test_one_event_per_reminder_with_an_alarm_and_the_phases_as_all_day_events(journey):
    cal = _read(journey.export("ics"))
    schedule = journey.schedule()
    assert len(schedule) > 50
    # 4 phases entered (mobilization, cells stored, conditioning, transplant) + the planned discharge; the
    # protocol's medicine courses: G-CSF, aciclovir at 08:00 and at 20:00, co-trimoxazole.
    assert len(_medicines(cal)) == 4
    assert len(_events(cal)) == len(schedule) + 5 + 4
    reminders = _reminders(cal)
    assert sorted(str(e["SUMMARY"]) for e in reminders) == sorted(r["title"] for r in schedule)
    for event in reminders:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0]["TRIGGER"].dt <= timedelta(0)
    phases = {str(e["SUMMARY"]): e for e in _phases(cal)}
    assert set(phases) == {"Stem cell mobilization · Day −91", "Cells stored · Day −80",
                           "Conditioning (chemotherapy) · Day −6", "Recovery in hospital · Day 0",
                           "planned: Immune rebuild at home · Day +14"}
    mobilization = phases["Stem cell mobilization · Day −91"]
    assert (mobilization.DTSTART, mobilization.DTEND) == (date(2027, 3, 1), date(2027, 3, 12))
    assert str(phases["planned: Immune rebuild at home · Day +14"]["STATUS"]) == "TENTATIVE"


def test_rfc5545_required_properties_and_unique_uids(journey):
    cal = _read(journey.export("ics"))
    assert str(cal["VERSION"]) == "2.0" and cal.get("PRODID")
    uids = [str(e["UID"]) for e in _events(cal)]
    assert len(uids) == len(set(uids))
    for event in _events(cal):
        assert event.get("DTSTAMP") is not None and event.get("DTSTART") is not None
    # Every TZID used is defined in the same file.
    assert cal.get_missing_tzids() == set()


def test_times_are_local_with_tzid_and_a_vtimezone(journey):
    raw = journey.export("ics").read_text(encoding="utf-8")
    cal = Calendar.from_ical(raw)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert "DTSTART;TZID=Europe/London:" in raw
    for event in _reminders(cal):
        assert event["DTSTART"].params["TZID"] == "Europe/London"


def test_a_0900_reminder_stays_0900_local_across_the_dst_change(journey):
    cal = _read(journey.export("ics"))
    by_title = {str(e["SUMMARY"]): e.DTSTART for e in _reminders(cal)}
    summer = by_title["Full blood count, kidney and liver tests (week 1 after discharge)"]  # 2027-06-21, BST
    winter = by_title["Brain MRI with gadolinium, new baseline (month 6)"]  # 2027-11-30, GMT
    assert (summer.date(), winter.date()) == (date(2027, 6, 21), date(2027, 11, 30))
    assert summer.time() == winter.time() == time(9, 0)
    assert summer.utcoffset() == timedelta(hours=1) and winter.utcoffset() == timedelta(0)


def test_uids_are_stable_across_exports_and_an_anchor_move(journey):
    before = _read(journey.export("ics", "before.ics"))
    again = _read(journey.export("ics", "again.ics"))
    assert [str(e["UID"]) for e in _events(before)] == [str(e["UID"]) for e in _events(again)]

    # Discharged two days later than planned: the discharge-anchored reminders move, keeping their UIDs,
    # and the planned discharge becomes the real one under the same UID.
    journey.run("journey", "advance", journey.pid, "immune_rebuild", "--on", "2027-06-16", now="2027-06-16T15:00")
    after = _read(journey.export("ics", "after.ics", now="2027-06-16T15:00"))
    old = {str(e["UID"]): e for e in _events(before)}
    new = {str(e["UID"]): e for e in _events(after)}
    assert set(old) == set(new)
    moved = [uid for uid in old if old[uid].DTSTART != new[uid].DTSTART]
    assert moved and all(new[u].DTSTART - old[u].DTSTART == timedelta(days=2) for u in moved)
    discharge = [u for u in new if "immune_rebuild" in u]
    assert len(discharge) == 1
    assert str(new[discharge[0]]["SUMMARY"]) == "Immune rebuild at home · Day +16"
    assert str(old[discharge[0]]["SUMMARY"]).startswith("planned: ")


def test_skipped_and_done_reminders_keep_their_event(journey):
    first = journey.schedule()[0]
    journey.run("reminder", "skip", str(first["id"]))
    cal = _read(journey.export("ics"))
    assert len(_reminders(cal)) == len(journey.schedule())
    cancelled = [e for e in _reminders(cal) if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["SUMMARY"]) for e in cancelled] == [first["title"]]


def test_a_zone_without_an_iana_name_gives_floating_local_times(journey, monkeypatch):
    monkeypatch.setenv("TZ", "GMT0BST,M3.5.0/1,M10.5.0")  # a POSIX rule: no VTIMEZONE can name it
    cal = _read(journey.export("ics"))
    assert cal.walk("VTIMEZONE") == []
    starts = {str(e["SUMMARY"]): e.DTSTART for e in _reminders(cal)}
    winter = starts["Brain MRI with gadolinium, new baseline (month 6)"]
    assert winter.tzinfo is None and winter.time() == time(9, 0)


def test_a_repeated_mobilization_and_a_withdrawal_each_get_their_own_event(cli, tmp_path):
    pid = cli("patient", "add", "--name", "Carl").out.strip()
    for args in (("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01"),
                 ("journey", "plan", pid, "transplant", "--on", "2027-06-01"),
                 ("journey", "advance", pid, "mobilization", "--on", "2027-03-20"),
                 ("journey", "advance", pid, "withdrawn", "--on", "2027-04-02", "--reason", "poor harvest twice")):
        assert cli(*args).code == 0, args
    out = tmp_path / "carl.ics"
    assert cli("export", pid, "--format", "ics", "--out", str(out)).code == 0
    cal = _read(out)
    phases = sorted((str(e["UID"]), str(e["SUMMARY"]), e.DTSTART) for e in _phases(cal))
    journey_id = phases[0][0].split("-")[0]
    assert phases == [
        (f"{journey_id}-phase-mobilization-1@mstracker", "Stem cell mobilization · Day −92 (planned)", date(2027, 3, 1)),
        (f"{journey_id}-phase-mobilization-2@mstracker", "Stem cell mobilization (attempt 2) · Day −73 (planned)",
         date(2027, 3, 20)),
        (f"{journey_id}-phase-withdrawn-1@mstracker", "Withdrawn · Day −60 (planned)", date(2027, 4, 2)),
    ]  # the planned Day 0 is no longer an event once the journey is withdrawn
    withdrawn = next(e for e in _phases(cal) if "withdrawn" in str(e["UID"]))
    assert "poor harvest twice" in str(withdrawn["DESCRIPTION"])
