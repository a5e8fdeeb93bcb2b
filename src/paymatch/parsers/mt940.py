"""SWIFT MT940 (customer statement) and MT942 (interim transaction report).

Implements the SWIFT Standards MT Category 9 message reference (MT940 and
MT942, fields ``:20:`` ``:21:`` ``:25:`` ``:28C:`` ``:60F/M:`` ``:61:``
``:86:`` ``:62F/M:`` ``:64:`` ``:65:``, and MT942's ``:34F:`` ``:13D:``
``:90D:``/``:90C:``), with the German conventions of the DFÜ-Abkommen (DK
specification, annex 7) for ``:86:`` (see :mod:`paymatch.parsers.mt940_86`).
A file may hold several messages, with or without the SWIFT envelope
``{1:...}{2:...}{4:`` ... ``-}``; each ``:20:`` starts a statement, and so
does an opening balance after a closing one. docs/formats/mt940.md maps every
field to the model.

>>> data = (b":20:STARTUMS\\r\\n:25:10020030/1234567\\r\\n:28C:1/1\\r\\n"
...         b":60F:C251230EUR100,00\\r\\n:61:2512310102CR20,50NTRFNONREF//B-1\\r\\n"
...         b":86:166?00GUTSCHRIFT?20EREF+E2E-1?21SVWZ+Rechnung 4711\\r\\n"
...         b":62F:C260102EUR120,50\\r\\n-")
>>> result = MT940_PARSER.parse(data, source="march.sta")
>>> movement = result.statements[0].movements[0]
>>> movement.amount, movement.booking_date, movement.value_date, movement.remittance_info
(Money('20.50', 'EUR'), datetime.date(2026, 1, 2), datetime.date(2025, 12, 31), 'Rechnung 4711')
>>> movement.end_to_end_id, movement.bank_reference, movement.bank_transaction_code
('E2E-1', 'B-1', 'NTRF+166')
>>> result.diagnostics
()
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, BinaryIO, NamedTuple, TypeVar

import attrs
from moneyed import Currency, Money

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
from paymatch.model.identifiers import compact_bic, compact_iban, compact_rf
from paymatch.parsers.base import HEAD_SIZE, Parser, read_all
from paymatch.parsers.mt940_86 import dutch_details, german_details, is_german
from paymatch.parsers.result import Diagnostic, ParseResult, Severity
from paymatch.parsers.text import decode
from paymatch.parsers.transaction_codes import (
    booking_type_by_sign,
    booking_type_from_gvc,
    booking_type_from_swift,
)

__all__ = ["MT940_PARSER", "MT942_PARSER", "Mt940Parser", "parsers"]

#: A text line longer than this is not MT940 (SWIFT lines have at most 65 characters;
#: some banks put a whole :86: on one line, none writes kilobytes).
_MAX_LINE = 10_000
#: How many bytes iter_movements reads to choose the encoding.
_SNIFF_SIZE = 65_536

_TAG = re.compile(r":(\d{2,3}[A-Z]?|NS):")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: :60a:/:62a:/:64:/:65: balance: 1!a6!n3!a15d (D/C mark, date YYMMDD, currency, amount);
#: some banks pad the amount beyond 15 characters with zeros or leave out the currency.
_BALANCE = re.compile(r"([CD])(\d{6})([A-Z]{3})?(\d[\d,]*)\s*$")
#: :90D:/:90C: number of entries and sum: 5n3!a15d.
_TOTAL = re.compile(r"(\d{1,5})([A-Z]{3})(\d[\d,]*)\s*$")
#: :34F: floor limit: 3!a[1!a]15d.
_FLOOR_LIMIT = re.compile(r"([A-Z]{3})[CD]?\d[\d,]*\s*$")
#: :13D: date-time indication: 6!n4!n1!x4!n (YYMMDD HHMM +/-hhmm).
_DATE_TIME = re.compile(r"(\d{6})\d{4}[+-]\d{4}\s*$")
#: Subfields 1 to 6 of :61: (value date to transaction type), to tell a wrapped first line.
_STATEMENT_LINE = re.compile(r"\d{6}(?:\d{4})?R?[CD][A-Z]?\d[\d,]*[A-Z][A-Z0-9 ]{3}")
#: A currency code at the end of :25: ("NL91ABNA0417164300EUR", "51210600/9223382012EUR").
_ACCOUNT_CURRENCY = re.compile(r"(?<=\d)[A-Z]{3}$")
_IBAN_LIKE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
_RF = re.compile(r"\bRF\d{2}[A-Z0-9]{1,21}\b")
_MT942_MARKERS = re.compile(rb"^(?::34F:|:13D:)|\{2:[IO]942", re.MULTILINE)
_MT940_MARKERS = re.compile(rb"^:60[FM]:|\{2:[IO]940", re.MULTILINE)
_SWIFT_FIELDS = re.compile(rb"^:20:.*^:25:", re.MULTILINE | re.DOTALL)
_ENVELOPE = re.compile(rb"\{2:[IO]94[02]")
#: The tags of MT940/MT942 (SWIFT MT940/MT942 format specifications), and :NS: of German banks.
_KNOWN_TAGS = frozenset(
    {"20", "21", "25", "28", "28C", "60F", "60M", "61", "86", "62F", "62M", "64", "65", "34F"}
    | {"13D", "90D", "90C", "NS"}
)
_T = TypeVar("_T")
#: Start and end of a FIN message as some banks' exports keep them (SOH, ETX).
_TRANSMISSION = "\x01\x03"
#: Subfields 1 to 6 of :61: (SWIFT MT940 field 61: value date, entry date, mark, funds code,
#: amount, type; groups 1 to 5) and the rest of the line (group 6).
_SUBFIELDS = r"(\d{6})(\d{4})?(R?[CD])(?:[A-Z](?=\d))?(\d[\d,]*)([A-Z][A-Z0-9 ]{3})(.*)"
#: The subfields of a :61: line; where they do not match, _LineCursor reads them one by one.
_LINE_61 = re.compile(_SUBFIELDS)
#: A movement as nearly every bank writes it, for :func:`_scan` to read in one match: a
#: one-line :61: whose subfields match (groups 1 to 6) and at most one :86: (group 7, its
#: lines), then a line that :func:`_fields` reads as the start of another field (not :86:) or
#: of a message end, or the end of the text. Lines after the first of :86: start with neither
#: a blank nor "{", "-" or ":", so they continue it; no line exceeds _MAX_LINE. Line breaks
#: are "\n" only, and the text has no transmission characters. Anything else is left to
#: :func:`_fields`.
_ENTRY = re.compile(
    rf":61:(?=[^\n]{{0,{_MAX_LINE - 4}}}(?:\n|\Z)){_SUBFIELDS}"
    rf"(?:\n:86:([^\n]{{0,{_MAX_LINE - 4}}}(?:\n[^-{{:\s][^\n]{{0,{_MAX_LINE - 1}}})*))?"
    rf"(?=\n(?=[^\n]{{0,{_MAX_LINE}}}(?:\n|\Z))(?::(?!86:)(?:\d{{2,3}}[A-Z]?|NS):|-\}}|-(?:\n|\Z))"
    r"|\n?\Z)"
)


class _Field(NamedTuple):
    """One tagged field: its tag, its text lines, and where its value starts.

    A :61: that :func:`_scan` read with its :86: in one match of :data:`_ENTRY`
    has that match as ``entry`` (and no lines); other fields have ``None``.
    """

    tag: str
    lines: tuple[str, ...]
    line: int
    column: int
    entry: re.Match[str] | None = None


@attrs.frozen
class _StatementEnd:
    """Emitted after the movements of a statement: everything but the movements."""

    statement: Statement  # with no movements yet
    index: int
    line: int  # of its :20:


class Mt940Parser:
    """Reads MT940 and MT942 messages; ``name`` says which the statements are labelled as."""

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for a SWIFT envelope of this message type; 0.95 for its tags; 0.5 for the other's."""
        head = head[:HEAD_SIZE]
        envelope = _ENVELOPE.search(head)
        if envelope is not None:
            return 1.0 if envelope.group().endswith(self.name[2:].encode()) else 0.5
        if _SWIFT_FIELDS.search(head) is None:
            return 0.0
        is_mt942 = _MT942_MARKERS.search(head) is not None
        is_mt940 = _MT940_MARKERS.search(head) is not None and not is_mt942
        return 0.95 if (is_mt942 if self.name == "mt942" else is_mt940) else 0.5

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every statement in ``data``; raises ``ParseError`` where it is unreadable."""
        text, _ = decode(read_all(data), source=source)
        reader = _Reader(self.name, source)
        statements: list[Statement] = []
        movements: list[Movement] = []
        for item in reader.read(_scan(text, source, reader.skipped)):
            if isinstance(item, Movement):
                movements.append(item)
                continue
            statements.append(reader.with_movements(item, number_occurrences(movements)))
            movements = []
        return ParseResult.checked(self.name, statements, reader.diagnostics)

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream`` one by one; the encoding is sniffed from its start."""
        reader = _Reader(self.name, source)
        seen: Counter[str] = Counter()
        for item in reader.read(_fields(_stream_lines(stream, source), source, reader.skipped)):
            if isinstance(item, _StatementEnd):
                seen.clear()
                continue
            # number_occurrences(), one movement at a time: identical ones get 0, 1, 2...
            base = item.content_hash()
            yield attrs.evolve(item, occurrence=seen[base]) if seen[base] else item
            seen[base] += 1


#: The parser instances this module adds to the registry.
MT940_PARSER = Mt940Parser("mt940", "SWIFT MT940 customer statement (German :86: structure)")
MT942_PARSER = Mt940Parser("mt942", "SWIFT MT942 interim transaction report")


def parsers() -> tuple[Parser, ...]:
    """The MT940 and MT942 parsers (the registry calls this)."""
    return (MT940_PARSER, MT942_PARSER)


def _stream_lines(stream: BinaryIO, source: str | None) -> Iterator[tuple[int, str]]:
    """Numbered text lines of ``stream``, decoded with the encoding of its first chunk."""
    buffer = stream.read(_SNIFF_SIZE)
    cut = buffer.rfind(b"\n") + 1 or len(buffer)
    _, encoding = decode(buffer[:cut], source=source)
    if encoding == "utf-16":  # two-byte text cannot be split at b"\n"; rare enough to read whole
        text, _ = decode(buffer + stream.read(), source=source)
        yield from enumerate(_LINE_BREAK.split(text), 1)
        return
    number, start, at_end = 0, 0, False
    while start < len(buffer) or not at_end:
        end = buffer.find(b"\n", start)
        if end < 0 and not at_end:
            if len(buffer) - start > 4 * _MAX_LINE:
                _too_long(number + 1, source)
            chunk = stream.read(_SNIFF_SIZE)
            buffer, start, at_end = buffer[start:] + chunk, 0, not chunk
            continue
        if end < 0:
            end = len(buffer)
        raw, start = buffer[start:end], end + 1
        if b"\x00" in raw:
            raise ParseError(
                "binary data (a NUL byte) where text was expected",
                source=source,
                line=number + 1,
                column=raw.index(b"\x00") + 1,
            )
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError:  # a line in another code page than the start of the file
            line, _ = decode(raw, source=source)
        for part in _LINE_BREAK.split(line.removesuffix("\r")):
            number += 1
            yield number, part


def _too_long(line: int, source: str | None) -> None:
    raise ParseError(
        f"line longer than {_MAX_LINE} characters; MT940 lines have at most 65",
        source=source,
        line=line,
        column=_MAX_LINE + 1,
    )


def _fields(
    lines: Iterable[tuple[int, str]], source: str | None, skipped: list[int]
) -> Iterator[_Field | None]:
    """The tagged fields of the text; ``None`` where a message ends (``-`` or ``-}``).

    The SWIFT envelope (``{1:...}{2:...}{4:``, ``{5:...}``) and empty lines are
    skipped; a line without a tag continues the field before it, and between
    messages it is skipped, its number added to ``skipped``.
    """
    tag: str | None = None
    values: list[str] = []
    start = (0, 0)
    for number, raw in lines:
        if len(raw) > _MAX_LINE:
            _too_long(number, source)
        line, offset = raw.strip(_TRANSMISSION), 0
        if raw.startswith(_TRANSMISSION):
            offset = len(raw) - len(raw.lstrip(_TRANSMISSION))
        if line.startswith("{"):  # SWIFT basic/application/user header blocks before {4:
            body = line.find("{4:")
            if body < 0:
                continue
            line, offset = line[body + 3 :], body + 3
        stripped = line.strip()
        if not stripped:
            continue
        if stripped == "-" or stripped.startswith("-}"):  # end of message text (block 4)
            if tag is not None:
                yield _Field(tag, tuple(values), *start)
            tag, values = None, []
            yield None
            continue
        match = _TAG.match(line)
        if match is not None:
            if tag is not None:
                yield _Field(tag, tuple(values), *start)
            tag, values = match.group(1), [line[match.end() :]]
            start = (number, offset + match.end() + 1)
        elif tag is not None:
            values.append(line)
        else:  # outside a message: a bank's own header lines ("ABNANL2A", "940", "0000 01ING...")
            skipped.append(number)
    if tag is not None:
        yield _Field(tag, tuple(values), *start)


def _scan(text: str, source: str | None, skipped: list[int]) -> Iterator[_Field | None]:
    """The fields of ``text`` as :func:`_fields` reads them from its lines, only faster.

    Each movement that :data:`_ENTRY` matches is one :61: field carrying its :86:
    text; the lines around them (headers, balances, message ends and movements the
    pattern leaves, which start and end at field boundaries) go to :func:`_fields`.
    Line numbers are counted between matches, not line by line. A text with the
    transmission characters (rare) is all read by :func:`_fields`.
    """
    if "\x01" in text or "\x03" in text:
        yield from _fields(enumerate(_LINE_BREAK.split(text), 1), source, skipped)
        return
    # "\r\n", "\r" and "\n" break lines (_LINE_BREAK); the "\n" in front makes every
    # line, the first included, follow one
    text = "\n" + text.replace("\r\n", "\n").replace("\r", "\n")
    unread, line = 1, 1  # the offset and number of the first line not read yet
    found = text.find("\n:61:")
    while found >= 0:
        entry = _ENTRY.match(text, found + 1)
        if entry is None:
            found = text.find("\n:61:", found + 1)
            continue
        if unread <= found:
            yield from _fields(enumerate(text[unread:found].split("\n"), line), source, skipped)
            line += text.count("\n", unread, found + 1)
        yield _Field("61", (), line, 5, entry)
        unread = entry.end() + 1
        line += text.count("\n", found + 1, unread)
        found = text.find("\n:61:", entry.end())
    if unread <= len(text):
        yield from _fields(enumerate(text[unread:].split("\n"), line), source, skipped)


@attrs.define
class _Header:
    """What the fields of one statement said before and around its movements."""

    reference: str
    line: int
    account: Account | None = None
    account_text: str | None = None
    number: str | None = None
    currency: str | None = None
    opening: Balance | None = None
    closing: Balance | None = None
    reported_at: dt.date | None = None  # :13D:
    totals: dict[str, tuple[int, Money, _Field]] = attrs.Factory(dict)  # :90D:/:90C:
    debits: tuple[int, Decimal] = (0, Decimal(0))
    credits: tuple[int, Decimal] = (0, Decimal(0))
    is_mt942: bool = False
    has_movements: bool = False
    bank_references: set[str] = attrs.Factory(set)
    account_currency: str | None = None  # at the end of :25:, for statements without :60F:


class _Reader:
    """Turns fields into movements and statement ends; collects the diagnostics."""

    def __init__(self, name: str, source: str | None) -> None:
        self.name = name
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.index = -1
        self.reported_tags: set[str] = set()
        self.skipped: list[int] = []  # lines outside the messages (see _fields)
        self.currencies: dict[str, Currency] = {}

    def read(self, fields: Iterable[_Field | None]) -> Iterator[Movement | _StatementEnd]:
        """The movements and statement ends of ``fields`` (of :func:`_fields` or :func:`_scan`)."""
        header: _Header | None = None
        pending: _Field | None = None  # a :61: waiting for its :86:
        details: list[_Field] = []
        skipped = self.skipped
        for field in fields:
            if pending is not None and (field is None or field.tag != "86"):
                assert header is not None
                yield self.movement(header, pending, _information(details))
                pending, details = None, []
            if field is None:
                continue
            tag = field.tag
            if tag == "20":
                if header is not None:
                    yield from self.end_of(header)
                header = _Header(reference=self.text(field), line=field.line)
                self.index += 1
                continue
            if header is None:
                if tag not in _KNOWN_TAGS:
                    self.unknown_tag(field)
                    continue
                # :20: is mandatory, but a statement without it is still readable
                self.index += 1
                self.warn("no_transaction_reference", f"':{tag}:' before any ':20:'", field)
                header = _Header(reference="", line=field.line)
            if tag in ("60F", "60M") and (header.closing is not None or header.has_movements):
                # a second statement of the same message (several :60:...:62: blocks)
                previous = header
                yield from self.end_of(header)
                header = _Header(reference=previous.reference, line=field.line)
                header.account, header.account_text = previous.account, previous.account_text
                header.number = previous.number
                self.index += 1
            if tag == "61":
                header.has_movements = True
                if field.entry is None:
                    pending = field
                else:  # read with its :86: by _scan: no other :86: follows
                    yield self.movement(header, field, _entry_information(field.entry))
            elif tag == "86":
                if pending is not None:
                    details.append(field)
                # a :86: after the balances informs about the whole statement: nothing to keep
            else:
                self.header_field(header, field)
        if pending is not None:
            assert header is not None
            yield self.movement(header, pending, _information(details))
        if header is not None:
            yield from self.end_of(header)
        elif self.index < 0:
            raise ParseError(
                "expected an MT940/MT942 message (fields ':20:', ':25:', ':60F:'...), found none",
                source=self.source,
                line=skipped[0] if skipped else 1,
                column=1,
            )
        if skipped:
            self.diagnostics.append(
                Diagnostic(
                    severity=Severity.INFO,
                    code="skipped_lines",
                    message=f"{len(skipped)} line(s) outside the messages skipped "
                    f"(the first is line {skipped[0]})",
                    position=SourcePosition(source=self.source, line=skipped[0]),
                )
            )

    def end_of(self, header: _Header) -> Iterator[_StatementEnd]:
        end = self.end(header)
        if end is not None:
            yield end

    def header_field(self, header: _Header, field: _Field) -> None:
        tag, value = field.tag, self.text(field)
        if tag == "25":
            header.account_text = value
            suffix = _ACCOUNT_CURRENCY.search(value)
            if suffix is not None and _is_currency(suffix.group()):
                header.account_currency = suffix.group()
        elif tag in ("28C", "28"):
            header.number = value or None
        elif tag in ("60F", "60M", "62F", "62M"):
            balance = self.balance(field, value, header.currency)
            header.currency = header.currency or balance.amount.currency.code
            if tag.startswith("60"):
                header.opening = balance
            else:
                header.closing = balance
        elif tag in ("64", "65"):
            self.balance(
                field, value, header.currency
            )  # available balances: checked, not kept by the model
        elif tag == "34F":
            match = _FLOOR_LIMIT.match(value)
            if match is None:
                raise self.error(
                    field, f"expected :34F: floor limit like 'EURD0,00', got {value!r}"
                )
            header.currency = header.currency or match.group(1)
            header.is_mt942 = True
        elif tag == "13D":
            match = _DATE_TIME.match(value)
            if match is None:
                raise self.error(
                    field, f"expected :13D: date-time YYMMDDHHMM+hhmm, got {value[:20]!r}"
                )
            header.reported_at = self.date(field, match.group(1), 0)
            header.is_mt942 = True
        elif tag in ("90D", "90C"):
            match = _TOTAL.match(value)
            if match is None:
                raise self.error(
                    field, f"expected :{tag}: number, currency and amount, got {value[:30]!r}"
                )
            amount = self.money(field, match.group(3), match.group(2), len(match.group(1)) + 3)
            header.totals[tag] = (int(match.group(1)), amount, field)
            header.is_mt942 = True
        elif tag not in ("21", "NS"):  # :21: related reference and :NS: bank fields: no use
            self.unknown_tag(field)

    def account(self, header: _Header, field: _Field) -> Account:
        if header.account is not None:
            return header.account
        where = "in the statement" if field.tag == "20" else f"before ':{field.tag}:'"
        if header.account_text is None:
            raise self.error(field, f"expected ':25:' account identification {where}")
        currency = header.currency or header.account_currency
        if currency is None:
            raise self.error(
                field,
                f"expected ':60F:' opening balance (or MT942 ':34F:') {where}; "
                "it gives the currency",
            )
        header.account = self.make_account(header.account_text, currency, field)
        return header.account

    def make_account(self, text: str, currency: str, field: _Field) -> Account:
        """:25: is "BLZ/Kontonummer", an IBAN (maybe followed by the currency) or "BIC/IBAN"."""
        compact = text.replace(" ", "").upper()
        bic, _, rest = compact.partition("/")
        candidates: list[tuple[str | None, str]] = [
            (None, compact),
            (None, compact.removesuffix(currency)),
        ]
        if rest:
            candidates.append((bic, rest))
        for bic_text, iban_text in candidates:
            if _IBAN_LIKE.fullmatch(iban_text):
                try:
                    iban = compact_iban(iban_text)
                    return Account(
                        kind=AccountKind.BANK,
                        currency=currency,
                        iban=iban,
                        bic=bic_text if bic_text and _valid_bic(bic_text) else None,
                    )
                except InvalidValueError:
                    continue
        if _IBAN_LIKE.fullmatch(compact):
            self.warn("invalid_iban", f"the account {text!r} is not a valid IBAN", field)
        return self.build(field, Account, kind=AccountKind.BANK, currency=currency, identifier=text)

    def movement(self, header: _Header, field: _Field, information: str) -> Movement:
        """A :61: statement line and its :86: text (SWIFT MT940 field 61, subfields 1 to 10)."""
        account = self.account(header, field)
        line = self.statement_line(field)
        # subfield 7, customer reference 16x; subfield 8, "//" and bank reference 16x;
        # some banks write more on the line (a name): it joins the supplementary details
        customer_text, _, bank_text = line.rest.partition("//")
        overflow = customer_text[16:] + bank_text[16:]
        customer_text, bank_text = customer_text[:16], bank_text[:16]
        supplementary = _supplementary(overflow, line.more) if overflow or line.more else ""
        mark, swift_code = line.mark, line.type_code
        reversal = mark.startswith("R")
        # RC reverses a credit (money goes out again), RD reverses a debit (money comes back)
        credit = mark in ("C", "RD")
        value = self.decimal(field, line.amount, line.amount_offset)
        currency = self.currency(field, account.currency)
        facts = _Facts(customer_reference=_reference(customer_text))
        gvc = self.details(information, facts, field, credit=credit) if information else None
        booking_type = self.booking_type(swift_code, gvc, field, credit=credit)
        if reversal and booking_type is BookingType.SEPA_DIRECT_DEBIT:
            booking_type = BookingType.CHARGEBACK  # a direct debit booked as reversed came back
        code = swift_code if gvc is None else f"{swift_code}+{gvc}"
        count, total = header.credits if credit else header.debits
        if credit:
            header.credits = (count + 1, total + value)
        else:
            header.debits = (count + 1, total + value)
        try:
            return Movement(
                account=account.key,
                amount=Money(value if credit else -value, currency),
                booking_date=line.entry_date or line.value_date,
                value_date=line.value_date,
                booking_type=booking_type,
                # an interim report (MT942) lists entries of the day, not a closed statement
                status=Status.PENDING if header.is_mt942 else Status.COMPLETED,
                counterparty=facts.counterparty,
                remittance_info=facts.remittance_info or supplementary or None,
                creditor_reference=facts.creditor_reference,
                end_to_end_id=facts.end_to_end_id or facts.customer_reference,
                mandate_id=facts.mandate_id,
                bank_reference=self.bank_reference(header, bank_text, field),
                bank_transaction_code=code.strip() or None,
                reversal=reversal,
                source=SourcePosition(source=self.source, line=field.line, column=field.column),
            )
        except InvalidValueError as error:  # as self.build, without its cost per movement
            raise self.error(field, str(error)) from None

    def statement_line(self, field: _Field) -> _StatementLine:
        """Subfields 1 to 6 of a :61: and what follows them; an error says where they go wrong."""
        if field.entry is not None:  # _scan matched them already
            return self.matched_line(field, field.entry, ())
        first, more = field.lines[0], field.lines[1:]
        if more and _STATEMENT_LINE.match(first) is None:  # a bank that wrapped subfields 1-6
            first, more = first + more[0], more[1:]
        whole = _LINE_61.match(first)
        if whole is not None:  # the common case: subfields 1 to 6 in one match
            return self.matched_line(field, whole, more)
        cursor = _LineCursor(self, field, first)  # read step by step, to say where
        value_date = cursor.value_date()
        entry_date = cursor.entry_date(value_date)
        mark = cursor.mark()
        cursor.funds_code()
        amount_offset = cursor.position
        amount = cursor.amount()
        type_code = cursor.type_code()
        return _StatementLine(
            value_date, entry_date, mark, amount, amount_offset, type_code, cursor.rest(), more
        )

    def matched_line(
        self, field: _Field, whole: re.Match[str], more: tuple[str, ...]
    ) -> _StatementLine:
        """The statement line whose subfields ``whole`` matched (:data:`_SUBFIELDS`)."""
        value_date = self.date(field, whole.group(1), 0)
        return _StatementLine(
            value_date,
            self.entry_date(field, whole.group(2), value_date, 6),
            mark=whole.group(3),
            amount=whole.group(4),
            amount_offset=whole.start(4) - whole.start(1),
            type_code=whole.group(5),
            rest=whole.group(6),
            more=more,
        )

    def bank_reference(self, header: _Header, text: str, field: _Field) -> str | None:
        """The reference after ``//``, unless an earlier movement of the statement had it.

        It identifies the movement (:attr:`Movement.movement_id`); a bank that repeats it
        within one statement does not identify its movements by it, so the later ones
        are identified by their content instead.
        """
        reference = _reference(text)
        if reference is None:
            return None
        if reference in header.bank_references:
            self.warn(
                "duplicate_bank_reference",
                f"the bank reference {reference!r} repeats within the statement; "
                "this movement is identified by its content",
                field,
            )
            return None
        header.bank_references.add(reference)
        return reference

    def details(self, text: str, facts: _Facts, field: _Field, *, credit: bool) -> str | None:
        """Fill ``facts`` from a :86: text; the GVC when it has the German structure."""
        stripped = text.lstrip()
        if is_german(stripped):
            german = german_details(stripped)
            sepa = german.sepa
            facts.end_to_end_id = _reference(sepa.get("EREF", ""))
            facts.customer_reference = _reference(sepa.get("KREF", "")) or facts.customer_reference
            facts.mandate_id = sepa.get("MREF")
            remittance = sepa.get("SVWZ") or german.purpose
            facts.remittance_info = remittance
            facts.creditor_reference = _creditor_reference(remittance)
            ultimate = sepa.get("ABWA" if credit else "ABWE") or sepa.get(
                "ABWE" if credit else "ABWA"
            )
            facts.counterparty = self.counterparty(
                field,
                name=german.name,
                account=german.account or sepa.get("IBAN"),
                bank_code=german.bank_code or sepa.get("BIC"),
                ultimate_name=ultimate,
            )
            return german.gvc
        dutch = dutch_details(text)
        if dutch is None:
            facts.remittance_info = text.strip() or None
            return None
        facts.end_to_end_id = dutch.end_to_end_id
        facts.mandate_id = dutch.mandate_id
        facts.remittance_info = dutch.remittance_info or text.strip()
        facts.creditor_reference = _creditor_reference(dutch.creditor_reference)
        facts.counterparty = self.counterparty(
            field, name=dutch.name, account=dutch.iban, bank_code=dutch.bic, ultimate_name=None
        )
        return None

    def counterparty(
        self,
        field: _Field,
        *,
        name: str | None,
        account: str | None,
        bank_code: str | None,
        ultimate_name: str | None,
    ) -> Counterparty:
        """?30/?31 (or IBAN+/BIC+): a valid IBAN and BIC, else the text as an account number."""
        counterparty, invalid_iban = _counterparty(name, account, bank_code, ultimate_name)
        if invalid_iban:
            self.warn(
                "invalid_iban",
                f"the counterparty account {account!r} is not a valid IBAN; "
                "kept as its account number",
                field,
            )
        return counterparty

    def booking_type(
        self, swift_code: str, gvc: str | None, field: _Field, *, credit: bool
    ) -> BookingType:
        """The GVC decides (it is the finer code), then the :61: code, then the sign."""
        found = booking_type_from_gvc(gvc, credit=credit) if gvc is not None else None
        found = found or booking_type_from_swift(swift_code, credit=credit)
        if found is not None:
            return found
        codes = swift_code.strip() if gvc is None else f"{swift_code.strip()} / GVC {gvc}"
        self.diagnostics.append(
            Diagnostic(
                severity=Severity.INFO,
                code="unknown_transaction_code",
                message=f"transaction code {codes!r} is not known; "
                "the booking type is taken from the sign",
                statement=self.index,
                position=SourcePosition(source=self.source, line=field.line, column=field.column),
            )
        )
        return booking_type_by_sign(credit=credit)

    def end(self, header: _Header) -> _StatementEnd | None:
        """The statement around the movements just emitted; ``None`` for a message with nothing."""
        field = _Field("20", (header.reference,), header.line, 5)
        if header.account_text is None and header.currency is None and not header.has_movements:
            self.index -= 1
            self.diagnostics.append(
                Diagnostic(
                    severity=Severity.INFO,
                    code="empty_message",
                    message=f"the message ':20:{header.reference}' has no account, balance "
                    "or movement; skipped",
                    position=SourcePosition(source=self.source, line=header.line),
                )
            )
            return None
        account = self.account(header, field)
        self.check_totals(header)
        start = header.opening.date if header.opening is not None else None
        end = header.closing.date if header.closing is not None else header.reported_at
        if start is not None and end is not None and end < start:
            start = None
        reference = header.reference or None
        statement_id = f"{reference}/{header.number}" if reference and header.number else reference
        statement = self.build(
            field,
            Statement,
            account=account,
            statement_id=statement_id or header.number,
            period_start=start,
            period_end=end,
            opening_balance=header.opening,
            closing_balance=header.closing,
            format=self.name,
            source=self.source,
        )
        return _StatementEnd(statement, self.index, header.line)

    def with_movements(self, end: _StatementEnd, movements: tuple[Movement, ...]) -> Statement:
        """The statement of ``end`` with its movements (the model checks ids and currency)."""
        statement = end.statement
        field = _Field("20", (), end.line, 1)
        evolved: Statement = self.build(field, attrs.evolve, statement, movements=movements)
        return evolved

    def check_totals(self, header: _Header) -> None:
        """MT942 :90D:/:90C: give the number and sum of debits and credits: they must agree."""
        for tag, (count, total) in (("90D", header.debits), ("90C", header.credits)):
            if tag not in header.totals:
                continue
            stated_count, stated, field = header.totals[tag]
            if stated_count != count or stated.amount != total:
                self.diagnostics.append(
                    Diagnostic(
                        severity=Severity.ERROR,
                        code="totals_mismatch",
                        message=f":{tag}: states {stated_count} entries of {stated.amount}, "
                        f"the statement has {count} entries of {total}",
                        statement=self.index,
                        position=SourcePosition(
                            source=self.source, line=field.line, column=field.column
                        ),
                    )
                )

    def balance(self, field: _Field, value: str, statement_currency: str | None) -> Balance:
        match = _BALANCE.match(value)
        if match is None or (match.group(3) or statement_currency) is None:
            raise self.error(
                field,
                f"expected :{field.tag}: balance like 'C251231EUR1234,56', got {value[:30]!r}",
            )
        mark, date_text, currency, amount_text = match.groups()
        if currency is None:
            self.warn(
                "balance_without_currency",
                f"the balance :{field.tag}: names no currency; read as {statement_currency}",
                field,
            )
        amount = self.money(field, amount_text, currency or str(statement_currency), 10)
        return Balance(
            amount=amount if mark == "C" else -amount, date=self.date(field, date_text, 1)
        )

    def money(self, field: _Field, text: str, currency: str, offset: int) -> Money:
        """The amount ``text`` (at ``offset``) in ``currency``."""
        return Money(self.decimal(field, text, offset), self.currency(field, currency))

    def decimal(self, field: _Field, text: str, offset: int) -> Decimal:
        """An amount "15d": digits with a decimal comma (mandatory in SWIFT, but some banks
        leave it out of whole amounts). Every caller's pattern reads ``text`` as a digit
        followed by digits and commas, so only a second comma is left to refuse."""
        if text.count(",") > 1:
            raise self.error(
                field, f"expected an amount with a decimal comma, got {text!r}", offset
            )
        return Decimal(text.replace(",", "."))  # always a finite number, as to_decimal wants

    def currency(self, field: _Field, code: str) -> Currency:
        """The currency of ``code``, looked up once per file: every amount names one."""
        currency = self.currencies.get(code)
        if currency is None:
            currency = self.build(field, to_money, 0, code).currency
            self.currencies[code] = currency
        return currency

    def date(self, field: _Field, text: str, offset: int) -> dt.date:
        """A YYMMDD date; years 70-99 are 19xx (SWIFT leaves the century open)."""
        found = _calendar_date(text)
        if found is None:
            raise self.error(field, f"expected a date YYMMDD, got {text!r}", offset)
        date, past_month_end = found
        if past_month_end:  # banks computing with 30-day months write dates like 30 February
            self.warn(
                "invalid_date",
                f"the date {text!r} does not exist; read as the last day of the month",
                field,
            )
        return date

    def entry_date(
        self, field: _Field, text: str | None, value_date: dt.date, offset: int
    ) -> dt.date | None:
        """The :61: entry date ``text`` (MMDD, at ``offset``): the year is the value date's,
        or the next or previous one at new year."""
        if not text:
            return None
        found = _entry_date(text, value_date)
        if found is None:
            raise self.error(field, f"expected :61: entry date MMDD, got {text!r}", offset)
        return found

    def text(self, field: _Field) -> str:
        return "".join(field.lines).strip()

    def unknown_tag(self, field: _Field) -> None:
        if field.tag not in self.reported_tags:
            self.reported_tags.add(field.tag)
            self.diagnostics.append(
                Diagnostic(
                    severity=Severity.INFO,
                    code="unknown_tag",
                    message=f"the field ':{field.tag}:' is not part of MT940/MT942; skipped",
                    statement=self.index if self.index >= 0 else None,
                    position=SourcePosition(source=self.source, line=field.line),
                )
            )

    def warn(self, code: str, message: str, field: _Field) -> None:
        self.diagnostics.append(
            Diagnostic(
                severity=Severity.WARNING,
                code=code,
                message=message,
                statement=self.index if self.index >= 0 else None,
                position=SourcePosition(source=self.source, line=field.line, column=field.column),
            )
        )

    def error(self, field: _Field, reason: str, offset: int = 0) -> ParseError:
        return ParseError(reason, source=self.source, line=field.line, column=field.column + offset)

    def build(self, field: _Field, make: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """``make(...)``, its refusal of a value turned into a ParseError at ``field``."""
        try:
            return make(*args, **kwargs)
        except InvalidValueError as error:
            raise self.error(field, str(error)) from None


_NO_COUNTERPARTY = Counterparty()


def _supplementary(overflow: str, more: tuple[str, ...]) -> str:
    """Subfield 9 of :61: and what overflowed subfields 7 and 8, stripped, joined by blanks."""
    return " ".join(part.strip() for part in (overflow, *more) if part.strip())


def _entry_information(entry: re.Match[str]) -> str:
    """The :86: text of a movement :func:`_scan` matched, its lines joined as the bank cut them."""
    return (entry.group(7) or "").replace("\n", "")


def _information(details: list[_Field]) -> str:
    """The text of the :86: fields after a :61:, their lines joined as the bank cut them."""
    return "".join(line for detail in details for line in detail.lines)


@attrs.define
class _Facts:
    """What the :86: of a movement says, filled in by :meth:`_Reader.details`."""

    customer_reference: str | None = None
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    remittance_info: str | None = None
    creditor_reference: str | None = None
    counterparty: Counterparty = _NO_COUNTERPARTY


_VALUE_DATE = re.compile(r"\d{6}")
_ENTRY_DATE = re.compile(r"(\d{4})?")
_MARK = re.compile(r"R?[CD]")
_FUNDS_CODE = re.compile(r"[A-Z]?(?=\d)")
_AMOUNT_DIGITS = re.compile(r"\d[\d,]*")
_TYPE_CODE = re.compile(r"[A-Z][A-Z0-9 ]{3}")


class _LineCursor:
    """Reads the sub-fields of a :61: first line left to right (SWIFT MT940 field 61)."""

    def __init__(self, reader: _Reader, field: _Field, line: str) -> None:
        self.reader, self.field, self.line, self.position = reader, field, line, 0

    def take(self, pattern: re.Pattern[str], expected: str) -> str:
        match = pattern.match(self.line, self.position)
        if match is None:
            got = self.line[self.position : self.position + 16]
            raise self.reader.error(self.field, f"expected {expected}, got {got!r}", self.position)
        self.position = match.end()
        return match.group()

    def value_date(self) -> dt.date:
        offset = self.position
        text = self.take(_VALUE_DATE, ":61: value date YYMMDD")
        return self.reader.date(self.field, text, offset)

    def entry_date(self, value_date: dt.date) -> dt.date | None:
        """Subfield 2, MMDD: the year is the value date's, or the next/previous at new year."""
        offset = self.position
        text = self.take(_ENTRY_DATE, ":61: entry date MMDD")
        return self.reader.entry_date(self.field, text, value_date, offset)

    def mark(self) -> str:
        return self.take(_MARK, ":61: debit/credit mark D, C, RD or RC")

    def funds_code(self) -> None:
        self.take(_FUNDS_CODE, ":61: amount (digits with a decimal comma)")

    def amount(self) -> str:
        return self.take(_AMOUNT_DIGITS, ":61: amount (digits with a decimal comma)")

    def type_code(self) -> str:
        """Subfield 6: N, S or F and three characters; some banks write other letters first."""
        return self.take(_TYPE_CODE, ":61: transaction type like 'NTRF'")

    def rest(self) -> str:
        return self.line[self.position :]


def _reference(text: str) -> str | None:
    """A reference; ``NONREF`` (SWIFT MT940 field 61, subfield 7) or ``NOTPROVIDED``
    (SEPA ``EREF+``) means there is none."""
    text = text.strip()
    return None if not text or text.upper() in ("NONREF", "NOTPROVIDED") else text


def _creditor_reference(text: str | None) -> str | None:
    """The first valid ISO 11649 creditor reference (``RF..``) in ``text``, if any."""
    if not text or "RF" not in text:  # the common case, without the regular expression
        return None
    for candidate in _RF.findall(text):
        try:
            return compact_rf(candidate)
        except InvalidValueError:
            continue
    return None


class _StatementLine(NamedTuple):
    """Subfields 1 to 6 of a :61:, the rest of its first line and its further lines."""

    value_date: dt.date
    entry_date: dt.date | None
    mark: str
    amount: str
    amount_offset: int  # where the amount starts in the :61: value, for errors
    type_code: str
    rest: str  # subfields 7 and 8, customer and bank reference
    more: tuple[str, ...]  # subfield 9, supplementary details


@functools.lru_cache(maxsize=4096)
def _calendar_date(text: str) -> tuple[dt.date, bool] | None:
    """The date YYMMDD ``text`` and whether it was past its month's end, or ``None`` if
    its month or day is out of range. Cached: a statement's movements share few dates."""
    year, month, day = int(text[:2]), int(text[2:4]), int(text[4:6])
    year += 1900 if year >= 70 else 2000
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last)), day > last


@functools.lru_cache(maxsize=4096)
def _entry_date(text: str, value_date: dt.date) -> dt.date | None:
    """The date MMDD ``text`` nearest to ``value_date``, or ``None`` if no year has it."""
    month, day = int(text[:2]), int(text[2:])
    candidates = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: abs((candidate - value_date).days))


@functools.lru_cache(maxsize=4096)
def _counterparty(
    name: str | None, account: str | None, bank_code: str | None, ultimate_name: str | None
) -> tuple[Counterparty, bool]:
    """The counterparty :86: names, and whether ``account`` looked like an IBAN but is none.

    A valid IBAN and BIC are kept as such, anything else as the account number
    (with a bank code that is no BIC in front). Cached: payers come again.
    """
    iban = account_number = None
    invalid_iban = False
    if account is not None:
        compact = account.replace(" ", "").upper()
        if _IBAN_LIKE.fullmatch(compact):
            try:
                iban = compact_iban(compact)
            except InvalidValueError:
                invalid_iban = True
                account_number = account
        else:
            account_number = account
    bic = None
    if bank_code is not None:
        if _valid_bic(bank_code):
            bic = bank_code.replace(" ", "").upper()
        elif account_number is not None:  # a German bank code (BLZ) with the account number
            account_number = f"{bank_code}/{account_number}"
    counterparty = Counterparty(
        name=name, iban=iban, bic=bic, account_number=account_number, ultimate_name=ultimate_name
    )
    return counterparty, invalid_iban


def _valid_bic(text: str) -> bool:
    try:
        compact_bic(text)
    except InvalidValueError:
        return False
    return True


def _is_currency(code: str) -> bool:
    try:
        to_money(0, code)
    except InvalidValueError:
        return False
    return True
