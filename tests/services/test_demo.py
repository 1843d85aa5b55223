"""`create_demo`: one sample patient in each phase as they stand on a day, with realistic logs."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest

from mstracker.domain.errors import ReadOnlyError
from mstracker.domain.phases import Phase
from mstracker.services import demo, logbook, patients, reminders
from mstracker.services.context import AppContext, local_zone, open_context
from mstracker.services.status import status

ON = date(2027, 6, 1)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One demo database for the tests that only read it (a demo takes a second or two to write)."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        mp.setenv("TZ", "Europe/London")
        moment = datetime(2027, 6, 20, 10, 0, tzinfo=local_zone())
        context = open_context(str(folder / "demo.sqlite3"), clock=lambda: moment)
        ids = demo.create_demo(context, ON)
        yield context, ids
        context.close()


@pytest.fixture
def ctx(shared):
    return shared[0]


@pytest.fixture
def made(shared):
    return shared[1]


def by_phase(ctx, ids) -> dict[str, int]:
    rows = {p.id: p for p in patients.list_patients(ctx)}
    return {rows[i].phase: i for i in ids}


def test_one_patient_in_each_phase(ctx, made):
    assert len(made) == len(Phase)
    assert set(by_phase(ctx, made)) == {p.value for p in Phase}
    names = [p.name for p in patients.list_patients(ctx)]
    assert all(name.endswith("(demo)") for name in names) and len(set(names)) == len(names)


def test_status_of_each_shows_its_phase_as_of_the_day(ctx, made):
    as_of = datetime(2027, 6, 1, 18, 0)
    for phase, pid in by_phase(ctx, made).items():
        result = status(ctx, pid, as_of)
        assert result.to_json()["phase"] == phase
        assert result.journey.phase_since <= ON


def test_nothing_is_dated_after_the_demo_day(ctx, made):
    for pid in made:
        assert all(e.at.date() <= ON for e in logbook.history(ctx, pid))
        journey = status(ctx, pid).full_journey
        assert all(t.on <= ON for t in journey.transitions)


def test_the_transplant_patient_is_at_the_nadir_and_the_rebuild_patient_engrafted(ctx, made):
    pids = by_phase(ctx, made)
    tx = status(ctx, pids["transplant"], datetime(2027, 6, 1, 18, 0))
    assert tx.day == 9
    labs = [e for e in logbook.history(ctx, pids["transplant"], "lab")]
    anc = {e.at.date(): e.fields["anc"] for e in labs if "anc" in e.fields}
    day_zero = tx.day_zero
    after = {(d - day_zero).days: v for d, v in anc.items() if d >= day_zero}
    nadir_day = min(after, key=after.get)
    assert after[nadir_day] < 0.5 and 3 <= nadir_day <= 8  # falls to a nadir after Day 0
    codes = {a.code for a in tx.alerts}
    assert {"neutropenia", "low_platelets"} <= codes
    rebuild = status(ctx, pids["immune_rebuild"], datetime(2027, 6, 1, 18, 0))
    zero = rebuild.day_zero
    assert (rebuild.engraftment.neutrophil - zero).days == 10
    assert (rebuild.engraftment.platelet - zero).days == 13  # a transfusion-free week after the Day +6 transfusion
    assert rebuild.journey.length_of_stay_days == 20


def test_realistic_logs(ctx, made):
    pids = by_phase(ctx, made)
    kinds = Counter(e.kind.value for e in logbook.history(ctx, pids["immune_rebuild"]))
    assert kinds["temperature"] >= 30 and kinds["lab"] >= 15 and kinds["transfusion"] == 2
    effects = {e.fields["name"]: e.fields["grade"] for e in logbook.history(ctx, pids["immune_rebuild"], "side_effect")}
    assert effects["mucositis"] == 3 and all(1 <= g <= 5 for g in effects.values())
    mris = logbook.history(ctx, pids["follow_up"], "mri")
    assert len(mris) >= 2 and all(m.fields["new_t2"] == 0 for m in mris[:-1])
    assert logbook.history(ctx, pids["follow_up"], "edss")
    assert logbook.history(ctx, pids["mobilization"], "temperature")
    withdrawn = status(ctx, pids["withdrawn"]).full_journey.transitions[-1]
    assert withdrawn.phase is Phase.WITHDRAWN and withdrawn.reason


def test_past_reminders_are_done_and_the_rest_pending(ctx, made):
    pids = by_phase(ctx, made)
    follow = reminders.schedule(ctx, pids["follow_up"])
    assert {r.status for r in follow if r.due.date() < date(2027, 5, 31)} == {"done"}
    assert {r.status for r in follow if r.due.date() > ON} == {"pending"}
    assert not [a for a in status(ctx, pids["follow_up"], datetime(2027, 6, 1, 18)).alerts if a.code == "overdue"]
    assert {r.status for r in reminders.schedule(ctx, pids["completed"])} <= {"done", "skipped"}


# The tests below write: each has a fresh database (`fresh`, tests/services/conftest.py's `ctx`).
@pytest.fixture
def fresh(service_ctx):
    return service_ctx


def test_a_second_run_adds_more_patients(fresh):
    first = demo.create_demo(fresh, ON)
    again = demo.create_demo(fresh, ON)
    assert len(again) == len(Phase) and not set(again) & set(first)
    assert len(patients.list_patients(fresh)) == 2 * len(Phase)


def test_default_day_is_today_by_the_context_clock(fresh):
    ids = demo.create_demo(fresh)  # the fixture's clock: 2027-06-20 10:00
    for pid in ids:
        assert all(e.at <= fresh.now() for e in logbook.history(fresh, pid))
    tx = next(p for p in patients.list_patients(fresh) if p.phase == "transplant")
    assert tx.day == 9


def test_a_caregiver_cannot_add_demo_patients(fresh):
    reader = AppContext(db=fresh.db, role="caregiver", clock=fresh.clock)
    with pytest.raises(ReadOnlyError):
        demo.create_demo(reader, ON)
    assert patients.list_patients(fresh) == []


@pytest.mark.parametrize("on", [date(2001, 3, 1), date(2028, 2, 29)])
def test_any_day_gives_a_plausible_past(fresh, on):
    ids = demo.create_demo(fresh, on)
    for pid in ids:
        info = patients.get_patient(fresh, pid)
        assert info["born"] < info["diagnosed"] < on
        assert all(e.at.date() <= on for e in logbook.history(fresh, pid))
    assert {p.phase for p in patients.list_patients(fresh)} == {p.value for p in Phase}
