"""Tab and Shift+Tab in real windows: an X server (Xvfb) with a window manager (openbox), the app on Qt's xcb
platform, every role's pages and the dialogs. Focus and activation here are the window manager's, not the
offscreen platform's. `.ci/run` installs Xvfb, openbox and Qt's xcb libraries: these tests never skip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_display() -> int:
    for number in range(140, 400):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="module")
def x_display(tmp_path_factory):
    """`Xvfb :N` with openbox on it; the display's name."""
    number = _free_display()
    display = f":{number}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 20
    while not socket.exists():
        assert xvfb.poll() is None, "Xvfb exited at start"
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.1)
    home = tmp_path_factory.mktemp("openbox")
    wm = subprocess.Popen(["openbox", "--sm-disable"], env={**os.environ, "DISPLAY": display, "HOME": str(home)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # openbox takes the screen over
    assert wm.poll() is None, "openbox exited at start"
    yield display
    for process in (wm, xvfb):
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("role", ["patient", "caregiver", "coordinator"])
def test_tab_goes_round_every_page_and_dialog_in_a_real_window(x_display, journey, app_env, role):
    env = {**app_env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": x_display, "PYTHONPATH": str(ROOT),
           "MSTRACKER_NOW": "2027-06-20T10:00"}
    done = subprocess.run([sys.executable, "-m", "tests.ui.real_window_walk", str(journey), role], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip(), done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for result in results:
        assert result["missed"] == [], result
        assert result["same_both_ways"], result
        assert len(result["stops"]) > 2, result
    assert done.returncode == 0, done.stderr[-3000:]
    where = {r["where"] for r in results}
    assert {"agenda", "patient", "audit"} <= where
    audit = next(r for r in results if r["where"] == "audit")
    assert {"QPushButton('Export the audit trail to a CSV file')", "QPushButton('&Close')"} <= set(audit["stops"])
    if role != "caregiver":
        assert {"log temperature", "log lab", "phase"} <= where
