"""Reading a file someone handed us (an import, a protocol) without trusting it: a regular file only, and
never more than a stated size. A FIFO would block the open, a link to /dev/zero would never end."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..domain.errors import UserError


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, refused (UserError) unless it is a regular file of at most `limit` bytes."""
    try:
        # Non-blocking: opening a FIFO with no writer would otherwise wait for ever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise UserError(f"there is no file {path}; check the path") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{path} is not a regular file; give {what}")
        raise UserError(f"{path} is larger than {_size(limit)}, the most {what} may be; nothing was read")
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:  # it grew while being read
        raise UserError(f"{path} is larger than {_size(limit)}, the most {what} may be")
    return raw


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit // 1024} KB" if limit >= 1024 else f"{limit} bytes"
