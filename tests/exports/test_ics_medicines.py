"""The medicine courses in the iCalendar export, expanded by a real parser, equal `med doses` for the same window."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from tests.cli import conftest as cli_helpers
from tests.cli.conftest import ok

walk = cli_helpers.walk  # the fixture: a patient walked through the phases

LONDON = ZoneInfo("Europe/London")


def _expand(ics: bytes, start: datetime, end: datetime) -> set[tuple[str, str]]:
    """(SUMMARY, local due) of every medicine occurrence from `start` to `end` (aware, both included)."""
    found = set()
    for ev in Calendar.from_ical(ics).walk("VEVENT"):
        if "medicine" not in [str(c) for c in ev.get("categories").cats]:
            continue
        first = ev.decoded("dtstart")
        rule = rrulestr(ev["rrule"].to_ical().decode(), dtstart=first)
        for moment in rule.between(start, end, inc=True):
            found.add((str(ev["summary"]), moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")))
    return found


def _doses(cli, pid: int, start: str, end: str) -> set[tuple[str, str]]:
    courses = {c["id"]: c for c in cli("med", "list", pid, "--json").json()}
    return {(f"{courses[d['course']]['name']}: {courses[d['course']]['dose']}", d["due"])
            for d in cli("med", "doses", pid, "--from", start, "--to", end, "--json").json()}


def test_expanded_series_equal_med_doses_across_the_autumn_change(cli, walk, tmp_path):
    pid = walk("immune_rebuild")  # aciclovir daily 08:00/20:00 and co-trimoxazole mon/wed/fri from 2027-06-17
    ok(cli("med", "add", pid, "--name", "vitamin D", "--times", "07:30", "--from", "2027-06-03", "--every-days", "3",
           "--to", "2027-11-02"))
    stopped = int(ok(cli("med", "add", pid, "--name", "ondansetron", "--times", "09:00,21:00", "--from", "2027-06-01",
                         "--weekdays", "tue,sat")))
    ok(cli("med", "stop", stopped, "--on", "2027-10-30"))
    out = tmp_path / "p.ics"
    ok(cli("export", pid, "--format", "ics", "--out", out))
    ics = out.read_bytes()
    for first, last in (("2027-10-24", "2027-11-06"), ("2027-06-01", "2027-06-20"), ("2028-05-25", "2028-06-05")):
        start = datetime.fromisoformat(first).replace(tzinfo=LONDON)
        end = (datetime.fromisoformat(last) + timedelta(hours=23, minutes=59)).replace(tzinfo=LONDON)
        expected = _doses(cli, pid, first, last)
        assert expected
        assert _expand(ics, start, end) == expected


def test_one_event_per_course_and_time_with_alarm_until_and_a_real_first_dose(cli, walk, tmp_path):
    pid = walk("immune_rebuild")
    out = tmp_path / "p.ics"
    ok(cli("export", pid, "--format", "ics", "--out", out))
    events = [ev for ev in Calendar.from_ical(out.read_bytes()).walk("VEVENT")
              if "medicine" in [str(c) for c in ev.get("categories").cats]]
    by_summary: dict[str, list] = {}
    for ev in events:
        by_summary.setdefault(str(ev["summary"]).split(":")[0], []).append(ev)
    assert sorted((k, len(v)) for k, v in by_summary.items()) == [
        ("G-CSF (filgrastim) injections", 1), ("aciclovir (antiviral prophylaxis)", 2),
        ("co-trimoxazole (PJP prophylaxis)", 1)]
    cotrim = by_summary["co-trimoxazole (PJP prophylaxis)"][0]
    # The course starts Thursday 2027-06-17; its first dose is Friday the 18th at 08:00.
    assert cotrim.decoded("dtstart") == datetime(2027, 6, 18, 8, 0, tzinfo=cotrim.decoded("dtstart").tzinfo)
    assert cotrim["rrule"]["BYDAY"] == ["MO", "WE", "FR"]
    assert cotrim["rrule"]["UNTIL"][0] == datetime(2027, 11, 30, 8, 0, tzinfo=LONDON).astimezone(ZoneInfo("UTC"))
    assert all(ev.walk("VALARM") for ev in events)
    assert len({str(ev["uid"]) for ev in events}) == len(events)
    # A second export after the journey moves on keeps the UIDs.
    ok(cli("journey", "advance", pid, "follow_up", "--on", "2027-06-19"))
    ok(cli("export", pid, "--format", "ics", "--out", out, "--force"))
    again = {str(ev["uid"]) for ev in Calendar.from_ical(out.read_bytes()).walk("VEVENT")
             if "medicine" in [str(c) for c in ev.get("categories").cats]}
    assert again == {str(ev["uid"]) for ev in events}
    assert time(20, 0) in {ev.decoded("dtstart").time() for ev in by_summary["aciclovir (antiviral prophylaxis)"]}
