"""The export formats, declared once: each one's name (as the command line and the app say it), file
extension and writer. The command line's choices, the services' dispatch and the files' names read it; the
app adds its own labels and file filters.

Writers are named, not imported: the PDF writer loads Qt, and a command that exports a calendar (or the app's
start, which reads the names through the command line's parser) should not pay for it. A NamedTuple, not a
dataclass, for the same reason: the start imports no dataclasses before the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..domain.errors import UserError


class ExportFormat(NamedTuple):
    name: str
    extension: str
    writer_path: str | None  # "module:function" taking an ExportData; None: the lossless form the services write
    with_charts: bool = False  # the writer also takes the chart pictures (extra_html, images)
    # What of ExportData the writer reads beyond the journey and reminders: "entries" (latest versions) and
    # "events" (every stored event) cost most of a long log's export, and are gathered only when named.
    reads: tuple[str, ...] = ("entries", "events")
    # The log kinds whose entries the writer reads (None: every kind): a long log is mostly symptoms and
    # notes, which a writer of measurements never looks at.
    entry_kinds: tuple[str, ...] | None = None

    @property
    def lossless(self) -> bool:
        """Everything stored, to import elsewhere (the services write it: it needs no ExportData)."""
        return self.writer_path is None

    def writer(self) -> Callable[..., bytes]:
        if self.writer_path is None:
            raise ValueError(f"the {self.name} export has no ExportData writer")
        from importlib import import_module

        module, _, function = self.writer_path.partition(":")
        return getattr(import_module(module, __package__), function)


_ALL = (
    ExportFormat("ics", "ics", ".ics:write_ics", reads=()),
    ExportFormat("csv", "csv", ".csv_export:write_csv", reads=("events",)),
    ExportFormat("pdf", "pdf", ".pdf:write_pdf", with_charts=True, reads=("entries",)),
    ExportFormat("fhir", "json", ".fhir:write_fhir", reads=("entries",), entry_kinds=("lab", "temperature", "edss")),
    ExportFormat("json", "json", None),
)
FORMATS: dict[str, ExportFormat] = {f.name: f for f in _ALL}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)


def export_format(name: str) -> ExportFormat:
    """The format called `name`; an unknown name is refused in one sentence that lists the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UserError(f"unknown export format {name!r}; use one of: {', '.join(FORMAT_NAMES)}") from None
