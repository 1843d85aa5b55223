"""Progress of long work on stderr: a count and an estimate of the time left, where a person is watching.

Only when stderr is a terminal: a script reading stderr gets its `error: ` lines and nothing else. The line
is rewritten in place (a carriage return) at most a few times a second, and ended once the work is done.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

REDRAW_S = 0.25  # at most four redraws a second
ESTIMATE_AFTER_S = 1.0  # the first second's pace says little about the rest


class Progress:
    def __init__(self, what: str, unit: str = "", *, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.what, self.unit = what, unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.shown = _is_terminal(self.stream)
        self.started = clock()
        self._drawn_at: float | None = None
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.shown:
            return
        now = self.clock()
        finished = total > 0 and done >= total
        if not finished and self._drawn_at is not None and now - self._drawn_at < REDRAW_S:
            return
        self._drawn_at = now
        text = f"{self.what} {done}/{total}{self.unit}"
        elapsed = now - self.started
        if not finished and done > 0 and elapsed >= ESTIMATE_AFTER_S:
            text += f", about {_duration(elapsed / done * (total - done))} left"
        if finished:  # the last line stays on screen: the longer one before it wiped, no padding left on it
            self.stream.write("\r" + " " * self._width + "\r" + text + "\n")
        else:
            self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = 0 if finished else len(text)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
