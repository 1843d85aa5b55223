"""Engraftment per CIBMTR (docs/clinical-rules.md, "Engraftment"): nadir, runs of three measured days, transfusion support."""

from __future__ import annotations

import pytest

from mstracker.domain.clinical import ClinicalSettings, Engraftment, compute_engraftment
from mstracker.domain.entries import LogKind

from .factory import D0, day, entry, lab, moment, transfusion


def anc_log(values: dict[int, float | list[float]]) -> list:
    entries = []
    for n, v in values.items():
        for i, value in enumerate(v if isinstance(v, list) else [v]):
            entries.append(lab(moment(n, 7 + i * 5), anc=value))
    return entries


def plt_log(values: dict[int, float], transfusions: tuple[int, ...] = (), product: str = "platelets") -> list:
    entries = [lab(moment(n, 7), platelets=v) for n, v in values.items()]
    entries += [transfusion(moment(t, 14), product) for t in transfusions]
    return entries


NEUTROPHIL_CASES = [
    ("exactly 0.5 counts toward the run; 3rd day completes it",
     {-2: 3.0, 0: 1.0, 3: 0.3, 8: 0.5, 9: 0.7, 10: 0.9}, 8),
    ("only the 2nd consecutive day: not yet engrafted", {3: 0.3, 8: 0.6, 9: 0.7}, None),
    ("a missing day inside the run does not break it", {3: 0.2, 8: 0.6, 10: 0.7, 12: 0.8}, 8),
    ("a low value restarts the run", {3: 0.2, 8: 0.6, 9: 0.7, 10: 0.4, 11: 0.6, 12: 0.6, 13: 0.7}, 11),
    ("a value of 0.49 restarts the run", {3: 0.2, 8: 0.6, 9: 0.7, 10: 0.49, 11: 0.6, 12: 0.6, 13: 0.7}, 11),
    ("two values the same day: the lowest counts", {3: 0.2, 8: [0.6, 0.4], 9: 0.6, 10: 0.7, 11: 0.8}, 9),
    ("two values the same day, both high: one day only", {3: 0.2, 8: [0.6, 0.9], 9: 0.6}, None),
    ("exactly 0.5 is no nadir", {0: 0.5, 1: 0.6, 2: 0.7, 3: 0.8}, None),
    ("a low value before Day 0 is no nadir", {-3: 0.1, 1: 0.6, 2: 0.6, 3: 0.7}, None),
    ("nadir on Day 0 itself", {0: 0.4, 1: 0.6, 2: 0.6, 3: 0.6}, 1),
    ("high values before the nadir do not count", {1: 0.6, 2: 0.6, 3: 0.3, 4: 0.6, 5: 0.6}, None),
]


@pytest.mark.parametrize("values, expected", [c[1:] for c in NEUTROPHIL_CASES],
                         ids=[c[0] for c in NEUTROPHIL_CASES])
def test_neutrophil_engraftment(values, expected):
    result = compute_engraftment(anc_log(values), D0)
    assert result.neutrophil == (day(expected) if expected is not None else None)


def test_out_of_order_entries_give_the_same_result():
    entries = anc_log({-2: 3.0, 0: 1.0, 3: 0.3, 8: 0.5, 9: 0.7, 10: 0.9})
    assert compute_engraftment(list(reversed(entries)), D0).neutrophil == day(8)


def test_as_of_before_the_third_day_is_not_yet_engrafted():
    entries = anc_log({3: 0.3, 8: 0.6, 9: 0.7, 10: 0.9})
    assert compute_engraftment(entries, D0, as_of=moment(9, 23, 59)).neutrophil is None
    assert compute_engraftment(entries, D0, as_of=moment(10, 7)).neutrophil == day(8)


def test_retracted_nadir_does_not_count():
    entries = [entry(LogKind.LAB, moment(3, 7), retracted=True, anc=0.2)]
    entries += anc_log({8: 0.6, 9: 0.7, 10: 0.8})
    assert compute_engraftment(entries, D0).neutrophil is None


def test_no_day_zero_gives_nothing():
    assert compute_engraftment(anc_log({3: 0.2, 8: 0.6, 9: 0.7, 10: 0.8}), None) == Engraftment()


def test_run_length_is_a_setting():
    entries = anc_log({3: 0.3, 8: 0.6, 9: 0.7})
    assert compute_engraftment(entries, D0, ClinicalSettings(engraftment_run_length=2)).neutrophil == day(8)


EVERY_DAY_HIGH = {n: 30.0 for n in range(1, 16)}

PLATELET_CASES = [
    ("CIBMTR: last transfusion Day 0 lets Day +7 count", EVERY_DAY_HIGH, (0,), 7),
    ("transfusion Day +1: Day +7 is 6 days after, does not count; Day +8 does", EVERY_DAY_HIGH, (1,), 8),
    ("transfusion Day +2: engraftment Day +9", EVERY_DAY_HIGH, (2,), 9),
    ("value 6 days after transfusion is supported (restart)", {5: 10, 7: 30, 8: 30, 9: 30, 10: 30}, (1,), 8),
    ("value 7 days after transfusion is unsupported", {5: 10, 7: 30, 8: 30, 9: 30, 10: 30}, (0,), 7),
    ("value 8 days after transfusion is unsupported", {5: 10, 7: 30, 8: 30, 9: 30, 10: 30}, (-1,), 7),
    ("nadir by a low value; exactly 20 counts", {5: 15, 6: 20, 7: 25, 8: 30}, None, 6),
    ("a value of 19 restarts the run", {5: 15, 6: 20, 7: 19, 8: 25, 9: 25, 10: 30}, None, 8),
    ("a missing day inside the run does not break it", {5: 15, 6: 20, 8: 25, 11: 30}, None, 6),
    ("a transfusion inside the run restarts it", {3: 10, 5: 25, 6: 25, 13: 25, 14: 25, 15: 25}, (6,), 13),
    ("only two unsupported days: not yet", {5: 15, 6: 20, 7: 25}, None, None),
]


@pytest.mark.parametrize("values, transfused, expected", [c[1:] for c in PLATELET_CASES],
                         ids=[c[0] for c in PLATELET_CASES])
def test_platelet_engraftment(values, transfused, expected):
    result = compute_engraftment(plt_log(values, transfused or ()), D0)
    assert result.platelet == (day(expected) if expected is not None else None)
    assert result.platelet_never_low is False


def test_red_cell_transfusion_is_not_platelet_support():
    result = compute_engraftment(plt_log({5: 15, 6: 20, 7: 25, 8: 30}, (6,), product="red_cells"), D0)
    assert result.platelet == day(6)


def test_transfusion_free_days_is_a_setting():
    settings = ClinicalSettings(transfusion_free_days=5)
    assert compute_engraftment(plt_log(EVERY_DAY_HIGH, (0,)), D0, settings).platelet == day(5)


@pytest.mark.parametrize("values, transfused, never_low", [
    ({0: 150, 3: 90, 6: 40, 9: 60}, (), True),
    ({0: 150, 3: 90}, (), False),                 # too few values after Day 0 to say so
    ({-3: 150, -1: 120}, (), False),               # nothing after Day 0
    ({1: 30, 2: 30, 3: 30}, (-2,), True),          # a transfusion before Day 0 is no nadir
], ids=["never low", "too few values", "no value after Day 0", "transfusion before Day 0"])
def test_no_platelet_nadir(values, transfused, never_low):
    result = compute_engraftment(plt_log(values, transfused), D0)
    assert result.platelet is None
    assert result.platelet_never_low is never_low


def test_to_json():
    assert Engraftment(day(8), None).to_json() == {"neutrophil": "2027-05-18", "platelet": None}
    assert Engraftment(day(8), day(12)).to_json() == {"neutrophil": "2027-05-18", "platelet": "2027-05-22"}
    assert Engraftment(None, None, True).to_json() == {"neutrophil": None, "platelet": None,
                                                       "platelet_never_low": True}
