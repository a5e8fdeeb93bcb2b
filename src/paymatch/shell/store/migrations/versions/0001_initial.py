"""The first schema: accounts, imports, statements, movements, open items, allocations,
log book, job runs, export batches with their files and booking ids, paid items.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from paymatch.shell.store.schema import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job", sa.String(100), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("scheduled_for", UtcDateTime()),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("iban", sa.String(34)),
        sa.Column("currency", sa.String(3)),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("statements", sa.Integer, nullable=False),
        sa.Column("movements_new", sa.Integer, nullable=False),
        sa.Column("movements_updated", sa.Integer, nullable=False),
        sa.Column("job_run", sa.Integer, sa.ForeignKey("job_runs.id")),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("account_key", sa.String(80), sa.ForeignKey("accounts.key"), nullable=False),
        sa.Column("statement_id", sa.String(200)),
        sa.Column("format", sa.String(40)),
        sa.Column("movement_count", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "movements",
        sa.Column("movement_id", sa.String(300), primary_key=True),
        sa.Column("account_key", sa.String(80), sa.ForeignKey("accounts.key"), nullable=False),
        sa.Column("booking_date", sa.Date, nullable=False, index=True),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("booking_type", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("hidden", sa.Boolean, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False, unique=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "open_items",
        sa.Column("number", sa.String(100), primary_key=True),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("listed", sa.Boolean, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False, unique=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "allocations",
        sa.Column("allocation_id", sa.String(200), primary_key=True),
        sa.Column(
            "movement_id", sa.String(300), sa.ForeignKey("movements.movement_id"), nullable=False
        ),
        sa.Column("target", sa.String(200), nullable=False, index=True),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("made_at", UtcDateTime(), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False, unique=True),
        sa.Column("job_run", sa.Integer, sa.ForeignKey("job_runs.id")),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "log_book",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("job_run", sa.Integer, sa.ForeignKey("job_runs.id")),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "export_batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job", sa.String(100), nullable=False),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("generated_at", UtcDateTime(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("delivered_at", UtcDateTime()),
        sa.Column("job_run", sa.Integer, sa.ForeignKey("job_runs.id")),
    )
    op.create_table(
        "export_files",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("export_batches.id"), primary_key=True),
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "exported_bookings",
        sa.Column("booking_id", sa.String(100), primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("export_batches.id"), nullable=False),
    )
    op.create_table(
        "paid_items",
        sa.Column("number", sa.String(100), primary_key=True),
        sa.Column("paid_at", UtcDateTime(), nullable=False),
        sa.Column("notified_at", UtcDateTime()),
        sa.Column("document", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop every table (the store is empty afterwards)."""
    for table in (
        "paid_items",
        "exported_bookings",
        "export_files",
        "export_batches",
        "log_book",
        "allocations",
        "open_items",
        "movements",
        "statements",
        "imports",
        "accounts",
        "job_runs",
    ):
        op.drop_table(table)
