"""The reads that answer "where does this patient stand" and "who is in this file", on Python's own sqlite3.

A one-line answer (`status --json`, `patient list`) would otherwise spend most of its time importing
SQLAlchemy. These reads run the same queries as `session_reads` on the driver alone, return the same values,
and are used only where they are safe: a plain (unencrypted) SQLite file already at this version's schema,
opened read-only. Anything else — a server, an encrypted file, an older schema to upgrade, a file that cannot
be read this way — gets None from `open_reads`, and the caller opens the database the full way.
A test holds both implementations to the same answers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import orjson

from . import schema_version
from .peek import open_read_only
from .sqlitefiles import is_plain_sqlite
from .stored_events import (
    CORRECTED,
    CORRECTIONS,
    EVENT_COLUMN_NAMES,
    PLAIN,
    EntryRows,
    StoredEvent,
    as_utc,
    from_row,
    may_stand,
    split_entry_rows,
    to_db,
)


class PatientRecord(NamedTuple):
    id: int
    name: str
    born: date | None
    diagnosed: date | None
    ms_type: str | None


class JourneyRecord(NamedTuple):
    protocol_name: str
    protocol_text: str


class PublicationRecord(NamedTuple):
    url: str
    user: str
    last_sync: datetime | None  # aware UTC
    last_attempt: datetime | None
    last_error: str | None
    pending: int  # changes not yet sent


class ReminderRecord(NamedTuple):
    id: int
    patient_id: int
    item_id: str
    occurrence: int
    kind: str
    title: str
    due: str
    status: str
    snoozed_until: str | None
    done_at: str | None
    edited: bool
    uid: str


class CourseRecord(NamedTuple):
    id: int
    patient_id: int
    journey_id: int | None
    key: str | None
    source: str
    name: str
    dose: str
    route: str
    times: str
    every_days: int | None
    weekdays: str | None
    first_day: date | None
    last_day: date | None
    stopped_on: date | None
    ended_on: date | None
    pinned: bool
    purpose: str
    uid: str


_EVENT = ", ".join(f'"{name}"' for name in EVENT_COLUMN_NAMES)
_REMINDER = ", ".join(ReminderRecord._fields)
_COURSE = ", ".join(CourseRecord._fields)
_CORRECTION_KINDS = ", ".join(f"'{kind}'" for kind in CORRECTIONS)
_CORRECTED_IDS = f"SELECT entry_id FROM event WHERE patient_id = :patient_id AND kind IN ({_CORRECTION_KINDS})"


def open_reads(path: Path) -> SqliteReads | None:
    """Read-only reads of the SQLite file at `path`, or None where only the full open can read it."""
    if not is_plain_sqlite(path):
        return None  # encrypted, or not a database at all
    opened = open_read_only(path, timeout=2.0)
    if opened is None:
        return None
    conn, revision = opened
    if revision != schema_version.HEAD:
        conn.close()  # an older schema is upgraded by the full open; a newer one refused by it
        return None
    return SqliteReads(conn)


class SqliteReads:
    """The reads of `session_reads.SessionReads`, on a read-only sqlite3 connection (one thread)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SqliteReads:
        self._conn.execute("BEGIN")  # one snapshot for every read of the answer
        return self

    def __exit__(self, *_exc) -> None:
        self._conn.rollback()

    def patient(self, patient_id: int) -> PatientRecord | None:
        row = self._conn.execute("SELECT id, name, born, diagnosed, ms_type FROM patient WHERE id = ?",
                                 (patient_id,)).fetchone()
        return None if row is None else PatientRecord(row[0], row[1], _day(row[2]), _day(row[3]), row[4])

    def latest_journey(self, patient_id: int) -> JourneyRecord | None:
        row = self._conn.execute("SELECT protocol_name, protocol_text FROM journey WHERE patient_id = ? "
                                 "ORDER BY id DESC LIMIT 1", (patient_id,)).fetchone()
        return None if row is None else JourneyRecord(*row)

    def events(self, patient_id: int, kinds: Sequence[str]) -> list[StoredEvent]:
        names, values = _spread("kind", kinds)
        rows = self._conn.execute(f"SELECT {_EVENT} FROM event WHERE patient_id = :patient_id AND kind IN ({names}) "
                                  "ORDER BY id", {"patient_id": patient_id, **values})
        return [from_row(row) for row in rows]

    def entry_rows(self, patient_id: int, kinds: Sequence[str], windowed: Sequence[str] = (),
                   since: datetime | None = None) -> EntryRows:
        """Every entry of `kinds`, and of `windowed` kinds those that happened at or after `since` (aware),
        as `event_reads.entry_rows` reads them."""
        kind_names, params = _spread("kind", list(kinds) or [""])
        all_names, all_values = _spread("any", [*kinds, *windowed])
        params.update(all_values, patient_id=patient_id)
        parts = [f"SELECT {PLAIN}, {_EVENT} FROM event WHERE patient_id = :patient_id AND kind IN ({kind_names}) "
                 f"AND id NOT IN ({_CORRECTED_IDS})"]
        if windowed:
            assert since is not None
            window_names, window_values = _spread("windowed", windowed)
            params.update(window_values, since=_stored_moment(since))
            parts.append(f"SELECT {PLAIN}, {_EVENT} FROM event WHERE patient_id = :patient_id "
                         f"AND kind IN ({window_names}) AND id NOT IN ({_CORRECTED_IDS}) AND occurred_at >= :since")
        parts.append(f"SELECT {CORRECTED}, {_EVENT} FROM event WHERE patient_id = :patient_id "
                     f"AND kind IN ({_CORRECTION_KINDS})")
        parts.append(f"SELECT {CORRECTED}, {_EVENT} FROM event WHERE id IN ({_CORRECTED_IDS}) "
                     f"AND kind IN ({all_names})")
        return split_entry_rows(self._conn.execute(" UNION ALL ".join(parts), params))

    def reminders(self, patient_id: int, from_due: str | None = None, to_due: str | None = None) -> list[ReminderRecord]:
        """The patient's reminders due between `from_due` and `to_due` (stored wall times, inclusive)."""
        window = (" AND due >= :from_due" if from_due is not None else "") + (
            " AND due <= :to_due" if to_due is not None else "")
        rows = self._conn.execute(f"SELECT {_REMINDER} FROM reminder WHERE patient_id = :patient_id{window} "
                                  "ORDER BY due, kind, title, id",
                                  {"patient_id": patient_id, "from_due": from_due, "to_due": to_due})
        return [ReminderRecord(*row[:10], bool(row[10]), row[11]) for row in rows]

    def courses(self, patient_id: int) -> list[CourseRecord]:
        rows = self._conn.execute(f"SELECT {_COURSE} FROM medicine_course WHERE patient_id = ? ORDER BY id",
                                  (patient_id,))
        return [_course(row) for row in rows]

    def dose_events(self, patient_id: int, since: datetime | None) -> list[StoredEvent]:
        """The patient's recorded doses that happened at or after `since` (aware; None: all), with every
        correction of them, oldest first (as `medicine_rows.dose_events`)."""
        window = "" if since is None else " AND occurred_at >= :since"
        originals = f"SELECT id FROM event WHERE kind = 'med_dose' AND patient_id = :patient_id{window}"
        rows = self._conn.execute(
            f"SELECT {_EVENT} FROM event WHERE id IN ({originals}) "
            f"OR (kind IN ({_CORRECTION_KINDS}) AND entry_id IN ({originals})) ORDER BY id",
            {"patient_id": patient_id, "since": None if since is None else _stored_moment(since)})
        return [from_row(row) for row in rows]

    def newest_entry_rows(self, patient_id: int, kinds: Sequence[str], limit: int,
                          before: tuple[datetime, int] | None = None) -> EntryRows:
        """As `event_reads.newest_entry_rows`: one page of the history, newest first, and the corrected entries
        that may stand on it with their corrections."""
        kind_names, params = _spread("kind", kinds)
        params.update(patient_id=patient_id, limit=limit)
        cursor = ""
        if before is not None:
            cursor = " AND (occurred_at, id) < (:before_at, :before_id)"
            params.update(before_at=_stored_moment(before[0]), before_id=before[1])
        page = self._conn.execute(
            f"SELECT id, kind, occurred_at, payload FROM event WHERE patient_id = :patient_id "
            f"AND kind IN ({kind_names}) AND id NOT IN ({_CORRECTED_IDS}){cursor} "
            "ORDER BY occurred_at DESC, id DESC LIMIT :limit", params).fetchall()
        cutoff = min(row[2] for row in page) if len(page) >= limit else None
        wanted = may_stand(self._corrections(patient_id), cutoff)
        corrected = self._entries_with_corrections(wanted, kinds) if wanted else []
        plain = [(id_, kind, as_utc(at), orjson.loads(payload)["fields"]) for id_, kind, at, payload in page]
        return EntryRows(plain, corrected)

    def entry_count(self, patient_id: int, kinds: Sequence[str]) -> int:
        """As `event_reads.entry_count`: how many entries of `kinds` the history shows."""
        kind_names, params = _spread("kind", kinds)
        params.update(patient_id=patient_id)
        # Every entry of `kinds` less the corrected ones: two index counts, a third of the cost of NOT IN.
        count = self._conn.execute(f"SELECT count(*) FROM event WHERE patient_id = :patient_id "
                                   f"AND kind IN ({kind_names})", params).fetchone()[0]
        count -= self._conn.execute(f"SELECT count(*) FROM event WHERE kind IN ({kind_names}) "
                                    f"AND id IN ({_CORRECTED_IDS})", params).fetchone()[0]
        shown = may_stand(self._corrections(patient_id), None)
        if shown:
            id_names, id_values = _spread("id", shown)
            count += self._conn.execute(f"SELECT count(*) FROM event WHERE id IN ({id_names}) "
                                        f"AND kind IN ({kind_names})", {**params, **id_values}).fetchone()[0]
        return count

    def _corrections(self, patient_id: int) -> list[tuple]:
        return self._conn.execute(f"SELECT id, entry_id, kind, occurred_at FROM event WHERE patient_id = ? "
                                  f"AND kind IN ({_CORRECTION_KINDS})", (patient_id,)).fetchall()

    def _entries_with_corrections(self, ids: Sequence[int], kinds: Sequence[str]) -> list[StoredEvent]:
        id_names, params = _spread("id", ids)
        kind_names, kind_values = _spread("kind", kinds)
        rows = self._conn.execute(
            f"SELECT {CORRECTED}, {_EVENT} FROM event WHERE id IN ({id_names}) AND kind IN ({kind_names}) "
            f"UNION ALL SELECT {CORRECTED}, {_EVENT} FROM event WHERE entry_id IN ({id_names}) "
            f"AND kind IN ({_CORRECTION_KINDS})", {**params, **kind_values})
        return split_entry_rows(rows).corrected

    def publication(self, patient_id: int) -> PublicationRecord | None:
        """The patient's calendar publication as the status bar shows it (no token), or None."""
        row = self._conn.execute(
            "SELECT url, user, last_sync, last_attempt, last_error, "
            "(SELECT count(*) FROM calendar_outbox o WHERE o.patient_id = p.patient_id) "
            "FROM calendar_publication p WHERE patient_id = ?", (patient_id,)).fetchone()
        if row is None:
            return None
        url, user, last_sync, last_attempt, last_error, pending = row
        return PublicationRecord(url, user, _moment(last_sync), _moment(last_attempt), last_error, pending)

    def quick_check(self) -> list[str]:
        """What `PRAGMA quick_check` finds wrong with the file (nothing: [])."""
        rows = [row[0] for row in self._conn.execute("PRAGMA quick_check")]
        return [] if rows == ["ok"] else rows

    def patient_summaries(self, overdue_before: str, today: str) -> list[tuple]:
        """As `repository.patient_summaries`: (id, name, phase, day_zero, day_zero_planned, overdue count,
        next due, next title) of every patient, by id."""
        rows = self._conn.execute(
            "SELECT p.id, p.name, s.phase, s.day_zero, s.day_zero_planned, "
            "(SELECT count(*) FROM reminder r WHERE r.patient_id = p.id AND r.status IN ('pending', 'snoozed') "
            " AND coalesce(r.snoozed_until, r.due) < :overdue_before), "
            "(SELECT r.due || '|' || r.title FROM reminder r WHERE r.patient_id = p.id AND r.status = 'pending' "
            " AND r.due >= :today ORDER BY r.due, r.title LIMIT 1) "
            "FROM patient p LEFT JOIN patient_state s ON s.patient_id = p.id ORDER BY p.id",
            {"overdue_before": overdue_before, "today": today})
        result = []
        for pid, name, phase, day_zero, planned, overdue, upcoming in rows:
            due, _bar, title = upcoming.partition("|") if upcoming else (None, None, None)
            result.append((pid, name, phase, _day(day_zero), bool(planned), overdue, due, title))
        return result

    # the dashboard's reads
    def recent_entry_events(self, since: Mapping[str, datetime], until: datetime | None = None) -> list[StoredEvent]:
        """As `dashboard_queries.recent_entry_events`: every patient's entries of each kind in `since` at or after
        its moment (and not after `until`), with every correction of them, oldest first."""
        if not since:
            return []
        params: dict[str, str] = {}
        last = ""
        if until is not None:
            last = " AND occurred_at <= :until"
            params["until"] = _stored_moment(until)
        # One search per kind, led by the patient (every event has one; the index is patient, kind, time):
        # the same rows as one OR over the kinds, which SQLite answers by scanning every event of the clinic.
        window = []
        for i, (kind, moment) in enumerate(since.items()):
            params[f"kind_{i}"], params[f"since_{i}"] = kind, _stored_moment(moment)
            window.append("SELECT id FROM event WHERE patient_id IN (SELECT id FROM patient) "
                          f"AND kind = :kind_{i} AND occurred_at >= :since_{i}{last}")
        originals = " UNION ALL ".join(window)
        rows = self._conn.execute(
            f"SELECT {_EVENT} FROM event WHERE id IN ({originals}) "
            f"OR (kind IN ({_CORRECTION_KINDS}) AND entry_id IN ({originals})) ORDER BY id", params)
        return [from_row(row) for row in rows]

    def open_reminders_until(self, end: str) -> list[tuple[int, str, str]]:
        """As `dashboard_queries.open_reminders_until`: (patient id, kind, title) of every reminder still to do
        whose (snoozed) due time is at or before `end`, by patient, then in due order."""
        rows = self._conn.execute(
            "SELECT patient_id, kind, title FROM reminder WHERE status IN ('pending', 'snoozed') "
            "AND coalesce(snoozed_until, due) <= :end ORDER BY patient_id, coalesce(snoozed_until, due), id",
            {"end": end})
        return [(pid, kind, title) for pid, kind, title in rows]

    def every_course(self) -> list[CourseRecord]:
        rows = self._conn.execute(f"SELECT {_COURSE} FROM medicine_course ORDER BY id")
        return [_course(row) for row in rows]

    def every_dose_event(self, since: datetime | None) -> list[StoredEvent]:
        """Every patient's recorded doses at or after `since` (aware; None: all), with every correction of
        them, oldest first (as `medicine_rows.dose_events` for the patients with a course)."""
        window = "" if since is None else " AND occurred_at >= :since"
        # By the patients with a course (doses have one): the event indexes lead with the patient, and a scan
        # of every event would read a clinic's million rows.
        originals = ("SELECT id FROM event WHERE patient_id IN (SELECT patient_id FROM medicine_course) "
                     f"AND kind = 'med_dose'{window}")
        rows = self._conn.execute(
            f"SELECT {_EVENT} FROM event WHERE id IN ({originals}) "
            f"OR (kind IN ({_CORRECTION_KINDS}) AND entry_id IN ({originals})) ORDER BY id",
            {"since": None if since is None else _stored_moment(since)})
        return [from_row(row) for row in rows]


def _course(row: tuple) -> CourseRecord:
    return CourseRecord(*row[:11], *(_day(x) for x in row[11:15]), bool(row[15]), row[16], row[17])


def _spread(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, str]]:
    """Named placeholders for an IN list (the driver has no list parameter)."""
    params = {f"{prefix}_{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params


def _stored_moment(moment: datetime) -> str:
    return to_db(moment).isoformat(" ", "microseconds")  # as SQLAlchemy stores a DateTime on SQLite


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _moment(text: str | None) -> datetime | None:
    return as_utc(text) if text else None
