"""the caregiver's calendar: publications, the objects a CalDAV server holds of ours, and the outbox

Revision ID: 0004
Revises: 0003

New tables only; nothing existing changes. Each holds a patient's data, so each has `patient_id`.
- calendar_publication: where a patient's schedule is published (URL, user; never a password).
- calendar_object: the objects the server confirmed (UID → href, ETag, hash of what was sent).
- calendar_outbox: changes not yet confirmed, written in the same transaction as the change that caused them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_publication",
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("token", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sync", sa.DateTime(timezone=True)),
        sa.Column("last_attempt", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
    )
    op.create_table(
        "calendar_object",
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), primary_key=True),
        sa.Column("uid", sa.String(200), primary_key=True),
        sa.Column("href", sa.Text, nullable=False),
        sa.Column("etag", sa.String(200)),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "calendar_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("uid", sa.String(200), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("hash", sa.String(64)),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("patient_id", "uid"),
    )


def downgrade() -> None:
    op.drop_table("calendar_outbox")
    op.drop_table("calendar_object")
    op.drop_table("calendar_publication")
