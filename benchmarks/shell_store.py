"""How the store copes with a large history: the cost of one day's work on a big store.

Builds an SQLite store holding N movements (default 100,000, on one account, in
files of 1,000), then measures what a daily job does on top of it: importing a
file of 1,000 new movements, importing the same file again (nothing new), loading
the whole ledger, and saving a few changes. Prints seconds and the peak RSS.

An import reads only the stored movements the file names, so its cost follows the
file, not the store; loading follows the store (the matcher needs every open
movement).

    python benchmarks/shell_store.py [N]
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

from paymatch.model import Account, AccountKind, BookingType, Movement, Statement, to_money
from paymatch.shell.store import Store

FILE = 1_000
ACCOUNT = Account(kind=AccountKind.BANK, currency="EUR", iban="DE89370400440532013000")
AT = dt.datetime(2026, 11, 24, 6, 30, tzinfo=dt.UTC)


def statement(first: int, count: int) -> Statement:
    """A statement of the movements ``first`` .. ``first + count - 1``."""
    movements = tuple(
        Movement(
            account=ACCOUNT.key,
            amount=to_money(f"{10 + number % 900}.{number % 100:02d}", "EUR"),
            booking_date=dt.date(2026, 1, 1) + dt.timedelta(days=number % 300),
            booking_type=BookingType.INCOMING,
            transaction_id=f"TX-{number:08d}",
            remittance_info=f"RE-{number:08d} Kunde {number % 5000}",
        )
        for number in range(first, first + count)
    )
    return Statement(account=ACCOUNT, movements=movements, statement_id=f"S-{first}")


def timed(label: str, work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.3f} s")
    return seconds


def main() -> int:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        store = Store.connect(f"sqlite:///{Path(folder) / 'bench.db'}")
        store.migrate()
        started = time.perf_counter()
        for first in range(0, size, FILE):
            store.import_statements(
                [statement(first, FILE)], source="b", file_name=str(first), sha256="x", at=AT
            )
        print(
            f"filled the store with {size:,} movements       {time.perf_counter() - started:8.1f} s"
        )
        new = [statement(size, FILE)]
        timed(
            f"import {FILE:,} new movements",
            lambda: store.import_statements(new, source="b", file_name="new", sha256="n", at=AT),
        )
        timed(
            f"import the same {FILE:,} again (nothing new)",
            lambda: store.import_statements(new, source="b", file_name="new", sha256="n", at=AT),
        )
        loaded = []
        timed(f"load the ledger ({size + FILE:,} movements)", lambda: loaded.append(store.load()))
        ledger = loaded[0].ledger
        for movement in ledger.movements[:10]:
            ledger.comment(movement.movement_id, "checked")
        timed("save 10 comments", lambda: store.save(loaded[0], at=AT))
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
