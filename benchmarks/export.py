"""How fast paymatch writes DATEV, next to Python's csv module writing the same rows.

For N bookings (default 1,000,000; a few thousand distinct ones cycled, so that
building a million objects is not what is measured) it times

* ``write_buchungsstapel``, streaming the bookings into files of at most 99,999
  (each with its header and column names), as an export of that size needs;
* ``csv.writer`` writing the same 125-column rows: per booking the amount with a
  decimal comma, the DDMM date and the same fields, ``;``-separated, cp1252 —
  the floor of any Python CSV writer. It quotes only where needed, so it writes
  about half the bytes (DATEV wants every text field quoted, empty ones as
  ``""``): a harder floor than byte-identical rows would be;

both into a sink that only counts bytes, best of three, and prints the ratio
(target: paymatch within 1.5x of csv) and the growth of the peak RSS while
writing (target: flat, i.e. streamed).

    python benchmarks/export.py [N]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import resource
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

from moneyed import Money

from paymatch.accounting.datev import MAX_BOOKINGS_PER_FILE, DatevSettings, write_buchungsstapel
from paymatch.accounting.datev_columns import BUCHUNGSSTAPEL_COLUMNS
from paymatch.accounting.journal import Booking, BookingKind
from paymatch.model import BookingType

SIZE = 1_000_000
DISTINCT = 5_000
AT = dt.datetime(2027, 1, 2, 8, 0, tzinfo=dt.UTC)
SETTINGS = DatevSettings(consultant_number=1001, client_number=1)


class Sink(io.RawIOBase):
    """A binary stream that keeps nothing but the number of bytes written."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        size = len(data)  # type: ignore[arg-type]
        self.size += size
        return size


def distinct_bookings() -> list[Booking]:
    first = dt.date(2026, 1, 1)
    return [
        Booking(
            booking_id=f"{n:016x}",
            movement_id=f"DE89370400440532013000:ref:B{n}",
            kind=BookingKind.PAYMENT,
            date=first + dt.timedelta(days=n % 365),
            amount=Money(Decimal(1000 + n * 7) / 100, "EUR"),
            debit="1200",
            credit=str(10000 + n % 900),
            text=f"payment RE-{n:06d} Kunde {n % 900} GmbH",
            account="DE89370400440532013000",
            booking_type=BookingType.INCOMING,
            document=f"RE-{n:06d}",
        )
        for n in range(DISTINCT)
    ]


def bookings(size: int, pool: list[Booking]) -> Iterator[Booking]:
    return itertools.islice(itertools.cycle(pool), size)


def paymatch_datev(size: int, pool: list[Booking]) -> int:
    sink = Sink()
    stream = bookings(size, pool)
    while chunk := list(itertools.islice(stream, MAX_BOOKINGS_PER_FILE)):
        write_buchungsstapel(
            chunk,
            sink,  # type: ignore[arg-type]
            SETTINGS,
            generated_at=AT,
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 12, 31),
        )
    return sink.size


def csv_module(size: int, pool: list[Booking]) -> int:
    sink = Sink()
    text = io.TextIOWrapper(sink, encoding="cp1252", newline="")  # type: ignore[arg-type]
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    empty = [""] * (len(BUCHUNGSSTAPEL_COLUMNS) - 14)
    for booking in bookings(size, pool):
        writer.writerow(
            [
                f"{booking.amount.amount:.2f}".replace(".", ","),
                "S",
                booking.currency,
                "",
                "",
                "",
                booking.debit,
                booking.credit,
                booking.tax_key or "",
                f"{booking.date.day:02d}{booking.date.month:02d}",
                booking.document or "",
                "",
                "",
                booking.text,
                *empty,
            ]
        )
    text.flush()
    return sink.size


def best_of(runs: int, work: Callable[[], int]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = work()
        times.append(time.perf_counter() - start)
    return min(times), size


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    pool = distinct_bookings()
    paymatch_datev(DISTINCT, pool)  # warm up
    before = peak_rss_mb()
    ours, ours_bytes = best_of(3, lambda: paymatch_datev(size, pool))
    after = peak_rss_mb()
    floor, floor_bytes = best_of(3, lambda: csv_module(size, pool))
    ratio = ours / floor
    print(f"DATEV Buchungsstapel, {size:,} bookings")
    print(f"  paymatch write_buchungsstapel: {ours:6.2f} s  ({ours_bytes / 1e6:,.0f} MB)")
    print(f"  csv module, same rows:         {floor:6.2f} s  ({floor_bytes / 1e6:,.0f} MB)")
    print(f"  ratio {ratio:.2f}x (target <= 1.5x): {'met' if ratio <= 1.5 else 'missed'}")
    print(f"  peak RSS {before:,.0f} MB before writing, {after:,.0f} MB after (streamed)")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
