"""The follow-up schedule: the worked example of docs/clinical-rules.md, calendar months, DST, and reconciling stored rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mstracker.domain.dates import localize
from mstracker.domain.protocol import ReminderKind, load_protocol
from mstracker.domain.schedule import (
    PlannedReminder,
    ReminderChanges,
    ReminderStatus,
    StoredReminder,
    generate_schedule,
    reconcile,
)

PROTOCOLS = Path(__file__).resolve().parents[2] / "resources" / "protocols"
NAMES = ("cy-atg", "beam-atg")
DAY_ZERO = date(2027, 5, 31)
DISCHARGE = date(2027, 6, 16)


def protocol(name: str):
    path = PROTOCOLS / f"{name}.toml"
    return load_protocol(path.read_text(encoding="utf-8"), path.name)


def d(text: str) -> date:
    return date.fromisoformat(text)


def weekly(first: str, count: int) -> list[date]:
    return [d(first) + timedelta(weeks=i) for i in range(count)]


# docs/clinical-rules.md, "Worked example": Day 0 2027-05-31, discharge 2027-06-16.
WORKED_EXAMPLE: dict[tuple[str, ...], list[date]] = {
    ("temperature",): [d("2027-06-16") + timedelta(days=i) for i in range(30)],
    ("blood-weekly", "blood-monthly", "blood-3-monthly", "blood-6-monthly"): [d(x) for x in (
        "2027-06-23", "2027-06-30", "2027-07-07", "2027-07-14",
        "2027-07-31", "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30",
        "2028-02-29", "2028-05-31", "2028-08-31", "2028-11-30", "2029-02-28", "2029-05-31",
        "2029-11-30", "2030-05-31", "2030-11-30", "2031-05-31", "2031-11-30", "2032-05-31")],
    ("cmv-ebv-pcr",): weekly("2027-06-23", 12),
    ("tsh-cd4",): [d(x) for x in ("2027-08-31", "2027-11-30", "2028-05-31", "2028-11-30", "2029-05-31",
                                  "2030-05-31", "2031-05-31", "2032-05-31")],
    ("evaluation-early", "evaluation"): [d(x) for x in (
        "2027-06-30", "2027-07-14", "2027-08-31", "2027-11-30", "2028-05-31", "2028-11-30", "2029-05-31",
        "2030-05-31", "2031-05-31", "2032-05-31")],
    ("mri-baseline", "mri"): [d(x) for x in ("2027-11-30", "2028-05-31", "2029-05-31", "2030-05-31",
                                             "2031-05-31", "2032-05-31")],
    ("pjp-prophylaxis-review",): [d("2027-11-30")],
    ("antiviral-prophylaxis-review",): [d("2028-05-31")],
    ("vaccine-pneumococcal",): [d("2027-08-31"), d("2027-09-30"), d("2027-10-31")],
    ("vaccine-influenza",): [d("2027-08-31")],
    ("vaccine-inactivated",): [d("2027-11-30"), d("2027-12-31"), d("2028-01-31")],
    ("vaccine-review",): [d("2028-05-31")],
    ("vaccine-live",): [d("2029-05-31")],
}
KINDS = {"temperature": ReminderKind.CUSTOM, "cmv-ebv-pcr": ReminderKind.BLOOD_TEST, "tsh-cd4": ReminderKind.BLOOD_TEST,
         "evaluation": ReminderKind.EVALUATION, "mri": ReminderKind.MRI, "vaccine-live": ReminderKind.VACCINATION,
         "pjp-prophylaxis-review": ReminderKind.MEDICATION}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("items", list(WORKED_EXAMPLE), ids=lambda items: "+".join(items))
def test_worked_example_dates(name, items):
    schedule = generate_schedule(protocol(name), DAY_ZERO, DISCHARGE)
    got = sorted(r.due.date() for r in schedule if r.item_id in items)
    assert got == WORKED_EXAMPLE[items]


@pytest.mark.parametrize("name", NAMES)
def test_worked_example_covers_every_item_times_and_kinds(name):
    p = protocol(name)
    schedule = generate_schedule(p, DAY_ZERO, DISCHARGE)
    assert {i for items in WORKED_EXAMPLE for i in items} == {item.id for item in p.plan}
    assert len(schedule) == sum(len(dates) for dates in WORKED_EXAMPLE.values())
    for reminder in schedule:
        assert reminder.due.time() == (time(20, 0) if reminder.item_id == "temperature" else time(9, 0))
        if reminder.item_id in KINDS:
            assert reminder.kind is KINDS[reminder.item_id]
    assert len({(r.item_id, r.occurrence) for r in schedule}) == len(schedule)


@pytest.mark.parametrize(
    ("item_id", "occurrence", "title"),
    [
        ("temperature", 2, "Temperature check at home (evening 3 of 30)"),
        ("blood-weekly", 14, "Full blood count, kidney and liver tests (week 2 after discharge)"),
        ("blood-3-monthly", 9, "Full blood count, kidney and liver tests (month 9)"),
        ("mri-baseline", 6, "Brain MRI with gadolinium, new baseline (month 6)"),
        ("vaccine-pneumococcal", 4, "Pneumococcal conjugate vaccine, dose 2 of 3: ask your team (month 4)"),
        ("vaccine-live", 24, "Live vaccines (MMR, varicella): ask your team first (month 24)"),
        ("cmv-ebv-pcr", 84, "CMV and EBV PCR blood test (week 12 after discharge)"),
    ],
)
def test_titles_say_what_and_when(item_id, occurrence, title):
    schedule = generate_schedule(protocol("cy-atg"), DAY_ZERO, DISCHARGE)
    assert [r.title for r in schedule if (r.item_id, r.occurrence) == (item_id, occurrence)] == [title]


def test_schedule_is_sorted_by_due_kind_title():
    schedule = generate_schedule(protocol("cy-atg"), DAY_ZERO, DISCHARGE)
    assert schedule == sorted(schedule, key=lambda r: (r.due, r.kind, r.title))


@pytest.mark.parametrize(
    ("day_zero", "item_id", "occurrence", "due"),
    [
        (date(2028, 1, 31), "tsh-cd4", 3, date(2028, 4, 30)),
        (date(2028, 1, 31), "vaccine-pneumococcal", 4, date(2028, 5, 31)),  # never chained from month 3
        (date(2027, 1, 31), "vaccine-pneumococcal", 3, date(2027, 4, 30)),
        (date(2027, 8, 31), "vaccine-inactivated", 6, date(2028, 2, 29)),
    ],
)
def test_calendar_months_from_the_anchor(day_zero, item_id, occurrence, due):
    schedule = generate_schedule(protocol("cy-atg"), day_zero, None)
    assert [r.due.date() for r in schedule if (r.item_id, r.occurrence) == (item_id, occurrence)] == [due]


def test_month_one_of_a_day_zero_on_the_31st_is_the_months_last_day():
    p = load_protocol((PROTOCOLS / "cy-atg.toml").read_text(encoding="utf-8").replace(
        "every_months = 1\nfirst = 2", "every_months = 1\nfirst = 1"))
    schedule = generate_schedule(p, date(2028, 1, 31), None)
    month_one = [r for r in schedule if (r.item_id, r.occurrence) == ("blood-monthly", 1)]
    assert [r.due for r in month_one] == [datetime(2028, 2, 29, 9, 0)]


def test_wall_time_holds_across_a_dst_change():
    london = ZoneInfo("Europe/London")
    schedule = generate_schedule(protocol("cy-atg"), date(2027, 3, 1), None)
    (mri,) = [r for r in schedule if r.item_id == "mri-baseline"]
    assert mri.due == datetime(2027, 9, 1, 9, 0)
    winter = localize(datetime(2027, 3, 1, 9, 0), london)
    summer = localize(mri.due, london)
    assert (summer.hour, summer.minute) == (9, 0)
    assert summer.utcoffset() != winter.utcoffset()
    assert all(r.due.time() == time(9, 0) for r in schedule)


@pytest.mark.parametrize(
    ("day_zero", "discharge", "anchors"),
    [
        (DAY_ZERO, None, {"day0"}),
        (None, DISCHARGE, {"discharge"}),
        (None, None, set()),
    ],
)
def test_items_wait_for_their_anchors(day_zero, discharge, anchors):
    p = protocol("cy-atg")
    schedule = generate_schedule(p, day_zero, discharge)
    used = {p.item(r.item_id).anchor for r in schedule}
    assert used == anchors
    # CMV PCR runs from discharge until Day +100: it needs both
    assert not any(r.item_id == "cmv-ebv-pcr" for r in schedule)


def test_without_a_discharge_monthly_blood_tests_skip_nothing():
    schedule = generate_schedule(protocol("cy-atg"), DAY_ZERO, None)
    assert [r.occurrence for r in schedule if r.item_id == "blood-monthly"] == [2, 3, 4, 5, 6]


def test_late_discharge_skips_monthly_tests_in_the_weekly_weeks_keeping_occurrence_numbers():
    late = date(2027, 7, 20)  # weekly tests end 2027-08-17: month 2 (07-31) falls within them
    schedule = generate_schedule(protocol("cy-atg"), DAY_ZERO, late)
    assert [r.occurrence for r in schedule if r.item_id == "blood-monthly"] == [3, 4, 5, 6]
    assert [r.due.date() for r in schedule if r.item_id == "blood-weekly"] == weekly("2027-07-27", 4)
    # CMV: from DC+7 (07-27) weekly while on or before Day +100 (09-08)
    cmv = [r for r in schedule if r.item_id == "cmv-ebv-pcr"]
    assert [r.due.date() for r in cmv] == weekly("2027-07-27", 7) and cmv[-1].occurrence == 49


# ---- reconcile --------------------------------------------------------------------------------------

def stored_from(planned: list[PlannedReminder], status=ReminderStatus.PENDING) -> list[StoredReminder]:
    return [StoredReminder(i + 1, r.item_id, r.occurrence, r.due, status, False) for i, r in enumerate(planned)]


def test_reconcile_from_nothing_inserts_the_plan():
    planned = generate_schedule(protocol("cy-atg"), DAY_ZERO, DISCHARGE)
    assert reconcile([], planned) == ReminderChanges(planned, [], [])
    assert not reconcile(stored_from(planned), planned)


def test_an_anchor_move_moves_pending_rows_and_keeps_the_rest():
    p = protocol("cy-atg")
    before = generate_schedule(p, DAY_ZERO, DISCHARGE)
    rows = stored_from(before)
    by_key = {(r.item_id, r.occurrence): r for r in rows}
    done = by_key[("temperature", 0)] = replace(by_key[("temperature", 0)], status=ReminderStatus.DONE)
    snoozed = by_key[("blood-weekly", 7)] = replace(by_key[("blood-weekly", 7)], status=ReminderStatus.SNOOZED)
    skipped = by_key[("cmv-ebv-pcr", 7)] = replace(by_key[("cmv-ebv-pcr", 7)], status=ReminderStatus.SKIPPED)
    edited = by_key[("mri", 12)] = replace(by_key[("mri", 12)], edited=True, due=datetime(2028, 6, 2, 14, 0))
    rows = sorted(by_key.values(), key=lambda r: r.id)

    after = generate_schedule(p, DAY_ZERO + timedelta(days=3), DISCHARGE + timedelta(days=5))
    changes = reconcile(rows, after)

    untouched = {done.id, snoozed.id, skipped.id, edited.id}
    moved = dict(changes.moves)
    assert not untouched & set(moved) and not untouched & set(changes.drops)
    planned_due = {(r.item_id, r.occurrence): r.due for r in after}
    for row in rows:
        if row.id not in untouched and (row.item_id, row.occurrence) in planned_due:
            assert moved[row.id] == planned_due[(row.item_id, row.occurrence)]  # every pending row moved, id kept
    assert len(moved) == len(rows) - len(untouched) - len(changes.drops)
    # Day 0 moved to 06-03 and discharge to 06-21: CMV from 06-28 until Day +100 (09-11) loses week 12
    assert [by_id.occurrence for by_id in rows if by_id.id in changes.drops] == [84]
    assert changes.inserts == []


def test_a_late_discharge_drops_pending_rows_skip_through_now_excludes():
    p = protocol("cy-atg")
    rows = stored_from(generate_schedule(p, DAY_ZERO, DISCHARGE))
    month_two = next(r for r in rows if (r.item_id, r.occurrence) == ("blood-monthly", 2))
    changes = reconcile(rows, generate_schedule(p, DAY_ZERO, date(2027, 7, 20)))
    assert month_two.id in changes.drops
    kept = {r.id: r for r in rows if r.item_id == "blood-monthly" and r.id not in changes.drops}
    assert sorted(r.occurrence for r in kept.values()) == [3, 4, 5, 6]
    assert not set(kept) & {row_id for row_id, _ in changes.moves}  # months 3–6 keep their dates and numbers
    assert not [r for r in changes.inserts if r.item_id == "blood-monthly"]


def test_a_done_row_is_not_dropped_and_a_stored_key_is_never_inserted_again():
    p = protocol("cy-atg")
    rows = stored_from(generate_schedule(p, DAY_ZERO, DISCHARGE))
    rows = [replace(r, status=ReminderStatus.DONE) if r.item_id == "blood-monthly" else r for r in rows]
    late = reconcile(rows, generate_schedule(p, DAY_ZERO, date(2027, 7, 20)))
    assert not {r.id for r in rows if r.item_id == "blood-monthly"} & set(late.drops)
    skipped = [replace(r, status=ReminderStatus.SKIPPED) for r in rows]
    assert reconcile(skipped, generate_schedule(p, DAY_ZERO, DISCHARGE)) == ReminderChanges([], [], [])


def test_edited_and_snoozed_rows_survive_losing_their_anchor():
    p = protocol("cy-atg")
    planned = generate_schedule(p, DAY_ZERO, DISCHARGE)
    rows = stored_from(planned)
    rows[0] = replace(rows[0], edited=True)
    rows[1] = replace(rows[1], status=ReminderStatus.SNOOZED)
    changes = reconcile(rows, [])
    assert changes.drops == [r.id for r in rows[2:]]
    assert changes.moves == [] and changes.inserts == []


# ---- properties -----------------------------------------------------------------------------------

SHIPPED = {name: protocol(name) for name in NAMES}
maybe_date = st.none() | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@given(name=st.sampled_from(NAMES), day_zero=maybe_date, discharge=maybe_date)
def test_generate_schedule_never_raises_and_is_sorted(name, day_zero, discharge):
    schedule = generate_schedule(SHIPPED[name], day_zero, discharge)
    assert schedule == sorted(schedule, key=lambda r: (r.due, r.kind, r.title))
    assert len({(r.item_id, r.occurrence) for r in schedule}) == len(schedule)
    assert not reconcile(stored_from(schedule), schedule)


@given(day_zero=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       stay=st.integers(min_value=0, max_value=120), shift=st.integers(min_value=-60, max_value=60))
def test_reconcile_after_a_move_matches_the_new_plan(day_zero, stay, shift):
    p = SHIPPED["cy-atg"]
    rows = stored_from(generate_schedule(p, day_zero, day_zero + timedelta(days=stay)))
    after = generate_schedule(p, day_zero + timedelta(days=shift), day_zero + timedelta(days=stay + shift))
    changes = reconcile(rows, after)
    moved = dict(changes.moves)
    result = {(r.item_id, r.occurrence): moved.get(r.id, r.due) for r in rows if r.id not in changes.drops}
    result.update({(r.item_id, r.occurrence): r.due for r in changes.inserts})
    assert result == {(r.item_id, r.occurrence): r.due for r in after}
