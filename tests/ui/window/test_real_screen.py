"""On a real screen with a window manager: every window fits the available screen, frame and all, at
QT_SCALE_FACTOR=2 on a small screen and at normal scale on 1280x800 (the print preview's buttons)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..realwindow import real_screen  # noqa: F401  (the fixture)

CHILD = Path(__file__).with_name("geometry_child.py")
ROOT = Path(__file__).resolve().parents[3]


def _inside(outer: list[int], inner: list[int]) -> bool:
    ox, oy, ow, oh = outer
    x, y, w, h = inner
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


def _measure(env: dict, db: str, role: str, tmp_path) -> dict:
    env = {**env, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(CHILD), db, role, str(tmp_path / "t.pdf")], env=env,
                            capture_output=True, text=True, timeout=90)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stderr[-2000:]
    report = json.loads(lines[-1])
    assert "timeout" not in report, result.stderr[-2000:]
    return report


@pytest.mark.parametrize("size, scale, role", [("1280x800", "2", "patient"), ("1280x800", "1", "patient"),
                                               ("2560x1600", "2", "caregiver"), ("1280x800", "2", "coordinator")])
def test_windows_fit_the_available_screen(real_screen, db_path, in_hospital, tmp_path, size,  # noqa: F811
                                          scale, role):
    env = real_screen(size, QT_SCALE_FACTOR=scale)
    report = _measure(env, db_path, role, tmp_path)
    area = report["available"]
    assert _inside(area, report["main"]), report
    assert _inside(area, report["preview"]), report
    # The preview's buttons are inside its own window, so on the screen too.
    x, y, w, h = report["preview_inner"]
    assert _inside([0, 0, w, h], report["preview_close"]), report
    if size == "1280x800" and scale == "2" and role == "patient":
        assert report["scroll_range"] > 0  # the page is taller than the screen: it scrolls inside the window
