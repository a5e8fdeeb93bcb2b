"""The store: the ledger, imports, job runs and export batches in SQLite or PostgreSQL.

Every change is one transaction, so a process killed at any moment leaves the store
as it was before or after the change, never between:

- :meth:`Store.import_statements` adds the new movements of a file (the ledger's
  rules decide what is new: the same or an overlapping statement adds nothing, a
  pending booking that completed is updated) together with the import's record;
- :meth:`Store.save` writes what a job did to a loaded ledger (new and removed
  allocations, hidden flags, comments, log-book entries) and records the open
  items that became fully paid;
- :meth:`Store.prepare_batch` takes an export's booking ids and keeps its files in
  the same transaction, :meth:`Store.mark_delivered` notes the delivery. A batch
  prepared but not delivered (the process died during the upload) is delivered
  again with the same bytes, so no booking is exported twice or skipped.

The schema is migrated with Alembic (:meth:`Store.migrate`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from paymatch.accounting.batch import ExportBatch
from paymatch.errors import StoreError
from paymatch.ledger import Ledger
from paymatch.ledger.log_book import LogEntry
from paymatch.model import Allocation, Movement, OpenItem, Statement
from paymatch.shell.store import schema
from paymatch.wire import (
    allocation_to_json,
    converter,
    ledger_from_document,
    movement_from_json,
    movement_to_json,
    open_item_from_json,
    open_item_to_json,
    statement_to_json,
)

__all__ = [
    "ImportCounts",
    "ItemCounts",
    "JobRun",
    "LoadedLedger",
    "PreparedBatch",
    "SaveCounts",
    "Store",
    "batch_file_name",
]

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: How many ids one ``IN (...)`` query asks for (SQLite allows 32,766 parameters).
_CHUNK = 900


def _dumps(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


@attrs.frozen
class ImportCounts:
    """What one import added: statements, new movements, updated ones, and known ones skipped."""

    statements: int
    new: int
    updated: int
    known: int


@attrs.frozen
class ItemCounts:
    """What :meth:`Store.save_open_items` did: added, updated, and the changes not taken."""

    added: int
    updated: int
    kept: tuple[str, ...]


@attrs.frozen
class SaveCounts:
    """What :meth:`Store.save` wrote."""

    allocations_added: int
    allocations_removed: int
    movements_changed: int
    items_paid: tuple[str, ...]


@attrs.define
class LoadedLedger:
    """A ledger read from the store and what it was when read, so saving writes only changes.

    ``notes`` holds each movement's hidden flag and comment as read: the only parts of
    a stored movement that work on the ledger changes (imports change the rest).
    """

    ledger: Ledger
    notes: dict[str, tuple[bool, str | None]]
    allocation_ids: frozenset[str]
    log_entries: int


@attrs.frozen
class PreparedBatch:
    """An export batch whose bookings are taken: its files wait for (or went to) the target."""

    batch_id: int
    job: str
    target: str
    files: tuple[tuple[str, bytes], ...]


@attrs.frozen
class JobRun:
    """One run of a job as the history shows it."""

    run_id: int
    job: str
    kind: str
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    scheduled_for: dt.datetime | None
    counts: Mapping[str, int]
    error: str | None
    host: str
    pid: int

    @property
    def duration(self) -> dt.timedelta | None:
        """How long the run took; None while it runs."""
        return None if self.finished_at is None else self.finished_at - self.started_at

    def to_json(self) -> dict[str, object]:
        """The run as ``paymatch jobs history --output json`` prints it."""
        duration = self.duration
        return {
            "run": self.run_id,
            "job": self.job,
            "kind": self.kind,
            "status": self.status,
            "scheduled_for": None if self.scheduled_for is None else self.scheduled_for.isoformat(),
            "started_at": self.started_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
            "duration_seconds": None if duration is None else round(duration.total_seconds(), 3),
            "counts": dict(self.counts),
            "error": self.error,
            "host": self.host,
            "pid": self.pid,
        }


class Store:
    """The store behind one SQLAlchemy engine; see the module docstring."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @classmethod
    def connect(cls, url: str | sa.URL) -> Store:
        """A store at ``url`` (``sqlite:///file`` or ``postgresql+psycopg://...``), not migrated."""
        try:
            engine = sa.create_engine(url)
        except (sa.exc.ArgumentError, ImportError) as error:
            raise StoreError(f"store: cannot use the URL: {error}") from None
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        return cls(engine)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def revision(self) -> str | None:
        """The schema revision the store is at; None for an empty database."""
        try:
            with self.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        except sa.exc.OperationalError as error:
            raise StoreError(f"store: cannot connect: {error.orig}") from None

    @staticmethod
    def head() -> str:
        """The newest schema revision this version of paymatch knows."""
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        assert head is not None
        return head

    def migrate(self) -> str:
        """Bring the schema to the newest revision (one transaction); return it."""
        config = _alembic_config()
        current = self.revision()
        known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(
                f"store: schema revision {current!r} is newer than this paymatch knows "
                f"({self.head()}); update paymatch"
            )
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return self.head()

    def check_revision(self) -> None:
        """StoreError unless the schema is at the newest revision."""
        current = self.revision()
        if current != self.head():
            raise StoreError(
                f"store: schema is at revision {current or 'none'}, paymatch needs "
                f"{self.head()}: run `paymatch store migrate`"
            )

    # -- imports --------------------------------------------------------------------------

    def import_statements(
        self,
        statements: Sequence[Statement],
        *,
        source: str,
        file_name: str,
        sha256: str,
        at: dt.datetime,
        job_run: int | None = None,
    ) -> ImportCounts:
        """Add the statements' new movements and the import's record, in one transaction.

        Only the stored movements with the ids the statements offer are read: the
        ledger's rules (known, completed, re-classified, conflicting) need no more,
        so an import costs the size of the file, not of the store.
        """
        offered = [movement for statement in statements for movement in statement.movements]
        with self.engine.begin() as connection:
            ledger = Ledger(self._movements(connection, {m.movement_id for m in offered}))
            known_ids = {movement.movement_id for movement in ledger.movements}
            changed = ledger.add_movements(offered)
            import_id = _new_id(
                connection.execute(
                    sa.insert(schema.imports).values(
                        source=source,
                        file_name=file_name,
                        sha256=sha256,
                        imported_at=at,
                        statements=len(statements),
                        movements_new=sum(m.movement_id not in known_ids for m in changed),
                        movements_updated=sum(m.movement_id in known_ids for m in changed),
                        job_run=job_run,
                    )
                )
            )
            self._add_accounts(connection, statements, at)
            for statement in statements:
                header = statement_to_json(statement)
                header.pop("movements", None)
                connection.execute(
                    sa.insert(schema.statements).values(
                        import_id=import_id,
                        account_key=statement.account.key,
                        statement_id=statement.statement_id,
                        format=statement.format,
                        movement_count=len(statement.movements),
                        document=_dumps(header),
                    )
                )
            sequence = _next_sequence(connection, schema.movements)
            new = updated = 0
            for movement in changed:
                values = _movement_row(movement)
                if movement.movement_id in known_ids:
                    updated += 1
                    connection.execute(
                        sa.update(schema.movements)
                        .where(schema.movements.c.movement_id == movement.movement_id)
                        .values(**values)
                    )
                else:
                    new += 1
                    connection.execute(
                        sa.insert(schema.movements).values(
                            movement_id=movement.movement_id,
                            sequence=sequence,
                            import_id=import_id,
                            **values,
                        )
                    )
                    sequence += 1
        return ImportCounts(len(statements), new, updated, len(offered) - new - updated)

    # -- open items -----------------------------------------------------------------------

    def save_open_items(self, items: Iterable[OpenItem], *, at: dt.datetime) -> ItemCounts:
        """Take the ERP's current open items: new ones added, changed ones updated.

        An item the ERP no longer lists stays (its allocations need it) but is no
        longer offered to the matcher. An item with allocations keeps its stored
        content when the ERP changes it: its payments were booked against that
        (``kept`` names those, for the log).
        """
        items = tuple(items)
        added = updated = 0
        kept: list[str] = []
        with self.engine.begin() as connection:
            stored = {
                row.number: row.document
                for row in connection.execute(
                    sa.select(schema.open_items.c.number, schema.open_items.c.document)
                )
            }
            allocated = {
                row.target
                for row in connection.execute(sa.select(schema.allocations.c.target).distinct())
            }
            connection.execute(sa.update(schema.open_items).values(listed=False))
            sequence = _next_sequence(connection, schema.open_items)
            for item in items:
                document = _dumps(open_item_to_json(item))
                values = {
                    "amount": str(item.amount.amount),
                    "currency": str(item.amount.currency),
                    "listed": True,
                    "updated_at": at,
                }
                table = schema.open_items
                if item.number not in stored:
                    connection.execute(
                        sa.insert(table).values(
                            number=item.number, sequence=sequence, document=document, **values
                        )
                    )
                    sequence += 1
                    added += 1
                    continue
                changed = stored[item.number] != document
                if changed and _item_key(item.number) not in allocated:
                    values["document"] = document
                    updated += 1
                else:
                    if changed:
                        kept.append(item.number)
                    values = {"listed": True}
                connection.execute(
                    sa.update(table).where(table.c.number == item.number).values(**values)
                )
        return ItemCounts(added, updated, tuple(kept))

    def listed_items(self) -> frozenset[str]:
        """The numbers of the items in the ERP's latest open-items file."""
        with self.engine.connect() as connection:
            query = sa.select(schema.open_items.c.number).where(schema.open_items.c.listed)
            return frozenset(row.number for row in connection.execute(query))

    # -- the ledger -----------------------------------------------------------------------

    def load(self) -> LoadedLedger:
        """The ledger as stored: movements, open items and allocations, made again in order."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(schema.movements.c.document).order_by(schema.movements.c.sequence)
            ).all()
            documents = [row.document for row in rows]
            items = connection.execute(
                sa.select(schema.open_items.c.document).order_by(schema.open_items.c.sequence)
            ).all()
            allocations = connection.execute(
                sa.select(schema.allocations.c.document).order_by(schema.allocations.c.sequence)
            ).all()
        ledger = ledger_from_document(
            {
                "movements": [json.loads(text) for text in documents],
                "open_items": [json.loads(row.document) for row in items],
                "allocations": [json.loads(row.document) for row in allocations],
            }
        )
        return LoadedLedger(
            ledger=ledger,
            notes={m.movement_id: (m.hidden, m.internal_comment) for m in ledger.movements},
            allocation_ids=frozenset(a.allocation_id for a in ledger.allocations),
            log_entries=len(ledger.log_book),
        )

    def save(
        self, loaded: LoadedLedger, *, at: dt.datetime, job_run: int | None = None
    ) -> SaveCounts:
        """Write what was done to ``loaded.ledger`` since :meth:`load`, in one transaction.

        That is: allocations added and removed, hidden flags, comments and log-book
        entries. Movements are added by :meth:`import_statements` only; one added to
        the loaded ledger is refused with StoreError.
        """
        ledger = loaded.ledger
        current = {a.allocation_id: a for a in ledger.allocations}
        added = [a for a in ledger.allocations if a.allocation_id not in loaded.allocation_ids]
        removed = loaded.allocation_ids - current.keys()
        changed = []
        for movement in ledger.movements:
            notes = loaded.notes.get(movement.movement_id)
            if notes is None:
                raise StoreError(
                    f"store: movement {movement.movement_id!r} was not loaded from the store; "
                    "movements come in by import_statements"
                )
            if notes != (movement.hidden, movement.internal_comment):
                changed.append((movement, _dumps(movement_to_json(movement))))
        touched = {a.target.item for a in added if a.target.item is not None}
        paid = tuple(sorted(n for n in touched if ledger.open_amount(n).amount == 0))
        with self.engine.begin() as connection:
            if removed:
                connection.execute(
                    sa.delete(schema.allocations).where(
                        schema.allocations.c.allocation_id.in_(sorted(removed))
                    )
                )
            sequence = _next_sequence(connection, schema.allocations)
            for allocation in added:
                connection.execute(
                    sa.insert(schema.allocations).values(
                        sequence=sequence, job_run=job_run, **_allocation_row(allocation)
                    )
                )
                sequence += 1
            for movement, document in changed:
                connection.execute(
                    sa.update(schema.movements)
                    .where(schema.movements.c.movement_id == movement.movement_id)
                    .values(hidden=movement.hidden, document=document)
                )
            for entry in ledger.log_book[loaded.log_entries :]:
                self._log(connection, entry, job_run)
            for number in paid:
                exists = connection.execute(
                    sa.select(schema.paid_items.c.number).where(
                        schema.paid_items.c.number == number
                    )
                ).first()
                if exists is None:
                    connection.execute(
                        sa.insert(schema.paid_items).values(
                            number=number,
                            paid_at=at,
                            document=_dumps(open_item_to_json(ledger.item(number))),
                        )
                    )
        return SaveCounts(len(added), len(removed), len(changed), paid)

    def log(self, entry: LogEntry, *, job_run: int | None = None) -> None:
        """Add one entry to the log book."""
        with self.engine.begin() as connection:
            self._log(connection, entry, job_run)

    def log_book(self) -> tuple[LogEntry, ...]:
        """Every log-book entry, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(schema.log_book.c.document).order_by(schema.log_book.c.id)
            ).all()
        return tuple(converter.structure(json.loads(row.document), LogEntry) for row in rows)

    # -- export batches -------------------------------------------------------------------

    def exported_booking_ids(self) -> frozenset[str]:
        """Every booking id in a prepared or delivered batch."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(schema.exported_bookings.c.booking_id))
            return frozenset(row.booking_id for row in rows)

    def prepare_batch(
        self,
        batch: ExportBatch,
        *,
        job: str,
        target: str,
        format: str,
        at: dt.datetime,
        job_run: int | None = None,
    ) -> PreparedBatch:
        """Take the batch's booking ids and keep its files until delivered (one transaction).

        A booking id already taken is refused with StoreError: the caller exported
        without the store's list of exported ids.
        """
        with self.engine.begin() as connection:
            batch_id = _new_id(
                connection.execute(
                    sa.insert(schema.export_batches).values(
                        job=job,
                        target=target,
                        format=format,
                        generated_at=at,
                        state="prepared",
                        job_run=job_run,
                    )
                )
            )
            files = tuple((batch_file_name(f.name, batch_id), f.data) for f in batch.files)
            for name, data in files:
                connection.execute(
                    sa.insert(schema.export_files).values(batch_id=batch_id, name=name, data=data)
                )
            try:
                if batch.booking_ids:
                    connection.execute(
                        sa.insert(schema.exported_bookings),
                        [{"booking_id": b, "batch_id": batch_id} for b in batch.booking_ids],
                    )
            except sa.exc.IntegrityError:
                raise StoreError(
                    f"store: export batch of job {job!r} repeats bookings already exported"
                ) from None
        return PreparedBatch(batch_id, job, target, files)

    def undelivered_batches(self, target: str) -> tuple[PreparedBatch, ...]:
        """Batches for ``target`` prepared but not delivered, oldest first."""
        with self.engine.connect() as connection:
            batches = connection.execute(
                sa.select(schema.export_batches.c.id, schema.export_batches.c.job)
                .where(
                    schema.export_batches.c.target == target,
                    schema.export_batches.c.state == "prepared",
                )
                .order_by(schema.export_batches.c.id)
            ).all()
            found = []
            for batch in batches:
                files = connection.execute(
                    sa.select(schema.export_files.c.name, schema.export_files.c.data)
                    .where(schema.export_files.c.batch_id == batch.id)
                    .order_by(schema.export_files.c.name)
                ).all()
                found.append(
                    PreparedBatch(
                        batch.id, batch.job, target, tuple((f.name, f.data) for f in files)
                    )
                )
        return tuple(found)

    def mark_delivered(self, batch_id: int, *, at: dt.datetime) -> None:
        """Note that the batch's files are at the target."""
        with self.engine.begin() as connection:
            connection.execute(
                sa.update(schema.export_batches)
                .where(schema.export_batches.c.id == batch_id)
                .values(state="delivered", delivered_at=at)
            )

    # -- job runs -------------------------------------------------------------------------

    def start_run(
        self,
        job: str,
        kind: str,
        *,
        at: dt.datetime,
        scheduled_for: dt.datetime | None,
        host: str,
        pid: int,
    ) -> int:
        """Record a run as running; return its id."""
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.insert(schema.job_runs).values(
                    job=job,
                    kind=kind,
                    scheduled_for=scheduled_for,
                    started_at=at,
                    status="running",
                    counts="{}",
                    host=host,
                    pid=pid,
                )
            )
            return _new_id(result)

    def finish_run(
        self,
        run_id: int,
        *,
        status: str,
        at: dt.datetime,
        counts: Mapping[str, int],
        error: str | None = None,
    ) -> None:
        """Record how a run ended."""
        with self.engine.begin() as connection:
            connection.execute(
                sa.update(schema.job_runs)
                .where(schema.job_runs.c.id == run_id)
                .values(status=status, finished_at=at, counts=_dumps(dict(counts)), error=error)
            )

    def planned_runs(self) -> dict[str, tuple[str, dt.datetime]]:
        """Each scheduled job's planned next run: (the schedule it was planned with, when)."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(schema.job_schedules)).all()
        return {row.job: (row.schedule, row.next_due) for row in rows}

    def plan_run(self, job: str, *, schedule: str, next_due: dt.datetime) -> None:
        """Record job ``job``'s next run under ``schedule`` (replacing the plan it had)."""
        table = schema.job_schedules
        with self.engine.begin() as connection:
            connection.execute(sa.delete(table).where(table.c.job == job))
            connection.execute(
                sa.insert(table).values(job=job, schedule=schedule, next_due=next_due)
            )

    def interrupt_stale_runs(self, *, at: dt.datetime) -> int:
        """Mark runs still ``running`` as failed: their process died (we hold the lock)."""
        with self.engine.begin() as connection:
            result = connection.execute(
                sa.update(schema.job_runs)
                .where(schema.job_runs.c.status == "running")
                .values(
                    status="failed",
                    finished_at=at,
                    error="interrupted: the process ended during the run",
                )
            )
            return int(result.rowcount)

    def runs(self, job: str | None = None, *, limit: int = 20) -> tuple[JobRun, ...]:
        """The latest runs (of ``job``, or of every job), newest first."""
        query = sa.select(schema.job_runs).order_by(schema.job_runs.c.id.desc()).limit(limit)
        if job is not None:
            query = query.where(schema.job_runs.c.job == job)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return tuple(
            JobRun(
                run_id=row.id,
                job=row.job,
                kind=row.kind,
                status=row.status,
                started_at=row.started_at,
                finished_at=row.finished_at,
                scheduled_for=row.scheduled_for,
                counts=json.loads(row.counts),
                error=row.error,
                host=row.host,
                pid=row.pid,
            )
            for row in rows
        )

    # -- paid items -----------------------------------------------------------------------

    def unnotified_paid_items(self) -> tuple[tuple[OpenItem, dt.datetime], ...]:
        """Items that became fully paid and whose listeners were not told yet, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(schema.paid_items)
                .where(schema.paid_items.c.notified_at.is_(None))
                .order_by(schema.paid_items.c.paid_at, schema.paid_items.c.number)
            ).all()
        return tuple((open_item_from_json(json.loads(row.document)), row.paid_at) for row in rows)

    def mark_notified(self, number: str, *, at: dt.datetime) -> None:
        """Note that the listeners were told that item ``number`` is paid."""
        with self.engine.begin() as connection:
            connection.execute(
                sa.update(schema.paid_items)
                .where(schema.paid_items.c.number == number)
                .values(notified_at=at)
            )

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _movements(connection: sa.Connection, ids: set[str]) -> list[Movement]:
        """The stored movements with these ids (asked for in chunks the databases accept)."""
        wanted = sorted(ids)
        documents: list[str] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            documents.extend(
                row.document
                for row in connection.execute(
                    sa.select(schema.movements.c.document).where(
                        schema.movements.c.movement_id.in_(chunk)
                    )
                )
            )
        return [movement_from_json(json.loads(document)) for document in documents]

    @staticmethod
    def _add_accounts(
        connection: sa.Connection, statements: Sequence[Statement], at: dt.datetime
    ) -> None:
        known = {row.key for row in connection.execute(sa.select(schema.accounts.c.key))}
        for statement in statements:
            account = statement.account
            if account.key in known:
                continue
            known.add(account.key)
            connection.execute(
                sa.insert(schema.accounts).values(
                    key=account.key,
                    kind=account.kind.value,
                    iban=account.iban,
                    currency=account.currency,
                    first_seen=at,
                )
            )

    @staticmethod
    def _log(connection: sa.Connection, entry: LogEntry, job_run: int | None) -> None:
        connection.execute(
            sa.insert(schema.log_book).values(
                at=entry.at,
                level=entry.level.value,
                job_run=job_run,
                document=_dumps(converter.unstructure(entry)),
            )
        )


def batch_file_name(name: str, batch_id: int) -> str:
    """The name a batch's file is delivered under: the batch number before the extension.

    Formats name their files by period (``EXTF_Buchungsstapel_20260301_20260331.csv``),
    so two batches of one month would overwrite each other at the target.

    >>> batch_file_name("EXTF_Buchungsstapel_20260301_20260331.csv", 7)
    'EXTF_Buchungsstapel_20260301_20260331_batch7.csv'
    """
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return f"{name}_batch{batch_id}"
    return f"{stem}_batch{batch_id}.{extension}"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def _sqlite_pragmas(connection: Any, _: object) -> None:
    """Foreign keys on, and a busy timeout so a reader waits for a writer instead of failing."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _next_sequence(connection: sa.Connection, table: sa.Table) -> int:
    highest = connection.execute(sa.select(sa.func.max(table.c.sequence))).scalar_one()
    return 1 if highest is None else int(highest) + 1


def _movement_row(movement: Movement) -> dict[str, object]:
    return {
        "account_key": movement.account,
        "booking_date": movement.booking_date,
        "amount": str(movement.amount.amount),
        "currency": str(movement.amount.currency),
        "booking_type": movement.booking_type.value,
        "status": movement.status.value,
        "hidden": movement.hidden,
        "document": _dumps(movement_to_json(movement)),
    }


def _item_key(number: str) -> str:
    """The ``target`` column of an allocation to item ``number``."""
    return f"item:{number}"


def _allocation_row(allocation: Allocation) -> dict[str, object]:
    item = allocation.target.item
    return {
        "allocation_id": allocation.allocation_id,
        "movement_id": allocation.movement_id,
        "target": _item_key(item) if item is not None else str(allocation.target),
        "amount": str(allocation.amount.amount),
        "currency": str(allocation.amount.currency),
        "origin": allocation.origin.value,
        "made_at": allocation.made_at,
        "document": _dumps(allocation_to_json(allocation)),
    }
