"""Bank CSV exports ("Umsätze als CSV"): one parser per column layout, described by a mapping.

There is no standard for these files: every bank publishes its own column
layout (the presets in :mod:`paymatch.parsers.bank_csv_presets` follow the
exports the banks' online banking produced when this module was written; see
``docs/formats/bank_csv.md``). What they share is the shape that RFC 4180
describes — one header line naming the columns, one line per booking, cells
separated by a delimiter and quoted with ``"`` — with German habits: ``;`` as
delimiter, decimal comma, Windows-1252 text, preamble lines before the header
(account, period, balance) and sometimes a balance line after the bookings.

A :class:`CsvMapping` says which column holds what; :class:`BankCsvParser`
reads a file with it. Every booking line becomes one movement, in file order;
a cell that cannot be read is a :class:`~paymatch.errors.ParseError` naming
the line, the column (number and name) and what was expected.

>>> mapping = CsvMapping.from_toml('''
... date_formats = ["%d.%m.%Y"]
... account_iban = "DE89370400440532013000"
... [columns]
... booking_date = "Datum"
... amount = "Betrag"
... remittance_info = ["Zweck"]
... booking_text = "Art"
... ''')
>>> parser = BankCsvParser(mapping, name="csv.example")
>>> data = "Datum;Art;Zweck;Betrag\\n02.01.2026;Gutschrift;Rechnung 17;1.234,56\\n".encode()
>>> movement = parser.parse(data).statements[0].movements[0]
>>> movement.amount, movement.booking_type.value, movement.remittance_info
(Money('1234.56', 'EUR'), 'incoming', 'Rechnung 17')
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

import attrs
from stdnum import iso11649

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
    Status,
    number_occurrences,
    to_money,
)
from paymatch.model.identifiers import compact_bic, compact_iban
from paymatch.model.money import currency_code
from paymatch.parsers.base import HEAD_SIZE, read_all
from paymatch.parsers.result import Diagnostic, ParseResult, Severity
from paymatch.parsers.sepa_purpose import split_sepa_keys
from paymatch.parsers.text import decode, stream_lines, text_lines
from paymatch.parsers.transaction_codes import booking_type_by_sign, booking_type_from_gvc
from paymatch.settings import settings_from_toml

__all__ = [
    "BOOKING_TEXTS",
    "BankCsvParser",
    "CsvColumns",
    "CsvMapping",
    "DebitCreditFlag",
    "parsers",
]


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class CsvColumns:
    """Which header name holds which field; ``None`` where the export has no such column.

    The amount is either one signed column (``amount``), or two unsigned ones
    (``debit`` and ``credit``, as Deutsche Bank's "Soll"/"Haben"), or
    ``amount`` plus a :class:`DebitCreditFlag` column. ``payer`` and
    ``payee`` are for exports that name both parties (DKB, Postbank): the
    counterparty is the payer of money in and the payee of money out.
    ``remittance_info`` may name several columns; their texts are joined
    with a space.
    """

    booking_date: str
    value_date: str | None = None
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None
    currency: str | None = None
    counterparty_name: str | None = None
    payer: str | None = None
    payee: str | None = None
    iban: str | None = None
    bic: str | None = None
    remittance_info: tuple[str, ...] = attrs.field(default=(), converter=_names)
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    transaction_id: str | None = None
    bank_reference: str | None = None
    booking_text: str | None = None
    transaction_code: str | None = None
    status: str | None = None
    account: str | None = None

    def named(self) -> tuple[tuple[str, str], ...]:
        """Every mapped ``(field, header name)`` pair, remittance columns numbered."""
        pairs: list[tuple[str, str]] = []
        for field in attrs.fields(CsvColumns):
            value = getattr(self, field.name)
            if isinstance(value, tuple):
                pairs.extend((f"{field.name}[{i}]", name) for i, name in enumerate(value))
            elif value is not None:
                pairs.append((field.name, value))
        return tuple(pairs)


@attrs.frozen(kw_only=True)
class DebitCreditFlag:
    """A "Soll/Haben" column: which of its values mark money out and which money in."""

    column: str
    debit: tuple[str, ...] = attrs.field(default=("S",), converter=_names)
    credit: tuple[str, ...] = attrs.field(default=("H",), converter=_names)


@attrs.frozen(kw_only=True)
class CsvMapping:
    """How to read one bank's CSV export (see the module docstring and docs/formats/bank_csv.md).

    ``encoding`` ``None`` detects it (:func:`paymatch.parsers.text.decode`).
    ``skip_lines`` ``None`` finds the header as the first line that has every
    mapped column name; a number skips that many lines before the header.
    The account is ``account_iban``, else the ``account`` column, else the
    first valid IBAN in the preamble lines. Lines whose first filled cell
    matches ``opening_balance_label`` or ``closing_balance_label`` (regular
    expressions, case-insensitive) give the balances, before or after the
    bookings; a line matching ``period_label`` with two dates gives the
    period. A booking date in ``pending_dates`` (comdirect's "Offen") or a
    status in ``pending_values`` marks a pending movement. ``sepa_keys``
    splits ``EREF+``/``MREF+``/``SVWZ+`` purpose texts. ``expected_header``
    is the exact header a preset recognises files by.
    """

    columns: CsvColumns
    delimiter: str = ";"
    quote_char: str = '"'
    encoding: str | None = None
    skip_lines: int | None = None
    date_formats: tuple[str, ...] = attrs.field(default=("%d.%m.%Y",), converter=_names)
    decimal_separator: str = ","
    thousands_separator: str = "."
    currency: str = "EUR"
    debit_credit: DebitCreditFlag | None = None
    pending_values: tuple[str, ...] = attrs.field(
        default=("Umsatz vorgemerkt", "Vorgemerkt"), converter=_names
    )
    pending_dates: tuple[str, ...] = attrs.field(default=(), converter=_names)
    sepa_keys: bool = False
    account_iban: str | None = None
    opening_balance_label: str | None = None
    closing_balance_label: str | None = None
    period_label: str | None = "Zeitraum"
    expected_header: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def __attrs_post_init__(self) -> None:
        columns = self.columns
        if columns.amount is None and (columns.debit is None or columns.credit is None):
            raise InvalidValueError(
                "columns.amount", "required (or both columns.debit and columns.credit)"
            )
        if columns.amount is not None and (columns.debit or columns.credit):
            raise InvalidValueError(
                "columns.debit", "not with columns.amount: give one signed or two unsigned columns"
            )
        if self.debit_credit is not None and columns.amount is None:
            raise InvalidValueError("debit_credit", "needs columns.amount, the unsigned amount")
        if (
            len(self.delimiter) != 1
            or len(self.quote_char) != 1
            or self.delimiter == self.quote_char
            or {self.delimiter, self.quote_char} & {"\r", "\n"}
        ):
            raise InvalidValueError(
                "delimiter", "delimiter and quote_char are two different characters, not line ends"
            )
        if not self.date_formats:
            raise InvalidValueError("date_formats", "at least one date format is required")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise InvalidValueError("encoding", f"unknown encoding {self.encoding!r}") from None
        currency_code(self.currency, field="currency")
        if self.account_iban is not None:
            compact_iban(self.account_iban, field="account_iban")
        for field in ("opening_balance_label", "closing_balance_label", "period_label"):
            pattern = getattr(self, field)
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise InvalidValueError(field, f"not a regular expression: {error}") from None

    @classmethod
    def from_toml(cls, text: str) -> CsvMapping:
        """The mapping a TOML document describes (keys as the attribute names, ``[columns]``).

        Errors are :class:`~paymatch.errors.InvalidValueError` naming the key
        path: ``columns.amount: required``.
        """
        return settings_from_toml(text, cls)


#: Booking texts ("Buchungstext", "Umsatzart", "Vorgang", N26's "Type") -> booking type.
#: A booking text is folded (lower case, umlauts as ae/oe/ue, ß as ss) and the first
#: entry contained in it wins, so the order matters: "Rücklastschrift" before
#: "Lastschrift", "Dauerauftragsgutschrift" (money in) before "Dauerauftrag".
#: ``None`` means a known text whose direction is the sign (a card payment, a transfer).
BOOKING_TEXTS: tuple[tuple[str, BookingType | None], ...] = (
    ("ruecklastschrift", BookingType.CHARGEBACK),  # a direct debit returned (GVC 108/109/181-184)
    ("rueckbelastung", BookingType.CHARGEBACK),
    ("rueckueberweisung", BookingType.REFUND),  # our transfer came back (GVC 159)
    ("retoure", BookingType.REFUND),  # ING: a returned transfer
    ("entgelt", BookingType.FEE),  # GVC 806; also "Zinsen/Entgelte" (a period's closing)
    ("gebuehr", BookingType.FEE),  # GVC 808
    ("abschluss", BookingType.FEE),  # GVC 805: the period's charges and interest
    ("provision", BookingType.FEE),  # GVC 809
    ("zins", BookingType.INTEREST),  # GVC 814
    ("gutschr", BookingType.INCOMING),  # "Gutschrift", "GUTSCHR. UEBERWEISUNG" (GVC 051, 166)
    ("gehalt", BookingType.INCOMING),  # GVC 053/153
    ("lohn", BookingType.INCOMING),
    ("rente", BookingType.INCOMING),
    ("eingang", BookingType.INCOMING),  # DKB "Umsatztyp"
    ("income", BookingType.INCOMING),  # N26
    ("credit transfer", BookingType.INCOMING),  # N26: a transfer received
    ("lastschrift", BookingType.SEPA_DIRECT_DEBIT),  # GVC 104/105, "FOLGELASTSCHRIFT"
    ("abbuchung", BookingType.SEPA_DIRECT_DEBIT),
    ("direct debit", BookingType.SEPA_DIRECT_DEBIT),  # N26
    ("dauerauftrag", BookingType.OUTGOING),  # GVC 008/117
    ("ausgang", BookingType.OUTGOING),  # DKB "Umsatztyp"
    ("outgoing transfer", BookingType.OUTGOING),  # N26
    ("ueberweisung", None),  # "Überweisung", "ONLINE-UEBERWEISUNG": direction by sign
    ("uebertrag", BookingType.TRANSFER),  # GVC 820: between own accounts
    ("karte", None),  # "Kartenzahlung", "Kartenumsatz": a card payment or its refund
    ("presentment", None),  # N26: a card payment
    ("visa", None),  # comdirect "Visa-Umsatz": a credit card payment
    ("bargeld", None),  # "Bargeldauszahlung", cash at a machine
    ("auszahlung", None),
    ("einzahlung", None),
    ("moneybeam", None),  # N26: instant transfer between N26 customers
)

#: The keys German banks put into a SEPA purpose text (DK specification, annex
#: "SEPA-Verwendungszweck", as in MT940 :86: field ?20-?29).
_PLACEHOLDERS = frozenset({"NOTPROVIDED", "NONREF", "NOTAVAILABLE"})
_RF = re.compile(r"\bRF\d{2}[A-Z0-9]{1,21}\b")
_IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}")
_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SNIFF_SIZE = 64 * 1024


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().translate(_FOLD)


def _cell(text: str) -> str:
    return text.strip().lstrip("\ufeff").strip()


def _header_key(text: str) -> str:
    return _cell(text).casefold()


class BankCsvParser:
    """Reads one bank's CSV export, as its :class:`CsvMapping` describes.

    ``mapping`` ``None`` makes the generic ``"csv"`` parser that only says
    how to configure it: a CSV file without a mapping cannot be read.
    """

    def __init__(
        self, mapping: CsvMapping | None, *, name: str, description: str | None = None
    ) -> None:
        self.mapping = mapping
        self.name = name
        self.description = description or f"bank CSV export ({name})"

    def __repr__(self) -> str:
        return f"BankCsvParser(name={self.name!r})"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a line that is exactly the preset's header, less for a partial match."""
        if self.mapping is None or not self.mapping.expected_header:
            return 0.0
        expected = tuple(_header_key(name) for name in self.mapping.expected_header)
        best = 0.0
        try:
            text = _head_text(head[:HEAD_SIZE])
            for cells in csv.reader(
                text.splitlines()[:40],
                delimiter=self.mapping.delimiter,
                quotechar=self.mapping.quote_char,
            ):
                found = tuple(_header_key(cell) for cell in cells)
                while found and not found[-1]:
                    found = found[:-1]
                if found == expected:
                    return 1.0
                shared = len(set(found) & set(expected)) / len(set(found) | set(expected))
                if shared >= 0.5:  # most names agree: a variant of this layout
                    best = max(best, 0.9 * shared)
        except (csv.Error, ValueError):
            return best
        return best

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every booking of ``data``, one statement per account and currency."""
        mapping = self._required_mapping(source)
        raw = read_all(data)
        if mapping.encoding is None:
            text, _ = decode(raw, source=source)
        else:
            text = _decode_with(raw, mapping.encoding, source)
        reader = _Reader(mapping, self.name, source)
        movements = list(reader.movements(text_lines(text)))
        return reader.result(movements)

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The bookings of ``stream`` one by one, decoding and reading it line by line."""
        mapping = self._required_mapping(source)
        head = stream.read(_SNIFF_SIZE)
        encoding = mapping.encoding
        if encoding is None:
            complete = head[: head.rfind(b"\n") + 1] or head  # a cut character is no evidence
            _, encoding = decode(complete, source=source)
        reader = _Reader(mapping, self.name, source)
        for movement in reader.movements(stream_lines(head, stream, encoding, source)):
            reader.found.clear()  # the findings go with parse(); keep memory flat here
            yield movement

    def _required_mapping(self, source: str | None) -> CsvMapping:
        if self.mapping is None:
            raise ParseError(
                f"the {self.name!r} format needs a column mapping: register "
                "BankCsvParser(CsvMapping.from_toml(...), name=...) and parse with its name",
                source=source,
            )
        return self.mapping


def parsers() -> tuple[BankCsvParser, ...]:
    """The bank presets, and the generic ``"csv"`` parser that needs a mapping (detects nothing)."""
    from paymatch.parsers.bank_csv_presets import PRESETS  # the presets build on this module

    presets = tuple(
        BankCsvParser(preset.mapping, name=preset.name, description=preset.description)
        for preset in PRESETS.values()
    )
    generic = BankCsvParser(
        None, name="csv", description="bank CSV with your own column mapping (CsvMapping)"
    )
    return (*presets, generic)


def _head_text(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


def _decode_with(raw: bytes, encoding: str, source: str | None) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ParseError(f"not valid {encoding} text", source=source, line=line) from None


@attrs.frozen
class _Column:
    field: str
    name: str
    index: int  # 0-based


@attrs.define
class _Reader:
    """The state of reading one file: layout, account, balances, findings."""

    mapping: CsvMapping
    format: str
    source: str | None
    columns: dict[str, _Column] = attrs.field(factory=dict)
    width: int = 0
    iban: str | None = None
    opening: tuple[Decimal, dt.date | None, int] | None = None
    closing: tuple[Decimal, dt.date | None, int] | None = None
    period: tuple[dt.date, dt.date] | None = None
    found: list[tuple[tuple[str, str], Diagnostic]] = attrs.field(factory=list)

    def movements(self, lines: Iterable[str]) -> Iterator[Movement]:
        """Every booking line as a movement; preamble and balance lines as state."""
        mapping = self.mapping
        reader = csv.reader(lines, delimiter=mapping.delimiter, quotechar=mapping.quote_char)
        line = 0
        header_seen = False
        skipped = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise ParseError(
                    f"not a CSV line: {error}", source=self.source, line=start
                ) from None
            line = start
            cells = [_cell(cell) for cell in row]
            if not header_seen:
                if mapping.skip_lines is not None and skipped < mapping.skip_lines:
                    skipped += 1
                    self._note(cells, line, preamble=True)
                elif self._is_header(row, line):
                    header_seen = True
                else:
                    self._note(cells, line, preamble=True)
                continue
            if not any(cells) or self._note(cells, line, preamble=False):
                continue
            yield self._movement(cells, line)
        if not header_seen:
            names = ", ".join(repr(name) for _, name in mapping.columns.named())
            raise ParseError(
                f"expected a header line with the columns {names}; found none",
                source=self.source,
                line=max(line, 1),
            )

    def _is_header(self, row: list[str], line: int) -> bool:
        keys = [_header_key(cell) for cell in row]
        named = self.mapping.columns.named()
        if self.mapping.debit_credit is not None:
            named += (("debit_credit", self.mapping.debit_credit.column),)
        if self.mapping.skip_lines is None and not all(
            _header_key(name) in keys for _, name in named
        ):
            return False
        for field, name in named:
            key = _header_key(name)
            if key not in keys:
                raise ParseError(
                    f"expected the column {name!r} ({field}) in the header line",
                    source=self.source,
                    line=line,
                )
            self.columns[field] = _Column(field, name, keys.index(key))
        while keys and not keys[-1]:
            keys.pop()
        self.width = len(keys)
        return True

    def _note(self, cells: list[str], line: int, *, preamble: bool) -> bool:
        """Take the account, period or a balance from a line outside the bookings."""
        filled = [cell for cell in cells if cell]
        if not filled:
            return False
        label = filled[0]
        mapping = self.mapping
        for kind, pattern in (
            ("opening", mapping.opening_balance_label),
            ("closing", mapping.closing_balance_label),
        ):
            if pattern is not None and re.search(pattern, label, re.IGNORECASE):
                self._balance(kind, cells, line)
                return True
        if not preamble:
            return False
        joined = " ".join(filled)
        if mapping.period_label is not None and re.search(
            mapping.period_label, joined, re.IGNORECASE
        ):
            dates = self._dates_in(joined)
            if len(dates) == 2:
                self.period = (min(dates), max(dates))
                return True
        if self.iban is None:
            self.iban = _first_iban(joined)
        return True

    def _balance(self, kind: str, cells: list[str], line: int) -> None:
        dates = self._dates_in(" ".join(cells))
        for cell in cells[1:]:
            if not cell or self._dates_in(cell):
                continue
            amount = self._amount_text(cell)
            if amount is not None:
                value = (amount, dates[0] if dates else None, line)
                if kind == "opening":
                    self.opening = value
                else:
                    self.closing = value
                return
        raise ParseError(
            f"expected an amount like {self._example_amount()} in the {kind} balance line",
            source=self.source,
            line=line,
        )

    def _dates_in(self, text: str) -> list[dt.date]:
        found = []
        for token in _DATE_LIKE.findall(text):
            date = self._date_text(token)
            if date is not None:
                found.append(date)
        return found

    def _date_text(self, text: str) -> dt.date | None:
        return _date(text, self.mapping.date_formats)

    def _amount_text(self, text: str) -> Decimal | None:
        mapping = self.mapping
        text = text.replace("\u00a0", " ").replace("€", " ").strip()
        if text[-3:].isalpha():  # "1.234,56 EUR"
            text = text[:-3].strip()
        text = text.replace(" ", "")
        if not _amount_pattern(mapping.thousands_separator, mapping.decimal_separator).fullmatch(
            text
        ):
            return None
        if mapping.thousands_separator:
            text = text.replace(mapping.thousands_separator, "")
        return Decimal(text.replace(mapping.decimal_separator, "."))

    def _example_amount(self) -> str:
        return f"-1{self.mapping.thousands_separator}234{self.mapping.decimal_separator}56"

    def _get(self, cells: list[str], field: str) -> str | None:
        column = self.columns.get(field)
        if column is None:
            return None
        return cells[column.index] or None

    def _fail(self, field: str, line: int, expected: str, got: str) -> ParseError:
        column = self.columns[field]
        return ParseError(
            f"column {column.index + 1} ({column.name!r}): expected {expected}, got {got!r}",
            source=self.source,
            line=line,
            column=column.index + 1,
        )

    def _date(self, cells: list[str], field: str, line: int) -> dt.date | None:
        text = self._get(cells, field)
        if text is None:
            return None
        date = self._date_text(text)
        if date is None:
            formats = " or ".join(self.mapping.date_formats)
            raise self._fail(field, line, f"a date ({formats})", text)
        return date

    def _money_cell(self, cells: list[str], field: str, line: int) -> Decimal | None:
        text = self._get(cells, field)
        if text is None:
            return None
        amount = self._amount_text(text)
        if amount is None:
            raise self._fail(field, line, f"an amount like {self._example_amount()}", text)
        return amount

    def _signed_amount(self, cells: list[str], line: int) -> Decimal:
        mapping = self.mapping
        if mapping.columns.amount is None:
            debit = self._money_cell(cells, "debit", line)
            credit = self._money_cell(cells, "credit", line)
            if (debit is None) == (credit is None):
                got = "both" if debit is not None else "neither"
                raise self._fail("debit", line, "an amount in exactly one of debit and credit", got)
            return -abs(debit) if debit is not None else abs(credit or Decimal(0))
        amount = self._money_cell(cells, "amount", line)
        if amount is None:
            raise self._fail("amount", line, f"an amount like {self._example_amount()}", "")
        flag = mapping.debit_credit
        if flag is None:
            return amount
        text = self._get(cells, "debit_credit") or ""
        if text in flag.debit:
            return -abs(amount)
        if text in flag.credit:
            return abs(amount)
        expected = " or ".join(repr(value) for value in flag.debit + flag.credit)
        raise self._fail("debit_credit", line, expected, text)

    def _movement(self, cells: list[str], line: int) -> Movement:
        if len(cells) < self.width or any(cells[self.width :]):
            raise ParseError(
                f"expected {self.width} cells as in the header line, got {len(cells)}",
                source=self.source,
                line=line,
                column=min(len(cells), self.width) + 1,
            )
        mapping = self.mapping
        status = Status.COMPLETED
        booking_text = self._get(cells, "booking_date")
        value_date = self._date(cells, "value_date", line)
        if booking_text is not None and _fold(booking_text) in _folded(mapping.pending_dates):
            status = Status.PENDING
            if value_date is None:
                raise self._fail("booking_date", line, "a date, or a value date", booking_text)
            booking_date = value_date
        else:
            date = self._date(cells, "booking_date", line)
            if date is None:
                raise self._fail("booking_date", line, "a date", "")
            booking_date = date
        state = self._get(cells, "status")
        if state is not None and _fold(state) in _folded(mapping.pending_values):
            status = Status.PENDING
        amount = self._signed_amount(cells, line)
        currency = self._get(cells, "currency") or mapping.currency
        try:
            money = to_money(amount, currency)
        except InvalidValueError as error:
            field = "currency" if "currency" in self.columns else "amount"
            raise self._fail(field, line, "an ISO 4217 currency", currency) from error
        account = self._account(cells, line)
        group = (account.key, money.currency.code)
        position = SourcePosition(source=self.source, line=line)
        purpose = " ".join(
            text
            for i in range(len(mapping.columns.remittance_info))
            if (text := self._get(cells, f"remittance_info[{i}]")) is not None
        )
        end_to_end, mandate, remittance = self._sepa(purpose)
        transaction_code = self._get(cells, "transaction_code")
        booking_label = self._get(cells, "booking_text")
        try:
            return Movement(
                account=account.key,
                amount=money,
                booking_date=booking_date,
                value_date=value_date,
                booking_type=self._booking_type(
                    transaction_code, booking_label, amount > 0, group, position
                ),
                status=status,
                counterparty=self._counterparty(cells, amount > 0, group, position),
                remittance_info=remittance,
                creditor_reference=_creditor_reference(remittance),
                end_to_end_id=_identifier(self._get(cells, "end_to_end_id")) or end_to_end,
                mandate_id=self._get(cells, "mandate_id") or mandate,
                transaction_id=self._get(cells, "transaction_id"),
                bank_reference=self._get(cells, "bank_reference"),
                bank_transaction_code=transaction_code or booking_label,
                source=position,
            )
        except InvalidValueError as error:  # a model check the cells above did not foresee
            raise ParseError(str(error), source=self.source, line=line) from None

    def _account(self, cells: list[str], line: int) -> Account:
        text = self._get(cells, "account")
        iban = self.mapping.account_iban or self.iban
        if text is not None:
            try:
                iban = compact_iban(text)
            except InvalidValueError:
                raise self._fail("account", line, "the account's IBAN", text) from None
        currency = self._get(cells, "currency") or self.mapping.currency
        if iban is not None:
            return Account(kind=AccountKind.BANK, iban=iban, currency=currency)
        # Keyed to the format, not the file name: the same export read again under
        # another name must give the same movement ids.
        return Account(kind=AccountKind.BANK, identifier=self.format, currency=currency)

    def _counterparty(
        self, cells: list[str], credit: bool, group: tuple[str, str], position: SourcePosition
    ) -> Counterparty:
        name = self._get(cells, "counterparty_name")
        if name is None:
            name = self._get(cells, "payer" if credit else "payee")
        iban_text = self._get(cells, "iban")
        iban = account_number = None
        if iban_text is not None:
            try:
                iban = compact_iban(iban_text)
            except InvalidValueError:
                account_number = iban_text
                self._warn(
                    group,
                    "invalid_iban",
                    f"{iban_text!r} is not a valid IBAN; kept as the counterparty's account number",
                    position,
                )
        bic_text = self._get(cells, "bic")
        bic = None
        if bic_text is not None:
            try:
                bic = compact_bic(bic_text)
            except InvalidValueError:
                self._warn(
                    group, "invalid_bic", f"{bic_text!r} is not a valid BIC; left out", position
                )
        return Counterparty(name=name, iban=iban, bic=bic, account_number=account_number)

    def _booking_type(
        self,
        code: str | None,
        text: str | None,
        credit: bool,
        group: tuple[str, str],
        position: SourcePosition,
    ) -> BookingType:
        if code is not None:
            found = booking_type_from_gvc(code, credit=credit)
            if found is not None:
                return found
        if text is not None:
            folded = _fold(text)
            for keyword, booking_type in BOOKING_TEXTS:
                if keyword in folded:
                    return booking_type or booking_type_by_sign(credit=credit)
        if code is not None or text is not None:
            self._warn(
                group,
                "unknown_transaction_code",
                f"unknown transaction code / booking text {code or text!r}; "
                "booking type taken from the sign",
                position,
            )
        return booking_type_by_sign(credit=credit)

    def _sepa(self, text: str) -> tuple[str | None, str | None, str | None]:
        """End-to-end id, mandate id and purpose of a text with SEPA keys (``EREF+...``)."""
        if not self.mapping.sepa_keys:
            return None, None, text.strip() or None
        before, keys = split_sepa_keys([text])
        purpose = keys.get("SVWZ") or before
        return _identifier(keys.get("EREF")), keys.get("MREF"), purpose

    def _warn(
        self, group: tuple[str, str], code: str, message: str, position: SourcePosition
    ) -> None:
        self.found.append(
            (
                group,
                Diagnostic(
                    severity=Severity.WARNING, code=code, message=message, position=position
                ),
            )
        )

    def result(self, movements: list[Movement]) -> ParseResult:
        """The statements of the movements read, one per account and currency."""
        groups: dict[tuple[str, str], list[Movement]] = {}
        for movement in movements:
            groups.setdefault((movement.account, movement.currency), []).append(movement)
        if not groups and (self.iban or self.mapping.account_iban):
            key = self.mapping.account_iban or self.iban or ""
            groups[(compact_iban(key), self.mapping.currency)] = []
        statements = []
        for (key, currency), members in groups.items():
            statements.append(self._statement(key, currency, members, len(groups) == 1))
        diagnostics = []
        index = {group: i for i, group in enumerate(groups)}
        for group, diagnostic in self.found:
            diagnostics.append(attrs.evolve(diagnostic, statement=index[group]))
        if statements and not any(s.account.iban for s in statements):
            diagnostics.append(
                Diagnostic(
                    severity=Severity.WARNING,
                    code="no_account_iban",
                    message="the file does not name its account's IBAN; the movements are "
                    f"keyed to {statements[0].account.key!r} (set account_iban in the mapping)",
                )
            )
        return ParseResult.checked(self.format, statements, diagnostics)

    def _statement(
        self, key: str, currency: str, movements: list[Movement], only: bool
    ) -> Statement:
        if key.startswith(f"{AccountKind.BANK.value}:"):
            account = Account(
                kind=AccountKind.BANK, identifier=key.partition(":")[2], currency=currency
            )
        else:
            account = Account(kind=AccountKind.BANK, iban=key, currency=currency)
        dates = [movement.booking_date for movement in movements]
        start = self.period[0] if self.period else min(dates, default=None)
        end = self.period[1] if self.period else max(dates, default=None)
        balances: dict[str, Balance | None] = {"opening": None, "closing": None}
        if only:  # the preamble's balances are the file's: they fit one statement only
            for kind, found, fallback in (
                ("opening", self.opening, start),
                ("closing", self.closing, end),
            ):
                if found is None:
                    continue
                amount, date, line = found
                date = date or fallback
                if date is None:
                    raise ParseError(
                        f"expected a date for the {kind} balance", source=self.source, line=line
                    )
                balances[kind] = Balance(amount=to_money(amount, currency), date=date)
        numbered = number_occurrences(movements)
        first_line: dict[str, int | None] = {}
        for movement in numbered:  # a repeated transaction id or bank reference: one booking twice
            at = movement.source.line if movement.source else None
            earlier = first_line.setdefault(movement.movement_id, at)
            if earlier != at:
                raise ParseError(
                    f"the booking has the id {movement.movement_id!r} of the booking in line "
                    f"{earlier}; ids must be unique in a statement",
                    source=self.source,
                    line=at,
                )
        return Statement(
            account=account,
            movements=numbered,
            period_start=start,
            period_end=end,
            opening_balance=balances["opening"],
            closing_balance=balances["closing"],
            format=self.format,
            source=self.source,
        )


@functools.lru_cache(maxsize=4096)
def _date(text: str, formats: tuple[str, ...]) -> dt.date | None:
    """The date ``text`` means in the first of ``formats`` that reads it (files repeat dates)."""
    for pattern in formats:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@functools.lru_cache(maxsize=64)
def _amount_pattern(thousands: str, decimal: str) -> re.Pattern[str]:
    """A signed amount with optional thousands groups (``-1.234,56``) and decimals."""
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|" if thousands else ""
    return re.compile(rf"[+-]?(?:{grouped}\d+)(?:{re.escape(decimal)}\d+)?")


@functools.lru_cache(maxsize=64)
def _folded(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_fold(value) for value in values)


def _first_iban(text: str) -> str | None:
    for match in _IBAN_LIKE.finditer(text):
        candidate = match.group(0).replace(" ", "")
        for length in range(len(candidate), 14, -1):
            try:
                return compact_iban(candidate[:length])
            except InvalidValueError:
                continue
    return None


def _identifier(text: str | None) -> str | None:
    if text is None or text.strip().upper() in _PLACEHOLDERS:
        return None
    return text.strip() or None


def _creditor_reference(text: str | None) -> str | None:
    """An ISO 11649 reference (``RF18...``) in the purpose, check digits verified; else ``None``."""
    if text is None:
        return None
    for match in _RF.finditer(text.upper()):
        if iso11649.is_valid(match.group(0)):
            return match.group(0)
    return None
