"""A first look at a SQLite file with the standard library alone: who is in it, for the window's first paint.

Opening the database properly (SQLAlchemy, migrations) costs a third of a second of imports; the window's
header only needs the stored projection's names and phases. Read-only, and None whenever the file cannot be
read this way (missing, encrypted, not ours yet, busy): the caller then opens it the full way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

VERSIONS = Path(__file__).parent / "migrations" / "versions"

PatientRow = tuple[int, str, str | None]  # id, name, phase (None before any journey)


def patients(path: Path) -> list[PatientRow] | None:
    """Every patient (id order) with the phase the projection stores, or None if the file cannot be read."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] not in _known_revisions():
            return None  # a newer mstracker's file, or not ours: the full open refuses it properly
        return conn.execute("SELECT p.id, p.name, s.phase FROM patient p "
                            "LEFT JOIN patient_state s ON s.patient_id = p.id ORDER BY p.id").fetchall()
    except sqlite3.Error:  # encrypted, damaged, an older schema, locked: the full open will say what
        return None
    finally:
        conn.close()


def _known_revisions() -> set[str]:
    """The schema revisions this version can open (older ones are upgraded by the full open)."""
    return {p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")}
