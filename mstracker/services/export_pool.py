"""`export --all` on more than one core: the patients shared among worker processes, one at a time each.

Each worker opens the database itself (a connection is not shared across processes) with the same target,
role, passphrase and clock, writes its patients' files and hands back only their paths: memory stays that
of one patient's export per worker, whatever the size of the clinic. Workers are spawned, not forked: a
forked child would inherit the parent's open SQLite file, whose locks it could release on closing it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from .context import AppContext, open_context

_worker: AppContext | None = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def export_in_workers(ctx: AppContext, fmt: str, jobs: list[tuple[int, Path]], workers: int,
                      export: Callable[[AppContext, int, str, Path], Path]) -> Iterator[Path]:
    """Each (patient id, file) of `jobs` exported by `export` in one of `workers` processes; the files in the
    order of `jobs`, as each is written."""
    target = ctx.db.target
    where = str(target.path) if target.path is not None else target.url
    setup = (where, ctx.role, getattr(ctx.db, "passphrase", None), ctx.now(), export)
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_open, initargs=setup) as pool:
        yield from pool.imap(_export_one, ((pid, str(out), fmt) for pid, out in jobs), chunksize=1)


def _open(where: str, role: str, passphrase: str | None, now: datetime,
          export: Callable[[AppContext, int, str, Path], Path]) -> None:
    global _worker, _export
    _worker = open_context(where, role=role, passphrase=passphrase, clock=lambda: now)
    _export = export


_export: Callable[[AppContext, int, str, Path], Path] | None = None
_settled = False


def _export_one(job: tuple[int, str, str]) -> Path:
    global _settled
    pid, out, fmt = job
    assert _worker is not None and _export is not None
    written = _export(_worker, pid, fmt, Path(out))
    if not _settled:
        # After a first export, what is loaded (modules, the ORM's mappings, the writer and its models) lives
        # as long as the worker: kept out of the collector's passes, which then see only an export's own
        # containers (their passes over everything took a tenth of an export's time).
        gc.collect()
        gc.freeze()
        _settled = True
    return written
