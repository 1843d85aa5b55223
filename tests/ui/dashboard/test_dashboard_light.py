"""The dashboard loads without the storage engine: its modules import no SQLAlchemy, and read through a quick
context (sqlite3 alone) it shows the same rows as through the full one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mstracker.services.quick_context import QuickContext
from mstracker.services.roles import Role
from mstracker.ui.dashboard.view import load_dashboard

from ..conftest import ZONE, clock_at
from .generator import expected_flags, generate, phase_of

NOW = "2027-06-20T10:00"
COUNT = 120
ROOT = Path(__file__).resolve().parents[3]

HEAVY = ("sqlalchemy", "alembic", "mstracker.storage.database", "mstracker.storage.models",
         "mstracker.services.context")

LOAD_AND_LOOK = """
import sys
from datetime import datetime
from pathlib import Path
import mstracker.ui.dashboard.view as view
import mstracker.ui.dashboard.model
heavy = {heavy!r}
print("imported:", sorted(m for m in heavy if m in sys.modules))
from mstracker.services.quick_context import QuickContext
from mstracker.services.roles import Role
ctx = QuickContext(Path(sys.argv[1]), Role.COORDINATOR)
ctx.clock = lambda: datetime(2027, 6, 20, 10, 0, tzinfo=ctx.zone)
data = view.load_dashboard(ctx)
print("rows:", len(data.rows), "flagged:", sum(bool(r.flags) for r in data.rows))
print("loaded:", sorted(m for m in heavy if m in sys.modules))
"""


def test_the_dashboard_modules_import_no_storage_engine(tmp_path):
    """In a fresh process, so that what other tests imported does not count."""
    result = subprocess.run([sys.executable, "-c", "import mstracker.ui.dashboard.view, sys; "
                             "print('sqlalchemy' in sys.modules)"],
                            cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_dashboard_loads_the_quick_way_without_the_storage_engine(open_ctx, tmp_path, cli):
    ctx = open_ctx(NOW)
    generate(ctx, COUNT, clock_at(NOW)())
    flagged = sum(bool(phase_of(i) and expected_flags(i)) for i in range(1, COUNT + 1))
    result = subprocess.run([sys.executable, "-c", LOAD_AND_LOOK.format(heavy=HEAVY), str(cli.db)],
                            cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["imported: []", f"rows: {COUNT} flagged: {flagged}", "loaded: []"]


def test_the_dashboard_rows_are_the_same_either_way(open_ctx, cli):
    ctx = open_ctx(NOW)
    generate(ctx, COUNT, clock_at(NOW)())
    quick = QuickContext(Path(cli.db), Role.COORDINATOR, zone=ZONE, clock=clock_at(NOW))
    full_rows, quick_rows = load_dashboard(ctx).rows, load_dashboard(quick).rows
    assert quick_rows == full_rows
    assert len(quick_rows) == COUNT and any(r.flags for r in quick_rows) and any(r.coming for r in quick_rows)


def _env(tmp_path) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "TZ": "Europe/London",
            "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
