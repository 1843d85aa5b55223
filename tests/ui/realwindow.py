"""A real screen for the tests that need one: Xvfb with a window manager (openbox), so that windows get frames
and are placed as on a desktop. Offscreen Qt has neither, so geometry against the screen is checked here.

`.ci/run` installs xvfb, openbox and Qt's xcb libraries: these tests never skip. Use the `real_screen`
fixture: `real_screen("1280x800")` starts both and gives the environment for a child process that runs Qt on
that screen (`QT_QPA_PLATFORM=xcb`, its own settings and data folders).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest


def _start_xvfb(size: str) -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    xvfb = subprocess.Popen([shutil.which("Xvfb") or "Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24",
                             "-nolisten", "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()  # Xvfb writes its display number once it accepts connections
    if not number:
        xvfb.kill()
        raise RuntimeError("Xvfb did not start")
    return xvfb, f":{number}"


def _wait_for_window_manager(env: dict, timeout: float = 10.0) -> None:
    """openbox sets _NET_SUPPORTING_WM_CHECK on the root window once it manages windows."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True,
                               text=True) if shutil.which("xprop") else None
        if probe is None:
            time.sleep(1.0)  # no xprop: give openbox a moment
            return
        if "window id" in probe.stdout:
            return
        time.sleep(0.1)
    raise RuntimeError("the window manager did not start")


@pytest.fixture
def real_screen(tmp_path):
    started: list[subprocess.Popen] = []

    def start(size: str = "1280x800", **extra: str) -> dict:
        xvfb, display = _start_xvfb(size)
        started.append(xvfb)
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"), **extra}
        env.pop("WAYLAND_DISPLAY", None)
        wm = subprocess.Popen([shutil.which("openbox") or "openbox"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        started.append(wm)
        _wait_for_window_manager(env)
        return env

    yield start
    for process in reversed(started):
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
