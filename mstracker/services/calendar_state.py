"""A patient's calendar publication as the app's status bar shows it, and the app's background sync.

Kept apart from `calendar_publishing` so that a window reads the state without importing the calendar's
writers (icalendar: a third of a second): they are imported only where a publication exists to sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..domain.errors import UserError
from .replay import require_patient

if TYPE_CHECKING:
    from .context import AppContext


@dataclass(frozen=True)
class PublicationState:
    patient_id: int
    url: str
    user: str
    last_sync: datetime | None  # aware UTC: the last sync the server answered in full
    last_attempt: datetime | None
    pending: int  # events not yet sent
    last_error: str | None

    @property
    def in_step(self) -> bool:
        return self.pending == 0 and self.last_error is None and self.last_sync is not None

    def to_json(self, zone) -> dict:
        return {"url": self.url, "user": self.user,
                "last_sync": self.last_sync.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if self.last_sync else None,
                "in_step": self.in_step, "pending": self.pending, "last_error": self.last_error}

    def summary(self, now: datetime) -> str:
        """One line for the patient: 'up to date · 2 minutes ago', '3 changes waiting: …'."""
        if self.pending:
            waiting = f"{self.pending} change{'s' if self.pending != 1 else ''} waiting"
            return f"{waiting}: {_reason(self.last_error)}" if self.last_error else f"{waiting} to be sent"
        if self.last_error:
            return f"not in step: {_reason(self.last_error)}"
        if self.last_sync is None:
            return "not sent yet"
        return f"up to date · {_ago(now, self.last_sync)}"


def _reason(error: str) -> str:
    return error.split(";")[0]


def _ago(now: datetime, then: datetime) -> str:
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return f"{hours // 24} days ago"


def state(ctx: AppContext, patient_id: int) -> PublicationState | None:
    """The publication's state from local tables only (no network, no password); None when not published."""
    with ctx.reads() as reads:
        require_patient(reads, patient_id)
        pub = reads.publication(patient_id)
    if pub is None:
        return None
    return PublicationState(patient_id, pub.url, pub.user, pub.last_sync, pub.last_attempt, pub.pending,
                            pub.last_error)


def published_patients(ctx: AppContext) -> list[int]:
    from ..storage import calendar_store as store

    with ctx.db.reading() as s:
        return [p.patient_id for p in store.publications(s)]


def sync_in_background(ctx: AppContext, patient_id: int) -> PublicationState | None:
    """The app's sync after every change and every few minutes, on a worker thread (it waits on the network).

    Never prompts and never raises for what a user should read: the password comes from the environment or
    the keyring (where publishing put it); a missing password, a refusal or a server out of reach becomes
    the publication's last error, shown by `state(...).summary(now)`. Returns the state afterwards (None when
    the patient is not published, or for a caregiver, whose window shows the state and does not sync).
    """
    published = state(ctx, patient_id)
    if ctx.readonly or published is None:
        return published
    # Only now, in the worker, for a published patient: the calendar's writers and the keyring.
    from .caldav_credentials import password_for
    from .calendar_publishing import note_attempt, sync

    try:
        password, _source = password_for(published.url, published.user)
    except UserError as exc:
        note_attempt(ctx, patient_id, str(exc))
        return state(ctx, patient_id)
    try:
        sync(ctx, patient_id, password)
    except UserError:
        pass  # recorded as the publication's last error by sync()
    return state(ctx, patient_id)
