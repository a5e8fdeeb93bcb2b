"""PayPal settlement report (STL): the daily CSV of every balance-affecting transaction.

Implements the body of PayPal's "Settlement Report" (STL-yyyymmdd.R.sss.vvv.CSV)
as PayPal's reporting specification lays it out: every line starts with its
record type — ``RH`` report header, ``FH`` file header, ``SH`` section header
(period and account id), ``CH`` the column header of the section, ``SB`` one
transaction, then footers (``SF``, ``SC``, ``RF``, ``RC``, ``FF``). The
``SB`` rows are read by the names of their ``CH`` line: ``Transaction ID,
Invoice ID, PayPal Reference ID, PayPal Reference ID Type, Transaction Event
Code, Transaction Initiation Date, Transaction Completion Date, Transaction
Debit or Credit, Gross Transaction Amount, Gross Transaction Currency, Fee
Debit or Credit, Fee Amount, Fee Currency, Custom Field, ...``.

Amounts are in the currency's minor unit (``11900`` = 119.00 EUR), their
direction in the ``CR``/``DR`` column. As in the activity download, the gross
amount is one movement and the fee a ``fee`` movement linked to it; the
invoice id (the shop's order id) is the end-to-end id; a ``PayPal Reference
ID`` of type ``TXN`` links refunds, reversals and chargebacks to their
payment. The transaction event code (``T0006``...) decides the booking type
(``docs/formats/paypal.md``). Footer lines are not read.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

import moneyed

from paymatch.errors import ParseError
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

__all__ = ["PayPalSettlementParser", "booking_type_of", "parsers"]

_COLUMNS: dict[str, tuple[str, ...]] = {
    "record": ("CH",),
    "transaction_id": ("Transaction ID",),
    "invoice": ("Invoice ID",),
    "reference": ("PayPal Reference ID",),
    "reference_type": ("PayPal Reference ID Type",),
    "event": ("Transaction Event Code",),
    "initiated": ("Transaction Initiation Date",),
    "completed": ("Transaction Completion Date",),
    "direction": ("Transaction Debit or Credit",),
    "gross": ("Gross Transaction Amount",),
    "currency": ("Gross Transaction Currency",),
    "fee_direction": ("Fee Debit or Credit",),
    "fee": ("Fee Amount",),
    "custom": ("Custom Field",),
    "consumer": ("Consumer ID",),
}
_REQUIRED = ("transaction_id", "event", "direction", "gross", "currency")

#: Event codes with a booking type of their own (checked before the groups below).
_EVENTS = {
    "T1106": (BookingType.CHARGEBACK, True),  # payment reversal
    "T1107": (BookingType.REFUND, False),  # payment refund
    "T1201": (BookingType.CHARGEBACK, False),  # chargeback
    "T1202": (BookingType.CHARGEBACK, True),  # chargeback reversal
}
#: Event code groups (the two digits after ``T``) -> booking type; ``None``: by direction.
_GROUPS = {
    "00": None,  # PayPal account-to-account payment
    "01": BookingType.FEE,  # non-payment-related fees
    "02": BookingType.TRANSFER,  # currency conversion
    "03": BookingType.TRANSFER,  # bank deposit into the PayPal account
    "04": BookingType.PAYOUT,  # bank withdrawal from the PayPal account
    "11": BookingType.OTHER,  # reversals and holds not named above
    "12": BookingType.OTHER,  # adjustments not named above
    "15": BookingType.OTHER,  # temporary holds
    "19": BookingType.OTHER,  # account corrections
    "21": BookingType.OTHER,  # reserves and releases
}


def booking_type_of(event: str, credit: bool) -> tuple[BookingType, bool] | None:
    """The booking type and reversal flag of a transaction event code; ``None`` if unknown."""
    if event in _EVENTS:
        return _EVENTS[event]
    group = event[1:3] if event.startswith("T") and len(event) == 5 else ""
    if group not in _GROUPS:
        return None
    booking_type = _GROUPS[group]
    if booking_type is None:
        booking_type = BookingType.INCOMING if credit else BookingType.OUTGOING
    return booking_type, False


class PayPalSettlementParser:
    """PayPal's settlement report, STL (see the module docstring)."""

    name = "paypal.stl"
    description = "PayPal settlement report (STL, CSV with RH/SH/CH/SB records)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for an ``RH`` first line or a ``CH`` line with the STL's columns."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff")
        for line in text.splitlines()[:12]:
            cells = [cell.strip().strip('"') for cell in line.split(",")]
            if cells[0] == "CH" and "Transaction Event Code" in cells:
                return 1.0
        return 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every transaction of the report: one statement per currency."""
        text, _ = decode(read_all(data), source=source)
        reader = _Reader(source)
        movements = list(reader.movements(text_lines(text)))
        return currency_statements(
            movements, reader.findings, kind=AccountKind.PAYPAL, format=self.name
        )

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream`` one by one, memory flat."""
        reader = _Reader(source)
        for movement in reader.movements(streamed_lines(stream, source)):
            yield movement
            reader.findings.found.clear()  # the findings go with parse(); keep memory flat


def parsers() -> tuple[PayPalSettlementParser, ...]:
    """The built-in PayPal settlement report parser."""
    return (PayPalSettlementParser(),)


class _Reader:
    def __init__(self, source: str | None) -> None:
        self.source = source
        self.findings = Findings(source)
        self.account = "unknown"

    def movements(self, lines: Iterable[str]) -> Iterator[Movement]:
        """The ``SB`` rows as movements; ``SH`` names the account, ``CH`` the columns."""
        iterator = iter(lines)
        preamble = 0
        for line in iterator:
            preamble += 1
            record = line.lstrip("\ufeff").split(",", 1)[0].strip().strip('"')
            if record == "SH":
                try:
                    cells = [cell.strip() for cell in next(csv.reader([line.rstrip()]), [])]
                except csv.Error as error:
                    raise ParseError(
                        f"not a CSV line: {error}", source=self.source, line=preamble
                    ) from None
                self.account = cells[3] if len(cells) > 3 and cells[3] else self.account
            elif record == "CH":
                break
        else:
            raise ParseError("expected the column header line (CH); found none", source=self.source)
        _, rows = read_rows(
            itertools.chain([line], iterator), _COLUMNS, _REQUIRED, self.source, report="the STL"
        )
        for row in rows:
            if row.get("record") != "SB":
                continue  # section and report footers, headers of further sections
            yield from self._movements(row, preamble)

    def _fail(self, row: Row, field: str, expected: str, preamble: int) -> ParseError:
        return ParseError(
            f"column {_COLUMNS[field][0]}: expected {expected}, got {row.get(field)!r}",
            source=self.source,
            line=(row.line or 0) + preamble - 1,
        )

    def _amount(
        self, row: Row, field: str, direction_field: str, currency: str, preamble: int
    ) -> Decimal:
        text = row.get(field) or "0"
        direction = (row.get(direction_field) or "CR").upper()
        if not (text.isascii() and text.isdigit()) or direction not in ("CR", "DR"):
            raise self._fail(row, field, "minor units with CR or DR", preamble)
        try:
            unit = moneyed.get_currency(currency).sub_unit or 1
        except moneyed.CurrencyDoesNotExist:
            raise self._fail(row, "currency", "an ISO 4217 currency code", preamble) from None
        places = len(str(unit)) - 1
        amount = Decimal(int(text)).scaleb(-places)
        return amount if direction == "CR" else -amount

    def _movements(self, row: Row, preamble: int) -> Iterator[Movement]:
        line = (row.line or 0) + preamble - 1
        currency = (row.get("currency") or "").upper()
        gross = self._amount(row, "gross", "direction", currency, preamble)
        fee = self._amount(row, "fee", "fee_direction", currency, preamble)
        event = (row.get("event") or "").upper()
        known = booking_type_of(event, gross > 0)
        if known is None:
            known = (BookingType.OTHER, False)
            self.findings.note(
                line,
                currency,
                Severity.INFO,
                "unknown_transaction_type",
                f"PayPal event code {event!r} is not known: read as other",
            )
        booking_type, reversal = known
        date_text = row.get("initiated") or row.get("completed") or ""
        try:
            day = dt.date.fromisoformat(date_text[:10].replace("/", "-"))
        except ValueError:
            expected = "a date such as 2026/03/02 10:15:00"
            raise self._fail(row, "initiated", expected, preamble) from None
        transaction_id = row.get("transaction_id")
        is_transaction = (row.get("reference_type") or "").upper() == "TXN"
        linked = row.get("reference") if is_transaction else None
        key = f"{AccountKind.PAYPAL.value}:{self.account}"
        position = SourcePosition(source=self.source, line=line)
        if gross != 0 or fee == 0:
            yield Movement(
                account=key,
                amount=to_money(gross, currency),
                booking_date=day,
                booking_type=booking_type,
                remittance_info=row.get("custom") or event or None,
                end_to_end_id=row.get("invoice"),
                transaction_id=transaction_id,
                reference_transaction_id=linked,
                bank_transaction_code=event or None,
                reversal=reversal,
                source=position,
            )
        if fee != 0:
            yield Movement(
                account=key,
                amount=to_money(fee, currency),
                booking_date=day,
                booking_type=BookingType.FEE,
                remittance_info=f"PayPal fee: {event}",
                transaction_id=f"{transaction_id}-FEE" if transaction_id else None,
                reference_transaction_id=transaction_id,
                bank_transaction_code=event or None,
                source=position,
            )
