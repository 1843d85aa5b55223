"""What a patient's published calendar should hold, and the outbox of changes the server has not confirmed.

Every write that appends an event for a published patient queues, before its commit and in its transaction,
the calendar objects whose content changed (see `watch`): a crash, a closed laptop or a server out of reach
loses no update. Changes that come with time alone (an alert that stops showing, a reminder that becomes
overdue) are found by the same comparison at each sync. Contents are compared by hash (see
exports/caldav_objects.py), so a Day 0 move queues the events that moved, not the whole calendar.
"""

from __future__ import annotations

from icalendar import Event

from ..exports.caldav_objects import UrgentAlert, event_hash, publication_events
from ..exports.model import ExportData
from ..storage import calendar_store as store
from ..storage.session_reads import SessionReads
from .context import AppContext
from .exporting import gather_in
from .status import status_from


def desired(ctx: AppContext, s, patient_id: int) -> tuple[ExportData, dict[str, Event]]:
    """The patient's calendar as it should be now: UID → VEVENT."""
    data = gather_in(ctx, s, patient_id, entries=False, events=False)
    alerts = [UrgentAlert(a.code, a.message, a.since) for a in status_from(SessionReads(s), patient_id, ctx.now(), ctx.zone).alerts
              if a.level == "urgent" and a.since is not None]
    return data, publication_events(data, alerts)


def queue_changes(ctx: AppContext, s, patient_id: int) -> int:
    """Compare what the calendar should hold with what the server holds or is about to get; queue the
    differences. Returns how many changes are pending afterwards."""
    _data, events = desired(ctx, s, patient_id)
    wanted = {uid: event_hash(ev) for uid, ev in events.items()}
    held = store.objects(s, patient_id)
    pending = {p.uid: p for p in store.outbox(s, patient_id)}
    changes: dict[str, tuple[str, str | None]] = {}
    dropped: list[str] = []
    for uid in set(wanted) | set(held) | set(pending):
        target = wanted.get(uid)  # None: the object should not exist
        on_server = held[uid].hash if uid in held else None
        queued = pending.get(uid)
        if target == on_server:
            if queued is not None:
                dropped.append(uid)  # changed and changed back before a sync
        elif target is None:
            if queued is None or queued.op != "delete":
                changes[uid] = ("delete", None)
        elif queued is None or queued.op != "put" or queued.hash != target:
            changes[uid] = ("put", target)
    store.drop_pending(s, patient_id, dropped)
    store.queue(s, patient_id, changes, ctx.now())
    s.flush()
    return store.pending_count(s, patient_id)


def on_commit(ctx: AppContext, s) -> None:
    """The before-commit hook: queue the calendar changes of the published patients this write touched."""
    touched = s.info.pop("patients_written", None)
    if not touched:
        return
    for patient_id in store.published_among(s, touched):
        queue_changes(ctx, s, patient_id)
