"""Ledger benchmark: one million movements, a composed filter, a folder view, memory.

Targets (foundation issue): a composed filter (name + amount range + status +
date range) answers in at most 0.5 s; the ledger holds 1,000,000 movements in
at most 1.5 GB resident memory. Prints the figures and exits non-zero when a
target is missed.

    python benchmarks/ledger.py [--movements N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from decimal import Decimal

from paymatch import (
    BookingType,
    Counterparty,
    Folder,
    ItemTarget,
    Ledger,
    Movement,
    OpenItem,
    Status,
    to_money,
    where,
)

FILTER_TARGET_SECONDS = 0.5
MEMORY_TARGET_BYTES = 1.5 * 1024**3
ACCOUNT = "DE89370400440532013000"
FIRST_NAMES = ["Jürgen", "Anna", "Lars", "Sören", "Marie", "Özlem", "Pierre", "Ångström", "Kai"]
LAST_NAMES = ["Müller", "Schmidt", "Weiß", "Bäcker", "Öztürk", "Dubois", "Nyström", "Koch"]
COMPANIES = ["GmbH", "AG", "KG", "e.K.", ""]


def make_movements(count: int, seed: int = 7) -> list[Movement]:
    """``count`` movements over two years from 20,000 payers, with real statuses."""
    rng = random.Random(seed)
    payers = [
        Counterparty(
            name=" ".join(
                filter(
                    None, [rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(COMPANIES)]
                )
            )
            + f" {index}"
        )
        for index in range(20_000)
    ]
    start = dt.date(2025, 1, 1)
    statuses = [Status.COMPLETED] * 90 + [Status.PENDING] * 6 + [Status.FAILED] * 4
    movements = []
    for index in range(count):
        cents = rng.randint(-50_000, 250_000) or 1
        amount = to_money(Decimal(cents).scaleb(-2), "EUR")
        movements.append(
            Movement(
                account=ACCOUNT,
                amount=amount,
                booking_date=start + dt.timedelta(days=rng.randrange(730)),
                booking_type=BookingType.INCOMING if cents > 0 else BookingType.OUTGOING,
                status=rng.choice(statuses),
                counterparty=rng.choice(payers),
                remittance_info=(
                    f"Rechnung RE-{rng.randrange(10**6):06d} Kunde {rng.randrange(10**5)}"
                ),
                transaction_id=f"TX{index:09d}",
            )
        )
    return movements


def rss_bytes() -> int:
    """The resident set size of this process now (Linux ``/proc``), or its peak elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(label: str, function, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Run ``function`` ``repeat`` times; print and return the best time and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<52} {best:8.3f} s")
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movements", type=int, default=1_000_000)
    arguments = parser.parse_args()
    count = arguments.movements

    baseline = rss_bytes()
    _, movements = timed(f"build {count:,} movements", lambda: make_movements(count))
    _, ledger = timed("add them to a ledger", lambda: Ledger(movements))
    items = [OpenItem(number=f"RE-{n:06d}", amount=to_money("100.00", "EUR")) for n in range(1000)]
    ledger.add_open_items(items)
    at = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    completed_incoming = ledger.find(where(statuses={Status.COMPLETED}, amount_from="100"))
    for movement, item in zip(completed_incoming, items, strict=False):
        ledger.assign(movement.movement_id, ItemTarget(number=item.number), at=at)

    criterion = where(
        name="müller",
        amount_from="50",
        amount_to="500",
        statuses={Status.COMPLETED},
        booked_from=dt.date(2025, 6, 1),
        booked_to=dt.date(2026, 5, 31),
    )
    first, found = timed("composed filter, first run", lambda: ledger.find(criterion))
    warm, found = timed("composed filter, again (best of 5)", lambda: ledger.find(criterion), 5)
    print(f"{'  movements found':<52} {len(found):8,d}")
    whole_range = where(
        name="mueller", amount_from="50", amount_to="500", statuses={Status.COMPLETED}
    )
    wide, found = timed(
        "composed filter without date range (best of 3)", lambda: ledger.find(whole_range), 3
    )
    print(f"{'  movements found':<52} {len(found):8,d}")
    timed(
        "folder 'not assigned' with the filter",
        lambda: ledger.folder(Folder.NOT_ASSIGNED, criterion),
    )
    timed("folder 'fully assigned', whole ledger", lambda: ledger.folder(Folder.FULLY_ASSIGNED))

    memory = rss_bytes() - baseline
    print(f"{'resident memory of the ledger (after the queries)':<52} {memory / 1024**2:8.0f} MiB")
    slowest = max(first, warm, wide)
    ok = slowest <= FILTER_TARGET_SECONDS and memory <= MEMORY_TARGET_BYTES
    print(
        f"targets: filter <= {FILTER_TARGET_SECONDS} s (slowest {slowest:.3f} s), "
        f"memory <= {MEMORY_TARGET_BYTES / 1024**3:.1f} GiB ({memory / 1024**3:.2f} GiB): "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
