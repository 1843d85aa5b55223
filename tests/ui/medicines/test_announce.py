"""Which doses are announced when (Qt-free): at the dose's time, once more an hour later while unrecorded, never
after it is recorded or missed; an hour is sixty real minutes across a daylight-saving change."""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil import tz

from mstracker.domain.medicines.course import Course
from mstracker.domain.medicines.doses import Dose, DoseStatus
from mstracker.ui.medicines.announce import due_announcements
from mstracker.ui.medicines.words import announcement_words

ZONE = tz.gettz("Europe/London")
ACICLOVIR = Course(2, "aciclovir", (time(0, 30), time(8, 0)), date(2027, 3, 1), dose="400 mg")
SEPTRIN = Course(3, "co-trimoxazole", (time(8, 0),), date(2027, 3, 1), weekdays=(0, 2, 4), every_days=None)


def _dose(course, due, status=DoseStatus.PENDING) -> Dose:
    return Dose(course, due, status)


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


def _look(doses, announced, *moment):
    return [(a.dose.course.id, a.dose.due.time(), a.repeat)
            for a in due_announcements(doses, _at(*moment), ZONE, announced)]


def test_at_its_time_then_once_an_hour_later_then_silence():
    doses = [_dose(ACICLOVIR, datetime(2027, 3, 22, 8, 0)), _dose(SEPTRIN, datetime(2027, 3, 22, 8, 0))]
    heard: set = set()
    assert _look(doses, heard, 2027, 3, 22, 7, 59) == []
    assert _look(doses, heard, 2027, 3, 22, 8, 0) == [(2, time(8), False), (3, time(8), False)]
    assert _look(doses, heard, 2027, 3, 22, 8, 59) == []
    assert _look(doses, heard, 2027, 3, 22, 9, 0) == [(2, time(8), True), (3, time(8), True)]
    assert _look(doses, heard, 2027, 3, 22, 11, 59) == []
    # Four hours on, missed: the warning speaks, not the announcement.
    late = [_dose(ACICLOVIR, datetime(2027, 3, 22, 8, 0), DoseStatus.MISSED)]
    assert _look(late, set(), 2027, 3, 22, 12, 1) == []


def test_a_recorded_dose_is_not_announced_and_a_late_start_announces_once():
    taken = [_dose(ACICLOVIR, datetime(2027, 3, 22, 8, 0), DoseStatus.TAKEN)]
    assert _look(taken, set(), 2027, 3, 22, 9, 0) == []
    heard: set = set()
    doses = [_dose(ACICLOVIR, datetime(2027, 3, 22, 8, 0))]
    assert _look(doses, heard, 2027, 3, 22, 9, 30) == [(2, time(8), True)]  # the app opened at 09:30
    assert _look(doses, heard, 2027, 3, 22, 10, 0) == []


def test_an_hour_is_sixty_real_minutes_the_night_the_clocks_go_forward():
    # 28 March 2027: 01:00 becomes 02:00 in London. An hour after 00:30 the clock says 02:30.
    doses = [_dose(ACICLOVIR, datetime(2027, 3, 28, 0, 30))]
    heard: set = set()
    assert _look(doses, heard, 2027, 3, 28, 0, 30) == [(2, time(0, 30), False)]
    assert _look(doses, heard, 2027, 3, 28, 2, 29) == []
    assert _look(doses, heard, 2027, 3, 28, 2, 30) == [(2, time(0, 30), True)]


def test_the_words_name_every_dose_due_together():
    doses = [_dose(ACICLOVIR, datetime(2027, 3, 22, 8, 0)), _dose(SEPTRIN, datetime(2027, 3, 22, 8, 0))]
    assert announcement_words(doses, False) == "Time for aciclovir 400 mg and co-trimoxazole (08:00)."
    assert announcement_words(doses[:1], True) == "Still not recorded: aciclovir 400 mg, due at 08:00."
