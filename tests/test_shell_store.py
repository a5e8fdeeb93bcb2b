"""The store: migrations, idempotent imports, the ledger saved and loaded, exactly-once batches."""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paymatch.accounting.batch import ExportBatch
from paymatch.accounting.files import ExportFile
from paymatch.errors import StoreError
from paymatch.ledger.log_book import LogEntry, LogLevel
from paymatch.model import (
    Account,
    AccountKind,
    BookingType,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    Statement,
    Status,
    to_money,
)
from paymatch.shell.store import ItemCounts, Store
from paymatch.shell.store.schema import metadata
from tests.servers import POSTGRES_PASSWORD
from tests.strategies import statements

AT = dt.datetime(2026, 11, 24, 6, 30, tzinfo=dt.UTC)
ACCOUNT = Account(kind=AccountKind.BANK, currency="EUR", iban="DE89370400440532013000")


def open_store(path: Path) -> Store:
    store = Store.connect(f"sqlite:///{path}")
    store.migrate()
    return store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty store: an SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        opened = open_store(tmp_path / "paymatch.db")
    else:
        opened = Store.connect(fresh_database(request.getfixturevalue("postgresql_url")))
        opened.migrate()
    yield opened
    opened.close()


def fresh_database(server: str) -> sa.URL:
    """A new, empty database on the PostgreSQL server at ``server``: its URL with password."""
    url = sa.make_url(server).set(password=POSTGRES_PASSWORD)
    name = f"paymatch_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name)


def payment(number: int, *, status: Status = Status.COMPLETED, amount: str = "100.00") -> Movement:
    return Movement(
        account=ACCOUNT.key,
        amount=to_money(amount, "EUR"),
        booking_date=dt.date(2026, 11, 2),
        booking_type=BookingType.INCOMING,
        status=status,
        transaction_id=f"TX-{number}",
        remittance_info=f"RE-{number}",
    )


def statement(*movements: Movement) -> Statement:
    return Statement(account=ACCOUNT, movements=movements, statement_id="S-1")


def test_the_migrated_schema_is_the_one_the_code_uses(store: Store) -> None:
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    assert store.revision() == Store.head()


def test_an_unmigrated_or_newer_store_is_refused(tmp_path: Path) -> None:
    store = Store.connect(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StoreError, match="paymatch store migrate"):
        store.check_revision()
    store.migrate()
    with store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer than this paymatch knows"):
        store.migrate()
    store.close()


def test_the_same_and_an_overlapping_statement_add_no_duplicates(store: Store) -> None:
    first = store.import_statements(
        [statement(payment(1), payment(2))], source="bank", file_name="a", sha256="a", at=AT
    )
    again = store.import_statements(
        [statement(payment(1), payment(2))], source="bank", file_name="a", sha256="a", at=AT
    )
    overlap = store.import_statements(
        [statement(payment(2), payment(3))], source="bank", file_name="b", sha256="b", at=AT
    )
    assert (first.new, first.known) == (2, 0)
    assert (again.new, again.known) == (0, 2)
    assert (overlap.new, overlap.known) == (1, 1)
    assert [m.transaction_id for m in store.load().ledger.movements] == ["TX-1", "TX-2", "TX-3"]


def test_a_pending_booking_that_completed_is_updated(store: Store) -> None:
    store.import_statements(
        [statement(payment(1, status=Status.PENDING))], source="p", file_name="1", sha256="1", at=AT
    )
    completed = store.import_statements(
        [statement(payment(1))], source="p", file_name="2", sha256="2", at=AT
    )
    assert (completed.new, completed.updated) == (0, 1)
    (movement,) = store.load().ledger.movements
    assert movement.status is Status.COMPLETED


def test_the_ledger_is_saved_and_loaded_with_allocations_flags_and_log(store: Store) -> None:
    store.import_statements(
        [statement(payment(1), payment(2))], source="bank", file_name="a", sha256="a", at=AT
    )
    store.save_open_items([OpenItem(number="RE-1", amount=to_money("100.00", "EUR"))], at=AT)
    loaded = store.load()
    ledger = loaded.ledger
    first, second = (m.movement_id for m in ledger.movements)
    ledger.assign(first, ItemTarget(number="RE-1"), at=AT, origin=Origin.MANUAL)
    ledger.hide(second)
    ledger.comment(second, "a test transfer, not a payment")
    ledger.record(LogEntry(at=AT, level=LogLevel.WARNING, message="checked by hand"))
    saved = store.save(loaded, at=AT)
    assert (saved.allocations_added, saved.movements_changed, saved.items_paid) == (1, 1, ("RE-1",))

    again = store.load().ledger
    assert [(a.movement_id, a.target, a.origin) for a in again.allocations] == [
        (first, ItemTarget(number="RE-1"), Origin.MANUAL)
    ]
    assert again.movement(second).hidden
    assert again.movement(second).internal_comment == "a test transfer, not a payment"
    assert [entry.message for entry in store.log_book()] == ["checked by hand"]
    assert [item.number for item, _ in store.unnotified_paid_items()] == ["RE-1"]

    loaded = store.load()
    (allocation,) = loaded.ledger.allocations
    loaded.ledger.unassign(allocation.allocation_id)
    assert store.save(loaded, at=AT).allocations_removed == 1
    assert store.load().ledger.allocations == ()


def test_open_items_follow_the_erp_unless_payments_were_booked_on_them(store: Store) -> None:
    store.import_statements([statement(payment(1))], source="b", file_name="a", sha256="a", at=AT)
    items = [
        OpenItem(number="RE-1", amount=to_money("100.00", "EUR")),
        OpenItem(number="RE-2", amount=to_money("50.00", "EUR")),
    ]
    assert store.save_open_items(items, at=AT) == ItemCounts(2, 0, ())
    loaded = store.load()
    loaded.ledger.assign(loaded.ledger.movements[0].movement_id, ItemTarget(number="RE-1"), at=AT)
    store.save(loaded, at=AT)
    changed = [attrs.evolve(item, amount=to_money("120.00", "EUR")) for item in items[:1]]
    changed.append(attrs.evolve(items[1], amount=to_money("60.00", "EUR")))
    # RE-1 keeps what was paid on it
    assert store.save_open_items(changed, at=AT) == ItemCounts(0, 1, ("RE-1",))
    ledger = store.load().ledger
    assert ledger.item("RE-1").amount == to_money("100.00", "EUR")
    assert ledger.item("RE-2").amount == to_money("60.00", "EUR")
    store.save_open_items(changed[1:], at=AT)
    assert store.listed_items() == {"RE-2"}


def batch(*booking_ids: str) -> ExportBatch:
    return ExportBatch(
        format="csv",
        files=(ExportFile(name="paymatch_journal.csv", data=b"x", booking_ids=booking_ids),),
        booking_ids=booking_ids,
        already_exported=0,
    )


def test_a_batch_takes_its_bookings_once_and_waits_until_delivered(store: Store) -> None:
    prepared = store.prepare_batch(batch("b1", "b2"), job="j", target="t", format="csv", at=AT)
    assert prepared.files == ((f"paymatch_journal_batch{prepared.batch_id}.csv", b"x"),)
    assert store.exported_booking_ids() == {"b1", "b2"}
    with pytest.raises(StoreError, match="repeats bookings already exported"):
        store.prepare_batch(batch("b2", "b3"), job="j", target="t", format="csv", at=AT)
    assert store.exported_booking_ids() == {"b1", "b2"}  # the refused batch left nothing
    assert store.undelivered_batches("t") == (prepared,)
    store.mark_delivered(prepared.batch_id, at=AT)
    assert store.undelivered_batches("t") == ()


def test_runs_of_a_dead_process_are_marked_failed(store: Store) -> None:
    run = store.start_run("daily", "reconcile", at=AT, scheduled_for=None, host="h", pid=1)
    assert store.runs("daily")[0].status == "running"
    assert store.interrupt_stale_runs(at=AT) == 1
    (recorded,) = store.runs("daily")
    assert (recorded.run_id, recorded.status) == (run, "failed")
    assert recorded.error is not None
    assert "interrupted" in recorded.error


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    statements(ACCOUNT, max_movements=12),
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=5),
)
def test_any_overlapping_imports_store_each_movement_exactly_once(
    whole: Statement, windows: list[tuple[int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "p.db")
        offered: set[str] = set()
        for start, end in windows:
            part = attrs.evolve(whole, movements=whole.movements[min(start, end) : max(start, end)])
            counts = store.import_statements([part], source="s", file_name="f", sha256="x", at=AT)
            assert counts.new == len({m.movement_id for m in part.movements} - offered)
            offered |= {m.movement_id for m in part.movements}
        stored = [m.movement_id for m in store.load().ledger.movements]
        assert sorted(stored) == sorted(offered)
        store.close()


def test_movements_come_in_by_import_only(store: Store) -> None:
    loaded = store.load()
    loaded.ledger.add_movements([payment(9)])
    with pytest.raises(StoreError, match="movements come in by import_statements"):
        store.save(loaded, at=AT)


def test_a_store_of_the_first_schema_is_upgraded_with_its_data(tmp_path: Path) -> None:
    from alembic import command

    from paymatch.shell.store.store import _alembic_config

    store = Store.connect(f"sqlite:///{tmp_path / 'old.db'}")
    config = _alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert store.revision() == "0001"
    run = store.start_run("daily", "reconcile", at=AT, scheduled_for=None, host="h", pid=1)
    assert store.migrate() == Store.head()
    assert store.revision() == Store.head() != "0001"
    assert [recorded.run_id for recorded in store.runs()] == [run]
    assert store.planned_runs() == {}
    store.close()
