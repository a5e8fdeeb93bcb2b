"""Klarna settlement report (CSV): the transactions of Klarna payouts.

Implements the settlement report as Klarna's Settlements API documents its
transactions (the CSV has one column per field): ``type``, ``capture_id``,
``capture_date``, ``sale_date``, ``order_id``, ``short_order_id``,
``merchant_reference1``, ``merchant_reference2``, ``refund_id``, ``amount``
(in minor units), ``currency_code``, ``payment_reference`` (the payout the
transaction went into, kept in the remittance information, as the bank
statement names the payout by it), ``vat_amount``... Types: ``SALE``, ``RETURN``,
``REVERSAL``, ``FEE``, ``FEE_REFUND``, ``COMMISSION``, ``TAX``,
``CORRECTION``, ``CHARGE``, ``CREDIT``, ``HOLDBACK``, ``RELEASE``,
``REVERSAL_MERCHANT_PROTECTION``.

A sale is known by its capture id and carries the shop's order reference
(``merchant_reference1``) as end-to-end id; a fee names the capture it was
charged on, and a return or reversal is linked to the sale of the same order
in the same report. Returns, reversals, fees, commissions, taxes, charges and holdbacks take
money from the merchant and are booked negative, whatever sign the file
writes; other types keep the file's sign.

>>> data = (b"type,capture_id,capture_date,order_id,merchant_reference1,amount,currency_code,"
...         b"payment_reference\\nSALE,cap-1,2026-03-02T10:15:00Z,ord-1,AU-2001,11900,EUR,P-77\\n")
>>> movement = KlarnaParser().parse(data).statements[0].movements[0]
>>> movement.transaction_id, str(movement.amount.amount), movement.end_to_end_id
('cap-1', '119.00', 'AU-2001')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

import moneyed

from paymatch.errors import InvalidValueError, ParseError
from paymatch.model import AccountKind, BookingType, Movement, SourcePosition, to_money
from paymatch.parsers.base import HEAD_SIZE, read_all
from paymatch.parsers.provider_csv import (
    Findings,
    Row,
    currency_statements,
    read_rows,
    streamed_lines,
)
from paymatch.parsers.result import ParseResult, Severity
from paymatch.parsers.text import decode, text_lines

__all__ = ["KlarnaParser", "booking_type_of", "parsers"]

_COLUMNS: dict[str, tuple[str, ...]] = {
    name: (name,)
    for name in (
        "type",
        "capture_id",
        "capture_date",
        "sale_date",
        "order_id",
        "short_order_id",
        "merchant_reference1",
        "merchant_reference2",
        "refund_id",
        "amount",
        "currency_code",
        "payment_reference",
        "merchant_id",
    )
}
_REQUIRED = ("type", "amount", "currency_code")

#: Transaction types -> (booking type, whether it takes money from the merchant).
_TYPES = {
    "SALE": (BookingType.INCOMING, False),
    "RETURN": (BookingType.REFUND, True),
    "REVERSAL": (BookingType.CHARGEBACK, True),
    "REVERSAL_MERCHANT_PROTECTION": (BookingType.CHARGEBACK, False),
    "FEE": (BookingType.FEE, True),
    "COMMISSION": (BookingType.FEE, True),
    "TAX": (BookingType.FEE, True),
    "FEE_REFUND": (BookingType.FEE, False),
    "HOLDBACK": (BookingType.OTHER, True),
    "RELEASE": (BookingType.OTHER, False),
    "CHARGE": (BookingType.OTHER, True),
    "CREDIT": (BookingType.OTHER, False),
    "CORRECTION": (BookingType.OTHER, False),  # signed as written
}
_TAKES = frozenset(kind for kind, (_, takes) in _TYPES.items() if takes)


def booking_type_of(kind: str) -> BookingType | None:
    """The booking type of a Klarna transaction type; ``None`` when unknown."""
    known = _TYPES.get(kind.upper())
    return None if known is None else known[0]


class KlarnaParser:
    """Klarna's settlement report, CSV (see the module docstring)."""

    name = "klarna"
    description = "Klarna settlement report (CSV)"

    def __init__(self, *, account: str | None = None) -> None:
        self.account = account

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a header line with Klarna's settlement columns, 0 otherwise."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff")
        names = {name.strip().strip('"') for name in text.split("\n", 1)[0].split(",")}
        return 1.0 if {"capture_id", "merchant_reference1", "payment_reference"} <= names else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every transaction of the report: one statement per currency."""
        text, _ = decode(read_all(data), source=source)
        reader = _Reader(source, self.account)
        movements = list(reader.movements(text_lines(text)))
        return currency_statements(
            movements, reader.findings, kind=AccountKind.KLARNA, format=self.name
        )

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream`` one by one (only the sales' ids are kept, for links)."""
        reader = _Reader(source, self.account)
        for movement in reader.movements(streamed_lines(stream, source)):
            yield movement
            reader.findings.found.clear()  # the findings go with parse()


def parsers() -> tuple[KlarnaParser, ...]:
    """The built-in Klarna parser."""
    return (KlarnaParser(),)


class _Reader:
    def __init__(self, source: str | None, account: str | None) -> None:
        self.source = source
        self.account = account
        self.findings = Findings(source)
        self.sales: dict[str, str] = {}  # order id -> capture id of its first sale

    def movements(self, lines: Iterable[str]) -> Iterator[Movement]:
        _, rows = read_rows(lines, _COLUMNS, _REQUIRED, self.source, report="Klarna")
        for row in rows:
            yield self._movement(row)

    def _fail(self, row: Row, field: str, expected: str) -> ParseError:
        return ParseError(
            f"column {field}: expected {expected}, got {row.get(field)!r}",
            source=self.source,
            line=row.line,
        )

    def _movement(self, row: Row) -> Movement:
        kind = (row.get("type") or "").upper()
        currency = (row.get("currency_code") or "").upper()
        text = (row.get("amount") or "").strip()
        digits = text.lstrip("+-")
        if not (digits.isascii() and digits.isdigit()):
            raise self._fail(row, "amount", "an amount in minor units")
        try:
            unit = moneyed.get_currency(currency).sub_unit or 1
        except moneyed.CurrencyDoesNotExist:
            raise self._fail(row, "currency_code", "an ISO 4217 currency code") from None
        amount = Decimal(int(digits)).scaleb(-(len(str(unit)) - 1))
        if kind in _TAKES or text.startswith("-"):  # money taken, whatever sign the file writes
            amount = -amount
        booking_type = booking_type_of(kind)
        if booking_type is None:
            booking_type = BookingType.OTHER
            self.findings.note(
                row.line,
                currency,
                Severity.INFO,
                "unknown_transaction_type",
                f"Klarna type {kind!r} is not known: read as other",
            )
        date_text = row.get("capture_date") or row.get("sale_date") or ""
        try:
            day = dt.date.fromisoformat(date_text[:10])
        except ValueError:
            raise self._fail(row, "capture_date", "a date such as 2026-03-02T10:15:00Z") from None
        order = row.get("order_id")
        capture = row.get("capture_id")
        if kind == "SALE":
            own = capture
            if order and capture:
                self.sales.setdefault(order, capture)
            linked = None
        elif kind in ("FEE", "FEE_REFUND") and capture:
            own, linked = None, capture
        else:
            own = row.get("refund_id")
            linked = self.sales.get(order) if order else None
        account = self.account or row.get("merchant_id") or "settlement"
        try:
            return self._build(row, account, amount, currency, day, booking_type, own, linked)
        except InvalidValueError as error:  # a value the model refuses
            raise ParseError(str(error), source=self.source, line=row.line) from None

    def _build(
        self,
        row: Row,
        account: str,
        amount: Decimal,
        currency: str,
        day: dt.date,
        booking_type: BookingType,
        own: str | None,
        linked: str | None,
    ) -> Movement:
        kind = (row.get("type") or "").upper()
        return Movement(
            account=f"{AccountKind.KLARNA.value}:{account}",
            amount=to_money(amount, currency),
            booking_date=day,
            booking_type=booking_type,
            remittance_info=" ".join(
                part for part in (kind, row.get("merchant_reference2"), _payout(row)) if part
            ),
            end_to_end_id=row.get("merchant_reference1"),
            transaction_id=own,
            reference_transaction_id=linked,
            bank_transaction_code=kind or None,
            source=SourcePosition(source=self.source, line=row.line),
        )


def _payout(row: Row) -> str | None:
    """The payout a transaction went into: its reference is on the bank statement."""
    reference = row.get("payment_reference")
    return f"payout {reference}" if reference else None
