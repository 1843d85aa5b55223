"""indexes for reads at scale: one kind of a patient's log by time, and pending reminders per patient

Revision ID: 0002
Revises: 0001

- ix_event_patient_kind_occurred: the history filtered to one kind (only MRIs, only labs) and a window of
  one kind (the last weeks of temperatures for the alerts) read the newest rows directly, instead of
  walking a ten-year log.
- ix_reminder_status_patient: the coordinators' list counts overdue and finds the next reminder of each
  patient from the index alone (status first: most reminders are done).
Indexes only: no table is copied, nothing else changes.
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_patient_kind_occurred", "event", ["patient_id", "kind", "occurred_at"])
    op.create_index("ix_reminder_status_patient", "reminder", ["status", "patient_id", "due", "snoozed_until"])


def downgrade() -> None:
    op.drop_index("ix_reminder_status_patient", table_name="reminder")
    op.drop_index("ix_event_patient_kind_occurred", table_name="event")
