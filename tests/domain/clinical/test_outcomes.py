"""NEDA-3 windows and confirmed EDSS progression (docs/clinical-rules.md)."""

from __future__ import annotations

from datetime import date

import pytest

from mstracker.domain.clinical import DEFAULT_SETTINGS, ClinicalSettings, compute_outcomes
from mstracker.domain.clinical.outcomes import NEDA_REFERENCE, confirmed_progression, progression_threshold
from mstracker.domain.phases import Phase

from .factory import D0, day, edss, journey, moment, mri, relapse, standard_journey

YEAR1 = date(2028, 5, 10)   # Day 0 + 1 year
YEAR2 = date(2029, 5, 10)
YEAR5 = date(2032, 5, 10)
REBASELINE = date(2027, 10, 10)  # Day 0 + 5 months


def at_day(d: date, hh: int = 9):
    from .factory import at
    return at(d, hh)


def clean_history(until: date = YEAR5) -> list:
    """Baseline EDSS 2.0 before mobilization, a month-6 re-baseline MRI, then yearly clean MRIs and EDSS."""
    entries = [edss(moment(-70), 2.0), mri(moment(184))]
    for years in range(1, 6):
        d = date(D0.year + years, 5, 1)
        if d <= until:
            entries += [mri(at_day(d)), edss(at_day(d), 2.0)]
    return entries


def outcome(entries, as_of, j=None, settings=DEFAULT_SETTINGS):
    return compute_outcomes(j if j is not None else standard_journey(follow_up=200), entries, as_of, settings)


# ---- EDSS thresholds and baseline ----------------------------------------------------------------------

@pytest.mark.parametrize("baseline, score, meets", [
    (0.0, 1.5, True), (0.0, 1.0, False),
    (0.5, 1.5, True), (0.5, 1.0, False),
    (5.5, 6.5, True), (5.5, 6.0, False),
    (6.0, 6.5, True), (6.0, 6.0, False),
    (7.5, 8.0, True),
])
def test_progression_thresholds(baseline, score, meets):
    assert (score - baseline >= progression_threshold(baseline)) is meets
    result = confirmed_progression(baseline, [(day(100), score), (day(300), score)], 168)
    assert result.confirmed is meets


@pytest.mark.parametrize("scores, expected", [
    ([(-70, 2.0), (-55, 4.0), (-3, 4.5)], 2.0),  # mobilization (-60..-50) and conditioning (-6..-1) skipped
    ([(-55, 4.0)], 4.0),                          # none outside: the last on or before Day 0
    ([(-70, 2.0), (0, 3.0)], 3.0),                # Day 0 itself is not conditioning
    ([(-70, 2.0), (1, 3.0)], 2.0),                # after Day 0 is no baseline
    ([(-50, 2.5)], 2.5),                          # the day mobilization ended (cells stored) is calm
])
def test_edss_baseline(scores, expected):
    entries = [edss(moment(n), s) for n, s in scores]
    assert outcome(entries, day(400)).baseline_edss == expected


# ---- confirmed progression ----------------------------------------------------------------------------

@pytest.mark.parametrize("scores, relapses, since", [
    ([(100, 3.0), (268, 3.0)], [], 100),                          # exactly 168 days later
    ([(100, 3.0), (267, 3.0)], [], None),                         # 167 days: unconfirmed
    ([(100, 3.0), (268, 2.5)], [], None),                         # the later score fell back
    ([(100, 3.0), (180, 2.5), (268, 3.0)], [], None),             # broken by a score in between
    ([(100, 3.0), (180, 2.5), (200, 3.5), (368, 3.0)], [], 200),  # a new start after the break
    ([(100, 3.0), (268, 3.0)], [90], None),                       # the start is within 30 days of a relapse
    ([(100, 3.0), (268, 3.0), (436, 3.0)], [90], 268),
    ([(100, 3.0), (268, 3.0)], [250], None),                      # the confirmation is within 30 days
    ([(100, 3.0), (268, 3.0)], [69], 100),                        # relapse 31 days before: not excluded
    ([(100, 3.0), (160, 2.0), (268, 3.0)], [150], 100),           # a relapse-time score does not break it
    ([(100, 2.5), (268, 2.5)], [], None),                         # +0.5 from 2.0 is not progression
])
def test_edss_progression(scores, relapses, since):
    entries = [edss(moment(-70), 2.0)] + [edss(moment(n), s) for n, s in scores]
    entries += [relapse(moment(n)) for n in relapses]
    progression = outcome(entries, day(800)).edss_progression
    assert progression.confirmed is (since is not None)
    assert progression.since == (day(since) if since is not None else None)


def test_relapse_marked_not_confirmed_does_not_exclude_scores():
    entries = [edss(moment(-70), 2.0), edss(moment(100), 3.0), edss(moment(268), 3.0),
               relapse(moment(90), confirmed="no")]
    assert outcome(entries, day(800)).edss_progression.since == day(100)


def test_progression_as_of_before_confirmation():
    entries = [edss(moment(-70), 2.0), edss(moment(100), 3.0), edss(moment(268), 3.0)]
    assert outcome(entries, day(267)).edss_progression.confirmed is False
    assert outcome(entries, day(268)).to_json()["edss_progression"] == {"confirmed": True, "since": "2027-08-18"}


def test_confirmation_days_is_a_setting():
    entries = [edss(moment(-70), 2.0), edss(moment(100), 3.0), edss(moment(184), 3.0)]
    assert outcome(entries, day(400)).edss_progression.confirmed is False
    assert outcome(entries, day(400), settings=ClinicalSettings(edss_confirmation_days=84)).edss_progression.confirmed


# ---- NEDA ----------------------------------------------------------------------------------------------

def test_no_day_zero_is_unknown_everywhere():
    j = journey((Phase.MOBILIZATION, day(-60)), (Phase.CELLS_STORED, day(-50)), planned={Phase.TRANSPLANT: D0})
    result = compute_outcomes(j, clean_history(), YEAR5, ClinicalSettings())
    assert result.to_json() == {"neda": {"1": "unknown", "2": "unknown", "5": "unknown"},
                                "neda_reasons": {"1": [], "2": [], "5": []},
                                "edss_progression": {"confirmed": False, "since": None}}


def test_day_zero_in_the_future_of_as_of_is_unknown():
    result = outcome(clean_history(), day(-1))
    assert result.neda == {"1": "unknown", "2": "unknown", "5": "unknown"}


@pytest.mark.parametrize("as_of, expected", [
    (day(200), {"1": "pending", "2": "pending", "5": "pending"}),
    (date(2028, 5, 9), {"1": "pending", "2": "pending", "5": "pending"}),
    (YEAR1, {"1": "met", "2": "pending", "5": "pending"}),     # the window's last day closes it
    (YEAR2, {"1": "met", "2": "met", "5": "pending"}),
    (YEAR5, {"1": "met", "2": "met", "5": "met"}),
])
def test_neda_met_and_pending(as_of, expected):
    result = outcome(clean_history(), as_of)
    assert result.neda == expected
    assert result.neda_reasons == {"1": [], "2": [], "5": []}


@pytest.mark.parametrize("extra, expected_status, reasons", [
    ([relapse(moment(200))], "not_met", ["relapse"]),
    ([relapse(moment(200), confirmed="no")], "met", []),
    ([relapse(moment(200), confirmed="yes")], "not_met", ["relapse"]),
    ([relapse(at_day(YEAR1))], "not_met", ["relapse"]),            # on the window's last day
    ([relapse(at_day(date(2028, 5, 11)))], "met", []),             # the day after
    ([relapse(moment(0))], "not_met", ["relapse"]),                # on Day 0
    ([relapse(moment(-1))], "met", []),                            # before Day 0
    ([mri(moment(300), new_t2=1)], "not_met", ["mri_activity"]),
    ([mri(moment(300), gd=2)], "not_met", ["mri_activity"]),
    ([mri(moment(100), new_t2=3)], "met", []),                     # before the re-baseline MRI
    ([mri(at_day(REBASELINE), gd=1), mri(moment(300))], "met", []),  # the re-baseline MRI itself
    ([edss(moment(100), 3.0), edss(moment(268), 3.0)], "not_met", ["edss_progression"]),
    ([relapse(moment(200)), mri(moment(300), new_t2=1)], "not_met", ["relapse", "mri_activity"]),
])
def test_neda_one_year(extra, expected_status, reasons):
    result = outcome(clean_history() + extra, YEAR1)
    assert result.neda["1"] == expected_status
    assert result.neda_reasons["1"] == reasons


def test_not_met_as_soon_as_something_fails_even_while_pending():
    result = outcome(clean_history() + [relapse(moment(200))], day(201))
    assert result.neda == {"1": "not_met", "2": "not_met", "5": "not_met"}
    assert result.neda_reasons == {"1": ["relapse"], "2": ["relapse"], "5": ["relapse"]}
    # before the relapse happened (as of the day before) it was pending
    assert outcome(clean_history() + [relapse(moment(200))], day(199)).neda["1"] == "pending"


def test_a_relapse_in_year_two_fails_two_and_five_but_not_one():
    result = outcome(clean_history() + [relapse(moment(400))], YEAR5)
    assert result.neda == {"1": "met", "2": "not_met", "5": "not_met"}


def test_progression_confirmed_after_a_window_does_not_fail_it():
    entries = [edss(moment(-70), 2.0), mri(moment(184)), mri(moment(300)), mri(moment(700)),
               edss(moment(300), 3.5), edss(moment(468), 3.5)]
    result = outcome(entries, YEAR2)
    # first score Day +300 in year 1, confirmed Day +468 in year 2
    assert result.neda["1"] == "met"
    assert result.neda["2"] == "not_met" and result.neda_reasons["2"] == ["edss_progression"]


@pytest.mark.parametrize("entries, reasons", [
    ([edss(moment(-70), 2.0), mri(moment(184)), edss(moment(300), 2.0)], ["no_mri"]),
    ([edss(moment(-70), 2.0), mri(moment(184)), mri(moment(300))], ["no_edss"]),
    ([edss(moment(-70), 2.0), mri(moment(184))], ["no_mri", "no_edss"]),
    ([edss(moment(-70), 2.0), mri(moment(100)), mri(moment(140)), edss(moment(300), 2.0)], ["no_mri"]),
    ([mri(moment(184)), mri(moment(300)), edss(moment(300), 2.0)], ["no_edss"]),  # no baseline EDSS
    ([edss(moment(-70), 2.0), mri(moment(184)), mri(at_day(date(2028, 5, 11))), edss(moment(300), 2.0)],
     ["no_mri"]),                                                                  # MRI the day after year 1
], ids=["no MRI after re-baseline", "no EDSS after Day 0", "neither", "no re-baseline MRI",
        "no baseline", "MRI after the window"])
def test_neda_unknown(entries, reasons):
    result = outcome(entries, YEAR1)
    assert result.neda["1"] == "unknown"
    assert result.neda_reasons["1"] == reasons


def test_entries_after_as_of_do_not_count():
    entries = clean_history(until=YEAR1) + [relapse(moment(500))]
    assert outcome(entries, YEAR1).neda["1"] == "met"
    assert outcome(entries, day(400)).neda["2"] == "pending"
    assert outcome(entries, day(500)).neda["2"] == "not_met"


def test_out_of_order_entries():
    entries = clean_history() + [mri(moment(300), new_t2=1)]
    assert outcome(list(reversed(entries)), YEAR5).to_json() == outcome(entries, YEAR5).to_json()


def test_window_uses_calendar_years_from_day_zero_on_29_february():
    d0 = date(2028, 2, 29)
    j = journey((Phase.CONDITIONING, date(2028, 2, 23)), (Phase.TRANSPLANT, d0))
    from .factory import at
    entries = [edss(at(date(2028, 1, 1)), 2.0), mri(at(date(2028, 8, 1))), mri(at(date(2029, 2, 1))),
               edss(at(date(2029, 2, 1)), 2.0)]
    assert compute_outcomes(j, entries, date(2029, 2, 27), ClinicalSettings()).neda["1"] == "pending"
    assert compute_outcomes(j, entries, date(2029, 2, 28), ClinicalSettings()).neda["1"] == "met"


def test_to_json_shape_and_reference():
    result = outcome(clean_history(), YEAR2)
    assert set(result.to_json()) == {"neda", "neda_reasons", "edss_progression"}
    assert result.reference["2"] == 0.83 and result.reference["5"] == 0.67
    assert "Sormani 2017" in result.reference["text"]
    assert NEDA_REFERENCE["2"] == 0.83
