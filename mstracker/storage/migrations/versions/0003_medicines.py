"""medicines taken at home: the medicine_course table

Revision ID: 0003
Revises: 0002

One row per course, the patient's own or a protocol's. Doses are derived from each course's rhythm and
never stored one row per future dose; a recorded dose is an event in the log (kind `med_dose`).
A new table only: nothing else is copied or changed.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "medicine_course",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("journey_id", sa.Integer, sa.ForeignKey("journey.id")),
        sa.Column("key", sa.String(64)),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("dose", sa.String(500), nullable=False),
        sa.Column("route", sa.String(10), nullable=False),
        sa.Column("times", sa.String(100), nullable=False),
        sa.Column("every_days", sa.Integer),
        sa.Column("weekdays", sa.String(30)),
        sa.Column("first_day", sa.Date),
        sa.Column("last_day", sa.Date),
        sa.Column("stopped_on", sa.Date),
        sa.Column("ended_on", sa.Date),
        sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("purpose", sa.String(500), nullable=False, server_default=""),
        sa.Column("uid", sa.String(120), nullable=False, unique=True),
        sa.UniqueConstraint("journey_id", "key"),
    )
    op.create_index("ix_medicine_course_patient", "medicine_course", ["patient_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_medicine_course_patient", table_name="medicine_course")
    op.drop_table("medicine_course")
