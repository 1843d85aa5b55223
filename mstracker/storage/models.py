"""The schema: patients, their journeys, the append-only event log, reminders and the projection. Alembic owns it: change it only with a migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .stored_events import EVENT_COLUMN_NAMES


class Base(DeclarativeBase):
    pass


class PatientRow(Base):
    __tablename__ = "patient"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    born: Mapped[date | None] = mapped_column(Date)
    diagnosed: Mapped[date | None] = mapped_column(Date)
    ms_type: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JourneyRow(Base):
    """One per patient and treatment; keeps a copy of the protocol it started with."""

    __tablename__ = "journey"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    protocol_name: Mapped[str] = mapped_column(String(100))
    protocol_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    """Append-only: never updated in place. Corrections are new rows that supersede old ones."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    entry_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("event.id"))

    __table_args__ = (
        Index("ix_event_patient_kind", "patient_id", "kind", "id"),
        Index("ix_event_patient_occurred", "patient_id", "occurred_at"),
        Index("ix_event_entry", "entry_id"),
        Index("ix_event_patient_kind_occurred", "patient_id", "kind", "occurred_at"),  # migration 0002
    )


# The event's columns in table order, as `stored_events.from_row` takes them: plain values, no ORM object per
# row (a ten-year log has tens of thousands).
EVENT_COLUMNS = tuple(getattr(EventRow, name) for name in EVENT_COLUMN_NAMES)


class ReminderRow(Base):
    __tablename__ = "reminder"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    journey_id: Mapped[int] = mapped_column(ForeignKey("journey.id"))
    item_id: Mapped[str] = mapped_column(String(64))
    occurrence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    due: Mapped[str] = mapped_column(String(16))  # local wall-clock time, YYYY-MM-DDTHH:MM
    status: Mapped[str] = mapped_column(String(10), default="pending")
    snoozed_until: Mapped[str | None] = mapped_column(String(16))
    done_at: Mapped[str | None] = mapped_column(String(16))
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    uid: Mapped[str] = mapped_column(String(120), unique=True)

    __table_args__ = (
        UniqueConstraint("journey_id", "item_id", "occurrence"),
        Index("ix_reminder_patient_due", "patient_id", "due"),
        Index("ix_reminder_status_patient", "status", "patient_id", "due", "snoozed_until"),  # migration 0002
    )


class PatientStateRow(Base):
    """The projection of each patient's events, updated in the same transaction as every write."""

    __tablename__ = "patient_state"
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), primary_key=True)
    phase: Mapped[str | None] = mapped_column(String(20))
    phase_since: Mapped[date | None] = mapped_column(Date)
    day_zero: Mapped[date | None] = mapped_column(Date)
    day_zero_planned: Mapped[bool] = mapped_column(Boolean, default=False)
    admitted: Mapped[date | None] = mapped_column(Date)
    discharged: Mapped[date | None] = mapped_column(Date)
    next_due: Mapped[str | None] = mapped_column(String(16))
    last_event_id: Mapped[int | None] = mapped_column(Integer)


class MedicineCourseRow(Base):
    """A medicine course (migration 0003): the patient's own, added by an event, or a protocol's, derived
    from the journey's protocol and anchors like the reminders. Its doses are never stored one row each:
    they are derived from the rhythm, and each recorded dose is an event in the log."""

    __tablename__ = "medicine_course"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    journey_id: Mapped[int | None] = mapped_column(ForeignKey("journey.id"))
    key: Mapped[str | None] = mapped_column(String(64))  # the protocol's id for it; None for the patient's own
    source: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    dose: Mapped[str] = mapped_column(String(500))
    route: Mapped[str] = mapped_column(String(10))
    times: Mapped[str] = mapped_column(String(100))  # "08:00,20:00"
    every_days: Mapped[int | None] = mapped_column(Integer)
    weekdays: Mapped[str | None] = mapped_column(String(30))  # "mon,wed,fri"
    first_day: Mapped[date | None] = mapped_column(Date)  # None: an anchor is still unknown
    last_day: Mapped[date | None] = mapped_column(Date)  # None: open-ended
    stopped_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # the journey ended (withdrawn, completed)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)  # a dose is recorded: the first day stays
    purpose: Mapped[str] = mapped_column(String(500), default="")
    uid: Mapped[str] = mapped_column(String(120), unique=True)

    __table_args__ = (
        UniqueConstraint("journey_id", "key"),
        Index("ix_medicine_course_patient", "patient_id", "id"),
    )


class CalendarPublicationRow(Base):
    """A patient's schedule published to a CalDAV calendar (migration 0004). No password: never stored."""

    __tablename__ = "calendar_publication"
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(40))  # marks the objects this publication wrote
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_sync: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_attempt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class CalendarObjectRow(Base):
    """What the server holds of ours: one row per calendar object it confirmed."""

    __tablename__ = "calendar_object"
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), primary_key=True)
    uid: Mapped[str] = mapped_column(String(200), primary_key=True)
    href: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(200))
    hash: Mapped[str] = mapped_column(String(64))


class CalendarOutboxRow(Base):
    """A change not yet confirmed by the server: at most one per object (the latest wins)."""

    __tablename__ = "calendar_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    uid: Mapped[str] = mapped_column(String(200))
    op: Mapped[str] = mapped_column(String(8))  # put | delete
    hash: Mapped[str | None] = mapped_column(String(64))  # of the content to put
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("patient_id", "uid"),)
