"""The informational eligibility checklist: every item in every status."""

from __future__ import annotations

from datetime import date

import pytest

from mstracker.domain.clinical import DEFAULT_SETTINGS, ELIGIBILITY_DISCLAIMER, ClinicalSettings, check_eligibility

from .factory import at, edss, mri, relapse

TODAY = date(2027, 1, 15)


def item(key, born=None, diagnosed=None, ms_type=None, entries=(), settings=DEFAULT_SETTINGS):
    items = check_eligibility(born, diagnosed, ms_type, list(entries), TODAY, settings)
    return next(i for i in items if i.key == key)


def test_items_in_order_with_a_note_last():
    items = check_eligibility(None, None, None, [], TODAY, ClinicalSettings())
    assert [i.key for i in items] == ["ms_type", "age", "edss", "disease_duration", "disease_activity",
                                      "strict_reading"]
    assert [i.note for i in items] == [False] * 5 + [True]
    assert all(i.status == "unknown" for i in items)
    assert "decides nothing" in ELIGIBILITY_DISCLAIMER and "MS specialist" in ELIGIBILITY_DISCLAIMER


ACTIVE = [relapse(at(date(2026, 6, 1)))]
CLEAN_MRI = [mri(at(date(2026, 9, 1)))]


@pytest.mark.parametrize("ms_type, entries, status", [
    ("rrms", [], "met"),
    ("spms", ACTIVE, "discuss"),
    ("ppms", [mri(at(date(2026, 9, 1)), gd=1)], "discuss"),
    ("spms", CLEAN_MRI, "not_met"),
    ("spms", [], "unknown"),
    ("cis", [], "discuss"),
    (None, [], "unknown"),
])
def test_ms_type(ms_type, entries, status):
    assert item("ms_type", ms_type=ms_type, entries=entries).status == status


@pytest.mark.parametrize("born, status", [
    (date(1982, 1, 16), "met"),      # 44, birthday tomorrow
    (date(1982, 1, 15), "discuss"),  # 45 today
    (date(1977, 1, 16), "discuss"),  # 49
    (date(1977, 1, 15), "not_met"),  # 50
    (None, "unknown"),
])
def test_age(born, status):
    assert item("age", born=born).status == status


def test_age_limit_is_a_setting():
    assert item("age", born=date(1980, 1, 1), settings=ClinicalSettings(eligibility_max_age=50)).status == "met"


@pytest.mark.parametrize("entries, status", [
    ([edss(at(date(2026, 12, 1)), 5.5)], "met"),
    ([edss(at(date(2026, 12, 1)), 6.0)], "not_met"),
    ([edss(at(date(2026, 1, 1)), 7.0), edss(at(date(2026, 12, 1)), 4.0)], "met"),   # the latest counts
    ([relapse(at(date(2026, 11, 1))), edss(at(date(2026, 12, 1)), 6.5)], "discuss"),  # due to a recent relapse
    ([relapse(at(date(2026, 11, 1)), confirmed="no"), edss(at(date(2026, 12, 1)), 6.5)], "not_met"),
    ([relapse(at(date(2026, 6, 1))), edss(at(date(2026, 12, 1)), 6.5)], "not_met"),  # relapse long before
    ([edss(at(date(2027, 1, 20)), 3.0)], "unknown"),                                    # after today
    ([], "unknown"),
])
def test_edss(entries, status):
    assert item("edss", entries=entries).status == status


@pytest.mark.parametrize("diagnosed, status", [
    (date(2017, 1, 16), "met"),      # 9 years and 364 days
    (date(2017, 1, 15), "not_met"),  # exactly 10 years
    (None, "unknown"),
])
def test_disease_duration(diagnosed, status):
    assert item("disease_duration", diagnosed=diagnosed).status == status


@pytest.mark.parametrize("entries, status", [
    (ACTIVE, "met"),
    ([mri(at(date(2026, 9, 1)), new_t2=2)], "met"),
    (CLEAN_MRI, "not_met"),
    ([relapse(at(date(2026, 1, 15)))], "unknown"),       # exactly 12 months ago: outside
    ([relapse(at(date(2026, 1, 16)))], "met"),
    ([relapse(at(date(2026, 6, 1)), confirmed="no")], "unknown"),
    ([], "unknown"),
])
def test_disease_activity(entries, status):
    assert item("disease_activity", entries=entries).status == status


@pytest.mark.parametrize("entries, status", [
    ([relapse(at(date(2026, 3, 1))), relapse(at(date(2026, 9, 1))), mri(at(date(2026, 10, 1)), gd=1)], "met"),
    ([relapse(at(date(2026, 3, 1))), mri(at(date(2026, 10, 1)), gd=1)], "not_met"),
    ([relapse(at(date(2026, 3, 1))), relapse(at(date(2026, 9, 1)))], "not_met"),
    ([], "unknown"),
])
def test_stricter_seed_reading_is_a_note(entries, status):
    strict = item("strict_reading", entries=entries)
    assert strict.status == status and strict.note is True
    assert "not as the rule" in strict.detail
