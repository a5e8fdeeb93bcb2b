"""The generic JSON journal: ``{"bookings": [...]}`` for programs that read JSON.

Each booking is an object with the keys of the CSV journal's columns, in the
same order, except that the party is one object (``{"role", "account",
"number", "name", "iban", "bic"}``) or ``null``. Amounts are decimal strings,
dates ``YYYY-MM-DD``, absent values ``null``; UTF-8, two-space indentation,
keys in a fixed order, so the same bookings always give the same bytes.

No formula guard is applied: JSON is read by programs, which take a string as
a string, and changing a text here would only corrupt it for them.

>>> import datetime as dt, json
>>> from moneyed import Money
>>> from paymatch.accounting.journal import Booking, BookingKind
>>> from paymatch.model import BookingType
>>> booking = Booking(booking_id="b1", movement_id="m1", kind=BookingKind.FEE,
...                   date=dt.date(2026, 3, 2), amount=Money("2.50", "EUR"), debit="4970",
...                   credit="1200", text="fee", account="DE89", booking_type=BookingType.FEE)
>>> json.loads(json_journal_file([booking]).data)["bookings"][0]["amount"]
'2.50'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO

from paymatch.accounting.files import ExportFile, file_of
from paymatch.accounting.journal import Booking
from paymatch.model.money import decimal_text

__all__ = ["booking_to_json", "json_journal_file", "write_json_journal"]


def booking_to_json(booking: Booking) -> dict[str, object]:
    """The JSON object of one booking (see the module docstring)."""
    party = booking.party
    return {
        "booking_id": booking.booking_id,
        "movement_id": booking.movement_id,
        "date": booking.date.isoformat(),
        "kind": booking.kind.value,
        "debit": booking.debit,
        "credit": booking.credit,
        "amount": decimal_text(booking.amount.amount),
        "currency": booking.currency,
        "document": booking.document,
        "text": booking.text,
        "tax_key": booking.tax_key,
        "party": None
        if party is None
        else {
            "role": party.role.value,
            "account": party.account,
            "number": party.number,
            "name": party.name,
            "iban": party.iban,
            "bic": party.bic,
        },
        "item": booking.item,
        "item_kind": None if booking.item_kind is None else booking.item_kind.value,
        "account": booking.account,
        "booking_type": booking.booking_type.value,
    }


def write_json_journal(bookings: Iterable[Booking], stream: BinaryIO) -> int:
    """Write the journal document to ``stream``, one booking at a time; return their number."""
    stream.write(b'{\n  "bookings": [')
    count = 0
    for booking in bookings:
        text = json.dumps(booking_to_json(booking), ensure_ascii=False, indent=2)
        stream.write(b"," if count else b"")
        stream.write(("\n" + text).replace("\n", "\n    ").encode("utf-8"))
        count += 1
    stream.write(b"\n  ]\n}\n" if count else b"]\n}\n")
    return count


def json_journal_file(
    bookings: Iterable[Booking], *, name: str = "paymatch_journal.json"
) -> ExportFile:
    """The journal as one file, with the ids of the bookings in it."""
    return file_of(name, bookings, write_json_journal)
