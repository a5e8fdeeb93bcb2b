"""Stripe balance history: the dashboard's balance export and the itemised balance-change report.

Implements the columns of Stripe's "Balance" export (Dashboard > Balance >
Export: ``id, Type, Source, Amount, Fee, Net, Currency, Created (UTC), ...
Transfer``) and of the itemised "Balance change from activity" report
(``balance_transaction_id, created_utc, currency, gross, fee, net,
reporting_category, source_id, ... automatic_payout_id, charge_id``), as
Stripe's documentation of balance transactions and reporting categories
describes them (see ``docs/formats/stripe.md``).

Each row is one balance transaction. Its amount becomes a movement whose
transaction id is, for a charge, the charge id (``ch_...``/``py_...``: what a
shop stores with its order) and otherwise the balance transaction id
(``txn_...``; one dispute or payout can cause several), which is also the bank
reference of every movement; refunds and
disputes name their charge in ``reference_transaction_id`` (from ``charge_id``
or their description), so the ledger links them to the payment. A fee becomes
a second movement of type ``fee`` linked to it. An order id from the
metadata (``order_id``) is the end-to-end id the matcher reads; the
description is the remittance information.

Balance transactions are changes of the balance that happened: every
movement is completed. The file has no running balance, so instead of the
balance identity each payout in the file is checked against the rows it
paid out (``Transfer`` / ``automatic_payout_id``): their net amounts must add
up to the payout, or a ``payout_mismatch`` diagnostic names it.

>>> data = (b"id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Description\\n"
...         b"txn_1,charge,ch_1,119.00,-2.03,116.97,eur,2026-03-02 09:12,Order AU-2001\\n")
>>> [(m.transaction_id, str(m.amount.amount), m.booking_type.value)
...  for m in StripeParser().parse(data).statements[0].movements]
[('ch_1', '119.00', 'incoming'), ('ch_1-FEE', '-2.03', 'fee')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

from paymatch.errors import ParseError
from paymatch.model import (
    AccountKind,
    BookingType,
    Counterparty,
    Movement,
    SourcePosition,
    to_money,
)
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

__all__ = ["StripeParser", "booking_type_of", "parsers"]

_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "balance_transaction_id"),
    "type": ("Type", "reporting_category", "type"),
    "source": ("Source", "source_id"),
    "gross": ("Amount", "gross"),
    "fee": ("Fee", "fee"),
    "net": ("Net", "net"),
    "currency": ("Currency", "currency"),
    "created": ("Created (UTC)", "created_utc", "created"),
    "description": ("Description", "description"),
    "payout": ("Transfer", "automatic_payout_id"),
    "charge": ("charge_id",),
    "email": ("customer_email", "Customer Email"),
    "name": ("customer_name", "Customer Name"),
    "order": ("order_id", "order_id (metadata)", "payment_metadata[order_id]", "Order ID"),
}
_REQUIRED = ("id", "type", "gross", "currency", "created")

#: Stripe's balance-transaction types and reporting categories -> booking types.
_TYPES = {
    "charge": None,  # incoming, or outgoing when negative
    "payment": None,
    "refund": BookingType.REFUND,
    "payment_refund": BookingType.REFUND,
    "refund_failure": BookingType.REFUND,
    "partial_capture_reversal": BookingType.REFUND,
    "dispute": BookingType.CHARGEBACK,
    "dispute_reversal": BookingType.CHARGEBACK,
    "payout": BookingType.PAYOUT,
    "payout_reversal": BookingType.PAYOUT,
    "payout_cancel": BookingType.PAYOUT,
    "payout_failure": BookingType.PAYOUT,
    "stripe_fee": BookingType.FEE,
    "fee": BookingType.FEE,
    "application_fee": BookingType.FEE,
    "network_cost": BookingType.FEE,
    "tax": BookingType.FEE,
    "transfer": BookingType.TRANSFER,
    "topup": BookingType.TRANSFER,
    "adjustment": BookingType.OTHER,
    "other_adjustment": BookingType.OTHER,
    "risk_reserved_funds": BookingType.OTHER,
    "connect_reserved_funds": BookingType.OTHER,
}
#: Types that undo an earlier movement of the same kind (money coming back).
_REVERSALS = frozenset(
    {"refund_failure", "dispute_reversal", "payout_reversal", "payout_cancel", "payout_failure"}
)
_CHARGES = frozenset({"charge", "payment"})
_CHARGE = re.compile(r"\b(?:ch|py)_[A-Za-z0-9]+")
_DISPUTE_WORDS = ("chargeback", "dispute")


def booking_type_of(kind: str, amount: Decimal, description: str | None) -> BookingType | None:
    """The booking type of a Stripe type or reporting category; ``None`` when unknown.

    An ``adjustment`` whose description speaks of a chargeback or dispute is
    one (the legacy export files disputes as adjustments).
    """
    folded = kind.casefold()
    if folded not in _TYPES:
        return None
    booking_type = _TYPES[folded]
    if booking_type is None:
        return BookingType.INCOMING if amount > 0 else BookingType.OUTGOING
    text = (description or "").casefold()
    if booking_type is BookingType.OTHER and any(word in text for word in _DISPUTE_WORDS):
        return BookingType.CHARGEBACK
    return booking_type


class StripeParser:
    """Stripe's balance export and itemised balance-change report (see the module docstring).

    ``account`` names the Stripe account (``acct_...``) in the account key
    ``stripe:<account>``; the export does not say which account it is.
    """

    name = "stripe"
    description = "Stripe balance history / itemised balance change report (CSV)"

    def __init__(self, *, account: str = "balance") -> None:
        self.account = account

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a header line of Stripe's columns, 0 otherwise."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff")
        cells = {cell.strip().strip('"') for cell in text.split("\n", 1)[0].split(",")}
        legacy = {"id", "Type", "Source", "Amount", "Net", "Created (UTC)"} <= cells
        itemised = {"balance_transaction_id", "reporting_category", "gross", "net"} <= cells
        return 1.0 if legacy or itemised else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every balance transaction of ``data``: one statement per currency, payouts checked."""
        text, _ = decode(read_all(data), source=source)
        _, rows = read_rows(text_lines(text), _COLUMNS, _REQUIRED, source, report="Stripe")
        reader = _Reader(source, self.account)
        movements = [movement for row in rows for movement in reader.movements(row)]
        return reader.result(movements)

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream`` one by one, memory flat."""
        lines = streamed_lines(stream, source)
        _, rows = read_rows(lines, _COLUMNS, _REQUIRED, source, report="Stripe")
        reader = _Reader(source, self.account)
        for row in rows:
            yield from reader.movements(row)
            reader.payouts.clear()  # the payout check goes with parse(); keep memory flat here


def parsers() -> tuple[StripeParser, ...]:
    """The built-in Stripe parser."""
    return (StripeParser(),)


class _Reader:
    """What one file needs while reading: the account, the findings, the payouts seen."""

    def __init__(self, source: str | None, account: str) -> None:
        self.source = source
        self.account = account
        self.findings = Findings(source)
        self.payouts = PayoutCheck()

    def _fail(self, row: Row, field: str, expected: str) -> ParseError:
        return ParseError(
            f"column {_COLUMNS[field][0]}: expected {expected}, got {row.get(field)!r}",
            source=self.source,
            line=row.line,
        )

    def _amount(self, row: Row, field: str) -> Decimal:
        text = row.get(field)
        if text is None:
            return Decimal(0)
        amount = amount_of(text, decimal_comma=False)
        if amount is None:
            raise self._fail(row, field, "an amount such as -1234.56")
        return amount

    def _date(self, row: Row) -> dt.date:
        text = row.get("created") or ""
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise self._fail(row, "created", "a date such as 2026-03-02 09:12") from None

    def movements(self, row: Row) -> Iterator[Movement]:
        """The balance transaction of one row and its fee, if any."""
        balance_transaction = row.get("id")
        if balance_transaction is None:
            raise self._fail(row, "id", "the balance transaction id")
        gross = self._amount(row, "gross")
        fee = self._amount(row, "fee")
        net = self._amount(row, "net") if row.get("net") else gross + fee
        kind = row.get("type") or ""
        description = row.get("description")
        booking_type = booking_type_of(kind, gross, description)
        if booking_type is None:
            booking_type = BookingType.OTHER
            self.findings.note(
                row.line,
                (row.get("currency") or "").upper(),
                Severity.INFO,
                "unknown_transaction_type",
                f"Stripe type {kind!r} is not known: read as other",
            )
        currency = (row.get("currency") or "").upper()
        source_object = row.get("source")
        # a charge is known by its charge id (what the shop stores with the order); anything
        # else by its balance transaction, as one dispute or payout can cause several of those
        charged = kind.casefold() in _CHARGES and source_object is not None
        caused_by = source_object if charged and source_object else balance_transaction
        charge = row.get("charge") or _charge_in(description)
        reference = charge if charge != caused_by else None
        self._track_payout(row, kind, source_object or balance_transaction, net, currency)
        day = self._date(row)
        position = SourcePosition(source=self.source, line=row.line)
        key = f"{AccountKind.STRIPE.value}:{self.account}"
        try:
            yield Movement(
                account=key,
                amount=to_money(gross, currency),
                booking_date=day,
                booking_type=booking_type,
                counterparty=Counterparty(name=row.get("name"), account_number=row.get("email")),
                remittance_info=description,
                end_to_end_id=row.get("order"),
                bank_reference=balance_transaction,
                transaction_id=caused_by,
                reference_transaction_id=reference,
                bank_transaction_code=kind or None,
                reversal=kind.casefold() in _REVERSALS,
                source=position,
            )
            if fee != 0:
                yield Movement(
                    account=key,
                    amount=to_money(fee, currency),
                    booking_date=day,
                    booking_type=BookingType.FEE,
                    remittance_info=f"Stripe fee: {kind}" if kind else "Stripe fee",
                    transaction_id=f"{caused_by}-FEE",
                    reference_transaction_id=caused_by,
                    bank_transaction_code=kind or None,
                    source=position,
                )
        except ValueError as error:  # a value the model refuses (a currency code, say)
            raise ParseError(str(error), source=self.source, line=row.line) from None

    def _track_payout(
        self, row: Row, kind: str, caused_by: str, net: Decimal, currency: str
    ) -> None:
        if kind.casefold() == "payout" and caused_by.startswith("po_"):
            self.payouts.payout(caused_by, net, row.line, currency)
        paid_by = row.get("payout")
        if paid_by and paid_by != caused_by:
            self.payouts.paid(paid_by, net)

    def result(self, movements: list[Movement]) -> ParseResult:
        """One statement per currency; each payout checked against the rows it paid out."""
        self.payouts.report(self.findings)
        return currency_statements(
            movements,
            self.findings,
            kind=AccountKind.STRIPE,
            format=StripeParser.name,
        )


def _charge_in(description: str | None) -> str | None:
    """The charge a refund or dispute names in its description (``REFUND FOR CHARGE (ch_1)``)."""
    found = _CHARGE.search(description or "")
    return found.group(0) if found else None
