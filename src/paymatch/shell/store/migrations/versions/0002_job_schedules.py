"""Each scheduled job's next run, so a worker started by cron knows what is due.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from paymatch.shell.store.schema import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the table of planned runs (empty: the worker plans each job when it starts)."""
    op.create_table(
        "job_schedules",
        sa.Column("job", sa.String(100), primary_key=True),
        sa.Column("schedule", sa.Text, nullable=False),
        sa.Column("next_due", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    """Drop the table of planned runs."""
    op.drop_table("job_schedules")
