"""Runs a command several times and prints, per run, its exit code, wall time and own peak RSS as JSON.

Started with `python -S` so that it stays small: a child's peak RSS (wait4's ru_maxrss) counts the memory
of the process it was forked from, so the benchmark itself, with its data sets in memory, cannot fork
the measured programs. Usage: python -S launch.py RUNS ERRFILE -- COMMAND ...
"""

import json
import os
import sys
import time


def main() -> int:
    runs, err_path = int(sys.argv[1]), sys.argv[2]
    argv = sys.argv[sys.argv.index("--") + 1:]
    for _ in range(runs):
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        null = os.open(os.devnull, os.O_WRONLY)
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: output away, then the measured program
            os.dup2(null, 1)
            os.dup2(err, 2)
            try:
                os.execv(argv[0], argv)
            finally:
                os._exit(127)
        _pid, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        os.close(err)
        os.close(null)
        print(json.dumps({"code": os.waitstatus_to_exitcode(status), "seconds": seconds,
                          "peak_rss_mb": usage.ru_maxrss / 1024}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
