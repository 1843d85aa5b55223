"""Service modules the window imports at their first use, not when it is built.

The window reads what it shows at start through light modules (`services.history`, `reminder_reads`,
`medicine_today`, `status`, `patient_list`), on sqlite3 alone. The modules that write (and the storage engine
they import: SQLAlchemy, half a second and 50 MB) are needed only once the user changes something. A write's
work runs in a worker (`core/runner.py`), so naming its module through `later(...)` makes the worker, not the
UI thread, import it, at the first write.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class Later:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.module(), attribute)

    def module(self) -> ModuleType:
        return importlib.import_module(self._name)  # once; thread-safe (the import system locks the module)

    def __repr__(self) -> str:
        return f"later({self._name!r})"


def later(name: str) -> Any:
    """`name` (a module's full name), imported at its first attribute's use."""
    return Later(name)
