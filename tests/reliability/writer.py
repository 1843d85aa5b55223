"""A writer process for the durability and concurrency tests.

    python writer.py service TARGET PATIENT N [ROLE]   # logbook.log through the service layer
    python writer.py cli TARGET PATIENT N [ROLE]       # `mstracker log` (cli.main) N times, each its own open

Prints `ready`, then each entry's id once the call that saved it has returned (flushed at once).
"""

from __future__ import annotations

import contextlib
import io
import sys
from datetime import datetime, timedelta

from mstracker.cli import main
from mstracker.services import logbook
from mstracker.services.context import open_context

START = datetime(2027, 1, 1, 8, 0)


def run(mode: str, target: str, patient: int, n: int, role: str) -> int:
    if mode == "service":
        ctx = open_context(target, role=role)
        print("ready", flush=True)
        for i in range(n):
            at = START + timedelta(minutes=i)
            print(logbook.log(ctx, patient, "temperature", at, {"celsius": f"{36 + (i % 20) / 10:.1f}"}), flush=True)
        ctx.close()
        return 0
    print("ready", flush=True)
    for i in range(n):
        out, err = io.StringIO(), io.StringIO()
        at = (START + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", target, "--role", role, "log", str(patient), "note", "--at", at, f"text=entry {i}"])
        if code != 0:
            print(f"failed {code} {err.getvalue().strip()}", flush=True)
            return 1
        print(out.getvalue().strip(), flush=True)
    return 0


if __name__ == "__main__":
    mode, target, patient, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sys.exit(run(mode, target, patient, n, sys.argv[5] if len(sys.argv) > 5 else "patient"))
