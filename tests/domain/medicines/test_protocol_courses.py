"""Protocol courses: anchored spans, the shipped protocols' courses, and [[course]] tables checked on load."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from mstracker.domain.journey import JourneyEvent, JourneyEventKind, replay
from mstracker.domain.medicines.course import Route
from mstracker.domain.phases import Phase
from mstracker.domain.protocol import ProtocolError, load_protocol

PROTOCOLS = Path(__file__).resolve().parents[3] / "resources" / "protocols"


def journey(*steps: tuple[str, str], planned: tuple[tuple[str, str], ...] = ()):
    events = [JourneyEvent(i + 1, JourneyEventKind.START if i == 0 else JourneyEventKind.TRANSITION, Phase(p),
                           date.fromisoformat(d)) for i, (p, d) in enumerate(steps)]
    events += [JourneyEvent(100 + i, JourneyEventKind.PLAN, Phase(p), date.fromisoformat(d))
               for i, (p, d) in enumerate(planned)]
    return replay(events)


@pytest.fixture(params=["cy-atg", "beam-atg"])
def protocol(request):
    return load_protocol((PROTOCOLS / f"{request.param}.toml").read_text(), request.param)


def test_shipped_protocols_carry_the_three_courses(protocol):
    by_id = {c.id: c for c in protocol.courses}
    assert set(by_id) == {"g-csf", "aciclovir", "co-trimoxazole"}
    assert all(c.dose == "as prescribed by your team" for c in protocol.courses)
    assert (by_id["g-csf"].route, by_id["g-csf"].times, by_id["g-csf"].every_days) == (Route.INJECTION, (time(8),), 1)
    assert by_id["aciclovir"].times == (time(8), time(20))
    assert by_id["co-trimoxazole"].weekdays == (0, 2, 4)


def test_g_csf_is_open_ended_until_the_cells_are_stored(protocol):
    g = {c.id: c for c in protocol.courses}["g-csf"]
    mobilizing = journey(("mobilization", "2027-03-01"))
    assert g.span(mobilizing) == (date(2027, 3, 5), None)
    stored = journey(("mobilization", "2027-03-01"), ("cells_stored", "2027-03-12"))
    assert g.span(stored) == (date(2027, 3, 5), date(2027, 3, 12))
    assert g.span(journey(("assessment", "2027-02-01"))) == (None, None)


def test_prophylaxis_from_the_day_after_discharge_to_day_zero_plus_months(protocol):
    by_id = {c.id: c for c in protocol.courses}
    walked = journey(("mobilization", "2027-03-01"), ("cells_stored", "2027-03-12"), ("conditioning", "2027-05-25"),
                     ("transplant", "2027-05-31"), ("immune_rebuild", "2027-06-16"))
    assert by_id["aciclovir"].span(walked) == (date(2027, 6, 17), date(2028, 5, 31))
    # Day 0 on 31 May + 6 months: 30 November (the month's last day).
    assert by_id["co-trimoxazole"].span(walked) == (date(2027, 6, 17), date(2027, 11, 30))
    # Before discharge, the planned one places them (as for the follow-up plan).
    planned = journey(("mobilization", "2027-03-01"), planned=(("transplant", "2027-05-31"),
                                                               ("immune_rebuild", "2027-06-14")))
    assert by_id["aciclovir"].span(planned) == (date(2027, 6, 15), date(2028, 5, 31))


def test_a_final_phase_ends_every_course_on_its_date(protocol):
    g = {c.id: c for c in protocol.courses}["g-csf"]
    withdrawn = journey(("mobilization", "2027-03-01"), ("withdrawn", "2027-03-08"))
    assert g.span(withdrawn) == (date(2027, 3, 5), date(2027, 3, 8))


BASE = '''name = "x"
title = "X"
admission_day = -6
expected_discharge_days = [10, 14]
stay_days = [10, 35]
conditioning = []

[[course]]
id = "a"
name = "aciclovir"
route = "oral"
times = ["08:00"]
from = { anchor = "discharge", days = 1 }
'''


@pytest.mark.parametrize("extra, line, reason", [
    ('colour = "blue"\n', 14, "course[0].colour: unknown key"),
    ('weekdays = ["mon", "funday"]\n', 14, "'funday' is not a weekday"),
    ('every_days = 2\nweekdays = ["mon"]\n', 15, "either every_days or weekdays"),
])
def test_a_bad_course_key_names_its_line_and_reason(extra, line, reason):
    with pytest.raises(ProtocolError) as caught:
        load_protocol(BASE + extra, "centre.toml")
    assert f"centre.toml line {line}" in str(caught.value)
    assert reason in str(caught.value)


def test_bad_times_route_and_anchor_are_refused_with_their_line():
    with pytest.raises(ProtocolError, match=r"line 12, course\[0\]\.times: '8am' is not a time of day"):
        load_protocol(BASE.replace('["08:00"]', '["8am"]'), "centre.toml")
    with pytest.raises(ProtocolError, match=r"line 11, course\[0\]\.route: 'pill' is not a route"):
        load_protocol(BASE.replace('"oral"', '"pill"'), "centre.toml")
    with pytest.raises(ProtocolError, match="not a course anchor"):
        load_protocol(BASE.replace('"discharge"', '"admission"'), "centre.toml")
    with pytest.raises(ProtocolError, match=r"course\[0\]\.from: required key is missing"):
        load_protocol(BASE.replace('from = { anchor = "discharge", days = 1 }\n', ""), "centre.toml")
