"""Reads of a patient's log for screens and rules: one page of history, a window of readings, the whole log.

Core queries, built once with bound parameters, returning plain values (no ORM object per row: on a
ten-year log those cost seconds). Each read returns `EntryRows`: the uncorrected entries as bare values,
and, as stored events, every correction (amend, retract, unretract) with every original it corrects, so
that callers take those entries' latest versions with `latest_entries`. Corrections are few.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache

from sqlalchemy import Connection, String, bindparam, func, literal, select, tuple_, type_coerce, union_all
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .errors import storage_error
from .models import EventRow
from .stored_events import (
    CORRECTED,
    CORRECTIONS,
    PLAIN,
    EntryRows,
    StoredEvent,
    as_utc,
    from_row,
    may_stand,
    split_entry_rows,
    to_db,
)

_EVENT = EventRow.__table__
# Times are read as text on SQLite and parsed here: a tenth of the cost of SQLAlchemy's typed read.
_COLUMNS = (_EVENT.c.id, _EVENT.c.patient_id, _EVENT.c.entry_id, _EVENT.c.kind,
            type_coerce(_EVENT.c.occurred_at, String), type_coerce(_EVENT.c.recorded_at, String),
            _EVENT.c.user, _EVENT.c.role, _EVENT.c.payload, _EVENT.c.supersedes)


@contextmanager
def reading(db) -> Iterator[Connection]:
    """One read transaction on a pooled connection, without an ORM session: a screen of history is read
    often, and a session's set-up would cost as much as the query (errors as `Database.reading` says them)."""
    try:
        with db.engine.connect() as conn, conn.begin():
            yield conn
    except DBAPIError as exc:
        raise storage_error(exc, db.target.describe()) or exc from None


def newest_entry_rows(s: Session | Connection, patient_id: int, kinds: Sequence[str], limit: int,
                      before: tuple[datetime, int] | None = None) -> EntryRows:
    """The newest `limit` uncorrected entries of `kinds` (by when they happened, then id), and the corrected
    entries that may stand among them, each with its corrections.

    `before` is the (moment, entry id) of the last entry already shown: only older ones are wanted.
    An amendment may move an old entry onto this page, so where each corrected entry now stands is read
    first (a few narrow rows), then only those that may stand here. The caller merges both and keeps the
    newest `limit`.
    """
    params: dict = {"patient_id": patient_id, "limit": limit, "kinds": list(kinds)}
    if before is not None:
        params.update(before_at=to_db(before[0]), before_id=before[1])
    page = _execute(s, _page_query, before is not None, params).fetchall()
    corrections = _execute(s, _corrections_query, False, {"patient_id": patient_id}).fetchall()
    cutoff = min(row[2] for row in page) if len(page) >= limit else None  # as stored: text on SQLite
    wanted = may_stand(corrections, cutoff)
    corrected = _execute(s, _entries_events_query, False, {"ids": wanted, "kinds": list(kinds)}).fetchall() \
        if wanted else []
    plain = [(id_, kind, as_utc(at), json.loads(payload)["fields"]) for id_, kind, at, payload in page]
    return EntryRows(plain, split_entry_rows(corrected).corrected)


def entry_count(s: Session | Connection, patient_id: int, kinds: Sequence[str]) -> int:
    """How many entries of `kinds` the history shows: the uncorrected ones and the corrected ones not
    retracted (an index count, no row read)."""
    params = {"patient_id": patient_id, "kinds": list(kinds)}
    count = _execute(s, _count_query, False, params).fetchone()[0]
    corrections = _execute(s, _corrections_query, False, {"patient_id": patient_id}).fetchall()
    shown = may_stand(corrections, None)
    if shown:
        count += _execute(s, _count_ids_query, False, {**params, "ids": shown}).fetchone()[0]
    return count


def entry_rows(s: Session, patient_id: int, kinds: Sequence[str], windowed: Sequence[str] = (),
               since: datetime | None = None) -> EntryRows:
    """Every entry of `kinds`, and of `windowed` kinds those that happened at or after `since`."""
    params: dict = {"patient_id": patient_id, "kinds": list(kinds) or [""], "all_kinds": [*kinds, *windowed]}
    if windowed:
        assert since is not None
        params.update(windowed=list(windowed), since=to_db(since))
    return split_entry_rows(_execute(s, _entries_query, bool(windowed), params))


def all_events(s: Session | Connection, patient_id: int) -> list[StoredEvent]:
    """Every stored event of the patient, in the order written (what `repository.all_events` returns, without
    an ORM object per row: the exports read whole ten-year logs)."""
    return [from_row(row) for row in _execute(s, _all_events_query, False, {"patient_id": patient_id})]


def _execute(s: Session | Connection, build, variant: bool, params: dict):
    """Run a built statement; on SQLite straight on the driver's connection (inside the session's
    transaction) with its SQL compiled once per shape: SQLAlchemy's per-call work would cost more than
    the query itself on a short page."""
    statement = build(variant)
    conn = s.connection() if isinstance(s, Session) else s
    if conn.dialect.name != "sqlite":
        return conn.execute(statement, params)
    shape = tuple(sorted((name, len(value) if isinstance(value, list) else -1) for name, value in params.items()))
    sql, names, fixed = _sqlite_sql(build, variant, shape)
    values = {**fixed, **params}
    for name, value in params.items():
        if isinstance(value, list):
            values.update({f"{name}_{i}": item for i, item in enumerate(value, 1)})
        elif isinstance(value, datetime):
            values[name] = value.isoformat(" ", "microseconds")  # as SQLAlchemy stores it on SQLite
    return conn.connection.driver_connection.execute(sql, [values[name] for name in names])


@cache
def _sqlite_sql(build, variant: bool, shape: tuple[tuple[str, int], ...]) -> tuple[str, tuple[str, ...], dict]:
    """The statement's SQLite text with each list parameter spread to its size (-1: not a list), the order
    of its parameters, and the values of those fixed in the statement (literals, the correction kinds)."""
    from sqlalchemy.dialects import sqlite

    statement = build(variant).params({name: [""] * size if size >= 0 else 0 for name, size in shape})
    compiled = statement.compile(dialect=sqlite.dialect(paramstyle="qmark"),
                                 compile_kwargs={"render_postcompile": True})
    fixed: dict = {}
    for name, bind in compiled.binds.items():
        if isinstance(bind.value, list | tuple):
            fixed.update({f"{name}_{i}": item for i, item in enumerate(bind.value, 1)})
        else:
            fixed[name] = bind.value
    return compiled.string, tuple(compiled.positiontup), fixed


# ---- the statements (built once) -----------------------------------------------------------------------
def _corrected_ids():
    return select(_EVENT.c.entry_id).where(_EVENT.c.patient_id == bindparam("patient_id"),
                                           _EVENT.c.kind.in_(CORRECTIONS))


def _plain(kinds_param: str):
    return select(literal(PLAIN), *_COLUMNS).where(
        _EVENT.c.patient_id == bindparam("patient_id"), _EVENT.c.kind.in_(bindparam(kinds_param, expanding=True)),
        _EVENT.c.id.not_in(_corrected_ids()))


def _with_corrections(plain_parts: list, kinds_param: str):
    corrections = select(literal(CORRECTED), *_COLUMNS).where(
        _EVENT.c.patient_id == bindparam("patient_id"), _EVENT.c.kind.in_(CORRECTIONS))
    originals = select(literal(CORRECTED), *_COLUMNS).where(
        _EVENT.c.id.in_(_corrected_ids()), _EVENT.c.kind.in_(bindparam(kinds_param, expanding=True)))
    return union_all(*plain_parts, corrections, originals)


@cache
def _page_query(after_cursor: bool):
    """One page of uncorrected entries, newest first: id, kind, time, payload."""
    page = select(*(_COLUMNS[i] for i in (0, 3, 4, 8))).where(
        _EVENT.c.patient_id == bindparam("patient_id"), _EVENT.c.kind.in_(bindparam("kinds", expanding=True)),
        _EVENT.c.id.not_in(_corrected_ids()))
    if after_cursor:
        page = page.where(tuple_(_EVENT.c.occurred_at, _EVENT.c.id)
                          < tuple_(bindparam("before_at", type_=_EVENT.c.occurred_at.type), bindparam("before_id")))
    return page.order_by(_EVENT.c.occurred_at.desc(), _EVENT.c.id.desc()).limit(bindparam("limit"))


_PLACE = (_EVENT.c.id, _EVENT.c.entry_id, _EVENT.c.kind, type_coerce(_EVENT.c.occurred_at, String))


@cache
def _corrections_query(_unused: bool):
    """Every correction of the patient, as id, entry, kind, time (where the corrected entries stand)."""
    return select(*_PLACE).where(_EVENT.c.patient_id == bindparam("patient_id"), _EVENT.c.kind.in_(CORRECTIONS))


@cache
def _count_query(_unused: bool):
    """The number of uncorrected entries of `kinds`."""
    return select(func.count()).select_from(_EVENT).where(
        _EVENT.c.patient_id == bindparam("patient_id"), _EVENT.c.kind.in_(bindparam("kinds", expanding=True)),
        _EVENT.c.id.not_in(_corrected_ids()))


@cache
def _count_ids_query(_unused: bool):
    """How many of the entries `ids` are of `kinds`."""
    return select(func.count()).select_from(_EVENT).where(
        _EVENT.c.id.in_(bindparam("ids", expanding=True)), _EVENT.c.kind.in_(bindparam("kinds", expanding=True)))


@cache
def _entries_events_query(_unused: bool):
    """Every event of the entries `ids` (of `kinds`): the originals and their corrections."""
    ids = bindparam("ids", expanding=True)
    return union_all(select(literal(CORRECTED), *_COLUMNS).where(_EVENT.c.id.in_(ids),
                                                                   _EVENT.c.kind.in_(bindparam("kinds", expanding=True))),
                     select(literal(CORRECTED), *_COLUMNS).where(_EVENT.c.entry_id.in_(ids),
                                                                   _EVENT.c.kind.in_(CORRECTIONS)))


@cache
def _all_events_query(_unused: bool):
    return select(*_COLUMNS).where(_EVENT.c.patient_id == bindparam("patient_id")).order_by(_EVENT.c.id)


@cache
def _entries_query(windowed: bool):
    parts = [_plain("kinds")]
    if windowed:
        parts.append(_plain("windowed").where(
            _EVENT.c.occurred_at >= bindparam("since", type_=_EVENT.c.occurred_at.type)))
    return _with_corrections(parts, "all_kinds")
