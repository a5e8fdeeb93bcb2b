"""Norma 43 (AEB Cuaderno 43): the Spanish banks' fixed-width account statement.

Implements "Cuaderno 43 — Información normalizada de cuenta corriente" of
the Asociación Española de Banca: records of 80 characters, each starting
with its type — ``11`` account header (bank, branch, account, period,
opening balance with its debit/credit key, ISO numeric currency, holder),
``22`` movement (operation and value date, common and own concept,
debit/credit key, amount, document number, two references), ``23``
complementary concepts (up to five, two texts of 38 characters each), ``24``
currency equivalence, ``33`` account trailer (number and total of debits
and of credits, closing balance) and ``88`` end of file (number of records).

Amounts have 14 digits with two implied decimals and a key for the sign
(``1`` debit, ``2`` credit). Each ``11``...``33`` block is one statement with
its opening and closing balance; the trailer's counts and totals and the
file's record count are checked, a difference being an error diagnostic.
The common concept decides the booking type (``docs/formats/norma43.md``).

>>> data = ("11" + "2100" + "0418" + "0200051332" + "260301" + "260331" + "2"
...         + "00000000100000" + "978" + "3" + "BEISPIEL SHOP SL".ljust(26) + "   \\n"
...         + "22" + "    " + "0418" + "260302" + "260302" + "02" + "099" + "2"
...         + "00000000011900" + "0000000000" + "AU-2001".ljust(12) + "".ljust(16) + "\\n"
...         + "33" + "2100" + "0418" + "0200051332" + "00000" + "00000000000000" + "00001"
...         + "00000000011900" + "2" + "00000000111900" + "978" + "    \\n"
...         + "88" + "9" * 18 + "000003" + " " * 54 + "\\n")
>>> movement = Norma43Parser().parse(data.encode()).statements[0].movements[0]
>>> movement.account, str(movement.amount.amount), movement.end_to_end_id
('bank:2100-0418-0200051332', '119.00', 'AU-2001')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import BinaryIO

import attrs
import moneyed

from paymatch.errors import InvalidValueError, ParseError
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

__all__ = ["Norma43Parser", "booking_type_of", "parsers"]

#: Common concepts with a booking type of their own; others go by the sign.
_CONCEPTS = {
    "14": BookingType.CHARGEBACK,  # devoluciones e impagados: returned items
    "17": BookingType.FEE,  # intereses, comisiones, custodia, gastos e impuestos
}


def booking_type_of(concept: str, debit: bool) -> BookingType:
    """The booking type of a common concept (``03`` debit: a direct debit), else by the sign."""
    if concept in _CONCEPTS:
        return _CONCEPTS[concept]
    if concept == "03" and debit:
        return BookingType.SEPA_DIRECT_DEBIT
    return BookingType.OUTGOING if debit else BookingType.INCOMING


@attrs.define
class _Block:
    """One account's records as they are read."""

    line: int
    key: str
    identifier: str
    currency: str
    start: dt.date
    end: dt.date
    opening: Decimal
    movements: list[Movement] = attrs.field(factory=list)
    debits: Decimal = Decimal(0)
    credits: Decimal = Decimal(0)
    debit_count: int = 0
    credit_count: int = 0


class Norma43Parser(ReadWhole):
    """Norma 43 / AEB43 statements (see the module docstring)."""

    name = "norma43"
    description = "Norma 43 / AEB Cuaderno 43 account statement (Spain, fixed width)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for an ``11`` header of 80 characters followed by a ``22`` or ``33`` record."""
        lines = head[:HEAD_SIZE].decode("latin-1").splitlines()
        if len(lines) >= 2 and lines[0].startswith("11") and len(lines[0].rstrip("\r")) >= 77:
            return 1.0 if lines[1][:2] in ("22", "33") else 0.0
        return 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every account block of the file, with every trailer checked."""
        text, _ = decode(read_all(data), source=source)
        return _Reader(source).read(text)


def parsers() -> tuple[Norma43Parser, ...]:
    """The built-in Norma 43 parser."""
    return (Norma43Parser(),)


class _Reader:
    def __init__(self, source: str | None) -> None:
        self.source = source
        self.statements: list[Statement] = []
        self.diagnostics: list[Diagnostic] = []

    def _fail(self, line: int, what: str, expected: str, got: str) -> ParseError:
        return ParseError(
            f"{what}: expected {expected}, got {got!r}", source=self.source, line=line
        )

    def _date(self, text: str, line: int, what: str) -> dt.date:
        try:
            return dt.datetime.strptime(text, "%y%m%d").date()
        except ValueError:
            raise self._fail(line, what, "a date YYMMDD", text) from None

    def _amount(self, key: str, digits: str, line: int, what: str) -> Decimal:
        if not (digits.isascii() and digits.isdigit() and len(digits) == 14) or key not in "12":
            raise self._fail(line, what, "a key 1 or 2 and 14 digits", key + digits)
        amount = Decimal(int(digits)).scaleb(-2)
        return -amount if key == "1" else amount

    def _currency(self, code: str, line: int) -> str:
        try:
            return str(moneyed.get_currency(iso=code).code)
        except moneyed.CurrencyDoesNotExist:
            raise self._fail(
                line, "currency", "an ISO 4217 numeric code such as 978", code
            ) from None

    def _check(self, line: int, what: str, given: object, counted: object) -> None:
        if given != counted:
            self.diagnostics.append(
                Diagnostic(
                    severity=Severity.ERROR,
                    code="trailer_mismatch",
                    message=f"{what} is {given}, but the records give {counted}",
                    statement=len(self.statements) - 1 if self.statements else None,
                    position=SourcePosition(source=self.source, line=line),
                )
            )

    def read(self, text: str) -> ParseResult:
        block: _Block | None = None
        records = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.rstrip("\r")
            if not line.strip():
                continue
            kind = line[:2]
            if kind != "88":
                records += 1
            record = line.ljust(80)
            if kind == "11":
                if block is not None:
                    raise self._fail(
                        number, "record 11", "the trailer (33) of the account before", kind
                    )
                block = self._header(record, number)
            elif kind in ("22", "23", "24", "33") and block is None:
                raise self._fail(number, f"record {kind}", "an account header (11) first", kind)
            elif kind == "22" and block is not None:
                self._movement(block, record, number)
            elif kind == "23" and block is not None:
                self._concepts(block, record, number)
            elif kind == "24":
                continue  # the equivalence in another currency: the amount stays the account's
            elif kind == "33" and block is not None:
                self._trailer(block, record, number)
                block = None
            elif kind == "88":
                given = record[20:26]
                if not given.isdigit():
                    raise self._fail(number, "record 88", "the number of records", given)
                self._check(number, "the file's number of records", int(given), records)
            else:
                raise self._fail(number, "record type", "11, 22, 23, 24, 33 or 88", kind)
        if block is not None:
            raise self._fail(block.line, "account", "a trailer (33) for it", "end of file")
        return ParseResult.checked(Norma43Parser.name, self.statements, self.diagnostics)

    def _header(self, record: str, line: int) -> _Block:
        bank, branch, account = record[2:6], record[6:10], record[10:20]
        identifier = f"{bank}-{branch}-{account}"
        return _Block(
            line=line,
            key=f"{AccountKind.BANK.value}:{identifier}",
            identifier=identifier,
            currency=self._currency(record[47:50], line),
            start=self._date(record[20:26], line, "start date"),
            end=self._date(record[26:32], line, "end date"),
            opening=self._amount(record[32], record[33:47], line, "opening balance"),
        )

    def _movement(self, block: _Block, record: str, line: int) -> None:
        amount = self._amount(record[27], record[28:42], line, "amount")
        debit = amount < 0
        if debit:
            block.debits -= amount
            block.debit_count += 1
        else:
            block.credits += amount
            block.credit_count += 1
        concept, own = record[22:24], record[24:27]
        document = record[42:52].strip().lstrip("0")
        reference, reference2 = record[52:64].strip(), record[64:80].strip()
        try:
            block.movements.append(
                Movement(
                    account=block.key,
                    amount=to_money(amount, block.currency),
                    booking_date=self._date(record[10:16], line, "operation date"),
                    value_date=self._date(record[16:22], line, "value date"),
                    booking_type=booking_type_of(concept, debit),
                    end_to_end_id=reference or None,
                    remittance_info=reference2 or None,
                    bank_reference=document or None,
                    bank_transaction_code=f"{concept}/{own}",
                    reversal=concept == "98",
                    source=SourcePosition(source=self.source, line=line),
                )
            )
        except ValueError as error:
            if isinstance(error, ParseError):
                raise
            raise ParseError(str(error), source=self.source, line=line) from None

    def _concepts(self, block: _Block, record: str, line: int) -> None:
        """Complementary concepts: more text for the movement before."""
        if not block.movements:
            raise self._fail(line, "record 23", "a movement (22) before it", record[:4])
        text = " ".join(part for part in (record[4:42].strip(), record[42:80].strip()) if part)
        if not text:
            return
        last = block.movements[-1]
        joined = f"{last.remittance_info} {text}" if last.remittance_info else text
        block.movements[-1] = attrs.evolve(last, remittance_info=joined)

    def _trailer(self, block: _Block, record: str, line: int) -> None:
        closing = self._amount(record[58], record[59:73], line, "closing balance")
        for what, given, counted in (
            ("the number of debits", record[20:25], block.debit_count),
            ("the total of debits", record[25:39], block.debits),
            ("the number of credits", record[39:44], block.credit_count),
            ("the total of credits", record[44:58], block.credits),
        ):
            if not given.isdigit():
                raise self._fail(line, what, "digits", given)
            value = Decimal(int(given)).scaleb(-2) if "total" in what else int(given)
            self._check(line, f"{what} in the trailer", value, counted)
        try:
            statement = Statement(
                account=Account(
                    kind=AccountKind.BANK, identifier=block.identifier, currency=block.currency
                ),
                movements=number_occurrences(block.movements),
                period_start=block.start,
                period_end=block.end,
                opening_balance=Balance(
                    amount=to_money(block.opening, block.currency), date=block.start
                ),
                closing_balance=Balance(amount=to_money(closing, block.currency), date=block.end),
                format=Norma43Parser.name,
                source=self.source,
            )
        except InvalidValueError as error:  # the model refuses the block (dates the wrong way)
            raise ParseError(str(error), source=self.source, line=block.line) from None
        self.statements.append(statement)
