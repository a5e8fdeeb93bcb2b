"""Mollie: balance transactions and payments, as Mollie's API documents and exports them (JSON).

Implements two documents of the Mollie API v2 (docs.mollie.com), saved as
JSON — a whole list response (``{"_embedded": {...}}``) or a plain list:

* **balance transactions** (``resource: "balance_transaction"``: ``id``,
  ``type``, ``initialAmount``, ``deductions``, ``resultAmount``, ``context``,
  ``createdAt``): every change of the Mollie balance. The initial amount is
  the movement, the deductions (Mollie's fees) a ``fee`` movement linked to
  it. A payment is known by its payment id (``tr_...``, what a shop stores
  with its order); refunds and chargebacks point to it; outgoing transfers
  are payouts to the bank. All are completed.
* **payments** (``resource: "payment"``: ``id``, ``status``, ``amount``,
  ``description``, ``method``, ``metadata``, ``details``, ``createdAt``,
  ``paidAt``): every payment with its status — open and pending ones become
  pending movements, expired and canceled ones cancelled, failed ones failed
  (the payment management's pending and failed/cancelled folders), paid ones
  completed. The order id comes from ``metadata.order_id`` (or ``orderId``,
  ``order``).

A file holds one of the two kinds; importing both for the same period would
book a paid payment twice (once from each), so use the balance transactions
for the books and the payments for what is still open.

>>> data = (b'{"_embedded": {"balance_transactions": [{"resource": "balance_transaction",'
...         b' "id": "baltr_1", "type": "payment", "createdAt": "2026-03-02T10:15:00+00:00",'
...         b' "initialAmount": {"currency": "EUR", "value": "119.00"},'
...         b' "deductions": {"currency": "EUR", "value": "-0.29"},'
...         b' "resultAmount": {"currency": "EUR", "value": "118.71"},'
...         b' "context": {"paymentId": "tr_7UhSN1zuXS"}}]}}')
>>> [(m.transaction_id, str(m.amount.amount), m.booking_type.value)
...  for m in MollieParser().parse(data).statements[0].movements]
[('tr_7UhSN1zuXS', '119.00', 'incoming'), ('tr_7UhSN1zuXS-FEE', '-0.29', 'fee')]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from paymatch.errors import InvalidValueError, ParseError
from paymatch.model import (
    AccountKind,
    BookingType,
    Counterparty,
    Movement,
    SourcePosition,
    Status,
    to_money,
)
from paymatch.model.identifiers import compact_iban
from paymatch.parsers.base import HEAD_SIZE, ReadWhole, read_all
from paymatch.parsers.provider_csv import Findings, currency_statements
from paymatch.parsers.result import ParseResult, Severity
from paymatch.parsers.text import decode

__all__ = ["MollieParser", "booking_type_of", "parsers", "status_of"]

#: Balance transaction types -> (booking type, whether it gives back money taken before).
_TYPES = {
    "payment": (BookingType.INCOMING, False),
    "capture": (BookingType.INCOMING, False),
    "split-payment": (BookingType.INCOMING, False),
    "refund": (BookingType.REFUND, False),
    "platform-payment-refunded": (BookingType.REFUND, False),
    "returned-refund": (BookingType.REFUND, True),
    "chargeback": (BookingType.CHARGEBACK, False),
    "platform-payment-chargedback": (BookingType.CHARGEBACK, False),
    "chargeback-reversal": (BookingType.CHARGEBACK, True),
    "outgoing-transfer": (BookingType.PAYOUT, False),
    "canceled-outgoing-transfer": (BookingType.PAYOUT, True),
    "returned-transfer": (BookingType.PAYOUT, True),
    "application-fee": (BookingType.FEE, False),
    "payment-fee": (BookingType.FEE, False),
    "invoice-compensation": (BookingType.FEE, False),
    "balance-correction": (BookingType.OTHER, False),
    "unauthorized-direct-debit": (BookingType.OTHER, False),
    "failed-payment": (BookingType.OTHER, False),
}
#: Which context id names a balance transaction itself, by type (else its own id).
_OWN_ID = {
    "payment": "paymentId",
    "capture": "captureId",
    "refund": "refundId",
    "returned-refund": "refundId",
    "chargeback": "chargebackId",
    "chargeback-reversal": "chargebackId",
    "outgoing-transfer": "transferId",
}
_STATUSES = {
    "open": Status.PENDING,
    "pending": Status.PENDING,
    "authorized": Status.PENDING,
    "paid": Status.COMPLETED,
    "expired": Status.CANCELLED,
    "canceled": Status.CANCELLED,
    "failed": Status.FAILED,
}
_ORDER_KEYS = ("order_id", "orderId", "order", "order_number")


def booking_type_of(kind: str) -> tuple[BookingType, bool] | None:
    """The booking type and reversal flag of a balance transaction type; ``None`` if unknown."""
    return _TYPES.get(kind)


def status_of(status: str) -> Status | None:
    """The status of a Mollie payment status; ``None`` if unknown."""
    return _STATUSES.get(status)


class MollieParser(ReadWhole):
    """Mollie balance transactions or payments, JSON (see the module docstring)."""

    name = "mollie"
    description = "Mollie balance transactions or payments (API v2 JSON)"

    def __init__(self, *, account: str = "balance") -> None:
        self.account = account

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for JSON with Mollie's balance-transaction or payment resources."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
        if text[:1] not in "{[":
            return 0.0
        for resource in ('"balance_transaction"', '"payment"'):
            if f'"resource": {resource}' in text or f'"resource":{resource}' in text:
                return 1.0
        return 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every balance transaction or payment of the document: one statement per currency."""
        text, _ = decode(read_all(data), source=source)
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParseError(
                f"not JSON: {error.msg}", source=source, line=error.lineno, column=error.colno
            ) from None
        reader = _Reader(source, self.account)
        movements = [
            m for path, entry in _entries(document, source) for m in reader.read(path, entry)
        ]
        return currency_statements(
            movements, reader.findings, kind=AccountKind.MOLLIE, format=self.name
        )


def parsers() -> tuple[MollieParser, ...]:
    """The built-in Mollie parser."""
    return (MollieParser(),)


def _entries(document: Any, source: str | None) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The resources of a list response or a plain list, with their JSON paths."""
    if isinstance(document, Mapping):
        embedded = document.get("_embedded")
        if isinstance(embedded, Mapping):
            for key in ("balance_transactions", "payments"):
                if isinstance(embedded.get(key), list):
                    entries, prefix = embedded[key], f"$._embedded.{key}"
                    break
            else:
                raise ParseError(
                    "expected balance_transactions or payments", source=source, path="$._embedded"
                )
        else:
            raise ParseError("expected a Mollie list response", source=source, path="$")
    elif isinstance(document, list):
        entries, prefix = document, "$"
    else:
        raise ParseError("expected a Mollie list response or a list", source=source, path="$")
    for index, entry in enumerate(entries):
        path = f"{prefix}[{index}]"
        if not isinstance(entry, Mapping):
            raise ParseError("expected an object", source=source, path=path)
        yield path, entry


class _Reader:
    def __init__(self, source: str | None, account: str) -> None:
        self.source = source
        self.key = f"{AccountKind.MOLLIE.value}:{account}"
        self.findings = Findings(source)

    def _fail(self, path: str, expected: str, got: object) -> ParseError:
        return ParseError(f"expected {expected}, got {got!r}", source=self.source, path=path)

    def _text(
        self, entry: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> str | None:
        value = entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._fail(f"{path}.{key}", "a string", value)
        return value.strip()

    def _money(self, entry: Mapping[str, Any], key: str, path: str) -> tuple[Decimal, str] | None:
        amount = entry.get(key)
        if amount is None:
            return None
        where = f"{path}.{key}"
        if not isinstance(amount, Mapping) or not isinstance(amount.get("value"), str):
            raise self._fail(where, 'an amount {"currency", "value"}', amount)
        try:
            value = Decimal(amount["value"])
        except InvalidOperation:
            raise self._fail(f"{where}.value", "a decimal string", amount["value"]) from None
        if not value.is_finite():
            raise self._fail(f"{where}.value", "a decimal string", amount["value"])
        return value, str(amount.get("currency") or "").upper()

    def _date(self, entry: Mapping[str, Any], keys: tuple[str, ...], path: str) -> dt.date:
        for key in keys:
            value = entry.get(key)
            if isinstance(value, str) and value:
                try:
                    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
                except ValueError:
                    raise self._fail(f"{path}.{key}", "an ISO 8601 time", value) from None
        raise self._fail(f"{path}.{keys[0]}", "an ISO 8601 time", None)

    def read(self, path: str, entry: Mapping[str, Any]) -> Iterator[Movement]:
        resource = entry.get("resource")
        try:
            if resource == "balance_transaction":
                yield from self._balance_transaction(path, entry)
            elif resource == "payment":
                yield self._payment(path, entry)
            else:
                raise self._fail(f"{path}.resource", '"balance_transaction" or "payment"', resource)
        except InvalidValueError as error:  # a value the model refuses (a currency code, say)
            raise ParseError(str(error), source=self.source, path=path) from None

    def _balance_transaction(self, path: str, entry: Mapping[str, Any]) -> Iterator[Movement]:
        kind = self._text(entry, "type", path) or ""
        known = booking_type_of(kind)
        initial = self._money(entry, "initialAmount", path)
        result = self._money(entry, "resultAmount", path)
        if initial is None and result is None:
            raise self._fail(f"{path}.initialAmount", "an amount", None)
        amount, currency = initial or result  # type: ignore[misc]
        deductions = self._money(entry, "deductions", path)
        self._check_result(path, initial, deductions, result)
        context = _object(entry, "context")
        if known is None:
            known = (BookingType.OTHER, False)
            self.findings.note(
                None,
                currency,
                Severity.INFO,
                "unknown_transaction_type",
                f"Mollie type {kind!r} is not known: read as other",
                path=path,
            )
        booking_type, reversal = known
        own_key = _OWN_ID.get(kind)
        own = context.get(own_key) if own_key else None
        own = own if isinstance(own, str) and own else self._text(entry, "id", path)
        payment = context.get("paymentId")
        linked = payment if isinstance(payment, str) and payment != own else None
        day = self._date(entry, ("createdAt",), path)
        position = SourcePosition(source=self.source, path=path)
        description = _string(context.get("paymentDescription"))
        yield Movement(
            account=self.key,
            amount=to_money(amount, currency),
            booking_date=day,
            booking_type=booking_type,
            remittance_info=description or kind,
            transaction_id=own,
            reference_transaction_id=linked,
            bank_reference=self._text(entry, "id", path),
            bank_transaction_code=kind,
            reversal=reversal,
            source=position,
        )
        if deductions is not None and deductions[0] != 0:
            yield Movement(
                account=self.key,
                amount=to_money(deductions[0], deductions[1] or currency),
                booking_date=day,
                booking_type=BookingType.FEE,
                remittance_info=f"Mollie costs: {kind}",
                transaction_id=f"{own}-FEE",
                reference_transaction_id=own,
                bank_transaction_code=kind,
                source=position,
            )

    def _check_result(
        self,
        path: str,
        initial: tuple[Decimal, str] | None,
        deductions: tuple[Decimal, str] | None,
        result: tuple[Decimal, str] | None,
    ) -> None:
        """The report's own arithmetic: resultAmount = initialAmount + deductions."""
        if initial is None or result is None:
            return
        taken = deductions[0] if deductions else Decimal(0)
        if initial[0] + taken != result[0] or initial[1] != result[1]:
            self.findings.note(
                None,
                initial[1],
                Severity.WARNING,
                "amount_mismatch",
                f"resultAmount {result[0]} {result[1]} is not initialAmount {initial[0]} plus "
                f"deductions {taken}",
                path=path,
            )

    def _payment(self, path: str, entry: Mapping[str, Any]) -> Movement:
        status_text = self._text(entry, "status", path) or ""
        status = status_of(status_text)
        amount = self._money(entry, "amount", path)
        if amount is None:
            raise self._fail(f"{path}.amount", "an amount", None)
        if status is None:
            status = Status.PENDING
            self.findings.note(
                None,
                amount[1],
                Severity.WARNING,
                "unknown_status",
                f"unknown Mollie status {status_text!r}: read as pending",
                path=path,
            )
        metadata = _object(entry, "metadata")
        order = next((str(metadata[k]) for k in _ORDER_KEYS if metadata.get(k)), None)
        details = _object(entry, "details")
        account_text = details.get("consumerAccount")
        try:
            iban = compact_iban(account_text, field="consumerAccount") if account_text else None
        except InvalidValueError:
            iban = None
        name = _string(details.get("consumerName"))
        return Movement(
            account=self.key,
            amount=to_money(amount[0], amount[1]),
            booking_date=self._date(entry, ("paidAt", "createdAt"), path),
            booking_type=BookingType.INCOMING if amount[0] > 0 else BookingType.OUTGOING,
            status=status,
            counterparty=Counterparty(
                name=name or None,
                iban=iban,
                account_number=None if iban or not isinstance(account_text, str) else account_text,
            ),
            remittance_info=self._text(entry, "description", path, required=False),
            end_to_end_id=order,
            transaction_id=self._text(entry, "id", path),
            bank_transaction_code=entry.get("method")
            if isinstance(entry.get("method"), str)
            else None,
            source=SourcePosition(source=self.source, path=path),
        )


def _object(entry: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The object under ``key``, or an empty one when it is absent or no object."""
    value = entry.get(key)
    return value if isinstance(value, Mapping) else {}


def _string(value: object) -> str | None:
    """A non-empty string, stripped, or ``None``."""
    return value.strip() or None if isinstance(value, str) else None
