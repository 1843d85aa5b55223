"""The medicine services the desktop app builds on: today's doses, recording, change of dose, the dashboard."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from mstracker.domain.errors import ReadOnlyError, UserError
from mstracker.domain.medicines.doses import DoseStatus
from mstracker.domain.phases import Phase
from mstracker.services import dashboard, journeys, medicine_today, medicines, patients
from mstracker.services.context import AppContext


@pytest.fixture
def patient(ctx) -> int:
    pid = patients.add_patient(ctx, "Anna", None, None, None)
    medicines.add_course(ctx, pid, name="aciclovir", times=[time(8), time(20)], first_day=date(2027, 6, 17),
                         dose="400 mg")
    return pid


def test_today_gives_the_doses_the_week_and_the_missed_ones(ctx, patient):
    found = medicine_today.today(ctx, patient)  # 2027-06-20 10:00
    assert [(d.due.time(), d.status) for d in found.doses] == [(time(8), DoseStatus.PENDING),
                                                               (time(20), DoseStatus.PENDING)]
    assert found.adherence_7d == 0.0
    # Missed within the last 24 hours: 06-19 08:00 (missed at 12:00, 22 h ago) and 06-19 20:00.
    assert [d.due for d in found.missed] == [datetime(2027, 6, 19, 8, 0), datetime(2027, 6, 19, 20, 0)]


def test_record_taken_and_skip_return_the_dose_with_its_status(ctx, patient):
    record, dose = medicines.record_taken(ctx, 1)
    assert (dose.due, dose.status, dose.taken_at, record > 0) == (datetime(2027, 6, 20, 8), DoseStatus.TAKEN,
                                                                  datetime(2027, 6, 20, 10), True)
    _, skipped = medicines.record_skip(ctx, 1, datetime(2027, 6, 19, 20), "asleep")
    assert (skipped.status, skipped.reason) == (DoseStatus.SKIPPED, "asleep")
    assert [d.due for d in medicine_today.today(ctx, patient).missed] == [datetime(2027, 6, 19, 8, 0)]


def test_change_dose_is_a_stop_and_a_new_course(ctx, patient):
    new = medicines.change_dose(ctx, 1, "800 mg", date(2027, 6, 21))
    views = {v.course.id: v for v in medicines.list_courses(ctx, patient)}
    assert views[1].course.last_day == date(2027, 6, 20)
    assert (views[new].course.first_day, views[new].course.dose, views[new].course.times) == (
        date(2027, 6, 21), "800 mg", (time(8), time(20)))
    with pytest.raises(UserError, match="already ends"):
        medicines.stop_course(ctx, 1, date(2027, 6, 25))


def test_a_refused_change_of_dose_leaves_the_course_running(ctx, patient):
    before = [(v.course, v.status) for v in medicines.list_courses(ctx, patient)]
    with pytest.raises(UserError, match="--dose is longer than 500 characters"):
        medicines.change_dose(ctx, 1, "4" * 501, date(2027, 6, 21))  # the new course's dose is refused...
    assert [(v.course, v.status) for v in medicines.list_courses(ctx, patient)] == before  # ...and nothing stopped


def test_a_change_of_dose_cut_off_half_way_changes_nothing(ctx, patient, monkeypatch):
    before = [(v.course, v.status) for v in medicines.list_courses(ctx, patient)]

    def fail(*_args, **_kwargs):
        raise OSError("the disk was pulled out")

    monkeypatch.setattr(medicines.rows, "insert_course", fail)  # the new course's write fails
    with pytest.raises(OSError):
        medicines.change_dose(ctx, 1, "800 mg", date(2027, 6, 21))
    assert [(v.course, v.status) for v in medicines.list_courses(ctx, patient)] == before


def test_a_caregiver_reads_but_records_nothing(ctx, patient):
    reader = AppContext(db=ctx.db, role="caregiver", zone=ctx.zone, clock=ctx.clock)
    assert len(medicine_today.today(reader, patient).doses) == 2
    for write in (lambda: medicines.record_taken(reader, 1),
                  lambda: medicines.record_skip(reader, 1, datetime(2027, 6, 20, 8)),
                  lambda: medicines.stop_course(reader, 1, date(2027, 6, 22)),
                  lambda: medicines.add_course(reader, patient, name="x", times=[time(8)], first_day=date(2027, 6, 1))):
        with pytest.raises(ReadOnlyError):
            write()


def test_the_dashboard_counts_doses_missed_in_the_last_24_hours(ctx, patient):
    other = patients.add_patient(ctx, "Ben", None, None, None)
    journeys.start_journey(ctx, other, "cy-atg", date(2027, 6, 10), Phase.MOBILIZATION)  # G-CSF from 06-14
    medicines.record_taken(ctx, 2, datetime(2027, 6, 20, 8, 0), datetime(2027, 6, 20, 8, 0))
    # Anna: 06-19 20:00 missed at 06-20 00:00; 06-19 08:00 became missed 22 h ago. Ben: 06-19 08:00.
    assert dashboard.missed_doses(ctx) == {patient: 2, other: 1}


def test_record_many_writes_a_batch_and_refuses_a_dose_twice(ctx, patient):
    from mstracker.domain.medicines.doses import DoseRecord

    due = [datetime(2027, 6, 17, 8), datetime(2027, 6, 17, 20), datetime(2027, 6, 18, 8)]
    assert medicines.record_many(ctx, patient, [DoseRecord(1, d, True, d) for d in due]) == 3
    assert [d.status for d in medicines.doses(ctx, patient, date(2027, 6, 17), date(2027, 6, 17))] == [
        DoseStatus.TAKEN, DoseStatus.TAKEN]
    with pytest.raises(UserError, match="cannot be recorded"):
        medicines.record_many(ctx, patient, [DoseRecord(1, due[0], True, due[0])])


def test_undo_record_makes_the_dose_open_again(ctx, patient):
    record, _ = medicines.record_taken(ctx, 1)
    medicines.undo_record(ctx, record)
    assert [d.status for d in medicine_today.today(ctx, patient).doses] == [DoseStatus.PENDING, DoseStatus.PENDING]
