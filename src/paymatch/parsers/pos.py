"""POS payments: what a till took for orders made in the ERP, as CSV or JSON.

paymatch's own documented format (``docs/formats/pos.md``) for point-of-sale
systems that settle orders created elsewhere (an order opened at the till by
customer, order or invoice number, paid in cash or by card). One record per
payment::

    payment_id, time, order_number, invoice_number, customer_number, customer_name,
    amount, currency, method, status, till, reference_payment_id, note

Required: ``payment_id``, ``time`` (ISO 8601, ``2026-03-02T10:15:00+01:00``),
``amount`` (decimal point), ``currency``, ``method`` and an ``order_number``
or ``invoice_number``. A CSV file has these names in its header line (UTF-8,
comma-separated); a JSON file is ``{"pos_payments": [{...}, ...]}``.

Each payment becomes a movement on the till's account ``pos:<till>`` that
carries the order number as end-to-end id, so the matcher assigns it to its
order by that number; a negative amount is money given back at the till
(a refund, linked to ``reference_payment_id``). ``method`` (cash, card,
voucher, other) is kept as the transaction code; ``status`` is completed
unless it says pending, failed or cancelled.

>>> data = (b"payment_id,time,order_number,amount,currency,method\\n"
...         b"P-1,2026-03-02T10:15:00+01:00,AU-2001,49.90,EUR,card\\n")
>>> movement = PosParser().parse(data).statements[0].movements[0]
>>> movement.account, movement.end_to_end_id, str(movement.amount.amount)
('pos:till', 'AU-2001', '49.90')
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import BinaryIO

from paymatch.errors import ParseError
from paymatch.model import (
    AccountKind,
    BookingType,
    Counterparty,
    Movement,
    SourcePosition,
    Status,
    to_money,
)
from paymatch.parsers.base import HEAD_SIZE, read_all
from paymatch.parsers.provider_csv import (
    Findings,
    Row,
    amount_of,
    currency_statements,
    read_rows,
    streamed_lines,
)
from paymatch.parsers.result import ParseResult
from paymatch.parsers.text import decode, text_lines

__all__ = ["FIELDS", "METHODS", "PosParser", "parsers"]

#: The fields of a POS payment, in the order of the CSV header.
FIELDS = (
    "payment_id",
    "time",
    "order_number",
    "invoice_number",
    "customer_number",
    "customer_name",
    "amount",
    "currency",
    "method",
    "status",
    "till",
    "reference_payment_id",
    "note",
)
_REQUIRED = ("payment_id", "time", "amount", "currency", "method")
#: The payment methods a till reports.
METHODS = frozenset({"cash", "card", "voucher", "other"})
_STATUSES = {
    "completed": Status.COMPLETED,
    "pending": Status.PENDING,
    "failed": Status.FAILED,
    "cancelled": Status.CANCELLED,
}


class PosParser:
    """Payments taken at a till, CSV or JSON (see the module docstring)."""

    name = "pos"
    description = "POS payments for ERP orders (paymatch's CSV or JSON layout)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for the CSV header or the JSON key of the format, 0 otherwise."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
        if text.startswith("{") and '"pos_payments"' in text:
            return 1.0
        names = {name.strip().strip('"') for name in text.split("\n", 1)[0].split(",")}
        return 1.0 if {"payment_id", "order_number", "method"} <= names else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every payment of ``data``: one statement per till and currency."""
        text, _ = decode(read_all(data), source=source)
        if text.lstrip().startswith("{"):
            rows = list(_json_rows(text, source))
        else:
            rows = list(_csv_rows(text_lines(text), source))
        movements = [_movement(row, source) for row in rows]
        return currency_statements(
            movements, Findings(source), kind=AccountKind.POS, format=self.name
        )

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The payments of a CSV ``stream`` one by one (a JSON document is read whole)."""
        lines = streamed_lines(stream, source)
        first = next(lines, "")
        if first.lstrip("\ufeff").lstrip().startswith("{"):
            document = first + "".join(lines)
            for row in _json_rows(document, source):
                yield _movement(row, source)
            return
        for row in _csv_rows(itertools.chain([first], lines), source):
            yield _movement(row, source)


def parsers() -> tuple[PosParser, ...]:
    """The built-in POS parser."""
    return (PosParser(),)


def _csv_rows(lines: Iterable[str], source: str | None) -> Iterator[Row]:
    _, rows = read_rows(
        lines, {field: (field,) for field in FIELDS}, _REQUIRED, source, report="the POS"
    )
    return rows


def _json_rows(text: str, source: str | None) -> Iterator[Row]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(
            f"not JSON: {error.msg}", source=source, line=error.lineno, column=error.colno
        ) from None
    payments = document.get("pos_payments") if isinstance(document, Mapping) else None
    if not isinstance(payments, list):
        raise ParseError('expected {"pos_payments": [...]}', source=source, path="$")
    for index, payment in enumerate(payments):
        if not isinstance(payment, Mapping):
            raise ParseError("expected an object", source=source, path=f"$.pos_payments[{index}]")
        cells = {}
        for field in FIELDS:
            value = payment.get(field)
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                raise ParseError(
                    f"expected a string, got {value!r}",
                    source=source,
                    path=f"$.pos_payments[{index}].{field}",
                )
            cells[field] = value.strip()
        yield Row(None, cells, path=f"$.pos_payments[{index}]")


def _fail(row: Row, field: str, expected: str, source: str | None) -> ParseError:
    what = f"expected {expected}, got {row.get(field)!r}"
    if row.path is not None:  # a JSON record: the path names the field
        return ParseError(what, source=source, path=f"{row.path}.{field}")
    return ParseError(f"{field}: {what}", source=source, line=row.line)


def _movement(row: Row, source: str | None) -> Movement:
    """The movement of one payment (see the module docstring)."""
    for field in _REQUIRED:
        if row.get(field) is None:
            raise _fail(row, field, "a value", source)
    order = row.get("order_number") or row.get("invoice_number")
    if order is None:
        raise _fail(row, "order_number", "an order or invoice number", source)
    amount = amount_of(row.get("amount") or "", decimal_comma=False)
    if amount is None or amount == 0:
        raise _fail(
            row, "amount", "an amount such as 49.90 (negative for money given back)", source
        )
    try:
        time = dt.datetime.fromisoformat(row.get("time") or "")
    except ValueError:
        raise _fail(
            row, "time", "an ISO 8601 time such as 2026-03-02T10:15:00+01:00", source
        ) from None
    method = (row.get("method") or "").casefold()
    if method not in METHODS:
        raise _fail(row, "method", f"one of {', '.join(sorted(METHODS))}", source)
    status = _STATUSES.get((row.get("status") or "completed").casefold())
    if status is None:
        raise _fail(row, "status", f"one of {', '.join(_STATUSES)}", source)
    till = row.get("till") or "till"
    text = " ".join(part for part in (f"POS {method}", order, row.get("note")) if part)
    try:
        return Movement(
            account=f"{AccountKind.POS.value}:{till}",
            amount=to_money(amount, (row.get("currency") or "").upper()),
            booking_date=time.date(),
            booking_type=BookingType.INCOMING if amount > Decimal(0) else BookingType.REFUND,
            status=status,
            counterparty=Counterparty(
                name=row.get("customer_name"), account_number=row.get("customer_number")
            ),
            remittance_info=text,
            end_to_end_id=order,
            transaction_id=row.get("payment_id"),
            reference_transaction_id=row.get("reference_payment_id"),
            bank_transaction_code=method,
            source=SourcePosition(source=source, line=row.line, path=row.path),
        )
    except ValueError as error:  # a value the model refuses (a currency code, say)
        raise ParseError(str(error), source=source, line=row.line, path=row.path) from None
