"""What a check of the database file found, and the check the window runs at start."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..storage import sqlitefiles


@dataclass(frozen=True)
class CheckReport:
    where: str
    problems: list[str] = field(default_factory=list)  # SQLite's integrity check
    projection: list[str] = field(default_factory=list)  # stored state that the event log does not give
    newest_good_backup: Path | None = None

    @property
    def sound(self) -> bool:
        return not self.problems and not self.projection

    def message(self) -> str:
        if self.sound:
            return "sound"
        found = (self.problems or self.projection)[0]
        more = len(self.problems) + len(self.projection) - 1
        text = f"{self.where} is damaged: {found}" + (f" (and {more} more)" if more > 0 else "")
        if self.newest_good_backup is not None:
            return text + (f"; the newest good backup is {self.newest_good_backup} — "
                           f"`mstracker restore {self.newest_good_backup}` puts it back (the damaged file is kept)")
        return text + "; there is no good backup in the backups folder"


def start_check(ctx) -> tuple[CheckReport, str | None]:
    """The day's backup if it is due, and SQLite's quick check: (the report, what to tell the user, if anything).

    A window that reads the quick way (`lazy_context`) checks the file and takes the backup with sqlite3 alone
    (a damaged file is checked first there, so that its copy does not push a good backup out of the folder).
    Anything else (a damaged file, a server, a context opened the full way) is the full check's
    (`maintenance`)."""
    if not getattr(ctx, "is_open_fully", True) and not sqlitefiles.integrity_problems(ctx.file, quick=True):
        try:
            ctx.daily_backup_if_due()
        except Exception as exc:  # said in the window; the file itself is sound
            return CheckReport(ctx.where), f"The daily backup could not be taken: {exc}"
        return CheckReport(ctx.where), None
    from . import maintenance

    problem = None
    try:
        maintenance.daily_backup_if_due(ctx)
    except Exception as exc:  # the check still runs; the failed backup is said in the window
        problem = f"The daily backup could not be taken: {exc}"
    return maintenance.startup_check(ctx), problem
