"""Within a session: the patient, journey and entries as domain values (`replay` does the replaying), the
projection kept on every write, and the append of an event with its provenance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo

from ..domain.entries import LogEntry
from ..domain.errors import UserError
from ..domain.journey import Journey
from ..domain.phases import FINAL
from ..domain.protocol import Protocol, load_protocol
from ..domain.schedule import ReminderStatus, StoredReminder, generate_schedule, reconcile
from ..storage import repository as repo
from ..storage.session_reads import SessionReads
from ..storage.stored_events import CORRECTIONS
from .course_sync import sync_courses
from .replay import LOG_KINDS, journey_of, latest_entries, protocol_of, wall, wall_text
from .replay import require_patient as _require_patient

# The reason recorded when a write is taken back at once (the app's Edit ▸ Undo): the audit trail says so.
UNDO_REASON = "undone in the app (Ctrl+Z)"


def require_patient(s, patient_id: int):
    return _require_patient(SessionReads(s), patient_id)


def load_journey(s, patient_id: int) -> Journey:
    return journey_of(SessionReads(s), patient_id)


def load_entries(s, patient_id: int, zone: tzinfo, kinds: Iterable[str] | None = None) -> list[LogEntry]:
    wanted = tuple(kinds) if kinds is not None else LOG_KINDS
    return latest_entries(repo.events(s, patient_id, wanted + CORRECTIONS), zone)


def journey_protocol(s, patient_id: int) -> Protocol | None:
    return protocol_of(SessionReads(s), patient_id)


def refresh(s, patient_id: int) -> Journey:
    """Regenerate the schedule from the journey's anchors and rewrite the projection. Same transaction."""
    journey = load_journey(s, patient_id)
    jrow = repo.get_journey(s, patient_id)
    protocol = None
    if jrow is not None:
        protocol = load_protocol(jrow.protocol_text, f"journey {jrow.id}")
        _sync_reminders(s, patient_id, jrow.id, protocol, journey)
    sync_courses(s, patient_id, jrow.id if jrow is not None else None, protocol, journey)
    repo.save_state(
        s, patient_id,
        phase=journey.phase.value if journey.phase else None, phase_since=journey.phase_since,
        day_zero=journey.day_zero, day_zero_planned=journey.day_zero_is_planned,
        admitted=journey.admitted, discharged=journey.discharged,
        next_due=repo.first_pending_due(s, patient_id), last_event_id=repo.last_event_id(s, patient_id),
    )
    return journey


def _sync_reminders(s, patient_id: int, journey_id: int, protocol: Protocol, journey: Journey) -> None:
    rows = [r for r in repo.reminders(s, patient_id) if r.journey_id == journey_id]
    # Rows skipped by regeneration (a final phase, an anchor that moved), not by a person, count as pending
    # again: an undone withdrawal or an anchor moved back brings them back instead of leaving them skipped.
    skipped_by_hand: set[int] = set()
    for e in repo.events(s, patient_id, ("reminder_skip", "reminder_reopen")):
        (skipped_by_hand.add if e.kind == "reminder_skip" else skipped_by_hand.discard)(e.payload.get("reminder"))
    revivable = {r.id for r in rows if r.status == "skipped" and not r.edited and r.id not in skipped_by_hand}
    stored = [StoredReminder(r.id, r.item_id, r.occurrence, wall(r.due),
                             ReminderStatus.PENDING if r.id in revivable else ReminderStatus(r.status), r.edited)
              for r in rows]
    planned = generate_schedule(protocol, journey.day_zero, journey.discharge_anchor)
    if journey.phase in FINAL:
        planned = []
    changes = reconcile(stored, planned)
    dropped = set(changes.drops)
    for reminder_id in revivable - dropped:
        repo.update_reminder(s, reminder_id, status="pending")
    changes.drops[:] = [r for r in changes.drops if r not in revivable]  # already skipped
    repo.insert_reminders(s, [{
        "patient_id": patient_id, "journey_id": journey_id, "item_id": p.item_id, "occurrence": p.occurrence,
        "kind": p.kind.value, "title": p.title, "due": wall_text(p.due), "status": "pending", "edited": False,
        "uid": f"{journey_id}-{p.item_id}-{p.occurrence}@mstracker",
    } for p in changes.inserts])
    for reminder_id, due in changes.moves:
        repo.update_reminder(s, reminder_id, due=wall_text(due))
    for reminder_id in changes.drops:
        repo.update_reminder(s, reminder_id, status="skipped")


def check_not_future(moment_wall: datetime, today: date, what: str) -> None:
    if moment_wall.date() > today:
        raise UserError(f"{what} {moment_wall:%Y-%m-%d} is in the future (today is {today.isoformat()}); "
                        "what has not happened yet is a plan: use `journey plan`")


def record(ctx, s, patient_id: int, kind: str, occurred_at: datetime, payload: dict, *,
           entry_id: int | None = None, supersedes: int | None = None) -> int:
    """Append one event with its provenance (who, in which role, when it was written)."""
    return repo.append_event(
        s, patient_id=patient_id, kind=kind, occurred_at=occurred_at, recorded_at=ctx.now(), user=ctx.user,
        role=ctx.role, payload=payload, entry_id=entry_id, supersedes=supersedes,
    )
