"""PayPal activity download and monthly statement (CSV), English and German headers.

Implements the column layout of PayPal's "Activity download" (Reports >
Activity download, "All transactions", CSV; German: "Aktivitäten
herunterladen") and of the monthly statement CSV, as PayPal's help pages and
the reports' headers describe them (see ``docs/formats/paypal.md``).

Each row is one PayPal transaction. Its gross amount becomes one movement
(transaction id, type -> booking type, status -> status, the buyer's name and
e-mail, the invoice number the shop sent as end-to-end id, subject and note as
remittance information); a fee becomes a second movement of type ``fee``
linked to it by ``reference_transaction_id``, with the transaction id plus
``-FEE``. Refunds, reversals, chargebacks and their fees keep PayPal's
"Reference Txn ID", so the ledger links them to the original payment.
Withdrawals to the bank are payouts; currency conversions are transfers
between the account's currency balances. One statement per currency; the
running "Balance" column gives opening and closing balances, and a break in
it is reported with its line.

Amounts are read with the decimal mark of the header's language (English
``1,234.56``, German ``1.234,56``); dates ``DD.MM.YYYY`` in German files and,
in English ones, ``MM/DD/YYYY`` or ``DD/MM/YYYY`` as the file's dates show
(a day above 12 decides; when none does, US time zones mean month first).

>>> data = (b'"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net",'
...         b'"From Email Address","To Email Address","Transaction ID","Reference Txn ID",'
...         b'"Invoice Number","Balance"\\r\\n'
...         b'"03/15/2026","10:01:02","CET","Anna Schmidt","Express Checkout Payment",'
...         b'"Completed","EUR","119.00","-2.61","116.39","anna@example.com",'
...         b'"shop@example.com","1AB23456CD789012E","","AU-2001","1,116.39"\\r\\n')
>>> result = PayPalParser().parse(data)
>>> [(str(m.amount.amount), m.booking_type.value, m.reference_transaction_id)
...  for m in result.statements[0].movements]
[('119.00', 'incoming', None), ('-2.61', 'fee', '1AB23456CD789012E')]
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

from paymatch.errors import ParseError
from paymatch.model import (
    AccountKind,
    Balance,
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
from paymatch.parsers.result import ParseResult, Severity
from paymatch.parsers.text import decode, text_lines

__all__ = ["PayPalParser", "booking_type_of", "parsers", "status_of"]

#: The columns paymatch reads, by field, with their English and German names.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("Date", "Datum"),
    "time": ("Time", "Uhrzeit"),
    "timezone": ("TimeZone", "Time Zone", "Zeitzone"),
    "name": ("Name",),
    "type": ("Type", "Description", "Typ", "Beschreibung"),
    "status": ("Status",),
    "currency": ("Currency", "Währung"),
    "gross": ("Gross", "Brutto"),
    "fee": ("Fee", "Gebühr"),
    "net": ("Net", "Netto"),
    "from_email": ("From Email Address", "Absender E-Mail-Adresse"),
    "to_email": ("To Email Address", "Empfänger E-Mail-Adresse"),
    "transaction_id": ("Transaction ID", "Transaktionscode"),
    "reference": ("Reference Txn ID", "Zugehöriger Transaktionscode"),
    "invoice": ("Invoice Number", "Invoice ID", "Rechnungsnummer"),
    "balance": ("Balance", "Guthaben"),
    "subject": ("Subject", "Betreff"),
    "note": ("Note", "Hinweis"),
    "impact": ("Balance Impact", "Auswirkung auf Guthaben"),
}
_REQUIRED = ("date", "type", "currency", "gross", "transaction_id")
_GERMAN_HEADERS = frozenset({"Datum", "Brutto", "Transaktionscode", "Währung", "Typ"})

#: Words of PayPal's transaction types, in the order they are tried; the first that the
#: lower-cased type contains decides. ``None`` means "payment": incoming or outgoing by sign.
_TYPE_WORDS: tuple[tuple[tuple[str, ...], BookingType | None], ...] = (
    (("fee", "gebühr"), BookingType.FEE),
    (("hold", "dispute", "einbehalt", "konflikt", "reserve"), BookingType.OTHER),
    (("chargeback", "rückbuchung"), BookingType.CHARGEBACK),
    (("reversal", "storno", "rückgängig"), BookingType.CHARGEBACK),
    (("refund", "rückzahlung", "erstattung"), BookingType.REFUND),
    (
        ("withdraw", "transfer to bank", "abbuchung", "auszahlung", "übertragung auf"),
        BookingType.PAYOUT,
    ),
    (("conversion", "umrechnung"), BookingType.TRANSFER),
    (("deposit", "bankgutschrift", "add funds", "aufladung"), BookingType.TRANSFER),
    (("payment", "zahlung", "checkout", "subscription", "abonnement"), None),
)

_STATUSES = {
    "completed": Status.COMPLETED,
    "abgeschlossen": Status.COMPLETED,
    "cleared": Status.COMPLETED,
    "refunded": Status.COMPLETED,  # the payment happened; its refund is a row of its own
    "partially refunded": Status.COMPLETED,
    "erstattet": Status.COMPLETED,
    "teilweise erstattet": Status.COMPLETED,
    "pending": Status.PENDING,
    "ausstehend": Status.PENDING,
    "uncleared": Status.PENDING,
    "unclaimed": Status.PENDING,
    "held": Status.PENDING,
    "denied": Status.FAILED,
    "abgelehnt": Status.FAILED,
    "failed": Status.FAILED,
    "fehlgeschlagen": Status.FAILED,
    "returned": Status.FAILED,
    "reversed": Status.CANCELLED,
    "storniert": Status.CANCELLED,
    "canceled": Status.CANCELLED,
    "cancelled": Status.CANCELLED,
    "abgebrochen": Status.CANCELLED,
    "removed": Status.CANCELLED,
}
_US_ZONES = frozenset({"PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT", "HST", "AKST"})


def booking_type_of(kind: str, gross: Decimal) -> BookingType | None:
    """The booking type of a PayPal transaction type, or ``None`` for a type no word fits."""
    folded = kind.casefold()
    for words, booking_type in _TYPE_WORDS:
        if any(word in folded for word in words):
            if booking_type is None:
                return BookingType.INCOMING if gross > 0 else BookingType.OUTGOING
            return booking_type
    return None


def status_of(status: str | None) -> Status | None:
    """The status of a PayPal status (``Completed``, ``Ausstehend``...); ``None`` if unknown.

    The monthly statement has no status column: it lists completed
    transactions, so an absent status is completed.
    """
    if status is None:
        return Status.COMPLETED
    return _STATUSES.get(status.casefold())


class PayPalParser:
    """PayPal's activity download and monthly statement CSV (see the module docstring).

    ``account`` names the PayPal account (its e-mail address) in the account
    key ``paypal:<account>``; without it, the address that receives most of
    the file's payments is taken.
    """

    name = "paypal"
    description = "PayPal activity download / monthly statement (CSV, English or German)"

    def __init__(self, *, account: str | None = None) -> None:
        self.account = account

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a header line of PayPal's columns, 0 otherwise."""
        text = head[:HEAD_SIZE].decode("utf-8", errors="replace").lstrip("\ufeff")
        first = text.split("\n", 1)[0]
        cells = {cell.strip().strip('"') for cell in first.split(",")}
        english = {"Gross", "Transaction ID", "Reference Txn ID"} <= cells
        german = {"Brutto", "Transaktionscode", "Zugehöriger Transaktionscode"} <= cells
        return 1.0 if english or german else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every transaction of ``data``: one statement per currency, balances from the file."""
        text, _ = decode(read_all(data), source=source)
        names, rows = read_rows(text_lines(text), _COLUMNS, _REQUIRED, source, report="PayPal")
        every = list(rows)
        reader = _Reader(bool(_GERMAN_HEADERS & set(names)), source, self.account, every)
        movements = [movement for row in every for movement in reader.movements(row)]
        return reader.result(movements)

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream`` one by one; the date order and account from its head."""
        names, rows = read_rows(
            streamed_lines(stream, source), _COLUMNS, _REQUIRED, source, report="PayPal"
        )
        sample = list(itertools.islice(rows, 500))  # enough rows to tell the date order
        reader = _Reader(bool(_GERMAN_HEADERS & set(names)), source, self.account, sample)
        for row in itertools.chain(sample, rows):
            yield from reader.movements(row)
            reader.findings.found.clear()  # the findings go with parse(); keep memory flat here


def parsers() -> tuple[PayPalParser, ...]:
    """The built-in PayPal parser."""
    return (PayPalParser(),)


class _Reader:
    """What one file needs while reading: number format, date order, account, balances."""

    def __init__(
        self, german: bool, source: str | None, account: str | None, sample: list[Row]
    ) -> None:
        self.source = source
        self.german = german
        self.day_first = self.german or _day_first(sample)
        self.account = account or _merchant(sample)
        self.findings = Findings(source)
        #: per currency the first and the latest balance-moving row: (balance, net, date)
        self.balances: dict[str, list[tuple[Decimal, Decimal, dt.date]]] = {}

    # -- cells ---------------------------------------------------------------

    def _fail(self, row: Row, field: str, expected: str) -> ParseError:
        names = " / ".join(_COLUMNS[field][:1] + _COLUMNS[field][-1:])
        return ParseError(
            f"column {names}: expected {expected}, got {row.get(field)!r}",
            source=self.source,
            line=row.line,
        )

    def _amount(self, row: Row, field: str, *, required: bool = True) -> Decimal | None:
        text = row.get(field)
        if text is None:
            if required:
                raise self._fail(row, field, "an amount")
            return None
        amount = amount_of(text, decimal_comma=self.german)
        if amount is None:
            example = "1.234,56" if self.german else "1,234.56"
            raise self._fail(row, field, f"an amount such as {example}")
        return amount

    def _date(self, row: Row) -> dt.date:
        text = row.get("date") or ""
        parts = re.fullmatch(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})", text)
        try:
            if parts is None:
                raise ValueError
            first, second, third = (int(part) for part in parts.groups())
            if first > 31:  # ISO: year first
                return dt.date(first, second, third)
            day, month = (first, second) if self.day_first else (second, first)
            return dt.date(third, month, day)
        except ValueError:
            order = "DD/MM/YYYY" if self.day_first else "MM/DD/YYYY"
            order = "DD.MM.YYYY" if self.german else order
            raise self._fail(row, "date", f"a date {order}") from None

    # -- movements -----------------------------------------------------------

    def movements(self, row: Row) -> Iterator[Movement]:
        """The payment (gross) and its fee, if any, of one row."""
        transaction_id = row.get("transaction_id")
        if transaction_id is None:
            raise self._fail(row, "transaction_id", "PayPal's transaction id")
        gross = self._amount(row, "gross")
        assert gross is not None
        fee = self._amount(row, "fee", required=False) or Decimal(0)
        net = self._amount(row, "net", required=False)
        status = status_of(row.get("status"))
        if status is None:
            status = Status.PENDING
            self._note(
                row,
                Severity.WARNING,
                "unknown_status",
                f"unknown PayPal status {row.get('status')!r}: read as pending",
            )
        kind = row.get("type") or ""
        booking_type = booking_type_of(kind, gross)
        if booking_type is None:
            booking_type = BookingType.OTHER
            self._note(
                row,
                Severity.INFO,
                "unknown_transaction_type",
                f"PayPal type {kind!r} is not known: read as other",
            )
        currency = (row.get("currency") or "").upper()
        day = self._date(row)
        position = SourcePosition(source=self.source, line=row.line)
        incoming = gross > 0
        party = Counterparty(
            name=row.get("name"),
            account_number=row.get("from_email") if incoming else row.get("to_email"),
        )
        remittance = " ".join(part for part in (row.get("subject"), row.get("note")) if part)
        self._track_balance(row, currency, net if net is not None else gross + fee, status, day)
        try:
            if gross != 0 or fee == 0:
                yield Movement(
                    account=self._key(),
                    amount=to_money(gross, currency),
                    booking_date=day,
                    booking_type=booking_type,
                    status=status,
                    counterparty=party,
                    remittance_info=remittance or kind or None,
                    end_to_end_id=row.get("invoice"),
                    transaction_id=transaction_id,
                    reference_transaction_id=row.get("reference"),
                    bank_transaction_code=kind or None,
                    reversal=booking_type is BookingType.CHARGEBACK and "revers" in kind.casefold(),
                    source=position,
                )
            if fee != 0:
                yield Movement(
                    account=self._key(),
                    amount=to_money(fee, currency),
                    booking_date=day,
                    booking_type=BookingType.FEE,
                    status=status,
                    remittance_info=f"PayPal fee: {kind}" if kind else "PayPal fee",
                    transaction_id=f"{transaction_id}-FEE",
                    reference_transaction_id=transaction_id,
                    bank_transaction_code=kind or None,
                    source=position,
                )
        except ValueError as error:  # a value the model refuses (a currency code, say)
            raise ParseError(str(error), source=self.source, line=row.line) from None

    def _key(self) -> str:
        return f"{AccountKind.PAYPAL.value}:{self.account}"

    def _note(self, row: Row, severity: Severity, code: str, message: str) -> None:
        self.findings.note(row.line, (row.get("currency") or "").upper(), severity, code, message)

    def _track_balance(
        self, row: Row, currency: str, net: Decimal, status: Status, day: dt.date
    ) -> None:
        """Remember the running balance of rows that moved money, and check it adds up."""
        balance = self._amount(row, "balance", required=False)
        impact = (row.get("impact") or "").casefold()
        if balance is None or status is not Status.COMPLETED or impact == "memo":
            return
        ends = self.balances.setdefault(currency, [])
        if ends:
            before = ends[-1][0]
            if before + net != balance:
                self._note(
                    row,
                    Severity.WARNING,
                    "running_balance_mismatch",
                    f"the balance {balance} is not the one before ({before}) plus the net "
                    f"amount ({net}): a row is missing or the file was edited",
                )
        entry = (balance, net, day)
        if len(ends) < 2:
            ends.append(entry)
        else:
            ends[1] = entry  # only the first and the latest are needed: memory stays flat

    # -- statements ----------------------------------------------------------

    def result(self, movements: list[Movement]) -> ParseResult:
        """One statement per currency, with the balances of the "Balance" column."""
        balances = {}
        for currency, ends in self.balances.items():
            first_balance, first_net, first_day = ends[0]
            last_balance, _, last_day = ends[-1]
            balances[currency] = (
                Balance(amount=to_money(first_balance - first_net, currency), date=first_day),
                Balance(amount=to_money(last_balance, currency), date=last_day),
            )
        return currency_statements(
            movements,
            self.findings,
            kind=AccountKind.PAYPAL,
            format=PayPalParser.name,
            balances=balances,
        )


def _day_first(sample: list[Row]) -> bool:
    """Whether English dates are DD/MM: a day above 12 decides, else a US time zone says MM/DD."""
    for row in sample:
        parts = re.fullmatch(r"(\d{1,2})/(\d{1,2})/\d{4}", row.get("date") or "")
        if parts is None:
            continue
        first, second = int(parts.group(1)), int(parts.group(2))
        if first > 12:
            return True
        if second > 12:
            return False
    zones = Counter((row.get("timezone") or "").upper() for row in sample)
    return not (zones and zones.most_common(1)[0][0] in _US_ZONES)


def _merchant(sample: list[Row]) -> str:
    """The e-mail address that receives the file's payments (or sends its withdrawals)."""
    seen: Counter[str] = Counter()
    for row in sample:
        gross = (row.get("gross") or "").lstrip()
        own = row.get("from_email") if gross.startswith("-") else row.get("to_email")
        if own:
            seen[own.casefold()] += 1
    return seen.most_common(1)[0][0] if seen else "unknown"
