"""Reads of a patient's log that load only what a screen needs: one page of history, a window of readings.

Core queries returning plain records (no ORM object per row: on a ten-year log those cost seconds).
Corrections (amend, retract, unretract) are few; every read here returns all of a patient's corrections and
the originals they correct, so that callers can take each entry's latest version with `latest_entries`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, String, bindparam, literal, select, tuple_, type_coerce, union_all
from sqlalchemy.orm import Session

from .models import EventRow
from .repository import StoredEvent, _to_db, as_utc

CORRECTIONS = ("amend", "retract", "unretract")
_EVENT = EventRow.__table__
_COLUMNS = (_EVENT.c.id, _EVENT.c.patient_id, _EVENT.c.entry_id, _EVENT.c.kind, _EVENT.c.occurred_at,
            _EVENT.c.recorded_at, _EVENT.c.user, _EVENT.c.role, _EVENT.c.payload, _EVENT.c.supersedes)


def _record(row) -> StoredEvent:
    id_, patient_id, entry_id, kind, occurred, recorded, user, role, payload, supersedes = row
    return StoredEvent(id=id_, patient_id=patient_id, entry_id=entry_id or id_, kind=kind,
                       occurred_at=_utc(occurred), recorded_at=_utc(recorded), user=user, role=role,
                       payload=json.loads(payload), supersedes=supersedes)


def _corrections(patient_id: int) -> Select:
    return select(*_COLUMNS).where(_EVENT.c.patient_id == patient_id, _EVENT.c.kind.in_(CORRECTIONS))


def _corrected_originals(patient_id: int, kinds: Sequence[str]) -> Select:
    corrected = select(_EVENT.c.entry_id).where(_EVENT.c.patient_id == patient_id,
                                                _EVENT.c.kind.in_(CORRECTIONS))
    return select(*_COLUMNS).where(_EVENT.c.id.in_(corrected), _EVENT.c.kind.in_(list(kinds)))


def _unique(rows) -> list[StoredEvent]:
    seen: set[int] = set()
    result = []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            result.append(_record(row))
    result.sort(key=lambda e: e.id)
    return result


@dataclass(frozen=True)
class PageRows:
    """What one page of history is made from (see `newest_entry_events`)."""

    plain: list[tuple[int, str, datetime, dict[str, Any]]]  # uncorrected entries: id, kind, UTC moment, fields
    corrected: list[StoredEvent]  # every correction and every corrected original, oldest first


def newest_entry_events(s: Session, patient_id: int, kinds: Sequence[str], limit: int,
                        before: tuple[datetime, int] | None = None) -> PageRows:
    """Enough events for the newest `limit` entries of `kinds` (by when they happened, then id), in one query.

    `before` is the (moment, entry id) of the last entry already shown: only older ones are wanted.
    Returns the newest `limit` uncorrected originals; and every correction with every corrected original
    (an amendment may move an old entry's time into this page). The caller picks the page from their
    latest versions.
    """
    params: dict = {"patient_id": patient_id, "limit": limit, "kinds": list(kinds)}
    if before is not None:
        params.update(before_at=_to_db(before[0]), before_id=before[1])
    plain, corrected = [], []
    for row in s.execute(_page_query(before is not None), params):
        if row[0] == 0:
            plain.append((row[1], row[4], _utc(row[5]), json.loads(row[9])["fields"]))
        else:
            corrected.append(_record(row[1:]))
    corrected.sort(key=lambda e: e.id)
    return PageRows(plain, corrected)


def _utc(value: datetime | str) -> datetime:
    """SQLite gives the stored text (read as text here: parsing it is a tenth of the cost of a typed read)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return as_utc(value)


@cache
def _page_query(after_cursor: bool):
    """Built once (bound parameters): building a statement costs more than running it on a short page."""
    pid, kinds = bindparam("patient_id"), bindparam("kinds", expanding=True)
    columns = (*_COLUMNS[:4], type_coerce(_EVENT.c.occurred_at, String), type_coerce(_EVENT.c.recorded_at, String),
               *_COLUMNS[6:])
    corrected = select(_EVENT.c.entry_id).where(_EVENT.c.patient_id == pid, _EVENT.c.kind.in_(CORRECTIONS))
    page = select(literal(0).label("part"), *columns).where(
        _EVENT.c.patient_id == pid, _EVENT.c.kind.in_(kinds), _EVENT.c.id.not_in(corrected))
    if after_cursor:
        page = page.where(tuple_(_EVENT.c.occurred_at, _EVENT.c.id)
                          < tuple_(bindparam("before_at", type_=_EVENT.c.occurred_at.type), bindparam("before_id")))
    page = page.order_by(_EVENT.c.occurred_at.desc(), _EVENT.c.id.desc()).limit(bindparam("limit")).subquery()
    corrections = select(literal(1), *columns).where(_EVENT.c.patient_id == pid, _EVENT.c.kind.in_(CORRECTIONS))
    originals = select(literal(1), *columns).where(_EVENT.c.id.in_(corrected), _EVENT.c.kind.in_(kinds))
    return union_all(select(page), corrections, originals)


def entry_events_since(s: Session, patient_id: int, kinds: Sequence[str], windowed: Sequence[str],
                       since: datetime) -> list[StoredEvent]:
    """Every event of `kinds`; of `windowed` kinds only those that happened at or after `since`; plus every
    correction and corrected original (so an entry moved into the window by an amendment is there)."""
    parts = [_corrections(patient_id), _corrected_originals(patient_id, [*kinds, *windowed])]
    if kinds:
        parts.append(select(*_COLUMNS).where(_EVENT.c.patient_id == patient_id, _EVENT.c.kind.in_(list(kinds))))
    for kind in windowed:
        parts.append(select(*_COLUMNS).where(_EVENT.c.patient_id == patient_id, _EVENT.c.kind == kind,
                                             _EVENT.c.occurred_at >= _to_db(since)))
    return _unique(s.execute(union_all(*parts)))
