"""CODA: the Belgian banks' coded statement (Febelfin "Standard CODA", version 2).

Implements the record layouts of Febelfin's "Standard CODA 2.6": records of
128 characters, each identified by its first character (and the second for
movements): ``0`` header (creation date, bank), ``1`` old balance (account
structure, account and currency, sign, balance with three decimals, date,
holder), ``21``/``22``/``23`` movement (bank reference, sign, amount, value
date, transaction code, communication, entry date; continued communication
and the counterparty's BIC; the counterparty's account and name), ``31``-``33``
information and ``4`` free communication (not read), ``8`` new balance and
``9`` trailer (number of records, sum of debits and of credits).

One statement per old-balance/new-balance block, with both balances. The
transaction code's type digit tells a movement (``0`` to ``3``) from the
details of a globalised one (``5`` and up), which are already in its total
and are not booked again. The trailer's figures are checked; a difference is
an error diagnostic. Transaction families decide a few booking types
(``docs/formats/coda.md``).

>>> header = "0" + "0000" + "020326" + "300" + "05" + " " * 112 + "2"
>>> old = ("1" + "2" + "001" + "BE68539007547034".ljust(34) + "EUR" + "0"
...        + "000000001000000" + "010326" + "BEISPIEL SHOP BV".ljust(26) + " " * 35 + "001")
>>> move = ("21" + "0001" + "0000" + "REF0001".ljust(21) + "0" + "000000000119000"
...         + "020326" + "00150000" + "0" + "Factuur RE-1001".ljust(53) + "020326" + "001"
...         + "0" + "0" + " " + "0")
>>> new = "8" + "001" + "BE68539007547034".ljust(34) + "EUR" + "0" + "000000001119000" + "020326"
>>> new += " " * 64 + "0"
>>> trailer = "9" + " " * 15 + "000003" + "0" * 15 + "000000000119000" + " " * 75 + "2"
>>> data = "\\n".join([header, old, move, new, trailer]).encode()
>>> movement = CodaParser().parse(data).statements[0].movements[0]
>>> movement.account, str(movement.amount.amount), movement.remittance_info
('BE68539007547034', '119.00', 'Factuur RE-1001')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import BinaryIO

import attrs

from paymatch.errors import InvalidValueError, ParseError
from paymatch.model import (
    Account,
    AccountKind,
    Balance,
    BookingType,
    Counterparty,
    Movement,
    SourcePosition,
    Statement,
    number_occurrences,
    to_money,
)
from paymatch.model.identifiers import compact_bic, compact_iban
from paymatch.parsers.base import HEAD_SIZE, ReadWhole, read_all
from paymatch.parsers.result import Diagnostic, ParseResult, Severity
from paymatch.parsers.text import decode

__all__ = ["CodaParser", "booking_type_of", "parsers"]


def _or_none(compact: Callable[..., str], value: str | None) -> str | None:
    """``value`` compacted as an IBAN or BIC, or ``None`` when absent or not one (kept apart)."""
    if not value:
        return None
    try:
        return compact(value, field="counterparty")
    except InvalidValueError:
        return None


#: Transaction families with a booking type of their own; others go by the sign.
_FAMILIES = {
    "05": BookingType.SEPA_DIRECT_DEBIT,  # direct debit
    "35": BookingType.FEE,  # closing (periodical settlements for interest and costs)
    "80": BookingType.FEE,  # separately charged costs
}


def booking_type_of(code: str, debit: bool) -> BookingType:
    """The booking type of a CODA transaction code (type, family, transaction, category)."""
    booking_type = _FAMILIES.get(code[1:3])
    if booking_type is not None:
        return booking_type
    return BookingType.OUTGOING if debit else BookingType.INCOMING


@attrs.define
class _Pending:
    """A movement whose 2.1 record is read; its 2.2 and 2.3 records may follow."""

    line: int
    reference: str
    amount: Decimal
    value_date: dt.date
    booking_date: dt.date
    code: str
    structured: str | None
    detail: bool
    communication: list[str] = attrs.field(factory=list)
    bic: str | None = None
    counterparty_account: str | None = None
    counterparty_name: str | None = None


@attrs.define
class _Block:
    """One account statement (old balance to new balance) as it is read."""

    line: int
    iban: str | None
    identifier: str | None
    currency: str
    opening: Decimal
    opening_date: dt.date
    movements: list[Movement] = attrs.field(factory=list)
    pending: _Pending | None = None  # the movement whose records are being read


class CodaParser(ReadWhole):
    """CODA statements (see the module docstring)."""

    name = "coda"
    description = "CODA coded statement (Belgium, Febelfin standard version 2)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a CODA header (``0``, application code ``05``) followed by an old balance."""
        lines = head[:HEAD_SIZE].decode("latin-1").splitlines()
        if len(lines) >= 2 and lines[0].startswith("00000") and lines[0][14:16] == "05":
            return 1.0 if lines[1].startswith("1") else 0.0
        return 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every statement block of the file, with the trailer checked."""
        text, _ = decode(read_all(data), source=source)
        return _Reader(source).read(text)


def parsers() -> tuple[CodaParser, ...]:
    """The built-in CODA parser."""
    return (CodaParser(),)


class _Reader:
    def __init__(self, source: str | None) -> None:
        self.source = source
        self.statements: list[Statement] = []
        self.diagnostics: list[Diagnostic] = []
        self.debits = Decimal(0)
        self.credits = Decimal(0)
        self.records = 0

    def _fail(self, line: int, what: str, expected: str, got: str) -> ParseError:
        message = f"{what}: expected {expected}, got {got!r}"
        return ParseError(message, source=self.source, line=line)

    def _date(self, text: str, line: int, what: str) -> dt.date:
        try:
            return dt.datetime.strptime(text, "%d%m%y").date()
        except ValueError:
            raise self._fail(line, what, "a date DDMMYY", text) from None

    def _amount(self, sign: str, digits: str, line: int, what: str) -> Decimal:
        if sign not in ("0", "1") or not (digits.isascii() and digits.isdigit()):
            raise self._fail(line, what, "a sign 0 or 1 and 15 digits", sign + digits)
        amount = Decimal(int(digits)).scaleb(-3)  # three decimals; cents where the third is 0
        if digits.endswith("0"):
            amount = amount.quantize(Decimal("0.01"))
        return -amount if sign == "1" else amount

    def read(self, text: str) -> ParseResult:
        block: _Block | None = None
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.rstrip("\r")
            if not line.strip():
                continue
            record = line.ljust(128)
            kind = record[0]
            if not kind or kind not in "0123489":
                raise self._fail(
                    number, "record", "a CODA record 0, 1, 2, 3, 4, 8 or 9", record[:2]
                )
            if kind in "1238":
                self.records += 1
            if kind == "1":
                block = self._old_balance(record, number)
            elif kind in "238" and block is None:
                raise self._fail(number, f"record {kind}", "an old balance (1) first", record[:2])
            elif kind == "2" and block is not None:
                self._movement_record(block, record, number)
            elif kind == "8" and block is not None:
                self._flush(block)
                self._new_balance(block, record, number)
                block = None
            elif kind == "9":
                self._trailer(record, number)
        if block is not None:
            raise self._fail(block.line, "statement", "a new balance (8)", "end of file")
        return ParseResult.checked(CodaParser.name, self.statements, self.diagnostics)

    def _account(self, field: str, structure: str, line: int) -> tuple[str | None, str | None, str]:
        """IBAN (structures 2 and 3) or account number, and currency, of a 37-character field."""
        if structure == "0":
            number, currency = field[0:12].strip(), field[13:16]
        elif structure in ("1", "2", "3"):
            number, currency = field[0:34].strip(), field[34:37]
        else:
            raise self._fail(line, "account structure", "0, 1, 2 or 3", structure)
        if structure in ("2", "3"):
            try:
                return compact_iban(number, field="account"), None, currency
            except InvalidValueError:
                raise self._fail(line, "account", "an IBAN", number) from None
        return None, number or None, currency

    def _old_balance(self, record: str, line: int) -> _Block:
        iban, identifier, currency = self._account(record[5:42], record[1], line)
        return _Block(
            line=line,
            iban=iban,
            identifier=identifier,
            currency=currency,
            opening=self._amount(record[42], record[43:58], line, "old balance"),
            opening_date=self._date(record[58:64], line, "old balance date"),
        )

    def _movement_record(self, block: _Block, record: str, line: int) -> None:
        article = record[1]
        if article == "1":
            self._flush(block)
            code = record[53:61]
            amount = self._amount(record[31], record[32:47], line, "amount")
            structured = record[61] == "1"
            block.pending = _Pending(
                line=line,
                reference=record[10:31].strip(),
                amount=amount,
                value_date=self._date(record[47:53], line, "value date"),
                booking_date=self._date(record[115:121], line, "entry date"),
                code=code,
                structured=record[65:77].strip() or None if structured else None,
                detail=code[:1] not in "0123",
                communication=[] if structured else [record[62:115].rstrip()],
            )
        elif article in "23" and block.pending is not None:
            pending = block.pending
            if article == "2":
                pending.communication.append(record[10:63].rstrip())
                pending.bic = record[98:109].strip() or None
            else:
                pending.communication.append(record[82:125].rstrip())
                pending.counterparty_account = record[10:44].strip() or None
                pending.counterparty_name = record[47:82].strip() or None
        elif article not in "123":
            raise self._fail(line, "movement record", "2.1, 2.2 or 2.3", record[:2])

    def _flush(self, block: _Block) -> None:
        """Book the movement read so far (its 2.2 and 2.3 records may follow the 2.1)."""
        pending, block.pending = block.pending, None
        if pending is None or pending.detail:
            return  # a detail of a globalised movement: already in the global total
        if pending.amount < 0:
            self.debits -= pending.amount
        else:
            self.credits += pending.amount
        account = pending.counterparty_account
        iban = _or_none(compact_iban, account)
        try:
            block.movements.append(
                Movement(
                    account=block.iban or f"{AccountKind.BANK.value}:{block.identifier}",
                    amount=to_money(pending.amount, block.currency),
                    booking_date=pending.booking_date,
                    value_date=pending.value_date,
                    booking_type=booking_type_of(pending.code, pending.amount < 0),
                    counterparty=Counterparty(
                        name=pending.counterparty_name,
                        iban=iban,
                        bic=_or_none(compact_bic, pending.bic),
                        account_number=None if iban else account,
                    ),
                    remittance_info=" ".join("".join(pending.communication).split()) or None,
                    end_to_end_id=pending.structured,
                    bank_reference=pending.reference or None,
                    bank_transaction_code=pending.code,
                    source=SourcePosition(source=self.source, line=pending.line),
                )
            )
        except InvalidValueError as error:
            raise ParseError(str(error), source=self.source, line=pending.line) from None

    def _new_balance(self, block: _Block, record: str, line: int) -> None:
        closing = self._amount(record[41], record[42:57], line, "new balance")
        closing_date = self._date(record[57:63], line, "new balance date")
        try:
            self.statements.append(
                Statement(
                    account=Account(
                        kind=AccountKind.BANK,
                        iban=block.iban,
                        identifier=block.identifier,
                        currency=block.currency,
                    ),
                    movements=number_occurrences(block.movements),
                    period_start=block.opening_date,
                    period_end=closing_date,
                    opening_balance=Balance(
                        amount=to_money(block.opening, block.currency), date=block.opening_date
                    ),
                    closing_balance=Balance(
                        amount=to_money(closing, block.currency), date=closing_date
                    ),
                    format=CodaParser.name,
                    source=self.source,
                )
            )
        except InvalidValueError as error:
            raise ParseError(str(error), source=self.source, line=block.line) from None

    def _trailer(self, record: str, line: int) -> None:
        count, debits, credits = record[16:22], record[22:37], record[37:52]
        if not all(part.isascii() and part.isdigit() for part in (count, debits, credits)):
            raise self._fail(line, "trailer", "the record count and two totals", record[16:52])
        for what, given, counted in (
            ("the number of records", int(count), self.records),
            ("the sum of debits", Decimal(int(debits)).scaleb(-3), self.debits),
            ("the sum of credits", Decimal(int(credits)).scaleb(-3), self.credits),
        ):
            if given != counted:
                self.diagnostics.append(
                    Diagnostic(
                        severity=Severity.ERROR,
                        code="trailer_mismatch",
                        message=f"{what} in the trailer is {given}, but the records give {counted}",
                        position=SourcePosition(source=self.source, line=line),
                    )
                )
