"""A first look at a SQLite file with the standard library alone: who is in it, for the window's first paint.

Opening the database properly (SQLAlchemy, migrations) costs a third of a second of imports; the window's
header only needs the stored projection's names and phases. Read-only, and None whenever the file cannot be
read this way (missing, encrypted, not ours yet, busy): the caller then opens it the full way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import schema_version

PatientRow = tuple[int, str, str | None]  # id, name, phase (None before any journey)


def patients(path: Path) -> list[PatientRow] | None:
    """Every patient (id order) with the phase the projection stores, or None if the file cannot be read."""
    opened = open_read_only(path, timeout=0.2)
    if opened is None:
        return None
    conn, revision = opened
    try:
        if revision not in schema_version.KNOWN:
            return None  # a newer mstracker's file: the full open refuses it properly
        return conn.execute("SELECT p.id, p.name, s.phase FROM patient p "
                            "LEFT JOIN patient_state s ON s.patient_id = p.id ORDER BY p.id").fetchall()
    except sqlite3.Error:  # an older schema, locked: the full open will say what
        return None
    finally:
        conn.close()


def open_read_only(path: Path, *, timeout: float) -> tuple[sqlite3.Connection, str] | None:
    """A read-only connection to a plain SQLite file of ours and its schema revision; None (nothing left open)
    when the file is missing, encrypted, damaged, busy or not ours."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    except sqlite3.Error:
        return None
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:  # encrypted (not a database to sqlite3), damaged, busy, not ours
        revision = None
    if revision is None:
        conn.close()
        return None
    return conn, revision[0]
