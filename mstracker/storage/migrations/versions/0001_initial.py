"""initial schema: patient, journey, event, reminder, patient_state

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("born", sa.Date),
        sa.Column("diagnosed", sa.Date),
        sa.Column("ms_type", sa.String(8)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "journey",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False, index=True),
        sa.Column("protocol_name", sa.String(100), nullable=False),
        sa.Column("protocol_text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("entry_id", sa.Integer),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("supersedes", sa.Integer, sa.ForeignKey("event.id")),
    )
    op.create_index("ix_event_patient_kind", "event", ["patient_id", "kind", "id"])
    op.create_index("ix_event_patient_occurred", "event", ["patient_id", "occurred_at"])
    op.create_index("ix_event_entry", "event", ["entry_id"])
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("journey_id", sa.Integer, sa.ForeignKey("journey.id"), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("occurrence", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("due", sa.String(16), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("snoozed_until", sa.String(16)),
        sa.Column("done_at", sa.String(16)),
        sa.Column("edited", sa.Boolean, nullable=False),
        sa.Column("uid", sa.String(120), nullable=False, unique=True),
        sa.UniqueConstraint("journey_id", "item_id", "occurrence"),
    )
    op.create_index("ix_reminder_patient_due", "reminder", ["patient_id", "due"])
    op.create_table(
        "patient_state",
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), primary_key=True),
        sa.Column("phase", sa.String(20)),
        sa.Column("phase_since", sa.Date),
        sa.Column("day_zero", sa.Date),
        sa.Column("day_zero_planned", sa.Boolean, nullable=False),
        sa.Column("admitted", sa.Date),
        sa.Column("discharged", sa.Date),
        sa.Column("next_due", sa.String(16)),
        sa.Column("last_event_id", sa.Integer),
    )


def downgrade() -> None:
    for table in ("patient_state", "reminder", "event", "journey", "patient"):
        op.drop_table(table)
