"""What the window shows before the database is opened properly: which patient, by name and phase.

Cheap on purpose (no SQLAlchemy, no migrations, no rules): the desktop app paints its window from this, then
opens the database off the UI thread. None means "no first look": open the database first, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ..storage import peek
from .places import default_db_target


# NamedTuples, not dataclasses: the dataclasses module is not otherwise needed before the first paint.
class Glance(NamedTuple):
    id: int
    name: str
    phase: str | None


class FirstLook(NamedTuple):
    db_key: str  # as `AppContext.db.target.describe()` names the file (the settings' key)
    patient_count: int
    patient: Glance | None  # the one to show: the last viewed if still there, else the first


def first_look(target: str | None, last_viewed: Callable[[str], int | None]) -> FirstLook | None:
    """The patients of a plain SQLite file, read with the standard library; None for a server, an encrypted
    file, a missing or unreadable one. `last_viewed(db_key)` is the patient the window showed last time."""
    target = target or default_db_target()
    if "://" in target:
        return None  # a server, or a URL: only the full open knows how to read it
    path = Path(target).expanduser().resolve()
    rows = peek.patients(path)
    if rows is None:
        return None
    key = str(path)
    wanted = last_viewed(key)
    row = next((r for r in rows if r[0] == wanted), None) or (rows[0] if rows else None)
    return FirstLook(key, len(rows), Glance(*row) if row else None)
