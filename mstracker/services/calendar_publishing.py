"""Publishing a patient's schedule to a caregiver's CalDAV calendar: publish, sync, state, unpublish.

The one API for the command line and the desktop app. Every call opens its own sessions and its own
connection, so the app may run `sync` and `publish` on a worker thread (never on the UI thread: they wait on
the network); `state` reads local tables only and is quick enough for a repaint. A caregiver may read the
state but not publish, sync or unpublish (refused before anything else).

Network and database never overlap: the changes to send are read, each object is sent, and each answer is
recorded in a short write of its own, so that a sync cut off half-way keeps in the outbox exactly what the
server did not confirm, and clinical writes never wait for the server.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..domain.errors import NotFoundError, UserError
from ..exports.caldav_objects import calendar_object, event_hash, mark_of
from ..storage import calendar_store as store
from .caldav_client import CalendarClient, Refused, Unreachable, check_url, object_href
from .calendar_outbox import desired, queue_changes
from .calendar_state import PublicationState, state  # noqa: F401  (the state is read here too)
from .context import AppContext
from .records import require_patient

Progress = Callable[[int, int], None]  # (objects answered, objects to send)


@dataclass(frozen=True)
class SyncResult:
    patient_id: int
    sent: int  # objects written
    removed: int  # objects deleted
    pending: int  # still waiting after this sync
    error: str | None = None  # why some changes still wait
    created: bool = False  # the calendar collection was created by this call
    skipped: tuple[str, ...] = ()  # UIDs held by objects that are not ours: left alone


def publication(ctx: AppContext, patient_id: int) -> store.Publication:
    with ctx.db.reading() as s:
        require_patient(s, patient_id)
        pub = store.get_publication(s, patient_id)
    if pub is None:
        raise NotFoundError(f"patient {patient_id} is not published; publish it first with "
                            f"`mstracker calendar publish {patient_id} --url URL --user USER`")
    return pub


# ---- connecting ---------------------------------------------------------------------------------------
def check_connection(url: str, user: str, password: str) -> str:
    """Checks the address, the password and that the server speaks CalDAV, without changing anything.

    Returns 'calendar' (the calendar exists) or 'missing' (publishing will create it). Raises UserError
    (Unreachable, Refused, or another refusal) with a message fit for the patient.
    """
    with CalendarClient(url, user, password) as client:
        found = client.calendar_state()
    if found == "other":
        raise UserError(f"{check_url(url)} exists but is not a calendar; give the address of a new calendar below it")
    return found


def publish(ctx: AppContext, patient_id: int, url: str, user: str, password: str, *,
            progress: Progress | None = None) -> SyncResult:
    """Publish (or move to `url`): create the calendar if missing, then send everything not on it yet."""
    ctx.require_write("publish a calendar")
    url = check_url(url)
    if not user.strip():
        raise UserError("give the CalDAV user name with --user")
    with ctx.db.reading() as s:
        name = require_patient(s, patient_id).name
    with CalendarClient(url, user, password) as client:
        created = client.ensure_calendar(f"{name}: aHSCT journey")
    with ctx.db.writing() as s:
        old = store.get_publication(s, patient_id)
        if old is not None and old.url != url:
            # Moved: the new calendar holds nothing of ours yet. The old one is left as it is (it may be gone).
            store.forget_objects(s, patient_id)
        token = old.token if old is not None and old.url == url else secrets.token_hex(16)
        store.save_publication(s, patient_id, url=url, user=user, token=token, now=ctx.now())
        queue_changes(ctx, s, patient_id)
    result = sync(ctx, patient_id, password, progress=progress)
    return SyncResult(result.patient_id, result.sent, result.removed, result.pending, result.error, created,
                      result.skipped)


# ---- syncing ----------------------------------------------------------------------------------------------
def sync(ctx: AppContext, patient_id: int, password: str, *, progress: Progress | None = None) -> SyncResult:
    """Send what changed since the last sync. The outbox keeps whatever the server did not confirm.

    A server out of reach or a refused password is recorded as the publication's last error and raised
    (Unreachable / Refused); objects another program put in the calendar are never touched.
    """
    ctx.require_write("sync a calendar")
    pub = publication(ctx, patient_id)
    with ctx.db.writing() as s:
        queue_changes(ctx, s, patient_id)  # what time alone changed: an alert that stopped showing, …
    try:
        with CalendarClient(pub.url, pub.user, password) as client:
            found = client.calendar_state()
            if found == "other":
                raise UserError(f"{pub.url} is no longer a calendar; publish again to another address")
            if found == "missing":
                # Removed or moved on the server: recreate it and send everything again.
                with ctx.db.reading() as s:
                    name = require_patient(s, patient_id).name
                client.ensure_calendar(f"{name}: aHSCT journey")
                with ctx.db.writing() as s:
                    store.forget_objects(s, patient_id)
                    queue_changes(ctx, s, patient_id)
            result = _send(ctx, client, pub, progress)
    except (Unreachable, Refused, UserError) as exc:
        note_attempt(ctx, patient_id, str(exc))
        raise
    note_attempt(ctx, patient_id, result.error)
    return result


def sync_all(ctx: AppContext, password_for: Callable[[store.Publication], str], *,
             progress: Progress | None = None) -> list[SyncResult | UserError]:
    """Sync every published patient; one that fails does not stop the others (its error is in the list)."""
    ctx.require_write("sync a calendar")
    results: list[SyncResult | UserError] = []
    with ctx.db.reading() as s:
        pubs = store.publications(s)
    for pub in pubs:
        try:
            results.append(sync(ctx, pub.patient_id, password_for(pub), progress=progress))
        except UserError as exc:
            results.append(exc)
    return results


def note_attempt(ctx: AppContext, patient_id: int, error: str | None) -> None:
    """The publication's last sync attempt, and why it failed (None: it did not)."""
    """The publication's last sync attempt, with why it failed (None: it did not)."""
    with ctx.db.writing() as s:
        store.note_attempt(s, patient_id, at=ctx.now(), error=error)


CONFIRM_EVERY = 50  # answers recorded per write (each write is a disk sync)


def _send(ctx: AppContext, client: CalendarClient, pub: store.Publication, progress: Progress | None) -> SyncResult:
    with ctx.db.reading() as s:
        data, events = desired(ctx, s, pub.patient_id)
        pending = store.outbox(s, pub.patient_id)
        held = store.objects(s, pub.patient_id)
    sent = removed = 0
    skipped: list[str] = []
    error: str | None = None
    answered: list[tuple[store.Pending, str, str | None]] = []

    def record() -> None:
        if answered:
            with ctx.db.writing() as s:
                store.confirm(s, pub.patient_id, answered)
            answered.clear()

    try:
        for done, item in enumerate(pending, 1):
            known = held.get(item.uid)
            href = known.href if known is not None else object_href(pub.url, item.uid)
            etag = None
            if item.op == "put":
                ev = events.get(item.uid)
                if ev is None:
                    continue  # gone since it was queued (time moved on): the next sync queues its removal
                # Changed again since it was queued (a reminder turned overdue meanwhile): send what it is now.
                item = replace(item, hash=event_hash(ev))
                answer = _put(client, href, calendar_object(data, ev, pub.token), known.etag if known else None)
                if answer is None:
                    skipped.append(item.uid)
                    continue
                if answer.status not in (200, 201, 204):
                    error = error or f"the server refused an event ({answer.status}); it stays queued"
                    continue
                sent += 1
                etag = answer.etag
            elif known is not None:
                status = _delete(client, href, known.etag)
                if status not in (200, 204, 404):
                    error = error or f"the server refused to remove an event ({status}); it stays queued"
                    continue
                removed += 1
            answered.append((item, href, etag))
            if len(answered) >= CONFIRM_EVERY:
                record()
            if progress is not None:
                progress(done, len(pending))
    finally:
        # Also when the server goes away half-way: what it confirmed leaves the outbox, the rest stays.
        record()
    if skipped:
        error = error or (f"{len(skipped)} event(s) not sent: the calendar holds other objects with the same "
                          "UID, which mstracker did not write and leaves alone")
    with ctx.db.reading() as s:
        left = store.pending_count(s, pub.patient_id)
    return SyncResult(pub.patient_id, sent, removed, left, error, skipped=tuple(skipped))


def _put(client: CalendarClient, href: str, body: bytes, etag: str | None):
    """PUT with If-Match (ours, as we left it) or If-None-Match (new). On 412 the object changed or already
    exists: ours (it carries the mark) is overwritten with its current ETag; someone else's is left (None)."""
    answer = client.put(href, body, etag)
    if answer.status != 412:
        return answer
    current = client.get(href)
    if current.status == 404:
        return client.put(href, body, None)
    if etag is None and mark_of(current.body) is None:
        return None  # not written by mstracker: never touched
    return client.put(href, body, current.etag)


def _delete(client: CalendarClient, href: str, etag: str | None) -> int:
    status = client.delete(href, etag).status
    if status != 412:
        return status
    current = client.get(href)
    if current.status == 404:
        return 404
    if mark_of(current.body) is None:
        return 404  # replaced by someone else's object: theirs now, left alone
    return client.delete(href, current.etag).status


# ---- stopping ---------------------------------------------------------------------------------------------
def unpublish(ctx: AppContext, patient_id: int, *, delete: bool = False, password: str | None = None) -> int:
    """Stop publishing. With `delete`, first remove from the server every event this publication wrote
    (others' objects stay); returns how many were removed. Without it, the events stay on the calendar."""
    ctx.require_write("unpublish a calendar")
    pub = publication(ctx, patient_id)
    removed = 0
    if delete:
        if password is None:
            raise UserError("removing the published events needs the CalDAV password")
        with ctx.db.reading() as s:
            held = store.objects(s, patient_id)
        with CalendarClient(pub.url, pub.user, password) as client:
            for obj in held.values():
                status = _delete(client, obj.href, obj.etag)
                if status not in (200, 204, 404):
                    raise UserError(f"the server refused to remove an event ({status}); the calendar is still "
                                    "published: try again, or unpublish without --delete")
                removed += 1
                with ctx.db.writing() as s:
                    store.confirm(s, patient_id, [(store.Pending(-1, obj.uid, "delete", None), obj.href, None)])
    with ctx.db.writing() as s:
        store.forget(s, patient_id)
    return removed


# ---- for the desktop app -------------------------------------------------------------------------------------
