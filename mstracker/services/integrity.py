"""The projection check: patient_state and the reminders, rebuilt in memory from the event log the way
`records.refresh` builds them, compared with what is stored. Reads only (works for a caregiver too)."""

from __future__ import annotations

from ..domain.phases import FINAL
from ..domain.protocol import load_protocol
from ..domain.schedule import ReminderStatus, StoredReminder, generate_schedule, reconcile
from ..storage import repository as repo
from .records import load_journey
from .replay import wall

STATE_FIELDS = ("phase", "phase_since", "day_zero", "day_zero_planned", "admitted", "discharged")


def _patient_problems(s, patient_id: int) -> list[str]:
    """What differs between the stored projection of one patient and a replay of their events. A stored
    value the check cannot read (whatever wrote it) is itself a finding: the check never stops on it."""
    try:
        return _differences(s, patient_id)
    except Exception as exc:
        return [f"patient {patient_id}: the stored records cannot be read ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''})"]


def _differences(s, patient_id: int) -> list[str]:
    problems: list[str] = []
    try:
        journey = load_journey(s, patient_id)
    except Exception as exc:  # a log the domain cannot replay is itself the finding
        return [f"patient {patient_id}: the journey's events cannot be replayed ({exc})"]
    stored = repo.get_state(s, patient_id)
    expected = {
        "phase": journey.phase.value if journey.phase else None, "phase_since": journey.phase_since,
        "day_zero": journey.day_zero, "day_zero_planned": bool(journey.day_zero_is_planned),
        "admitted": journey.admitted, "discharged": journey.discharged,
    }
    if stored is None:
        if any(v for v in expected.values()):
            problems.append(f"patient {patient_id}: the stored state is missing")
        return problems
    for name in STATE_FIELDS:
        have = getattr(stored, name)
        if name == "day_zero_planned":
            have = bool(have)
        if have != expected[name]:
            problems.append(f"patient {patient_id}: stored {name} is {have}, the events give {expected[name]}")
    jrow = repo.get_journey(s, patient_id)
    rows = repo.reminders(s, patient_id)
    if jrow is not None:
        protocol = load_protocol(jrow.protocol_text, f"journey {jrow.id}")
        planned = [] if journey.phase in FINAL else generate_schedule(protocol, journey.day_zero,
                                                                       journey.discharge_anchor)
        mine = [StoredReminder(r.id, r.item_id, r.occurrence, wall(r.due), ReminderStatus(r.status), r.edited)
                for r in rows if r.journey_id == jrow.id]
        changes = reconcile(mine, planned)
        if changes.inserts or changes.moves or changes.drops:
            problems.append(f"patient {patient_id}: the stored reminders do not follow the journey's dates "
                            f"({len(changes.inserts)} missing, {len(changes.moves)} at the wrong time, "
                            f"{len(changes.drops)} no longer planned)")
    first_pending = repo.first_pending_due(s, patient_id)
    if stored.next_due != first_pending:
        problems.append(f"patient {patient_id}: stored next due is {stored.next_due}, the reminders give {first_pending}")
    return problems


def projection_problems(db) -> list[str]:
    """Every patient's differences, in one read transaction."""
    problems: list[str] = []
    with db.reading() as s:
        for patient, _state in repo.patients_with_state(s):
            problems.extend(_patient_problems(s, patient.id))
    return problems
