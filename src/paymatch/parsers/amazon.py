"""Amazon marketplace settlement report, flat file V2 (tab-separated).

Implements the columns of Amazon's "Flat File V2" settlement report (Seller
Central > Payments > Reports repository): ``settlement-id,
settlement-start-date, settlement-end-date, deposit-date, total-amount,
currency, transaction-type, order-id, merchant-order-id, adjustment-id,
shipment-id, marketplace-name, amount-type, amount-description, amount, ...,
posted-date, ...``. The first data row is the settlement's summary (its
period, deposit date and total); every further row is one amount of one
order, refund or other transaction (principal, shipping, promotion, the
commission Amazon keeps...).

The amounts of one transaction (same type, order, shipment or adjustment and
posting date) are summed: what the buyer paid (``ItemPrice``, ``Promotion``
and the like) becomes one movement carrying Amazon's order id as transaction
id and the shop's order id (``merchant-order-id``) as end-to-end id; the
fees Amazon keeps (``ItemFees`` and ``*Fee*`` amounts) become a ``fee``
movement linked to it. A refund is linked to its order. The settlement's
total is paid out to the bank on the deposit date (a ``payout`` movement),
and the amounts must add up to that total (``settlement_total_mismatch``
otherwise).

Amounts and dates come as the marketplace writes them: ``1234.56`` or
``1234,56``, ``2026-03-02 10:15:00 UTC`` or ``02.03.2026 10:15:00 UTC``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

import attrs

from paymatch.errors import ParseError
from paymatch.model import AccountKind, BookingType, Movement, SourcePosition, to_money
from paymatch.parsers.base import HEAD_SIZE, ReadWhole, read_all
from paymatch.parsers.provider_csv import Findings, Row, amount_of, currency_statements
from paymatch.parsers.result import ParseResult, Severity
from paymatch.parsers.text import decode, text_lines

__all__ = ["AmazonSettlementParser", "parsers"]

_FIELDS = (
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "amount",
    "posted-date",
)
_REQUIRED = ("settlement-id", "transaction-type", "amount-type", "amount", "posted-date")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{2})\.(\d{2})\.(\d{4})")

#: Transaction types -> booking type of what the buyer paid (fees are always ``fee``).
_TYPES = {
    "order": BookingType.INCOMING,
    "refund": BookingType.REFUND,
    "chargeback refund": BookingType.CHARGEBACK,
    "a-to-z guarantee claim": BookingType.CHARGEBACK,
    "servicefee": BookingType.FEE,
    "other-transaction": BookingType.OTHER,
    "adjustment": BookingType.OTHER,
}


def _is_fee(amount_type: str, description: str) -> bool:
    """Whether an amount is a fee Amazon keeps (commission, fulfilment, subscription...)."""
    return (
        amount_type.casefold() == "itemfees"
        or "fee" in description.casefold()
        or ("commission" in description.casefold())
    )


@attrs.define
class _Transaction:
    """The summed amounts of one order, refund or other transaction."""

    kind: str
    order: str | None
    merchant_order: str | None
    adjustment: str | None
    day: dt.date
    line: int
    paid: Decimal = Decimal(0)
    fees: Decimal = Decimal(0)
    descriptions: list[str] = attrs.field(factory=list)


class AmazonSettlementParser(ReadWhole):
    """Amazon's settlement report, flat file V2 (see the module docstring)."""

    name = "amazon"
    description = "Amazon marketplace settlement report, flat file V2 (tab-separated)"

    def __init__(self, *, account: str | None = None) -> None:
        self.account = account

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for the flat file's tab-separated header line, 0 otherwise."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff")
        names = set(text.split("\n", 1)[0].rstrip("\r").split("\t"))
        return 1.0 if {"settlement-id", "amount-type", "amount-description"} <= names else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """The settlement's transactions and its payout, checked against its total."""
        text, _ = decode(read_all(data), source=source)
        return _Settlement(source, self.account).read(text_lines(text))


def parsers() -> tuple[AmazonSettlementParser, ...]:
    """The built-in Amazon settlement parser."""
    return (AmazonSettlementParser(),)


class _Settlement:
    def __init__(self, source: str | None, account: str | None) -> None:
        self.source = source
        self.account = account
        self.findings = Findings(source)
        self.decimal_comma = False

    def _fail(self, row: Row, field: str, expected: str) -> ParseError:
        return ParseError(
            f"column {field}: expected {expected}, got {row.get(field)!r}",
            source=self.source,
            line=row.line,
        )

    def _amount(self, row: Row, field: str) -> Decimal:
        text = (row.get(field) or "").replace(",", ".") if self.decimal_comma else row.get(field)
        amount = amount_of(text or "", decimal_comma=False)
        if amount is None:
            raise self._fail(row, field, "an amount such as -12.34")
        return amount

    def _date(self, row: Row, field: str) -> dt.date:
        found = _DATE.match(row.get(field) or "")
        try:
            if found is None:
                raise ValueError
            year, month, day = found.group(1, 2, 3) if found.group(1) else found.group(6, 5, 4)
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise self._fail(row, field, "a date such as 2026-03-02 10:15:00 UTC") from None

    def read(self, lines: Iterable[str]) -> ParseResult:
        rows = list(_rows(lines, self.source))
        if not rows:
            raise ParseError(
                "expected the settlement's summary row; found none", source=self.source
            )
        summary, items = rows[0], rows[1:]
        if summary.get("total-amount") is None or summary.get("deposit-date") is None:
            raise self._fail(summary, "total-amount", "the settlement's total on the first row")
        self.decimal_comma = "," in (summary.get("total-amount") or "")
        settlement = summary.get("settlement-id") or ""
        currency = (summary.get("currency") or "").upper()
        total = self._amount(summary, "total-amount")
        deposit = self._date(summary, "deposit-date")
        marketplaces = (row.get("marketplace-name") for row in rows)
        account = self.account or next((name for name in marketplaces if name), "amazon")
        key = f"{AccountKind.AMAZON_PAY.value}:{account}"
        transactions: dict[tuple[str, str, str, dt.date], _Transaction] = {}
        summed = Decimal(0)
        for row in items:
            amount = self._amount(row, "amount")
            summed += amount
            day = self._date(row, "posted-date")
            kind = row.get("transaction-type") or ""
            order = row.get("order-id")
            part = row.get("shipment-id") or row.get("adjustment-id") or ""
            transaction = transactions.setdefault(
                (kind, order or "", part, day),
                _Transaction(
                    kind,
                    order,
                    row.get("merchant-order-id"),
                    row.get("adjustment-id"),
                    day,
                    row.line or 0,
                ),
            )
            description = row.get("amount-description") or ""
            if _is_fee(row.get("amount-type") or "", description):
                transaction.fees += amount
            else:
                transaction.paid += amount
            if description and description not in transaction.descriptions:
                transaction.descriptions.append(description)
        if summed != total:
            self.findings.note(
                summary.line,
                currency,
                Severity.ERROR,
                "settlement_total_mismatch",
                f"the settlement's amounts add up to {summed}, its total is {total}",
            )
        movements = [m for t in transactions.values() for m in self._movements(t, key, currency)]
        try:
            payout = Movement(
                account=key,
                amount=to_money(-total, currency),
                booking_date=deposit,
                booking_type=BookingType.PAYOUT,
                remittance_info=f"Amazon settlement {settlement}",
                transaction_id=f"settlement-{settlement}",
                source=SourcePosition(source=self.source, line=summary.line),
            )
        except ValueError as error:  # a value the model refuses (a currency code, say)
            raise ParseError(str(error), source=self.source, line=summary.line) from None
        movements.append(payout)
        return currency_statements(
            movements, self.findings, kind=AccountKind.AMAZON_PAY, format="amazon"
        )

    def _movements(self, t: _Transaction, key: str, currency: str) -> Iterator[Movement]:
        booking_type = _TYPES.get(t.kind.casefold())
        if booking_type is None:
            booking_type = BookingType.OTHER
            self.findings.note(
                t.line,
                currency,
                Severity.INFO,
                "unknown_transaction_type",
                f"Amazon transaction type {t.kind!r} is not known: read as other",
            )
        if booking_type is BookingType.INCOMING and t.paid < 0:
            booking_type = BookingType.OUTGOING
        parts = (t.kind.casefold().replace(" ", "_"), t.order, t.adjustment, t.day.isoformat())
        own = "-".join(part for part in parts if part)
        position = SourcePosition(source=self.source, line=t.line)
        reference = t.order if t.kind.casefold() != "order" else None
        text = " ".join([t.kind, *t.descriptions])
        try:
            if t.paid != 0 or t.fees == 0:
                yield Movement(
                    account=key,
                    amount=to_money(t.paid, currency),
                    booking_date=t.day,
                    booking_type=booking_type,
                    remittance_info=text,
                    end_to_end_id=t.merchant_order,
                    transaction_id=t.order if t.kind.casefold() == "order" and t.order else own,
                    reference_transaction_id=reference,
                    bank_transaction_code=t.kind or None,
                    source=position,
                )
            if t.fees != 0:
                payment = t.order if t.kind.casefold() == "order" and t.order else own
                yield Movement(
                    account=key,
                    amount=to_money(t.fees, currency),
                    booking_date=t.day,
                    booking_type=BookingType.FEE,
                    remittance_info=f"Amazon fees: {text}",
                    transaction_id=f"{own}-FEE",
                    reference_transaction_id=payment,
                    bank_transaction_code=t.kind or None,
                    source=position,
                )
        except ValueError as error:  # a value the model refuses (a currency code, say)
            raise ParseError(str(error), source=self.source, line=t.line) from None


def _rows(lines: Iterable[str], source: str | None) -> Iterator[Row]:
    """The tab-separated rows by column name (the flat file quotes nothing)."""
    iterator = iter(lines)
    header = next(iterator, "").lstrip("\ufeff").rstrip("\r\n").split("\t")
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise ParseError(
            f"expected Amazon's columns {', '.join(missing)} in the header line",
            source=source,
            line=1,
        )
    wanted = {name: header.index(name) for name in _FIELDS if name in header}
    for number, line in enumerate(iterator, start=2):
        cells = line.rstrip("\r\n").split("\t")
        if not any(cell.strip() for cell in cells):
            continue
        yield Row(
            number,
            {
                name: cells[index].strip()
                for name, index in wanted.items()
                if index < len(cells) and cells[index].strip()
            },
        )
