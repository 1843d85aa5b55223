"""A representative walk through the service layer, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mstracker.domain.errors import ReadOnlyError
from mstracker.domain.phases import Phase
from mstracker.services import journeys, logbook, patients, reminders, transfer
from mstracker.services.audit import audit
from mstracker.services.context import open_context
from mstracker.services.maintenance import check
from mstracker.storage.errors import storage_error

NOW = datetime(2027, 6, 20, 10, 0)


def _open(target: str, role: str = "coordinator"):
    return open_context(target, role=role, clock=lambda: NOW)


@pytest.fixture
def ctx(db_target):
    c = _open(db_target)
    yield c
    c.close()


def _walk(ctx) -> int:
    pid = patients.add_patient(ctx, "Anna Example", date(1990, 4, 2), date(2019, 1, 10), "rrms")
    journeys.start_journey(ctx, pid, "cy-atg", date(2027, 3, 1), Phase.MOBILIZATION)
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 3, 12))
    journeys.plan(ctx, pid, Phase.TRANSPLANT, date(2027, 5, 31))
    journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 5, 25))
    journeys.advance(ctx, pid, Phase.TRANSPLANT, date(2027, 5, 31))
    return pid


def test_patient_add_and_list(ctx):
    a = patients.add_patient(ctx, "Anna Example")
    b = patients.add_patient(ctx, "Ben Beispiel")
    listed = [(p.id, p.name, p.phase) for p in patients.list_patients(ctx)]
    assert listed == [(a, "Anna Example", None), (b, "Ben Beispiel", None)]


def test_journey_walk_and_projection(ctx):
    pid = _walk(ctx)
    journey = journeys.journey_of(ctx, pid)
    assert journey.phase is Phase.TRANSPLANT and journey.day_zero == date(2027, 5, 31)
    assert journey.admitted == date(2027, 5, 25) and not journey.day_zero_is_planned
    [summary] = patients.list_patients(ctx)
    assert (summary.phase, summary.day) == ("transplant", 20)
    if ctx.db.target.is_sqlite:
        assert check(ctx).sound


def test_log_amend_retract_history_keep_times(ctx):
    pid = _walk(ctx)
    first = logbook.log(ctx, pid, "lab", datetime(2027, 6, 5, 7, 0), {"anc": "0.2", "platelets": "15"})
    second = logbook.log(ctx, pid, "temperature", datetime(2027, 6, 6, 21, 30), {"celsius": "38.4"})
    logbook.amend(ctx, first, None, {"platelets": "18"})
    logbook.retract(ctx, second, "entered in error")
    shown = [logbook.entry_to_json(e) for e in logbook.history(ctx, pid)]
    # 07:00 local in British Summer Time stays 07:00 whatever the server's own zone.
    assert shown == [{"id": first, "kind": "lab", "at": "2027-06-05T07:00",
                      "fields": {"anc": 0.2, "platelets": 18}, "amended": True}]
    actions = [row["action"] for row in audit(ctx, pid)]
    assert len(actions) >= 8


def test_schedule_follows_day_zero(ctx):
    pid = _walk(ctx)
    items = reminders.schedule(ctx, pid)
    assert items and all(a.due <= b.due for a, b in zip(items, items[1:]))
    done = reminders.complete(ctx, items[0].id, datetime(2027, 6, 1, 9, 30))
    assert done.status == "done"
    journeys.amend_transition(ctx, pid, Phase.TRANSPLANT, date(2027, 6, 1))
    after = {r.id: r for r in reminders.schedule(ctx, pid)}
    assert after[items[0].id].status == "done" and after[items[0].id].due == items[0].due
    moved = [r for r in items[1:] if r.status == "pending" and after[r.id].due != r.due]
    assert moved, "pending reminders move with Day 0"


def test_json_round_trip(ctx):
    pid = _walk(ctx)
    entry = logbook.log(ctx, pid, "edss", datetime(2027, 6, 10, 11, 0), {"score": "3.5"})
    logbook.amend(ctx, entry, datetime(2027, 6, 10, 12, 15), {"score": "4.0"})
    exported = transfer.export_data(ctx, pid)
    copy = transfer.import_data(ctx, exported)
    again = transfer.export_data(ctx, copy)

    def comparable(data):
        return ([(e["kind"], e["occurred_at"], e["payload"], e["user"], e["role"]) for e in data["events"]],
                [(r["item_id"], r["occurrence"], r["due"], r["status"]) for r in data["reminders"]])

    events, rems = comparable(exported)
    events2, rems2 = comparable(again)
    assert events2[:len(events)] == events and events2[-1][0] == "import"
    assert rems2 == rems

    def shown(patient):  # ids are renumbered on import; everything else is the same
        return [{k: v for k, v in logbook.entry_to_json(e).items() if k != "id"} for e in logbook.history(ctx, patient)]

    assert shown(copy) == shown(pid) and shown(pid)[0]["fields"] == {"score": 4.0}


def test_caregiver_cannot_write_even_raw(db_target):
    owner = _open(db_target)
    pid = patients.add_patient(owner, "Anna Example")
    owner.close()
    carer = _open(db_target, role="caregiver")
    try:
        with pytest.raises(ReadOnlyError):
            patients.add_patient(carer, "Intruder")
        with pytest.raises(Exception) as raised:
            with carer.db.engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO patient (name, created_at) VALUES ('x', CURRENT_TIMESTAMP)")
        mapped = storage_error(raised.value, "db")
        assert isinstance(mapped, ReadOnlyError), raised.value
        assert [p.id for p in patients.list_patients(carer)] == [pid]
    finally:
        carer.close()


def test_caregiver_on_the_command_line(cli, db_target):
    assert cli("patient", "add", "--name", "Anna Example", db_path=db_target, role="coordinator").code == 0
    refused = cli("patient", "add", "--name", "Intruder", db_path=db_target, role="caregiver")
    assert refused.code == 2 and refused.err.startswith("error: read-only") and refused.err.count("\n") == 1
    listed = cli("patient", "list", "--json", db_path=db_target, role="caregiver")
    assert [p["name"] for p in listed.json()] == ["Anna Example"]


def test_medicines_courses_doses_and_corrections(ctx):
    from mstracker.services import medicines

    pid = _walk(ctx)
    journeys.advance(ctx, pid, Phase.IMMUNE_REBUILD, date(2027, 6, 16))
    courses = {v.course.key: v.course for v in medicines.list_courses(ctx, pid)}
    assert (courses["aciclovir"].first_day, courses["aciclovir"].last_day) == (date(2027, 6, 17), date(2028, 5, 31))
    g_csf = courses["g-csf"]
    assert (g_csf.first_day, g_csf.last_day) == (date(2027, 3, 5), date(2027, 3, 12))
    record, dose = medicines.record_taken(ctx, courses["aciclovir"].id, datetime(2027, 6, 20, 8), datetime(2027, 6, 20, 9))
    assert dose.status.value == "taken"
    logbook.amend(ctx, record, datetime(2027, 6, 20, 13), {})
    [taken] = [d for d in medicines.doses(ctx, pid) if d.due == datetime(2027, 6, 20, 8)]
    assert (taken.taken_at, taken.late) == (datetime(2027, 6, 20, 13), True)
    logbook.retract(ctx, record, "entered in error")
    assert [d.status.value for d in medicines.doses(ctx, pid) if d.course.id == courses["aciclovir"].id] == [
        "pending", "pending"]
    own = medicines.add_course(ctx, pid, name="vitamin D", times=[datetime(2027, 1, 1, 9).time()],
                               first_day=date(2027, 6, 1), every_days=2)
    medicines.stop_course(ctx, own, date(2027, 6, 19))
    exported = transfer.export_data(ctx, pid)
    new = transfer.import_data(ctx, exported)
    assert [v.to_json() | {"id": 0} for v in medicines.list_courses(ctx, new)] == \
        [v.to_json() | {"id": 0} for v in medicines.list_courses(ctx, pid)]
    assert medicines.missed_last_24h(ctx)[pid] >= 1
