"""Starting writer processes and reading what they reported."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

WRITER = Path(__file__).with_name("writer.py")
NOW = "2027-06-20T10:00"


def env() -> dict[str, str]:
    return {**os.environ, "MSTRACKER_NOW": NOW, "PYTHONUNBUFFERED": "1"}


def start_writer(mode: str, target: str, patient: int, n: int, role: str = "patient") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), mode, target, str(patient), str(n), role],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())


class Reader:
    """Collects a process's stdout lines on a thread, so that the test can kill it at any moment."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            line = line.strip()
            if line == "ready":
                self.ready.set()
            elif line:
                self.lines.append(line)
        self.ready.set()

    def finish(self, timeout: float = 30) -> list[str]:
        self._thread.join(timeout)
        return self.lines


def sqlite_ids(path: Path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM event")}
    finally:
        conn.close()


def sqlite_integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
