"""BAI2: the US/UK cash management balance reporting format (BAI Version 2).

Implements the "Cash Management Balance Reporting Specifications, Version 2"
of the BAI (now X9, "BAI2"): comma-separated records that end with ``/``,
each starting with its type: ``01`` file header, ``02`` group header (as-of
date, currency), ``03`` account identifier with its summary amounts (type
``010`` opening ledger, ``015`` closing ledger...), ``16`` transaction detail
(type code, amount, funds type, bank and customer reference, text), ``88``
continuation of the record before, ``49`` account trailer, ``98`` group
trailer and ``99`` file trailer with control totals and record counts.

Amounts are whole minor units (``10000`` = 100.00 in a two-decimal currency).
Detail type codes 100-399 are credits and 400-699 debits (the sign of the
movement); a few codes have their own booking type (interest, fees, returned
items). Each account of each group is one statement with the opening and
closing ledger balance as balances. Every trailer is checked — the control
total (the sum of all amounts of its records) and the record count — and a
difference is an error diagnostic naming the trailer's line.

Text continued in ``88`` records is joined with a blank, or without one when
the record before filled the whole physical line (the text was cut
mid-word); a ``/`` that closes a detail's own line is not taken as text.

>>> data = (b"01,BANK,CUST,260302,1800,1,80,,2/\\n02,CUST,BANK,1,260302,,EUR,2/\\n"
...         b"03,DE89370400440532013000,EUR,010,100000,,,015,111900,,/\\n"
...         b"16,195,11900,,REF1,AU-2001,/\\n49,223800,3/\\n98,223800,1,5/\\n99,223800,1,7/\\n")
>>> statement = Bai2Parser().parse(data).statements[0]
>>> [(str(m.amount.amount), m.booking_type.value) for m in statement.movements]
[('119.00', 'incoming')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

import attrs
import moneyed

from paymatch.errors import ParseError
from paymatch.model import (
    Account,
    AccountKind,
    Balance,
    BookingType,
    Movement,
    SourcePosition,
    Statement,
    number_occurrences,
    to_money,
)
from paymatch.parsers.base import HEAD_SIZE, ReadWhole, read_all
from paymatch.parsers.result import Diagnostic, ParseResult, Severity
from paymatch.parsers.text import decode

__all__ = ["Bai2Parser", "booking_type_of", "parsers"]

#: Detail type codes with a booking type of their own; others go by credit or debit.
_CODES = {
    "354": BookingType.INTEREST,  # interest credit
    "555": BookingType.CHARGEBACK,  # deposited item returned
    "698": BookingType.FEE,  # miscellaneous fees
}
#: Funds types and how many fields follow each (``D`` says its own count).
_FUNDS_EXTRA = {"": 0, "0": 0, "1": 0, "2": 0, "Z": 0, "V": 2, "S": 3}
#: The physical record length when a file does not declare one.
_LINE_LENGTH = 80


def _digits(text: str) -> bool:
    """Whether ``text`` is ASCII digits only (``isdigit`` alone takes ``²`` and ``٣``)."""
    return text.isascii() and text.isdigit()


def booking_type_of(code: str) -> BookingType | None:
    """The booking type of a detail type code; ``None`` for codes outside 100-699."""
    if code in _CODES:
        return _CODES[code]
    if not _digits(code):
        return None
    number = int(code)
    if 100 <= number <= 399:
        return BookingType.INCOMING
    if 400 <= number <= 699:
        return BookingType.OUTGOING
    return None


@attrs.define
class _Record:
    """A logical record: its type, the line it starts on, its fields, and a detail's text."""

    kind: str
    line: int
    fields: list[str]
    text: str | None = None
    full: bool = False  # whether its last physical line filled the record length
    lines: int = 1  # physical records: itself and its continuations


class Bai2Parser(ReadWhole):
    """BAI2 files (see the module docstring)."""

    name = "bai2"
    description = "BAI2 cash management balance report (US/UK banks)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a file header ``01,`` followed by a group header ``02,``."""
        text = head[:HEAD_SIZE].decode("ascii", errors="replace").lstrip("\ufeff")
        lines = text.splitlines()
        if len(lines) >= 2 and lines[0].startswith("01,") and lines[1].startswith("02,"):
            return 1.0
        return 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every account of every group as a statement, with every trailer checked."""
        text, _ = decode(read_all(data), source=source)
        return _File(source).read(list(_records(text, source)))


def parsers() -> tuple[Bai2Parser, ...]:
    """The built-in BAI2 parser."""
    return (Bai2Parser(),)


def _records(text: str, source: str | None) -> Iterator[_Record]:
    """The logical records: ``88`` continuations joined to the record before."""
    current: _Record | None = None
    length = _LINE_LENGTH
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line:
            continue
        kind = line[:2]
        content = line[3:] if line[2:3] == "," else ""
        if kind == "88":
            if current is None:
                raise ParseError(
                    "a continuation (88) before any record", source=source, line=number
                )
            if current.kind == "16":
                piece = content
                glue = "" if current.full else " "
                current.text = piece if not current.text else current.text + glue + piece
            else:
                current.fields.extend(_fields(content))
            current.full = len(raw.rstrip("\r\n")) >= length
            current.lines += 1
            continue
        if current is not None:
            yield current
        if kind not in ("01", "02", "03", "16", "49", "98", "99") or line[2:3] != ",":
            raise ParseError(
                f"expected a BAI2 record (01, 02, 03, 16, 88, 49, 98, 99), got {line[:20]!r}",
                source=source,
                line=number,
            )
        if kind == "16":
            fields, text_part = _detail_fields(content, source, number)
            current = _Record(kind, number, fields, text_part)
        else:
            current = _Record(kind, number, _fields(content))
            if kind == "01" and len(current.fields) > 5 and _digits(current.fields[5]):
                length = int(current.fields[5]) or _LINE_LENGTH
        current.full = len(raw.rstrip("\r\n")) >= length
    if current is not None:
        yield current


def _fields(content: str) -> list[str]:
    """The comma-separated fields of a record up to its closing ``/``."""
    return content.split("/", 1)[0].split(",")


def _detail_fields(content: str, source: str | None, line: int) -> tuple[list[str], str | None]:
    """A ``16`` record's fields (type, amount, funds type and its fields, two references)
    and its text, which runs to the end of the line and may hold commas and slashes."""
    parts = content.split(",")
    fields: list[str] = []
    index = 0

    def take() -> str:
        nonlocal index
        value = parts[index] if index < len(parts) else ""
        index += 1
        return value

    for _ in range(3):
        fields.append(take())
    funds = fields[2].upper()
    if funds == "D":
        count = take()
        fields.append(count)
        extra = 2 * int(count) if _digits(count) else 0
    elif funds in _FUNDS_EXTRA:
        extra = _FUNDS_EXTRA[funds]
    else:
        raise ParseError(f"unknown funds type {fields[2]!r}", source=source, line=line)
    if extra > len(parts) - index:
        raise ParseError(
            f"funds type {funds} announces {extra} fields; the record has fewer",
            source=source,
            line=line,
        )
    for _ in range(extra + 2):  # the funds type's fields, then bank and customer reference
        fields.append(take())
    ended = any("/" in field for field in fields)
    fields = [field.split("/", 1)[0] for field in fields]
    text = ",".join(parts[index:]).rstrip() if index < len(parts) and not ended else ""
    # many banks close the record with "/" after the text as after any field: not text
    return fields, text.removesuffix("/").rstrip() or None


def _amount(text: str, currency: str, source: str | None, line: int) -> Decimal | None:
    """A BAI2 amount (whole minor units, optional sign) in major units; ``None`` when blank."""
    text = text.strip()
    if not text:
        return None
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
    if not _digits(digits):
        raise ParseError(
            f"expected an amount in minor units, got {text!r}", source=source, line=line
        )
    try:
        unit = moneyed.get_currency(currency).sub_unit or 1
    except moneyed.CurrencyDoesNotExist:
        raise ParseError(f"unknown currency {currency!r}", source=source, line=line) from None
    places = len(str(unit)) - 1  # 100 -> 2 decimals, 1000 -> 3
    return sign * Decimal(int(digits)).scaleb(-places)


def _date(text: str, source: str | None, line: int) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%y%m%d").date()
    except ValueError:
        raise ParseError(
            f"expected a date YYMMDD, got {text!r}", source=source, line=line
        ) from None


@attrs.define
class _Account:
    """An account of a group as it is read: its summaries, details and totals."""

    number: str
    currency: str
    line: int
    opening: Decimal | None = None
    closing: Decimal | None = None
    movements: list[Movement] = attrs.field(factory=list)
    total: Decimal = Decimal(0)
    records: int = 0


class _File:
    """Reads the records of one file in order, checking each trailer against what it closes."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.statements: list[Statement] = []
        self.diagnostics: list[Diagnostic] = []

    def _check(self, record: _Record, what: str, given: str, counted: Decimal | int) -> None:
        """A trailer's figure against what was counted; a difference is an error diagnostic."""
        given = given.strip()
        if not given:
            return  # some banks leave a control total blank; nothing to check
        value: Decimal | int = int(given) if _digits(given.lstrip("+-")) else Decimal(-1)
        if value != counted:
            self.diagnostics.append(
                Diagnostic(
                    severity=Severity.ERROR,
                    code="trailer_mismatch",
                    message=f"{what} is {given}, but the records it closes give {counted}",
                    statement=len(self.statements) - 1 if self.statements else None,
                    position=SourcePosition(source=self.source, line=record.line),
                )
            )

    def read(self, records: list[_Record]) -> ParseResult:
        if not records or records[0].kind != "01":
            raise ParseError("expected a file header (01)", source=self.source, line=1)
        file_total, file_records, groups = Decimal(0), 0, 0
        group_total, group_records, accounts = Decimal(0), 0, 0
        currency, as_of = "USD", dt.date(1970, 1, 1)
        account: _Account | None = None
        for record in records:
            file_records += record.lines
            group_records += record.lines
            fields = record.fields
            if record.kind == "02":
                group_total, group_records, accounts = Decimal(0), record.lines, 0
                currency = (fields[5] if len(fields) > 5 and fields[5] else "USD").upper()
                as_of = _date(fields[3] if len(fields) > 3 else "", self.source, record.line)
            elif record.kind == "03":
                account = _Account(fields[0], (_at(fields, 1) or currency).upper(), record.line)
                account.records = record.lines
                self._summaries(account, fields[2:], record)
            elif record.kind == "16":
                if account is None:
                    raise ParseError(
                        "a detail (16) outside an account", source=self.source, line=record.line
                    )
                account.records += record.lines
                self._detail(account, record, as_of)
            elif record.kind == "49":
                if account is None:
                    raise ParseError(
                        "an account trailer (49) without an account (03)",
                        source=self.source,
                        line=record.line,
                    )
                account.records += record.lines
                self._close_account(account, as_of)
                self._check(record, "the account control total", fields[0], account.total)
                self._check(record, "the account record count", _at(fields, 1), account.records)
                group_total += account.total
                accounts += 1
                account = None
            elif record.kind == "98":
                self._check(record, "the group control total", fields[0], group_total)
                self._check(record, "the group's number of accounts", _at(fields, 1), accounts)
                self._check(record, "the group record count", _at(fields, 2), group_records)
                file_total += group_total
                groups += 1
            elif record.kind == "99":
                self._check(record, "the file control total", fields[0], file_total)
                self._check(record, "the file's number of groups", _at(fields, 1), groups)
                self._check(record, "the file record count", _at(fields, 2), file_records)
        if account is not None:
            raise ParseError(
                "the file ends inside an account: no trailer (49)",
                source=self.source,
                line=account.line,
            )
        return ParseResult.checked(Bai2Parser.name, self.statements, self.diagnostics)

    def _summaries(self, account: _Account, fields: list[str], record: _Record) -> None:
        """The account's summary amounts: opening (010) and closing (015) ledger balances."""
        index = 0
        while index < len(fields):
            code = fields[index].strip()
            if not code:  # an empty field left by a comma before the record's "/"
                index += 1
                continue
            amount = _amount(_at(fields, index + 1), account.currency, self.source, record.line)
            funds = _at(fields, index + 3).upper()
            index += 4
            if funds == "D":
                count = _at(fields, index)
                index += 1 + (2 * int(count) if _digits(count) else 0)
            else:
                index += _FUNDS_EXTRA.get(funds, 0)
            if amount is None:
                continue
            account.total += _minor(amount, account.currency)
            if code == "010":
                account.opening = amount
            elif code == "015":
                account.closing = amount

    def _detail(self, account: _Account, record: _Record, as_of: dt.date) -> None:
        fields = record.fields
        code = fields[0].strip()
        amount = _amount(fields[1], account.currency, self.source, record.line) or Decimal(0)
        account.total += _minor(amount, account.currency)
        booking_type = booking_type_of(code)
        if booking_type is None:
            raise ParseError(
                f"detail type code {code!r} is not a BAI2 credit (100-399) or debit (400-699) "
                "code; bank-defined codes cannot be read without knowing their sign",
                source=self.source,
                line=record.line,
            )
        debit = 400 <= int(code) <= 699
        value_date = None
        if fields[2].upper() == "V" and fields[3].strip():
            value_date = _date(fields[3], self.source, record.line)
        bank_reference, customer_reference = fields[-2].strip(), fields[-1].strip()
        try:
            account.movements.append(
                Movement(
                    account=_key(account),
                    amount=to_money(-amount if debit else amount, account.currency),
                    booking_date=as_of,
                    value_date=value_date,
                    booking_type=booking_type,
                    remittance_info=" ".join(record.text.split()) if record.text else None,
                    end_to_end_id=customer_reference or None,
                    bank_reference=bank_reference or None,
                    bank_transaction_code=code,
                    source=SourcePosition(source=self.source, line=record.line),
                )
            )
        except ValueError as error:
            raise ParseError(str(error), source=self.source, line=record.line) from None

    def _close_account(self, account: _Account, as_of: dt.date) -> None:
        try:
            self.statements.append(self._statement(account, as_of))
        except ValueError as error:  # a value the model refuses (a currency code, say)
            raise ParseError(str(error), source=self.source, line=account.line) from None

    def _statement(self, account: _Account, as_of: dt.date) -> Statement:
        balances = {
            name: None
            if amount is None
            else Balance(amount=to_money(amount, account.currency), date=as_of)
            for name, amount in (("opening", account.opening), ("closing", account.closing))
        }
        return Statement(
            account=Account(
                kind=AccountKind.BANK, identifier=account.number, currency=account.currency
            ),
            movements=number_occurrences(account.movements),
            period_start=as_of,
            period_end=as_of,
            opening_balance=balances["opening"],
            closing_balance=balances["closing"],
            format=Bai2Parser.name,
            source=self.source,
        )


def _key(account: _Account) -> str:
    return f"{AccountKind.BANK.value}:{account.number}"


def _at(fields: list[str], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def _minor(amount: Decimal, currency: str) -> Decimal:
    """An amount back in minor units, as the control totals count them."""
    return (amount * (moneyed.get_currency(currency).sub_unit or 1)).normalize()
