"""Adyen Settlement details report (CSV): every settled payment, refund, chargeback, fee, payout.

Implements the columns of Adyen's "Settlement details report" (one per
settlement batch, or over a period), as Adyen's reporting documentation
describes them: ``Company Account, Merchant Account, Psp Reference, Merchant
Reference, Payment Method, Creation Date, TimeZone, Type, Modification
Reference, Gross Currency, Gross Debit (GC), Gross Credit (GC), Exchange
Rate, Net Currency, Net Debit (NC), Net Credit (NC), Commission (NC), Markup
(NC), Scheme Fees (NC), Interchange (NC), ..., Batch Number``.

Amounts are booked in the net currency (the merchant account's settlement
currency). A row's net amount (credit minus debit) is split into the amount
before costs and the costs (commission, markup, scheme fees, interchange):
the payment (or refund, chargeback) movement carries the first, a ``fee``
movement linked to it the second. A ``Settled`` payment is known by its PSP
reference (what a shop stores with its order; its merchant reference, the
order id, is the end-to-end id); refunds, chargebacks and their reversals by
their modification reference, with the payment's PSP reference as
``reference_transaction_id``. A ``MerchantPayout`` row pays the batch out to
the bank; the batch's rows must add up to it (``payout_mismatch`` otherwise).

>>> data = (b"Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,"
...         b"Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),"
...         b"Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),"
...         b"Commission (NC),Markup (NC),Scheme Fees (NC),Interchange (NC),Batch Number\\n"
...         b"Shop,ShopEUR,8815,AU-2001,visa,2026-03-02 10:15:00,CET,Settled,8816,EUR,,119.00,1,"
...         b"EUR,,117.00,0.12,1.50,0.08,0.30,12\\n")
>>> [(m.transaction_id, str(m.amount.amount), m.booking_type.value)
...  for m in AdyenParser().parse(data).statements[0].movements]
[('8815', '119.00', 'incoming'), ('8815-FEE', '-2.00', 'fee')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

from paymatch.errors import ParseError
from paymatch.model import AccountKind, BookingType, Movement, SourcePosition, to_money
from paymatch.parsers.base import HEAD_SIZE, read_all
from paymatch.parsers.provider_csv import (
    Findings,
    PayoutCheck,
    Row,
    amount_of,
    currency_statements,
    read_rows,
    streamed_lines,
)
from paymatch.parsers.result import ParseResult, Severity
from paymatch.parsers.text import decode, text_lines

__all__ = ["AdyenParser", "booking_type_of", "parsers"]

_COLUMNS: dict[str, tuple[str, ...]] = {
    "merchant_account": ("Merchant Account",),
    "psp": ("Psp Reference",),
    "merchant_reference": ("Merchant Reference",),
    "method": ("Payment Method",),
    "created": ("Creation Date",),
    "type": ("Type",),
    "modification": ("Modification Reference",),
    "net_currency": ("Net Currency",),
    "net_debit": ("Net Debit (NC)",),
    "net_credit": ("Net Credit (NC)",),
    "commission": ("Commission (NC)",),
    "markup": ("Markup (NC)",),
    "scheme_fees": ("Scheme Fees (NC)",),
    "interchange": ("Interchange (NC)",),
    "modification_merchant_reference": ("Modification Merchant Reference",),
    "batch": ("Batch Number",),
}
_REQUIRED = ("merchant_account", "created", "type", "net_currency", "net_debit", "net_credit")
_COSTS = ("commission", "markup", "scheme_fees", "interchange")

#: Adyen's record types -> (booking type, whether it gives back money an earlier row took).
_TYPES: dict[str, tuple[BookingType | None, bool]] = {
    "settled": (None, False),  # incoming (or outgoing when negative)
    "settledbulk": (None, False),
    "refunded": (BookingType.REFUND, False),
    "refundedbulk": (BookingType.REFUND, False),
    "refundedexternally": (BookingType.REFUND, False),
    "refundedreversed": (BookingType.REFUND, True),
    "chargeback": (BookingType.CHARGEBACK, False),
    "secondchargeback": (BookingType.CHARGEBACK, False),
    "chargebackexternally": (BookingType.CHARGEBACK, False),
    "chargebackreversed": (BookingType.CHARGEBACK, True),
    "chargebackreversal": (BookingType.CHARGEBACK, True),
    "fee": (BookingType.FEE, False),
    "paymentcost": (BookingType.FEE, False),
    "misccosts": (BookingType.FEE, False),
    "invoicededuction": (BookingType.FEE, False),
    "merchantpayout": (BookingType.PAYOUT, False),
    "balancetransfer": (BookingType.TRANSFER, False),
    "depositcorrection": (BookingType.OTHER, False),
    "reserveadjustment": (BookingType.OTHER, False),
    "matchedstatement": (BookingType.OTHER, False),
}
#: Types whose row is the payment itself, known by its PSP reference.
_PAYMENTS = frozenset({"settled", "settledbulk"})


def booking_type_of(kind: str, amount: Decimal) -> tuple[BookingType, bool] | None:
    """The booking type and reversal flag of an Adyen record type; ``None`` when unknown."""
    known = _TYPES.get(kind.replace(" ", "").casefold())
    if known is None:
        return None
    booking_type, reversal = known
    if booking_type is None:
        booking_type = BookingType.INCOMING if amount > 0 else BookingType.OUTGOING
    return booking_type, reversal


class AdyenParser:
    """Adyen's Settlement details report (see the module docstring)."""

    name = "adyen"
    description = "Adyen settlement details report (CSV)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a header line of the report's columns, 0 otherwise."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff")
        names = {name.strip().strip('"') for name in text.split("\n", 1)[0].split(",")}
        return 1.0 if {"Psp Reference", "Net Debit (NC)", "Batch Number"} <= names else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every row of ``data``: one statement per merchant account and net currency."""
        text, _ = decode(read_all(data), source=source)
        _, rows = read_rows(text_lines(text), _COLUMNS, _REQUIRED, source, report="Adyen")
        reader = _Reader(source)
        movements = [movement for row in rows for movement in reader.movements(row)]
        reader.payouts.report(reader.findings)
        return currency_statements(
            movements, reader.findings, kind=AccountKind.ADYEN, format=self.name
        )

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream`` one by one, memory flat."""
        lines = streamed_lines(stream, source)
        _, rows = read_rows(lines, _COLUMNS, _REQUIRED, source, report="Adyen")
        reader = _Reader(source)
        for row in rows:
            yield from reader.movements(row)
            reader.payouts.clear()  # the totals check goes with parse(); keep memory flat here


def parsers() -> tuple[AdyenParser, ...]:
    """The built-in Adyen parser."""
    return (AdyenParser(),)


class _Reader:
    """What one report needs while reading: its findings and the batches' totals."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.findings = Findings(source)
        self.payouts = PayoutCheck()

    def _amount(self, row: Row, field: str) -> Decimal:
        text = row.get(field)
        if text is None:
            return Decimal(0)
        amount = amount_of(text, decimal_comma=False)
        if amount is None:
            raise ParseError(
                f"column {_COLUMNS[field][0]}: expected an amount such as 1234.56, got {text!r}",
                source=self.source,
                line=row.line,
            )
        return amount

    def _date(self, row: Row) -> dt.date:
        text = row.get("created") or ""
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise ParseError(
                f"column Creation Date: expected a date such as 2026-03-02 10:15:00, got {text!r}",
                source=self.source,
                line=row.line,
            ) from None

    def movements(self, row: Row) -> Iterator[Movement]:
        """The booking of one row and its costs, if any."""
        net = self._amount(row, "net_credit") - self._amount(row, "net_debit")
        costs = sum((self._amount(row, field) for field in _COSTS), Decimal(0))
        gross = net + costs
        kind = row.get("type") or ""
        currency = (row.get("net_currency") or "").upper()
        known = booking_type_of(kind, gross)
        if known is None:
            known = (BookingType.OTHER, False)
            self.findings.note(
                row.line,
                currency,
                Severity.INFO,
                "unknown_transaction_type",
                f"Adyen type {kind!r} is not known: read as other",
            )
        booking_type, reversal = known
        psp, modification = row.get("psp"), row.get("modification")
        is_payment = kind.replace(" ", "").casefold() in _PAYMENTS
        own = psp if is_payment else (modification or psp)
        batch = row.get("batch")
        if booking_type is BookingType.PAYOUT and batch:
            self.payouts.payout(batch, net, row.line, currency)
        elif batch:
            self.payouts.paid(batch, net)
        key = f"{AccountKind.ADYEN.value}:{row.get('merchant_account')}"
        day = self._date(row)
        position = SourcePosition(source=self.source, line=row.line)
        reference = row.get("modification_merchant_reference") or row.get("merchant_reference")
        try:
            if gross != 0 or costs == 0:
                yield Movement(
                    account=key,
                    amount=to_money(gross, currency),
                    booking_date=day,
                    booking_type=booking_type,
                    remittance_info=" ".join(part for part in (kind, reference) if part) or None,
                    end_to_end_id=row.get("merchant_reference"),
                    bank_reference=modification if is_payment else None,
                    transaction_id=own,
                    reference_transaction_id=None if is_payment or own == psp else psp,
                    bank_transaction_code=row.get("method") or kind or None,
                    reversal=reversal,
                    source=position,
                )
            if costs != 0:
                fee_id = f"{own}-FEE" if own else None
                yield Movement(
                    account=key,
                    amount=to_money(-costs, currency),
                    booking_date=day,
                    booking_type=BookingType.FEE,
                    remittance_info=f"Adyen costs: {kind}",
                    transaction_id=fee_id,
                    reference_transaction_id=own,
                    bank_transaction_code=kind or None,
                    source=position,
                )
        except ValueError as error:  # a value the model refuses (a currency code, say)
            raise ParseError(str(error), source=self.source, line=row.line) from None
