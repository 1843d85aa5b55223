"""The floors the service figures are divided by: the same work done with plain sqlite3, in one query or call."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from floor_cli import DASHBOARD_SQL, export_json, patient_ids  # noqa: F401 (the floors of the whole processes)

from mstracker.domain.entries import LogKind

LOG_KINDS = tuple(k.value for k in LogKind)


def connect(path: Path) -> sqlite3.Connection:
    """The same connection settings as the app's engine (WAL, synchronous=FULL, foreign keys)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def ingest(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """One transaction, one executemany of ready rows: the least that writing them can cost."""
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO event (patient_id, kind, occurred_at, recorded_at, user, role, payload, entry_id, supersedes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)", rows)
    conn.execute("COMMIT")


def ingest_rows(patient_id: int, entries, zone, recorded: str) -> list[tuple]:
    """The rows as stored (UTC text times, JSON payloads), built before the clock starts."""

    def db_time(wall):
        return wall.replace(tzinfo=zone).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    return [(patient_id, str(e.kind), db_time(e.at), recorded, "bench", "patient",
             json.dumps({"fields": e.fields}, ensure_ascii=False, sort_keys=True)) for e in entries]


def dashboard(conn: sqlite3.Connection, overdue_before: str, today: str) -> list[tuple]:
    """Every patient with phase, Day 0, overdue count and next reminder: the coordinator list in one query."""
    return conn.execute(DASHBOARD_SQL, {"overdue_before": overdue_before, "today": today}).fetchall()


HISTORY_SQL = (
    "SELECT id, kind, occurred_at, payload FROM event WHERE patient_id = ? AND kind IN ({}) "
    "ORDER BY occurred_at DESC, id DESC LIMIT ?".format(", ".join("?" * len(LOG_KINDS)))
)


def history_page(conn: sqlite3.Connection, patient_id: int, limit: int) -> list[tuple]:
    """The newest `limit` log rows of one patient (the first screen of the history), as stored."""
    return conn.execute(HISTORY_SQL, (patient_id, *LOG_KINDS, limit)).fetchall()


def history_page_decoded(conn: sqlite3.Connection, patient_id: int, limit: int, zone: tzinfo) -> list[tuple]:
    """The same rows made usable, as the service hands them over: local times and the fields as values."""
    return [(entry_id, kind, datetime.fromisoformat(at).replace(tzinfo=UTC).astimezone(zone),
             json.loads(payload)["fields"]) for entry_id, kind, at, payload in history_page(conn, patient_id, limit)]

