"""Timing helpers: medians of in-process calls, and wall time plus peak memory of child processes."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "launch.py"


def median_ms(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of `fn` in milliseconds, after `warmup` untimed calls (caches, compiled SQL)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@dataclass(frozen=True)
class ChildRuns:
    seconds: float  # median wall time
    peak_rss_mb: float  # median of each run's own peak RSS
    code: int  # the first non-zero exit code, else 0
    stderr: str  # the last run's error output


def median_child(argv: list[str], env: dict[str, str], runs: int, timeout: float = 600) -> ChildRuns:
    """Run `argv` `runs` times through the small launcher (see launch.py) and take the medians."""
    with tempfile.TemporaryDirectory() as scratch:
        err = Path(scratch) / "stderr"
        done = subprocess.run([sys.executable, "-S", str(LAUNCHER), str(runs), str(err), "--", *argv],
                              env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            return ChildRuns(0.0, 0.0, done.returncode, done.stderr)
        results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        stderr = err.read_text(encoding="utf-8", errors="replace") if err.exists() else ""
    codes = [r["code"] for r in results if r["code"] != 0]
    return ChildRuns(statistics.median(r["seconds"] for r in results),
                     statistics.median(r["peak_rss_mb"] for r in results), codes[0] if codes else 0, stderr)


def interleaved_children(commands: list[list[str]], env: dict[str, str], runs: int) -> list[ChildRuns]:
    """The medians of several commands run in turns (a, b, a, b, …) after one untimed run of each (a cold
    page cache), so that a busy moment of the machine weighs on each of them alike, not on one."""
    for argv in commands:
        median_child(argv, env, 1)
    rounds = [[median_child(argv, env, 1) for argv in commands] for _ in range(runs)]
    medians = []
    for i in range(len(commands)):
        own = [r[i] for r in rounds]
        codes = [r.code for r in own if r.code != 0]
        medians.append(ChildRuns(statistics.median(r.seconds for r in own),
                                 statistics.median(r.peak_rss_mb for r in own), codes[0] if codes else 0,
                                 own[-1].stderr))
    return medians
