"""Timing helpers: medians of in-process calls, and wall time plus peak memory of child processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass


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
class ChildRun:
    code: int
    seconds: float
    peak_rss_mb: float
    stderr: str


def run_child(argv: list[str], env: dict[str, str] | None = None, timeout: float = 120) -> ChildRun:
    """Run a process to its end; its own peak RSS comes from wait4 (not the cumulative RUSAGE_CHILDREN)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return ChildRun(proc.returncode, seconds, usage.ru_maxrss / 1024, text)  # ru_maxrss is in KiB on Linux


def median_child(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float, ChildRun]:
    """Median seconds and peak RSS (MiB) over `runs`; the last run is returned to show its errors."""
    results = [run_child(argv, env) for _ in range(runs)]
    failed = [r for r in results if r.code != 0]
    last = failed[0] if failed else results[-1]
    return (statistics.median(r.seconds for r in results), statistics.median(r.peak_rss_mb for r in results), last)
