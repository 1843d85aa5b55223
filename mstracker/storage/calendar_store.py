"""The caregiver's calendar tables: publications, the objects the server confirmed, the outbox of changes.

Plain reads and writes on a Session; the services decide what to queue and when the server has answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from .models import CalendarObjectRow, CalendarOutboxRow, CalendarPublicationRow
from .stored_events import as_utc, to_db


@dataclass(frozen=True)
class Publication:
    patient_id: int
    url: str
    user: str
    token: str
    created_at: datetime
    last_sync: datetime | None
    last_attempt: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class StoredObject:
    uid: str
    href: str
    etag: str | None
    hash: str


@dataclass(frozen=True)
class Pending:
    id: int
    uid: str
    op: str  # put | delete
    hash: str | None


def _utc(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


def _publication(row: CalendarPublicationRow) -> Publication:
    return Publication(row.patient_id, row.url, row.user, row.token, _utc(row.created_at), _utc(row.last_sync),
                       _utc(row.last_attempt), row.last_error)


# ---- publications -----------------------------------------------------------------------------
def get_publication(s: Session, patient_id: int) -> Publication | None:
    row = s.get(CalendarPublicationRow, patient_id)
    return _publication(row) if row is not None else None


def publications(s: Session) -> list[Publication]:
    rows = s.scalars(select(CalendarPublicationRow).order_by(CalendarPublicationRow.patient_id))
    return [_publication(r) for r in rows]


def published_among(s: Session, patient_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(patient_ids))
    if not ids:
        return []
    return list(s.scalars(select(CalendarPublicationRow.patient_id)
                          .where(CalendarPublicationRow.patient_id.in_(ids))))


def save_publication(s: Session, patient_id: int, *, url: str, user: str, token: str, now: datetime) -> None:
    row = s.get(CalendarPublicationRow, patient_id)
    if row is None:
        s.add(CalendarPublicationRow(patient_id=patient_id, url=url, user=user, token=token, created_at=to_db(now)))
    else:
        row.url, row.user, row.token = url, user, token
    s.flush()


def note_attempt(s: Session, patient_id: int, *, at: datetime, error: str | None) -> None:
    """The outcome of a sync: `error` None means the server answered everything."""
    row = s.get(CalendarPublicationRow, patient_id)
    if row is None:
        return
    row.last_attempt = to_db(at)
    row.last_error = error
    if error is None:
        row.last_sync = to_db(at)


def forget(s: Session, patient_id: int) -> None:
    """The publication, its objects and its outbox: nothing left of it locally."""
    for model in (CalendarOutboxRow, CalendarObjectRow, CalendarPublicationRow):
        s.execute(delete(model).where(model.patient_id == patient_id))


def forget_objects(s: Session, patient_id: int) -> None:
    """The server no longer holds what we recorded (a new address, a calendar removed): send it all again."""
    s.execute(delete(CalendarObjectRow).where(CalendarObjectRow.patient_id == patient_id))
    s.execute(delete(CalendarOutboxRow).where(CalendarOutboxRow.patient_id == patient_id,
                                              CalendarOutboxRow.op == "delete"))


# ---- objects and outbox -------------------------------------------------------------------------
def objects(s: Session, patient_id: int) -> dict[str, StoredObject]:
    rows = s.scalars(select(CalendarObjectRow).where(CalendarObjectRow.patient_id == patient_id))
    return {r.uid: StoredObject(r.uid, r.href, r.etag, r.hash) for r in rows}


def outbox(s: Session, patient_id: int) -> list[Pending]:
    rows = s.scalars(select(CalendarOutboxRow).where(CalendarOutboxRow.patient_id == patient_id)
                     .order_by(CalendarOutboxRow.id))
    return [Pending(r.id, r.uid, r.op, r.hash) for r in rows]


def pending_count(s: Session, patient_id: int) -> int:
    return len(outbox(s, patient_id))


def queue(s: Session, patient_id: int, changes: dict[str, tuple[str, str | None]], now: datetime) -> None:
    """Queue UID → (op, hash), replacing whatever was pending for those objects (the latest state is what the
    server must get). One delete and one list insert, however many changed (a Day 0 move moves hundreds)."""
    if not changes:
        return
    drop_pending(s, patient_id, list(changes))
    at = to_db(now)
    s.execute(insert(CalendarOutboxRow), [
        {"patient_id": patient_id, "uid": uid, "op": op, "hash": content_hash, "queued_at": at}
        for uid, (op, content_hash) in changes.items()])


def drop_pending(s: Session, patient_id: int, uids: list[str]) -> None:
    for start in range(0, len(uids), 500):  # within every database's limit on bound parameters
        s.execute(delete(CalendarOutboxRow).where(CalendarOutboxRow.patient_id == patient_id,
                                                  CalendarOutboxRow.uid.in_(uids[start:start + 500])))


def confirm(s: Session, patient_id: int, answered: list[tuple[Pending, str, str | None]]) -> None:
    """The server answered these (pending change, href, etag): record what it holds, and empty their outbox
    rows. A row replaced meanwhile by a newer change (queue() gives it a new id) stays queued."""
    for pending, href, etag in answered:
        row = s.get(CalendarObjectRow, (patient_id, pending.uid))
        if pending.op == "delete":
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(CalendarObjectRow(patient_id=patient_id, uid=pending.uid, href=href, etag=etag, hash=pending.hash))
        else:
            row.href, row.etag, row.hash = href, etag, pending.hash
    ids = [pending.id for pending, _href, _etag in answered]
    for start in range(0, len(ids), 500):
        s.execute(delete(CalendarOutboxRow).where(CalendarOutboxRow.id.in_(ids[start:start + 500])))
