"""Sample patients for trying the app: one in each phase, as they stand on a given day, with realistic logs.

Every name is fictional and says "(demo)". Everything is written through the services, so the demo obeys
the same rules as real use; `on` is the demo's clock (the future-date rule counts from it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from ..domain.limits import check_day
from ..domain.medicines.doses import DoseRecord
from ..domain.phases import Phase
from ..storage import repository as repo
from . import journeys, logbook, medicines, patients
from .context import AppContext
from .logbook import NewEntry
from .replay import wall

P = Phase


@dataclass(frozen=True)
class Sample:
    """One demo patient: `steps` are (phase, days before `on`), `plans` (phase, days after `on`)."""

    name: str
    protocol: str
    steps: tuple[tuple[Phase, int], ...]
    born: tuple[int, int, int]  # age on `on`, birthday month and day
    plans: tuple[tuple[Phase, int], ...] = ()
    reason: str | None = None


SAMPLES: tuple[Sample, ...] = (
    Sample("Ada Assessment (demo)", "cy-atg", ((P.ASSESSMENT, 12),), (36, 4, 2)),
    Sample("Milo Mobilize (demo)", "beam-atg", ((P.ASSESSMENT, 45), (P.MOBILIZATION, 6)), (40, 9, 14)),
    Sample("Cora Cellstore (demo)", "cy-atg", ((P.ASSESSMENT, 80), (P.MOBILIZATION, 38), (P.CELLS_STORED, 27)),
           (33, 1, 28), plans=((P.CONDITIONING, 14), (P.TRANSPLANT, 20), (P.IMMUNE_REBUILD, 33))),
    Sample("Theo Conditioning (demo)", "cy-atg",
           ((P.ASSESSMENT, 100), (P.MOBILIZATION, 62), (P.CELLS_STORED, 51), (P.CONDITIONING, 3)),
           (38, 6, 21), plans=((P.TRANSPLANT, 3), (P.IMMUNE_REBUILD, 15))),
    Sample("Tessa Transplant (demo)", "beam-atg",
           ((P.ASSESSMENT, 110), (P.MOBILIZATION, 75), (P.CELLS_STORED, 64), (P.CONDITIONING, 16), (P.TRANSPLANT, 9)),
           (42, 11, 5), plans=((P.IMMUNE_REBUILD, 7),)),
    Sample("Ivo Rebuild (demo)", "cy-atg",
           ((P.ASSESSMENT, 150), (P.MOBILIZATION, 115), (P.CELLS_STORED, 104), (P.CONDITIONING, 46),
            (P.TRANSPLANT, 40), (P.IMMUNE_REBUILD, 26)),
           (35, 3, 17)),
    Sample("Fay Followup (demo)", "beam-atg",
           ((P.ASSESSMENT, 520), (P.MOBILIZATION, 480), (P.CELLS_STORED, 469), (P.CONDITIONING, 407),
            (P.TRANSPLANT, 400), (P.IMMUNE_REBUILD, 384), (P.FOLLOW_UP, 240)),
           (44, 8, 8)),
    Sample("Cal Completed (demo)", "cy-atg",
           ((P.ASSESSMENT, 2030), (P.MOBILIZATION, 1990), (P.CELLS_STORED, 1979), (P.CONDITIONING, 1926),
            (P.TRANSPLANT, 1920), (P.IMMUNE_REBUILD, 1907), (P.FOLLOW_UP, 1780), (P.COMPLETED, 90)),
           (47, 2, 12)),
    Sample("Wren Withdrawn (demo)", "cy-atg",
           ((P.ASSESSMENT, 70), (P.MOBILIZATION, 33), (P.WITHDRAWN, 18)),
           (37, 12, 1), reason="decided not to go on after mobilization; back to usual MS care"),
)

# ANC, platelets (×10⁹/L) and haemoglobin (g/dL) by day relative to Day 0: a fall to the nadir after
# conditioning and recovery; neutrophils engraft first, platelets after a transfusion-free week.
COUNTS: dict[int, tuple[float, int, float]] = {
    -7: (4.1, 236, 12.9), -6: (4.3, 228, 12.8), -5: (5.2, 210, 12.6), -4: (4.0, 190, 12.3), -3: (2.6, 164, 11.9),
    -2: (1.7, 139, 11.6), -1: (1.1, 118, 11.2), 0: (0.7, 96, 10.9), 1: (0.4, 78, 10.5), 2: (0.2, 61, 10.1),
    3: (0.1, 44, 9.7), 4: (0.05, 31, 9.3), 5: (0.02, 22, 8.9), 6: (0.02, 9, 8.4), 7: (0.03, 27, 8.0),
    8: (0.08, 18, 7.6), 9: (0.2, 15, 9.4), 10: (0.6, 16, 9.3), 11: (1.1, 18, 9.5), 12: (1.6, 21, 9.6),
    13: (2.2, 26, 9.8), 14: (2.6, 33, 10.0), 15: (2.9, 41, 10.1), 16: (3.1, 52, 10.3), 17: (3.2, 60, 10.4),
}
TRANSFUSIONS = {6: "platelets", 8: "red_cells"}  # Day +6 platelets (count 9), Day +8 red cells (Hb 7.6)
FEVER_DAY = 6  # a febrile episode at the nadir, treated with antibiotics


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _hospital_logs(day_zero: date, admitted: date, discharged: date | None, last: date) -> Iterator[NewEntry]:
    """Daily counts and twice-daily temperatures in hospital, side effects, transfusions."""
    end = min(discharged or last, last)
    day = admitted
    while day <= end:
        n = (day - day_zero).days
        anc, plt, hb = COUNTS.get(n, COUNTS[max(COUNTS)] if n > 0 else COUNTS[min(COUNTS)])
        yield NewEntry("lab", _at(day, 6, 30), {"anc": anc, "platelets": plt, "hb": hb,
                                                "wbc": round(anc * 1.6 + 0.2, 1)})
        morning = 38.4 if n == FEVER_DAY else 36.8 + (n % 3) / 10
        yield NewEntry("temperature", _at(day, 8), {"celsius": morning})
        yield NewEntry("temperature", _at(day, 20), {"celsius": 37.9 if n == FEVER_DAY else 36.9 + (n % 2) / 10})
        if n in TRANSFUSIONS:
            yield NewEntry("transfusion", _at(day, 15), {"product": TRANSFUSIONS[n]})
        if n == -4:
            yield NewEntry("side_effect", _at(day, 11), {"name": "nausea", "grade": 2})
        if n == 5:
            yield NewEntry("side_effect", _at(day, 10), {"name": "mucositis", "grade": 3,
                                                         "note": "mouth sores, needs pain relief to eat"})
        if n == FEVER_DAY:
            yield NewEntry("side_effect", _at(day, 9), {"name": "fever", "grade": 2,
                                                        "note": "antibiotics started within the hour"})
        if n == 11:
            yield NewEntry("side_effect", _at(day, 12), {"name": "hair_loss", "grade": 1})
        day += timedelta(days=1)


def _home_logs(day_zero: date, discharged: date, last: date) -> Iterator[NewEntry]:
    """Evening temperatures for 30 days, weekly counts for 2 months, then the follow-up figures."""
    for i in range(30):
        day = discharged + timedelta(days=i)
        if day > last:
            break
        yield NewEntry("temperature", _at(day, 20), {"celsius": 36.7 + (i % 4) / 10})
    for week in range(1, 9):
        day = discharged + timedelta(weeks=week)
        if day > last:
            break
        yield NewEntry("lab", _at(day, 9, 15), {"anc": 2.4 + week / 10, "platelets": 110 + 12 * week,
                                                "hb": min(13.4, 10.6 + week * 0.4), "lymphocytes": 0.4 + week / 20})
    if discharged + timedelta(days=20) <= last:
        yield NewEntry("side_effect", _at(discharged + timedelta(days=20), 18), {"name": "fatigue", "grade": 2})


def _follow_up_logs(day_zero: date, last: date) -> Iterator[NewEntry]:
    """EDSS and MRI at the follow-up visits: stable disease, no new lesions."""
    scores = {3: 4.0, 6: 3.5, 12: 3.5, 18: 3.5, 24: 3.0, 36: 3.0, 48: 3.0, 60: 3.0}
    for month, score in scores.items():
        day = day_zero + timedelta(days=round(month * 30.44))
        if day > last:
            return
        yield NewEntry("edss", _at(day, 10, 30), {"score": score})
        yield NewEntry("lab", _at(day, 9), {"tsh": 1.8 + (month % 5) / 10, "cd4": min(650, 90 + month * 14)})
        if month in (6, 12, 24, 36, 48, 60):
            yield NewEntry("mri", _at(day - timedelta(days=2), 14), {"new_t2": 0, "gd_enhancing": 0,
                                                                      "note": "stable, no new lesions"})


def _before_transplant_logs(sample: Sample, on: date, steps: dict[Phase, date]) -> Iterator[NewEntry]:
    start = steps[P.ASSESSMENT]
    yield NewEntry("edss", _at(start + timedelta(days=3), 11), {"score": 4.0})
    yield NewEntry("mri", _at(start + timedelta(days=5), 16), {"new_t2": 3, "gd_enhancing": 1,
                                                               "note": "active disease despite treatment"})
    yield NewEntry("relapse", _at(start - timedelta(days=70), 9), {"note": "blurred vision, left eye",
                                                                   "confirmed": "yes"})
    mob = steps.get(P.MOBILIZATION)
    if mob is None:
        return
    stored = steps.get(P.CELLS_STORED) or steps.get(P.WITHDRAWN) or on
    day = mob
    while day <= min(stored, on):
        i = (day - mob).days
        yield NewEntry("temperature", _at(day, 19), {"celsius": 36.9 + (i % 3) / 10})
        day += timedelta(days=1)
    yield NewEntry("side_effect", _at(mob + timedelta(days=1), 13), {"name": "nausea", "grade": 1})
    yield NewEntry("symptom", _at(mob + timedelta(days=4), 21), {"name": "bone pain from G-CSF", "severity": 4})
    # the cyclophosphamide nadir at home, then recovery
    for offset, anc in ((5, 6.8), (8, 0.9), (10, 14.2)):
        day = mob + timedelta(days=offset)
        if day <= min(stored, on):
            yield NewEntry("lab", _at(day, 8, 45), {"anc": anc, "wbc": round(anc * 1.5, 1), "platelets": 140})


def _entries(sample: Sample, on: date, steps: dict[Phase, date], now: datetime) -> list[NewEntry]:
    entries = list(_before_transplant_logs(sample, on, steps))
    admitted = steps.get(P.CONDITIONING)
    planned = {phase: on + timedelta(days=after) for phase, after in sample.plans}
    day_zero = steps.get(P.TRANSPLANT) or planned.get(P.TRANSPLANT)
    if admitted and day_zero:
        entries += _hospital_logs(day_zero, admitted, steps.get(P.IMMUNE_REBUILD), on)
    if steps.get(P.IMMUNE_REBUILD) and steps.get(P.TRANSPLANT):
        last = min(on, steps.get(P.COMPLETED) or on)
        entries += _home_logs(steps[P.TRANSPLANT], steps[P.IMMUNE_REBUILD], last)
        entries += _follow_up_logs(steps[P.TRANSPLANT], last)
    wall_now = now.replace(tzinfo=None)
    # Only what has happened by the demo's clock; the service checks the dates again against it.
    return sorted((e for e in entries if e.at <= wall_now), key=lambda e: e.at)


def _demo_context(ctx: AppContext, on: date | None) -> AppContext:
    """`ctx` with its clock set to `on` (18:00 local, or the real now on today), so that every rule counts from it."""
    if on is None or on == ctx.today():
        return ctx
    moment = datetime.combine(on, time(18, 0)).replace(tzinfo=ctx.zone)
    return replace(ctx, clock=lambda: moment)


def create_demo(ctx: AppContext, on: date | None = None) -> list[int]:
    """Adds one sample patient in each phase as they stand on `on` (default: today); returns their ids."""
    ctx.require_write("add demo patients")
    if on is not None:
        check_day(on, "the demo's date")
    dctx = _demo_context(ctx, on)
    today = dctx.today()
    ids = []
    with ctx.db.batch():  # all nine patients or, when any is refused, none
        for sample in SAMPLES:
            ids.append(_create(dctx, sample, today))
    return ids


def _create(ctx: AppContext, sample: Sample, on: date) -> int:
    age, month, day_of_month = sample.born
    steps = {phase: on - timedelta(days=before) for phase, before in sample.steps}
    # dates relative to `on`, so that a demo on any day has a plausible past
    diagnosed = steps[sample.steps[0][0]] - timedelta(days=3 * 365 + 40)
    pid = patients.add_patient(ctx, sample.name, born=date(on.year - age, month, day_of_month),
                               diagnosed=diagnosed, ms_type="rrms")
    final_step = sample.steps[-1][0]
    for i, (phase, before) in enumerate(sample.steps):
        day = on - timedelta(days=before)
        if i == 0:
            journeys.start_journey(ctx, pid, sample.protocol, day, phase)
            # planned dates come before later steps, as a coordinator records them
            for planned, after in sample.plans:
                journeys.plan(ctx, pid, planned, on + timedelta(days=after))
            continue
        if phase in (P.COMPLETED, P.WITHDRAWN):
            _complete_past_reminders(ctx, pid, day)
        journeys.advance(ctx, pid, phase, day, sample.reason if phase is P.WITHDRAWN else None)
    if final_step not in (P.COMPLETED, P.WITHDRAWN):
        _complete_past_reminders(ctx, pid, on - timedelta(days=1))
    logbook.log_many(ctx, pid, _entries(sample, on, steps, ctx.now()))
    _take_past_doses(ctx, pid, sample, ctx.now())
    return pid


def _take_past_doses(ctx: AppContext, patient_id: int, sample: Sample, now: datetime) -> None:
    """Every dose due by now was taken a few minutes after its time, except that the patient at home (immune
    rebuild) forgot last evening's: the missed-dose warning shows in the demo."""
    due = [d for d in medicines.doses(ctx, patient_id, date(1900, 1, 1), now.date())
           if ctx.local(d.due) <= now]
    forgot = None
    if sample.steps[-1][0] is P.IMMUNE_REBUILD:
        evening = [d for d in due if d.due.hour >= 18 and d.due.date() == now.date() - timedelta(days=1)]
        forgot = evening[-1].due if evening else None
    medicines.record_many(ctx, patient_id, [
        DoseRecord(d.course.id, d.due, True, d.due + timedelta(minutes=5))
        for d in due if d.due != forgot])


def _complete_past_reminders(ctx: AppContext, patient_id: int, until: date) -> None:
    """Reminders due before `until` were done when due (a demo patient keeps up with the plan). One
    transaction and a list insert, as `reminders.complete` would write them one by one."""
    before = datetime.combine(until, time()).strftime("%Y-%m-%dT%H:%M")
    now = ctx.now()
    with ctx.db.writing() as s:
        rows = [r for r in repo.reminders(s, patient_id, to_due=before) if r.status == "pending" and r.due < before]
        for r in rows:
            repo.update_reminder(s, r.id, status="done", done_at=r.due)
        repo.append_events(s, [{
            "patient_id": patient_id, "kind": "reminder_done", "occurred_at": ctx.local(wall(r.due)),
            "recorded_at": now, "user": ctx.user, "role": ctx.role,
            "payload": {"reminder": r.id, "title": r.title, "due": r.due, "at": r.due},
        } for r in rows])
        repo.save_state(s, patient_id, next_due=repo.first_pending_due(s, patient_id),
                        last_event_id=repo.last_event_id(s, patient_id))
