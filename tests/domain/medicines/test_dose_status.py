"""Dose statuses by the clock (the 4-hour boundaries of late and missed), adherence, and missed-dose alerts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from dateutil import tz

from mstracker.domain.errors import UserError
from mstracker.domain.medicines.alerts import missed_dose_alerts
from mstracker.domain.medicines.course import Course
from mstracker.domain.medicines.doses import (
    DoseRecord,
    DoseStatus,
    adherence,
    check_recordable,
    doses_between,
    nearest_open_dose,
)
from mstracker.domain.phases import Phase

ZONE = tz.gettz("Europe/Paris")
DAY = date(2027, 6, 18)
DUE = datetime(2027, 6, 18, 8, 0)
C = Course(id=3, name="aciclovir (antiviral prophylaxis)", times=(time(8), time(20)), first_day=date(2027, 6, 10))
G = Course(id=1, name="G-CSF (filgrastim) injections", times=(time(8),), first_day=date(2027, 6, 10))


def at(wall: datetime) -> datetime:
    return wall.replace(tzinfo=ZONE)


def status_at(now: datetime, records=()) -> object:
    return doses_between([C], list(records), DAY, DAY, at(now), ZONE)[0]


def test_pending_until_four_hours_after_its_time_then_missed():
    assert status_at(DUE + timedelta(hours=4)).status is DoseStatus.PENDING
    assert status_at(DUE + timedelta(hours=4, minutes=1)).status is DoseStatus.MISSED
    assert status_at(DUE - timedelta(hours=3)).status is DoseStatus.PENDING


def test_late_only_when_taken_more_than_four_hours_after_its_time():
    on_the_edge = DoseRecord(3, DUE, True, DUE + timedelta(hours=4))
    just_after = DoseRecord(3, DUE, True, DUE + timedelta(hours=4, minutes=1))
    assert status_at(DUE + timedelta(days=2), [on_the_edge]).late is False
    late = status_at(DUE + timedelta(days=2), [just_after])
    assert (late.status, late.late) == (DoseStatus.TAKEN, True)


def test_recorded_days_later_as_taken_on_time_is_not_late():
    record = DoseRecord(3, DUE, True, datetime(2027, 6, 18, 8, 15))
    dose = status_at(datetime(2027, 6, 20, 9, 0), [record])
    assert (dose.status, dose.late, dose.taken_at) == (DoseStatus.TAKEN, False, datetime(2027, 6, 18, 8, 15))


def test_skipped_keeps_its_reason():
    dose = status_at(DUE + timedelta(hours=8), [DoseRecord(3, DUE, False, reason="vomiting")])
    assert (dose.status, dose.reason) == (DoseStatus.SKIPPED, "vomiting")


def test_a_recorded_dose_outside_the_course_still_shows():
    stopped = Course(id=3, name="aciclovir", times=(time(8),), first_day=date(2027, 6, 10), last_day=date(2027, 6, 17))
    found = doses_between([stopped], [DoseRecord(3, DUE, True, DUE)], DAY, DAY, at(DUE + timedelta(hours=1)), ZONE)
    assert [(d.due, d.status) for d in found] == [(DUE, DoseStatus.TAKEN)]


def test_adherence_counts_taken_skipped_missed_and_leaves_out_pending():
    now = at(datetime(2027, 6, 18, 21, 0))
    # Window: doses due after now − 168 h (2027-06-11 21:00) and at or before now. 14 doses: 06-12 08:00 …
    # 06-18 20:00. Taken: all but three; skipped one; missed two; 06-18 20:00 is pending (within 4 h).
    all_due = C.doses(date(2027, 6, 11), date(2027, 6, 18))
    counted = [d for d in all_due if d > datetime(2027, 6, 11, 21, 0)]
    assert len(counted) == 14
    missed = {datetime(2027, 6, 11, 20), datetime(2027, 6, 13, 8), datetime(2027, 6, 14, 20)}
    skipped = datetime(2027, 6, 15, 8)
    records = [DoseRecord(3, d, True, d) for d in all_due if d not in missed and d != skipped and d != counted[-1]]
    records.append(DoseRecord(3, skipped, False))
    found = doses_between([C], records, date(2027, 6, 11), date(2027, 6, 18), now, ZONE)
    assert found[-1].status is DoseStatus.PENDING
    assert adherence(found, now, ZONE) == pytest.approx(10 / 13)
    # A dose due at or before now − 168 h no longer counts: the 06-11 20:00 dose (missed) is left out.
    assert [d.status for d in found if d.due == datetime(2027, 6, 11, 20)] == [DoseStatus.MISSED]


def test_adherence_is_none_with_nothing_due_yet():
    now = at(datetime(2027, 6, 10, 9, 0))
    assert adherence(doses_between([C], [], date(2027, 6, 3), date(2027, 6, 10), now, ZONE), now, ZONE) is None


def test_missed_dose_warning_words_and_window():
    def phase_on(day):
        return Phase.MOBILIZATION

    now = at(datetime(2027, 6, 18, 13, 0))
    found = doses_between([C, G], [], DAY, DAY, now, ZONE)
    alerts = missed_dose_alerts(found, now, ZONE, phase_on)
    assert [a.code for a in alerts] == ["missed_dose", "missed_dose"]
    texts = " ".join(a.message for a in alerts)
    assert "G-CSF (filgrastim) injections at 08:00 on 2027-06-18" in texts
    assert "call the apheresis unit today" in texts.lower()
    assert "aciclovir (antiviral prophylaxis) at 08:00 on 2027-06-18" in texts and "tell your team" in texts
    # 24 hours after it became missed (08:00 + 4 h) it no longer shows.
    later = at(datetime(2027, 6, 19, 12, 0))
    days = doses_between([G], [], DAY, date(2027, 6, 19), later, ZONE)
    assert not [a for a in missed_dose_alerts(days, later, ZONE, phase_on) if "2027-06-18" in a.message]
    # Outside mobilization, a missed G-CSF dose gets the ordinary words.
    plain = missed_dose_alerts(doses_between([G], [], DAY, DAY, now, ZONE), now, ZONE, lambda d: Phase.CELLS_STORED)
    assert "apheresis" not in plain[0].message


def test_recording_refusals_and_the_nearest_open_dose():
    now = at(datetime(2027, 6, 18, 7, 0))
    with pytest.raises(UserError, match="not a dose"):
        check_recordable(C, datetime(2027, 6, 18, 9, 0), now, ZONE, [])
    with pytest.raises(UserError, match="already recorded"):
        check_recordable(C, DUE, now, ZONE, [DoseRecord(3, DUE, True, DUE)])
    with pytest.raises(UserError, match="more than 12 hours ahead"):
        check_recordable(C, datetime(2027, 6, 19, 8, 0), now, ZONE, [])
    check_recordable(C, datetime(2027, 6, 18, 19, 0).replace(hour=20), at(datetime(2027, 6, 18, 8, 0)), ZONE, [])
    assert nearest_open_dose(C, datetime(2027, 6, 18, 9, 0), ZONE, []) == DUE
    assert nearest_open_dose(C, datetime(2027, 6, 18, 9, 0), ZONE, [DoseRecord(3, DUE, True, DUE)]) == \
        datetime(2027, 6, 18, 20, 0)
    with pytest.raises(UserError, match="no dose"):
        nearest_open_dose(G, datetime(2027, 6, 8, 9, 0), ZONE, [])
