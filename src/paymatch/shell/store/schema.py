"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Amounts are decimal strings: SQLite has no exact decimal type and would pass
them through float. Each movement, open item and allocation is kept as its
JSON shape (:mod:`paymatch.wire`, the same the CLI prints) beside the columns
that queries filter on, so loading one back goes through the model's checks.
Times are stored in UTC. The schema's history is in ``migrations/``; change
both together (a test compares them).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

__all__ = [
    "UtcDateTime",
    "accounts",
    "allocations",
    "export_batches",
    "export_files",
    "exported_bookings",
    "imports",
    "job_runs",
    "job_schedules",
    "log_book",
    "metadata",
    "movements",
    "open_items",
    "paid_items",
    "statements",
]


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """An aware datetime, stored as naive UTC (SQLite keeps no zone) and read back aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"the store keeps aware datetimes only, got {value!r}")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


metadata = sa.MetaData()

#: Bank and provider accounts seen in imported statements.
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("iban", sa.String(34)),
    sa.Column("currency", sa.String(3)),
    sa.Column("first_seen", UtcDateTime(), nullable=False),
)

#: One row per imported file: where it came from, its hash and what it added.
imports = sa.Table(
    "imports",
    metadata,
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

#: Statement headers (balances, period); their movements are rows of ``movements``.
statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("account_key", sa.String(80), sa.ForeignKey("accounts.key"), nullable=False),
    sa.Column("statement_id", sa.String(200)),
    sa.Column("format", sa.String(40)),
    sa.Column("movement_count", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

#: Movements by their stable id; ``document`` is the MOVEMENT shape, hidden flag and comment in it.
movements = sa.Table(
    "movements",
    metadata,
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

#: Open orders and invoices from the ERP; ``listed``: in the ERP's latest open-items file.
open_items = sa.Table(
    "open_items",
    metadata,
    sa.Column("number", sa.String(100), primary_key=True),
    sa.Column("amount", sa.String(40), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("listed", sa.Boolean, nullable=False),
    sa.Column("sequence", sa.Integer, nullable=False, unique=True),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

#: Allocations with their origin and evidence (the ALLOCATION shape in ``document``).
allocations = sa.Table(
    "allocations",
    metadata,
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

#: The log book of failed imports and assignments (LogEntry as JSON).
log_book = sa.Table(
    "log_book",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("level", sa.String(10), nullable=False),
    sa.Column("job_run", sa.Integer, sa.ForeignKey("job_runs.id")),
    sa.Column("document", sa.Text, nullable=False),
)

#: Every run of a job: when, how it ended, what it counted.
job_runs = sa.Table(
    "job_runs",
    metadata,
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

#: Each scheduled job's next run, kept so that a worker started by cron (``--once``) or
#: after a restart knows what is due; ``schedule`` is the schedule it was planned with.
job_schedules = sa.Table(
    "job_schedules",
    metadata,
    sa.Column("job", sa.String(100), primary_key=True),
    sa.Column("schedule", sa.Text, nullable=False),
    sa.Column("next_due", UtcDateTime(), nullable=False),
)

#: Export batches: ``prepared`` when its bookings are taken, ``delivered`` once at the target.
export_batches = sa.Table(
    "export_batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job", sa.String(100), nullable=False),
    sa.Column("target", sa.String(100), nullable=False),
    sa.Column("format", sa.String(20), nullable=False),
    sa.Column("generated_at", UtcDateTime(), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("delivered_at", UtcDateTime()),
    sa.Column("job_run", sa.Integer, sa.ForeignKey("job_runs.id")),
)

#: The files of a batch, kept until delivered so a retry sends the very same bytes.
export_files = sa.Table(
    "export_files",
    metadata,
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("export_batches.id"), primary_key=True),
    sa.Column("name", sa.String(300), primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

#: Every booking id ever exported, with its batch: the exactly-once record.
exported_bookings = sa.Table(
    "exported_bookings",
    metadata,
    sa.Column("booking_id", sa.String(100), primary_key=True),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("export_batches.id"), nullable=False),
)

#: Open items that became fully paid, until the registered listeners were told.
paid_items = sa.Table(
    "paid_items",
    metadata,
    sa.Column("number", sa.String(100), primary_key=True),
    sa.Column("paid_at", UtcDateTime(), nullable=False),
    sa.Column("notified_at", UtcDateTime()),
    sa.Column("document", sa.Text, nullable=False),
)
