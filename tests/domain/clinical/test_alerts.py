"""Alert rules and display durations (docs/clinical-rules.md, "Alerts")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mstracker.domain.clinical import (
    DEFAULT_SETTINGS,
    Alert,
    ClinicalSettings,
    Engraftment,
    ReminderView,
    compute_alerts,
)
from mstracker.domain.phases import Phase

from .factory import (
    LONDON,
    at,
    day,
    edss,
    journey,
    lab,
    moment,
    relapse,
    side_effect,
    standard_journey,
    temp,
)

NO_ENGRAFTMENT = Engraftment()


def codes(entries, now, j=None, reminders=(), engraftment=None, settings=DEFAULT_SETTINGS):
    alerts = compute_alerts(j if j is not None else standard_journey(), entries, reminders, now, settings,
                            engraftment)
    return [a.code for a in alerts]


def alerts_for(entries, now, j=None, **kw):
    return compute_alerts(j if j is not None else standard_journey(), entries, kw.get("reminders", ()), now,
                          ClinicalSettings(), kw.get("engraftment"))


# ---- febrile neutropenia: temperature criteria ---------------------------------------------------------

IN_HOSPITAL_NEUTROPENIC = [lab(moment(4, 6), anc=0.3)]


@pytest.mark.parametrize("readings, fn", [
    ([(20, 0, 38.3)], True),
    ([(20, 0, 38.2)], False),
    ([(20, 0, 38.0), (21, 0, 38.0)], True),    # exactly 60 minutes apart
    ([(20, 0, 38.0), (20, 59, 38.0)], False),  # 59 minutes apart
    ([(20, 0, 38.0), (22, 0, 38.1)], True),    # exactly 2 hours apart
    ([(20, 0, 38.0), (22, 1, 38.1)], False),   # more than 2 hours apart
    ([(20, 0, 37.9), (21, 0, 38.2)], False),   # one of them below 38.0
    ([(20, 0, 38.0), (20, 30, 38.0), (21, 30, 38.0)], True),  # first and third qualify
], ids=["38.3 single", "38.2 single", "two 60 min apart", "two 59 min apart", "two 2 h apart",
        "two 2 h 1 min apart", "one below 38.0", "three readings"])
def test_febrile_neutropenia_temperature_rule(readings, fn):
    entries = IN_HOSPITAL_NEUTROPENIC + [temp(moment(5, h, m), c) for h, m, c in readings]
    result = codes(entries, moment(5, 23, 0), engraftment=NO_ENGRAFTMENT)
    assert ("febrile_neutropenia" in result) is fn
    assert "fever" not in result  # in hospital there is no fever-at-home alert
    assert "neutropenia" in result


@pytest.mark.parametrize("readings, fn", [
    # spring forward 2027-03-28 01:00 GMT → 02:00 BST
    ([((2027, 3, 28, 0, 30, 0), 38.0), ((2027, 3, 28, 2, 20, 0), 38.0)], False),  # wall 1h50, real 50 min
    ([((2027, 3, 28, 0, 30, 0), 38.0), ((2027, 3, 28, 3, 15, 0), 38.0)], True),   # wall 2h45, real 1h45
    # fall back 2027-10-31 02:00 BST → 01:00 GMT (fold=1: the second 01:xx)
    ([((2027, 10, 31, 0, 50, 0), 38.0), ((2027, 10, 31, 1, 50, 1), 38.0)], True),   # wall 1h, real 2h
    ([((2027, 10, 31, 0, 40, 0), 38.0), ((2027, 10, 31, 1, 50, 1), 38.0)], False),  # wall 1h10, real 2h10
    ([((2027, 10, 31, 1, 0, 0), 38.0), ((2027, 10, 31, 1, 5, 1), 38.0)], True),    # wall 5 min, real 1h05
        ([((2027, 10, 31, 1, 10, 0), 38.0), ((2027, 10, 31, 1, 5, 1), 38.0)], False),  # wall −5 min, real 55 min
], ids=["spring 50 min real", "spring 1h45 real", "autumn 2h real", "autumn 2h10 real", "autumn repeated hour 1h05",
        "autumn repeated hour 55 min"])
def test_two_readings_across_dst_use_real_time(readings, fn):
    d0 = date(readings[0][0][0], readings[0][0][1], 25)
    j = journey((Phase.MOBILIZATION, d0 - timedelta(days=90)), (Phase.CELLS_STORED, d0 - timedelta(days=80)),
                (Phase.CONDITIONING, d0 - timedelta(days=6)), (Phase.TRANSPLANT, d0))
    entries = []
    for (y, mo, d, h, mi, fold), c in readings:
        entries.append(temp(datetime(y, mo, d, h, mi, fold=fold, tzinfo=LONDON), c))
    now = datetime(readings[0][0][0], readings[0][0][1], readings[0][0][2], 6, 0, tzinfo=LONDON)
    # no ANC logged: admission → (no engraftment, no discharge) counts are expected low
    result = codes(entries, now, j, engraftment=NO_ENGRAFTMENT)
    assert ("febrile_neutropenia" in result) is fn


def test_fever_display_spans_dst_in_real_hours():
    d0 = date(2027, 3, 20)
    j = journey((Phase.MOBILIZATION, d0 - timedelta(days=90)), (Phase.CELLS_STORED, d0 - timedelta(days=80)),
                (Phase.CONDITIONING, d0 - timedelta(days=6)), (Phase.TRANSPLANT, d0))
    reading = temp(datetime(2027, 3, 27, 12, 0, tzinfo=LONDON), 38.5)  # GMT
    # 12:30 BST next day is 23.5 real hours later (24.5 on the wall clock): still showing
    assert "febrile_neutropenia" in codes([reading], datetime(2027, 3, 28, 12, 30, tzinfo=LONDON), j)
    # 13:00 BST is exactly 24 real hours later: gone
    assert "febrile_neutropenia" not in codes([reading], datetime(2027, 3, 28, 13, 0, tzinfo=LONDON), j)


# ---- febrile neutropenia: neutropenia criteria ---------------------------------------------------------

AT_HOME_DAY = 30  # discharged Day +16, within 100 days; engraftment Day +10 closes the admission window
ENGRAFTED = Engraftment(neutrophil=day(10))


@pytest.mark.parametrize("ancs, expected", [
    ([(28, 0.4), (29, 0.5)], "fever"),                    # exactly 0.5, rising: not neutropenic
    ([(29, 0.49)], "febrile_neutropenia"),
    ([(28, 1.2), (29, 0.9)], "febrile_neutropenia"),      # below 1.0 and falling
    ([(28, 0.8), (29, 0.9)], "fever"),                    # below 1.0 but rising
    ([(28, 0.9), (29, 0.9)], "fever"),                    # below 1.0, not lower
    ([(28, 1.5), (29, 1.0)], "fever"),                    # falling but exactly 1.0
    ([(27, 0.3)], "fever"),                               # 73 h before: no ANC in 72 h, outside the windows
], ids=["0.5 rising", "0.49", "falling below 1.0", "below 1.0 rising", "below 1.0 equal", "falling to 1.0",
        "only older than 72 h"])
def test_neutropenia_criteria(ancs, expected):
    reading = moment(AT_HOME_DAY, 8)
    entries = [lab(moment(n, 7), anc=v) for n, v in ancs] + [temp(reading, 38.5)]
    result = codes(entries, reading + timedelta(hours=1), engraftment=ENGRAFTED)
    assert expected in result
    assert ({"fever", "febrile_neutropenia"} - {expected}).isdisjoint(result)


def test_anc_exactly_72_hours_before_counts():
    reading = moment(AT_HOME_DAY, 8)
    entries = [lab(reading - timedelta(hours=72), anc=0.3), temp(reading, 38.5)]
    assert "febrile_neutropenia" in codes(entries, reading, engraftment=ENGRAFTED)
    entries = [lab(reading - timedelta(hours=72, minutes=1), anc=0.3), temp(reading, 38.5)]
    assert "febrile_neutropenia" not in codes(entries, reading, engraftment=ENGRAFTED)


def test_anc_drawn_after_the_fever_counts():
    reading = moment(AT_HOME_DAY, 8)
    entries = [lab(moment(AT_HOME_DAY - 1, 7), anc=2.0), temp(reading, 38.5),
               lab(reading + timedelta(hours=2), anc=0.3)]
    assert "febrile_neutropenia" not in codes(entries, reading + timedelta(hours=1), engraftment=ENGRAFTED)
    assert "febrile_neutropenia" in codes(entries, reading + timedelta(hours=3), engraftment=ENGRAFTED)


@pytest.mark.parametrize("reading_day, engraftment, expected", [
    (-60, NO_ENGRAFTMENT, "febrile_neutropenia"),  # first day of mobilization
    (-40, NO_ENGRAFTMENT, "febrile_neutropenia"),  # 21st day from mobilization start
    (-39, NO_ENGRAFTMENT, None),                   # 22nd day: cells stored, at home, not a fever context
    (-7, NO_ENGRAFTMENT, None),                    # day before admission
    (-6, NO_ENGRAFTMENT, "febrile_neutropenia"),   # admission day
    (10, ENGRAFTED, "febrile_neutropenia"),        # neutrophil engraftment day
    (11, ENGRAFTED, None),                         # after engraftment, still in hospital
    (16, NO_ENGRAFTMENT, "febrile_neutropenia"),   # discharge day, no engraftment known
    (17, NO_ENGRAFTMENT, "fever"),                 # at home after discharge
    (17, ENGRAFTED, "fever"),
], ids=lambda v: str(v) if isinstance(v, int | str) else None)
def test_no_anc_in_72_hours_uses_expected_low_windows(reading_day, engraftment, expected):
    reading = moment(reading_day, 20)
    result = codes([temp(reading, 38.5)], reading + timedelta(hours=1), engraftment=engraftment)
    got = [c for c in result if c in ("fever", "febrile_neutropenia")]
    assert got == ([expected] if expected else [])


@pytest.mark.parametrize("reading_day, celsius, expected", [
    (30, 37.9, []),
    (30, 38.0, ["fever"]),
    (100, 38.0, ["fever"]),   # Day +100 counts
    (101, 38.5, []),          # after Day +100
    (-55, 38.0, ["fever"]),   # during mobilization, with ANC fine
    (5, 38.5, []),            # in hospital with ANC fine: no fever-at-home alert
], ids=["37.9", "38.0 at home", "Day +100", "Day +101", "mobilization", "in hospital"])
def test_fever_at_home(reading_day, celsius, expected):
    reading = moment(reading_day, 20)
    entries = [lab(reading - timedelta(hours=10), anc=3.0), temp(reading, celsius)]
    result = codes(entries, reading + timedelta(minutes=30), engraftment=ENGRAFTED)
    assert [c for c in result if c in ("fever", "febrile_neutropenia")] == expected


def test_single_38_1_while_neutropenic_at_home_is_fever_not_febrile_neutropenia():
    reading = moment(AT_HOME_DAY, 20)
    entries = [lab(moment(AT_HOME_DAY, 7), anc=0.3), temp(reading, 38.1)]
    result = codes(entries, reading + timedelta(minutes=30), engraftment=ENGRAFTED)
    assert "fever" in result and "febrile_neutropenia" not in result


def test_fever_is_not_shown_beside_febrile_neutropenia():
    entries = [lab(moment(AT_HOME_DAY, 7), anc=0.3), temp(moment(AT_HOME_DAY, 19), 38.1),
               temp(moment(AT_HOME_DAY, 20, 30), 38.2)]
    alerts = alerts_for(entries, moment(AT_HOME_DAY, 21), engraftment=ENGRAFTED)
    assert [a.code for a in alerts if a.level == "urgent"] == ["febrile_neutropenia"]
    assert alerts[0].message.startswith("Call your transplant team now")


@pytest.mark.parametrize("elapsed, shown", [
    (timedelta(0), True), (timedelta(hours=23, minutes=59), True), (timedelta(hours=24), False),
    (-timedelta(minutes=1), False),  # a reading after now does not count yet
])
def test_fever_display_duration(elapsed, shown):
    reading = moment(AT_HOME_DAY, 20)
    entries = [lab(moment(AT_HOME_DAY, 7), anc=0.2), temp(reading, 38.6)]
    assert ("febrile_neutropenia" in codes(entries, reading + elapsed, engraftment=ENGRAFTED)) is shown


# ---- counts ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, values, expected", [
    ("anc", [0.4], [("warning", "neutropenia")]),
    ("anc", [0.5], []),
    ("anc", [0.4, 0.49], [("warning", "neutropenia")]),
    ("anc", [0.4, 0.5], []),          # a newer value back at the threshold clears it
    ("anc", [0.4, 0.6], []),
    ("platelets", [9], [("urgent", "low_platelets")]),
    ("platelets", [10], [("warning", "low_platelets")]),
    ("platelets", [19], [("warning", "low_platelets")]),
    ("platelets", [20], []),
    ("platelets", [9, 25], []),
    ("platelets", [25, 15], [("warning", "low_platelets")]),
    ("hb", [7.9], [("warning", "low_hemoglobin")]),
    ("hb", [8.0], []),
    ("hb", [7.0, 8.5], []),
    ("tsh", [0.39], [("warning", "thyroid")]),
    ("tsh", [0.4], []),
    ("tsh", [4.0], []),
    ("tsh", [4.01], [("warning", "thyroid")]),
    ("tsh", [6.0, 2.0], []),
])
def test_low_counts_show_until_a_newer_value_is_back(field, values, expected):
    entries = [lab(moment(200 + i, 9), **{field: v}) for i, v in enumerate(values)]
    alerts = alerts_for(entries, moment(260, 9), engraftment=ENGRAFTED)
    assert [(a.level, a.code) for a in alerts] == expected


def test_two_values_at_the_same_moment_the_lowest_counts():
    entries = [lab(moment(200, 9), platelets=25), lab(moment(200, 9), platelets=15)]
    assert codes(list(reversed(entries)), moment(201), engraftment=ENGRAFTED) == ["low_platelets"]
    assert codes(entries, moment(201), engraftment=ENGRAFTED) == ["low_platelets"]


def test_a_newer_value_in_the_future_does_not_clear_yet():
    entries = [lab(moment(200, 9), anc=0.3), lab(moment(202, 9), anc=1.5)]
    assert codes(entries, moment(201), engraftment=ENGRAFTED) == ["neutropenia"]
    assert codes(entries, moment(202, 9)) == []


@pytest.mark.parametrize("value_day, value, shown", [
    (42, 90, False),   # exactly 30 days after platelet engraftment (Day +12)
    (43, 90, True),    # more than 30 days
    (43, 100, False),
    (43, 99, True),
])
def test_late_low_platelets(value_day, value, shown):
    entries = [lab(moment(value_day, 9), platelets=value)]
    result = codes(entries, moment(value_day, 12), engraftment=Engraftment(day(10), day(12)))
    assert ("late_low_platelets" in result) is shown


def test_late_low_platelets_ignores_an_engraftment_after_now():
    entries = [lab(moment(43, 9), platelets=50)]
    # engraftment computed on the whole log says Day +12; as of Day +11 it has not happened yet
    result = codes(entries, moment(11, 12), engraftment=Engraftment(day(10), day(12)))
    assert "late_low_platelets" not in result


# ---- side effects, relapses ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, grade, shown", [
    ("mucositis", 1, True), ("nausea", 2, False), ("nausea", 3, True), ("infection", 4, True),
])
def test_severe_side_effect_rule(name, grade, shown):
    entries = [side_effect(moment(40, 9), name, grade)]
    assert (codes(entries, moment(41), engraftment=ENGRAFTED) == ["severe_side_effect"]) is shown


@pytest.mark.parametrize("elapsed, shown", [
    (timedelta(days=7) - timedelta(minutes=1), True), (timedelta(days=7), False)])
def test_severe_side_effect_shows_7_days(elapsed, shown):
    entries = [side_effect(moment(40, 9), "mucositis", 2)]
    assert ("severe_side_effect" in codes(entries, moment(40, 9) + elapsed)) is shown


@pytest.mark.parametrize("elapsed, shown", [
    (timedelta(days=30) - timedelta(minutes=1), True), (timedelta(days=30), False)])
def test_relapse_shows_30_days(elapsed, shown):
    entries = [relapse(moment(200, 9))]
    assert (codes(entries, moment(200, 9) + elapsed) == (["relapse"] if shown else []))


def test_relapse_marked_not_confirmed_is_not_shown():
    assert codes([relapse(moment(200, 9), confirmed="no")], moment(201)) == []


@pytest.mark.parametrize("trigger, gap, pseudo", [
    ("temp", timedelta(days=7), True),
    ("temp", timedelta(days=7, minutes=1), False),
    ("temp", timedelta(0), True),
    ("temp", -timedelta(hours=1), False),      # fever after the relapse
    ("cool", timedelta(days=1), False),        # 37.9
    ("infection", timedelta(days=3), True),
    ("nausea", timedelta(days=3), False),
])
def test_possible_pseudo_relapse(trigger, gap, pseudo):
    when = moment(200, 9)
    first = {"temp": temp(when - gap, 38.0), "cool": temp(when - gap, 37.9),
             "infection": side_effect(when - gap, "infection", 2),
             "nausea": side_effect(when - gap, "nausea", 2)}[trigger]
    alerts = alerts_for([first, relapse(when)], when + timedelta(days=1))
    result = [a.code for a in alerts]
    assert "relapse" in result
    assert ("possible_pseudo_relapse" in result) is pseudo
    if pseudo:
        message = next(a.message for a in alerts if a.code == "possible_pseudo_relapse")
        assert "pseudo-relapse" in message and "MS team" in message


@pytest.mark.parametrize("confirmed, shown", [(None, True), ("yes", False), ("no", False)])
def test_pseudo_relapse_after_the_team_decided(confirmed, shown):
    fields = {"confirmed": confirmed} if confirmed else {}
    entries = [temp(moment(199, 9), 38.4), relapse(moment(200, 9), **fields)]
    assert ("possible_pseudo_relapse" in codes(entries, moment(201))) is shown


@pytest.mark.parametrize("elapsed, shown", [
    (timedelta(days=30) - timedelta(minutes=1), True), (timedelta(days=30), False)])
def test_pseudo_relapse_shows_30_days(elapsed, shown):
    entries = [temp(moment(199, 9), 38.4), relapse(moment(200, 9))]
    assert ("possible_pseudo_relapse" in codes(entries, moment(200, 9) + elapsed)) is shown


# ---- overdue reminders ---------------------------------------------------------------------------------

DUE = datetime(2027, 6, 1, 9, 0)


@pytest.mark.parametrize("status, snoozed_until, now, overdue", [
    ("pending", None, DUE + timedelta(hours=23, minutes=59), False),
    ("pending", None, DUE + timedelta(hours=24), True),
    ("done", None, DUE + timedelta(days=3), False),
    ("skipped", None, DUE + timedelta(days=3), False),
    ("snoozed", DUE + timedelta(days=2), DUE + timedelta(days=3, hours=-1), False),
    ("snoozed", DUE + timedelta(days=2), DUE + timedelta(days=3), True),
])
def test_overdue(status, snoozed_until, now, overdue):
    reminder = ReminderView(7, "Full blood count", DUE, status, snoozed_until)
    alerts = alerts_for([], now.replace(tzinfo=LONDON), reminders=[reminder])
    assert [a.code for a in alerts] == (["overdue"] if overdue else [])
    if overdue:
        assert "Full blood count" in alerts[0].message


def test_overdue_counts_real_hours_across_dst():
    reminder = ReminderView(1, "Brain MRI (month 6)", datetime(2027, 3, 27, 9, 0), "pending")
    # 09:30 BST on the 28th is 23.5 real hours after 09:00 GMT on the 27th
    assert codes([], datetime(2027, 3, 28, 9, 30, tzinfo=LONDON), reminders=[reminder]) == []
    assert codes([], datetime(2027, 3, 28, 10, 0, tzinfo=LONDON), reminders=[reminder]) == ["overdue"]


# ---- journey warnings ----------------------------------------------------------------------------------

M0 = date(2027, 1, 4)


def mobilization_journey(length: int | None) -> object:
    steps = [(Phase.MOBILIZATION, M0)]
    if length is not None:
        steps.append((Phase.CELLS_STORED, M0 + timedelta(days=length)))
    return journey(*steps)


@pytest.mark.parametrize("length, today_offset, expected", [
    (4, 4, ["short_mobilization"]),
    (5, 5, []),
    (15, 15, []),
    (16, 16, ["long_mobilization"]),
    (16, 16 + 14, ["long_mobilization"]),   # 14th day after the phase ended
    (16, 16 + 15, []),
    (4, 4 + 14, ["short_mobilization"]),
    (4, 4 + 15, []),
    (None, 15, []),                          # still running, 15 days
    (None, 16, ["long_mobilization"]),       # still running, past 15 days
    (None, 3, []),                           # running: too early to call it short
])
def test_mobilization_length_warnings(length, today_offset, expected):
    now = at(M0 + timedelta(days=today_offset), 12)
    assert codes([], now, mobilization_journey(length)) == expected


def test_a_short_first_attempt_is_flagged_when_a_second_starts():
    j = journey((Phase.MOBILIZATION, M0), (Phase.MOBILIZATION, M0 + timedelta(days=3)))
    assert codes([], at(M0 + timedelta(days=5), 12), j) == ["short_mobilization"]


A0 = date(2027, 2, 1)


@pytest.mark.parametrize("stay, today_offset, expected", [
    (9, 9, ["unusual_stay"]),
    (10, 10, []),
    (35, 35, []),
    (36, 36, ["unusual_stay"]),
    (36, 36 + 14, ["unusual_stay"]),
    (36, 36 + 15, []),
    (None, 35, []),
    (None, 36, ["unusual_stay"]),            # still in hospital past the range
])
def test_unusual_stay(stay, today_offset, expected):
    steps = [(Phase.MOBILIZATION, A0 - timedelta(days=60)), (Phase.CELLS_STORED, A0 - timedelta(days=50)),
             (Phase.CONDITIONING, A0), (Phase.TRANSPLANT, A0 + timedelta(days=6))]
    if stay is not None:
        steps.append((Phase.IMMUNE_REBUILD, A0 + timedelta(days=stay)))
    now = at(A0 + timedelta(days=today_offset), 12)
    assert codes([], now, journey(*steps), engraftment=Engraftment(A0 + timedelta(days=16))) == expected


def test_stay_range_is_a_setting():
    steps = [(Phase.CONDITIONING, A0), (Phase.TRANSPLANT, A0 + timedelta(days=6)),
             (Phase.IMMUNE_REBUILD, A0 + timedelta(days=38))]
    now = at(A0 + timedelta(days=39), 12)
    assert codes([], now, journey(*steps), engraftment=Engraftment(A0 + timedelta(days=16))) == ["unusual_stay"]
    assert codes([], now, journey(*steps), engraftment=Engraftment(A0 + timedelta(days=16)),
                 settings=ClinicalSettings(stay_days=(10, 40))) == []


# ---- as of, order, sorting ------------------------------------------------------------------------------

def test_journey_is_taken_as_of_now():
    # Full journey says discharged Day +16; as of Day +5 the patient is in hospital (no fever-at-home alert)
    reading = moment(5, 20)
    entries = [lab(moment(5, 7), anc=3.0), temp(reading, 38.5)]
    assert codes(entries, reading + timedelta(hours=1), engraftment=ENGRAFTED) == []
    reading = moment(20, 20)
    entries = [lab(moment(20, 7), anc=3.0), temp(reading, 38.5)]
    assert codes(entries, reading + timedelta(hours=1), engraftment=ENGRAFTED) == ["fever"]


def test_as_of_in_the_past_ignores_later_entries_and_future_as_of_expires_them():
    entries = [lab(moment(30, 7), anc=0.2), temp(moment(30, 20), 38.6), relapse(moment(31, 9))]
    assert codes(entries, moment(30, 19), engraftment=ENGRAFTED) == ["neutropenia"]
    assert codes(entries, moment(31, 10), engraftment=ENGRAFTED) == ["febrile_neutropenia", "neutropenia",
                                                                        "relapse", "possible_pseudo_relapse"]
    assert codes(entries, moment(90, 10), engraftment=ENGRAFTED) == ["neutropenia"]


def test_out_of_order_entries_and_urgent_first():
    entries = [relapse(moment(31, 9)), temp(moment(30, 20), 38.6), lab(moment(30, 7), platelets=5),
               lab(moment(30, 7), anc=0.2), side_effect(moment(30, 9), "mucositis", 2), edss(moment(30, 9), 3.0)]
    alerts = compute_alerts(standard_journey(), entries, [], moment(31, 10), ClinicalSettings(), ENGRAFTED)
    levels = [a.level for a in alerts]
    assert levels == sorted(levels, key=["urgent", "warning", "info"].index)
    assert {a.code for a in alerts if a.level == "urgent"} == {"febrile_neutropenia", "low_platelets"}
    assert sorted(a.code for a in alerts) == sorted(
        ["febrile_neutropenia", "low_platelets", "neutropenia", "severe_side_effect", "relapse",
         "possible_pseudo_relapse"])
    shuffled = compute_alerts(standard_journey(), list(reversed(entries)), [], moment(31, 10), ClinicalSettings(),
                              ENGRAFTED)
    assert shuffled == alerts


def test_engraftment_is_computed_when_not_passed():
    entries = [lab(moment(n, 7), anc=v) for n, v in {3: 0.2, 8: 0.6, 9: 0.7, 10: 0.8}.items()]
    reading = moment(14, 20)  # in hospital, after engraftment Day +8; last ANC 4 days ago
    result = codes(entries + [temp(reading, 38.6)], reading + timedelta(hours=1))
    assert "febrile_neutropenia" not in result


def test_rule_results_name_the_ms_specialist_and_to_json():
    alerts = alerts_for([relapse(moment(200, 9)), lab(moment(200, 9), tsh=9.0)], moment(201))
    for alert in alerts:
        assert "MS specialist" in alert.message
    assert alerts[0].to_json().keys() == {"level", "code", "message"}


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        compute_alerts(standard_journey(), [], [], datetime(2027, 6, 1, 9, 0))


def test_alert_is_frozen():
    alert = Alert("info", "x", "y")
    with pytest.raises(AttributeError):
        alert.level = "urgent"  # type: ignore[misc]
