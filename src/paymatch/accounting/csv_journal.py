"""The generic CSV journal: one row per booking, for spreadsheets and any other ledger.

RFC 4180 CSV in UTF-8 without BOM, comma-separated, CRLF line ends, a header
line, fields quoted where needed. Dates are ISO ``YYYY-MM-DD``, amounts plain
decimal strings with a dot, absent values empty. Text fields (document, text,
names) pass through :func:`~paymatch.accounting.formula_guard.neutralise_formula`,
so a spreadsheet never runs a payer's text as a formula; amounts, dates and
account numbers are written as they are.

>>> import datetime as dt
>>> from moneyed import Money
>>> from paymatch.accounting.journal import Booking, BookingKind
>>> from paymatch.model import BookingType
>>> booking = Booking(booking_id="b1", movement_id="m1", kind=BookingKind.FEE,
...                   date=dt.date(2026, 3, 2), amount=Money("2.50", "EUR"), debit="4970",
...                   credit="1200", text="=fee", account="DE89", booking_type=BookingType.FEE)
>>> csv_journal_file([booking]).data.decode().splitlines()[1]
"b1,m1,2026-03-02,fee,4970,1200,2.50,EUR,,'=fee,,,,,,,,DE89,fee"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import BinaryIO

from paymatch.accounting.files import ExportFile, file_of
from paymatch.accounting.formula_guard import neutralise_formula
from paymatch.accounting.journal import Booking
from paymatch.model.money import decimal_text

__all__ = ["CSV_JOURNAL_COLUMNS", "csv_journal_file", "write_csv_journal"]

#: The columns of the CSV journal, in order (the JSON journal uses the same keys).
CSV_JOURNAL_COLUMNS = (
    "booking_id",
    "movement_id",
    "date",
    "kind",
    "debit",
    "credit",
    "amount",
    "currency",
    "document",
    "text",
    "tax_key",
    "party_role",
    "party_account",
    "party_number",
    "party_name",
    "item",
    "item_kind",
    "account",
    "booking_type",
)


def _guarded(text: str | None) -> str:
    return "" if text is None else neutralise_formula(text)


def _row(booking: Booking) -> list[str]:
    party = booking.party
    return [
        booking.booking_id,
        booking.movement_id,
        booking.date.isoformat(),
        booking.kind.value,
        booking.debit,
        booking.credit,
        decimal_text(booking.amount.amount),
        booking.currency,
        _guarded(booking.document),
        _guarded(booking.text),
        booking.tax_key or "",
        "" if party is None else party.role.value,
        "" if party is None else party.account,
        _guarded(None if party is None else party.number),
        _guarded(None if party is None else party.name),
        _guarded(booking.item),
        "" if booking.item_kind is None else booking.item_kind.value,
        booking.account,
        booking.booking_type.value,
    ]


def write_csv_journal(bookings: Iterable[Booking], stream: BinaryIO) -> int:
    """Write the header and one row per booking to ``stream``; return the number of rows."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(CSV_JOURNAL_COLUMNS)
        count = 0
        for booking in bookings:
            writer.writerow(_row(booking))
            count += 1
        return count
    finally:
        text.detach()  # the stream is the caller's: leave it open


def csv_journal_file(
    bookings: Iterable[Booking], *, name: str = "paymatch_journal.csv"
) -> ExportFile:
    """The journal as one file, with the ids of the bookings in it."""
    return file_of(name, bookings, write_csv_journal)
