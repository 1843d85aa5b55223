"""The reads behind "where does this patient stand" and "who is in this file", within an open session.

`sqlite_reads.SqliteReads` answers the same questions on Python's sqlite3 alone (for a plain file at this
version's schema); the services that compute a status or the patients' list take either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from . import calendar_store, dashboard_queries, event_reads, medicine_rows
from . import repository as repo
from .sqlite_reads import PublicationRecord
from .stored_events import EntryRows, StoredEvent


class SessionReads:
    def __init__(self, session: Session) -> None:
        self.session = session

    def patient(self, patient_id: int):
        return repo.get_patient(self.session, patient_id)

    def latest_journey(self, patient_id: int):
        return repo.get_journey(self.session, patient_id)

    def events(self, patient_id: int, kinds: Sequence[str]) -> list[StoredEvent]:
        return repo.events(self.session, patient_id, kinds)

    def entry_rows(self, patient_id: int, kinds: Sequence[str], windowed: Sequence[str] = (),
                   since: datetime | None = None) -> EntryRows:
        return event_reads.entry_rows(self.session, patient_id, kinds, windowed, since)

    def reminders(self, patient_id: int, from_due: str | None = None, to_due: str | None = None):
        return repo.reminders(self.session, patient_id, from_due=from_due, to_due=to_due)

    def courses(self, patient_id: int):
        return medicine_rows.courses(self.session, patient_id)

    def dose_events(self, patient_id: int, since: datetime | None) -> list[StoredEvent]:
        return medicine_rows.dose_events(self.session, [patient_id], since)

    def newest_entry_rows(self, patient_id: int, kinds: Sequence[str], limit: int,
                          before: tuple[datetime, int] | None = None) -> EntryRows:
        return event_reads.newest_entry_rows(self.session, patient_id, kinds, limit, before)

    def entry_count(self, patient_id: int, kinds: Sequence[str]) -> int:
        return event_reads.entry_count(self.session, patient_id, kinds)

    def publication(self, patient_id: int) -> PublicationRecord | None:
        pub = calendar_store.get_publication(self.session, patient_id)
        if pub is None:
            return None
        return PublicationRecord(pub.url, pub.user, pub.last_sync, pub.last_attempt, pub.last_error,
                                 calendar_store.pending_count(self.session, patient_id))

    def patient_summaries(self, overdue_before: str, today: str) -> list[tuple]:
        return repo.patient_summaries(self.session, overdue_before, today)

    # the dashboard's reads
    def recent_entry_events(self, since: Mapping[str, datetime], until: datetime | None = None) -> list[StoredEvent]:
        return dashboard_queries.recent_entry_events(self.session, since, until)

    def open_reminders_until(self, end: str) -> list[tuple[int, str, str]]:
        return dashboard_queries.open_reminders_until(self.session, end)

    def every_course(self):
        return medicine_rows.courses_of(self.session)

    def every_dose_event(self, since: datetime | None) -> list[StoredEvent]:
        # By the patients with a course (doses have one): the event indexes lead with the patient.
        patient_ids = medicine_rows.patients_with_courses(self.session)
        return medicine_rows.dose_events(self.session, patient_ids, since) if patient_ids else []
