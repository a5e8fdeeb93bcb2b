"""How the matching engine scales: N movements against N open items, time and memory.

For each size (default 10,000, 100,000 and 1,000,000) a child process builds N
open items of N/2 customers and N incoming movements in memory (a realistic mix:
most quote a reference, some only come from a known IBAN or name, some quote
nothing, a few are outgoing or fees) and times ``paymatch.match`` on them. It
prints the time, the time per movement and the child's peak RSS (which includes
the inputs), so near-linear growth shows as a steady time per movement.

Target (matching issue): 1,000,000 x 1,000,000 in at most 60 s and 4 GB RSS on a
2-core machine. Exits non-zero when the largest size misses it.

    python benchmarks/match_scale.py [--collector-on] [SIZE ...]

The collector is paused during the match, as ``paymatch match``, ``paymatch
reconcile`` and the worker run it; ``--collector-on`` measures a plain library call.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal

SIZES = (10_000, 100_000, 1_000_000)
TIME_TARGET = 60.0  # seconds for the largest size
MEMORY_TARGET = 4 * 1024**3  # bytes of peak RSS
FIRST = ["Hans", "Anna", "Jürgen", "Sören", "Özlem", "Marie", "Lukas", "Sophie", "Jonas", "Lea"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Meyer", "Wagner", "Becker"]


def _inputs(size: int) -> tuple[list[object], list[object]]:
    """N open items of N/2 customers and N movements (see the module docstring)."""
    from moneyed import Money

    from paymatch.model import BookingType, Counterparty, Movement, OpenItem

    rng = random.Random(size)
    account = "DE89370400440532013000"
    customers = max(1, size // 2)
    names = [
        f"{rng.choice(FIRST)} {rng.choice(LAST)}-{rng.choice(LAST)} {n}" for n in range(customers)
    ]
    items = []
    for n in range(size):
        customer = n % customers
        items.append(
            OpenItem(
                number=f"AU-{n:07d}",
                invoice_number=f"RE-{n:07d}",
                customer_number=f"K{customer:07d}",
                customer_name=names[customer],
                amount=Money(Decimal(rng.randrange(500, 200000)) / 100, "EUR"),
            )
        )
    booked = dt.date(2026, 3, 10)
    movements = []
    for n in range(size):
        item = items[rng.randrange(size)]
        kind = rng.random()
        amount = item.amount.amount  # type: ignore[attr-defined]
        text = f"Rechnung {item.invoice_number} vielen Dank"  # type: ignore[attr-defined]
        name = "Zahler"
        if kind > 0.6:
            text = "Ueberweisung"
            customer = int(item.customer_number[1:])  # type: ignore[attr-defined]
            name = names[customer] if kind < 0.8 else "Zahler"
        if kind > 0.97:
            amount = -amount
        movements.append(
            Movement(
                account=account,
                amount=Money(amount, "EUR"),
                booking_date=booked,
                booking_type=BookingType.INCOMING if amount > 0 else BookingType.OUTGOING,
                counterparty=Counterparty(name=name),
                remittance_info=text,
                bank_reference=f"B{n}",
            )
        )
    return movements, items


def _run(size: int, collector: str) -> dict[str, float]:
    """In this process: build the inputs, match, and report figures as JSON.

    ``collector`` ``paused`` matches as the commands and the worker do (the cyclic
    garbage collector paused), ``on`` as a library call that leaves it alone.
    """
    from paymatch._collector import collector_paused
    from paymatch.matching import match

    movements, items = _inputs(size)
    start = time.perf_counter()
    if collector == "paused":
        with collector_paused():
            report = match(movements, items, as_of=dt.date(2026, 3, 31))  # type: ignore[arg-type]
    else:
        report = match(movements, items, as_of=dt.date(2026, 3, 31))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    statuses = report.summary()["statuses"]
    return {
        "seconds": elapsed,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "assigned": statuses["assigned"] + statuses["partially_assigned"],  # type: ignore[index]
    }


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_run(int(sys.argv[2]), sys.argv[3])))
        return 0
    arguments = sys.argv[1:]
    collector = "paused"
    if arguments[:1] == ["--collector-on"]:
        collector, arguments = "on", arguments[1:]
    sizes = [int(a) for a in arguments] or list(SIZES)
    print(f"garbage collector {collector} during the match ('--collector-on' to leave it on)")
    print(f"{'movements x items':>20} {'match':>9} {'per movement':>13} {'peak RSS':>10} assigned")
    figures = {}
    for size in sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(size), collector],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(child.stdout)
        print(
            f"{size:>9,} x {size:>9,} {figures['seconds']:8.1f}s "
            f"{1e6 * figures['seconds'] / size:10.1f} µs {figures['peak_rss'] / 1024**3:8.2f} GB "
            f"{int(figures['assigned']):,}"
        )
    met = figures["seconds"] <= TIME_TARGET and figures["peak_rss"] <= MEMORY_TARGET
    largest = max(sizes)
    print(f"target for {largest:,}: <= 60 s and <= 4 GB:", "met" if met else "missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
