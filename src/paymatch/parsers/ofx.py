"""OFX / QFX: Open Financial Exchange statements, version 1.x (SGML) and 2.x (XML).

Implements the statement responses of the OFX specification (1.0.2 to 2.2):
``BANKMSGSRSV1/STMTTRNRS/STMTRS`` (bank accounts), ``CREDITCARDMSGSRSV1/
CCSTMTTRNRS/CCSTMTRS`` (cards) and the cash side of
``INVSTMTMSGSRSV1/INVSTMTTRNRS/INVSTMTRS`` (investment accounts), with the
``SIGNONMSGSRSV1`` status. Version 1 files are SGML whose leaf elements need
no end tag; version 2 files are XML. Both are read by one tolerant reader:
a start tag followed by text is a leaf element, an end tag closes the open
aggregate of its name.

Each ``STMTTRN`` becomes a movement: ``TRNAMT`` (signed as given),
``DTPOSTED`` (and ``DTUSER`` as value date), ``FITID`` as transaction id,
``NAME``/``PAYEE`` as counterparty, ``MEMO`` as remittance information,
``TRNTYPE`` -> booking type (``docs/formats/ofx.md``). Investment
transactions move cash by their ``TOTAL``. One statement per statement
response; ``LEDGERBAL`` is the closing balance (OFX states no opening
balance). A server status other than 0 is an error diagnostic. A value that
is not an OFX date or amount is a :class:`ParseError` naming its element.

>>> data = (b"OFXHEADER:100\\nDATA:OFXSGML\\nVERSION:102\\n\\n<OFX><BANKMSGSRSV1><STMTTRNRS>"
...         b"<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>121000248<ACCTID>1234"
...         b"</BANKACCTFROM><BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260302"
...         b"<TRNAMT>119.00<FITID>F1<NAME>Anna Schmidt<MEMO>AU-2001</STMTTRN>"
...         b"</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")
>>> movement = OfxParser().parse(data).statements[0].movements[0]
>>> movement.account, str(movement.amount.amount), movement.booking_type.value
('bank:121000248/1234', '119.00', 'incoming')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
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
from paymatch.model.money import currency_code
from paymatch.parsers.base import HEAD_SIZE, ReadWhole, read_all
from paymatch.parsers.result import Diagnostic, ParseResult, Severity
from paymatch.parsers.text import decode

__all__ = ["OfxParser", "booking_type_of", "parsers"]

_TAG = re.compile(r"<(/?)([A-Za-z0-9_.]+)\s*>([^<]*)")
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")

#: OFX transaction types -> booking types; credits and debits by the amount's sign.
_TYPES = {
    "INT": BookingType.INTEREST,
    "DIV": BookingType.INTEREST,
    "FEE": BookingType.FEE,
    "SRVCHG": BookingType.FEE,
    "XFER": BookingType.TRANSFER,
    "DIRECTDEBIT": BookingType.SEPA_DIRECT_DEBIT,
}
_STATEMENTS = {
    "STMTRS": AccountKind.BANK,
    "CCSTMTRS": AccountKind.BANK,
    "INVSTMTRS": AccountKind.OTHER,
}
#: Investment transactions: each moves cash by its TOTAL.
_INVESTMENT = frozenset(
    [
        "BUYDEBT",
        "BUYMF",
        "BUYOPT",
        "BUYOTHER",
        "BUYSTOCK",
        "SELLDEBT",
        "SELLMF",
        "SELLOPT",
        "SELLOTHER",
        "SELLSTOCK",
        "INCOME",
        "REINVEST",
        "RETOFCAP",
        "MARGININTEREST",
        "TRANSFER",
        "SPLIT",
        "CLOSUREOPT",
        "JRNLFUND",
        "JRNLSEC",
    ]
)


def booking_type_of(kind: str, amount: Decimal) -> BookingType:
    """The booking type of an OFX ``TRNTYPE``: by its table, else incoming or outgoing."""
    booking_type = _TYPES.get(kind.upper())
    if booking_type is not None:
        return booking_type
    return BookingType.INCOMING if amount > 0 else BookingType.OUTGOING


@attrs.define
class _Node:
    """An OFX aggregate or leaf element, with the line it starts on."""

    name: str
    line: int
    value: str | None = None
    children: list[_Node] = attrs.field(factory=list)

    def find(self, *path: str) -> _Node | None:
        """The first child on ``path`` (child of child...), or ``None``."""
        node = self
        for name in path:
            found = next((child for child in node.children if child.name == name), None)
            if found is None:
                return None
            node = found
        return node

    def text(self, *path: str) -> str | None:
        node = self.find(*path)
        value = None if node is None else (node.value or "").strip()
        return value or None

    def all(self, name: str) -> Iterator[_Node]:
        """Every descendant called ``name``, in document order."""
        for child in self.children:
            if child.name == name:
                yield child
            else:
                yield from child.all(name)


class OfxParser(ReadWhole):
    """OFX and QFX statement files, versions 1.x and 2.x (see the module docstring)."""

    name = "ofx"
    description = "OFX / QFX statement (Open Financial Exchange 1.x SGML and 2.x XML)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for an OFX header (``OFXHEADER:`` or ``<?OFX``), 0.8 for a bare ``<OFX>``."""
        text = head[:HEAD_SIZE].decode("latin-1").lstrip("\ufeff \r\n\t")
        if text.startswith("OFXHEADER:") or "<?OFX" in text[:400]:
            return 1.0
        return 0.8 if text.upper().startswith("<OFX>") else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every statement response of the file."""
        text, _ = decode(read_all(data), source=source)
        root = _tree(text, source)
        return _Reader(source).read(root)


def parsers() -> tuple[OfxParser, ...]:
    """The built-in OFX parser."""
    return (OfxParser(),)


def _tree(text: str, source: str | None) -> _Node:
    """The ``<OFX>`` element as a tree; SGML leaves end at the next tag."""
    start = text.upper().find("<OFX>")
    if start < 0:
        raise ParseError("expected the <OFX> element", source=source, line=1)
    line = text.count("\n", 0, start) + 1
    root = _Node("ROOT", line)
    stack = [root]
    position = start
    for match in _TAG.finditer(text, start):
        line += text.count("\n", position, match.start())
        position = match.start()
        closing, name, value = match.group(1), match.group(2).upper(), match.group(3)
        if closing:
            names = [node.name for node in stack]
            if name in names[1:]:
                while stack[-1].name != name:
                    stack.pop()
                stack.pop()
            continue  # the end tag of a leaf (XML) or of nothing open: no aggregate to close
        node = _Node(name, line)
        stack[-1].children.append(node)
        if value.strip():
            node.value = value.strip()  # a leaf: SGML gives it no end tag
        else:
            stack.append(node)
    ofx = root.find("OFX")
    if ofx is None:
        raise ParseError("expected the <OFX> element", source=source, line=1)
    return ofx


class _Reader:
    def __init__(self, source: str | None) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    def _fail(self, node: _Node | None, what: str, expected: str) -> ParseError:
        got = None if node is None else node.value
        line = None if node is None else node.line
        return ParseError(
            f"<{what}>: expected {expected}, got {got!r}", source=self.source, line=line
        )

    def _date(self, node: _Node, name: str) -> dt.date:
        leaf = node.find(name)
        found = _DATE.match((leaf.value or "") if leaf else "")
        try:
            if found is None:
                raise ValueError
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            raise self._fail(leaf or node, name, "a date YYYYMMDD[HHMMSS]") from None

    def _optional_date(self, node: _Node, name: str) -> dt.date | None:
        return self._date(node, name) if node.text(name) else None

    def _amount(self, node: _Node, name: str) -> Decimal:
        leaf = node.find(name)
        value = (leaf.value or "").strip() if leaf else ""
        if not _AMOUNT.fullmatch(value):
            raise self._fail(leaf or node, name, "an amount such as -12.34")
        try:
            return Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise self._fail(leaf or node, name, "an amount such as -12.34") from None

    def read(self, ofx: _Node) -> ParseResult:
        for status in ofx.all("STATUS"):
            code = status.text("CODE")
            if code not in (None, "0"):
                message = status.text("MESSAGE") or status.text("SEVERITY") or "no message"
                self.diagnostics.append(
                    Diagnostic(
                        severity=Severity.ERROR,
                        code="ofx_status",
                        message=f"the server answered with status {code}: {message}",
                        position=SourcePosition(source=self.source, line=status.line),
                    )
                )
        statements = []
        for name, kind in _STATEMENTS.items():
            for response in ofx.all(name):
                statements.extend(self._statements(response, kind))
        return ParseResult.checked(OfxParser.name, statements, self.diagnostics)

    def _statements(self, response: _Node, kind: AccountKind) -> list[Statement]:
        """The statement of one response: one per currency its transactions are in."""
        currency = (response.text("CURDEF") or response.text("CURRENCY", "CURSYM") or "").upper()
        if not currency:  # some banks leave CURDEF empty and name it per transaction
            currency = next(
                (cur for node in response.all("CURSYM") if (cur := (node.value or "").upper())),
                "",
            )
        try:
            currency = currency_code(currency, field="CURDEF")
        except InvalidValueError:
            raise self._fail(
                response.find("CURDEF") or response, "CURDEF", "an ISO 4217 currency code"
            ) from None
        account_node = (
            response.find("BANKACCTFROM")
            or response.find("CCACCTFROM")
            or response.find("INVACCTFROM")
        )
        if account_node is None or account_node.text("ACCTID") is None:
            raise self._fail(response, "ACCTID", "the account of the statement")
        institution = account_node.text("BANKID") or account_node.text("BROKERID")
        number = account_node.text("ACCTID") or ""
        identifier = f"{institution}/{number}" if institution else number
        key = f"{kind.value}:{identifier}"
        movements = [self._movement(node, key, currency) for node in response.all("STMTTRN")]
        tranlist = response.find("INVTRANLIST")
        if tranlist is not None:
            movements += [
                self._investment(node, key, currency)
                for node in tranlist.children
                if node.name in _INVESTMENT
            ]
        closing = self._closing(response, currency)
        tranlist = response.find("BANKTRANLIST") or response.find("INVTRANLIST")
        start = self._optional_date(tranlist, "DTSTART") if tranlist else None
        end = self._optional_date(tranlist, "DTEND") if tranlist else None
        by_currency: dict[str, list[Movement]] = {currency: []}
        for movement in movements:
            by_currency.setdefault(movement.currency, []).append(movement)
        try:
            return [
                Statement(
                    account=Account(kind=kind, identifier=identifier, currency=code),
                    movements=number_occurrences(members),
                    period_start=start,
                    period_end=end,
                    closing_balance=closing if code == currency else None,
                    format=OfxParser.name,
                    source=self.source,
                )
                for code, members in by_currency.items()
            ]
        except InvalidValueError as error:  # a value the model refuses
            raise ParseError(str(error), source=self.source, line=response.line) from None

    def _closing(self, response: _Node, currency: str) -> Balance | None:
        """The ledger balance; an aggregate left empty says nothing (a warning, no balance)."""
        ledger = response.find("LEDGERBAL")  # investment statements state no cash ledger
        if ledger is None:
            return None
        if ledger.text("BALAMT") is None and ledger.text("DTASOF") is None:
            self.diagnostics.append(
                Diagnostic(
                    severity=Severity.WARNING,
                    code="empty_ledger_balance",
                    message="the statement's LEDGERBAL is empty: no closing balance",
                    position=SourcePosition(source=self.source, line=ledger.line),
                )
            )
            return None
        return Balance(
            amount=to_money(self._amount(ledger, "BALAMT"), currency),
            date=self._date(ledger, "DTASOF"),
        )

    def _movement(self, node: _Node, key: str, currency: str) -> Movement:
        amount = self._amount(node, "TRNAMT")
        kind = node.text("TRNTYPE") or "OTHER"
        name = node.text("NAME") or node.text("PAYEE", "NAME")
        try:
            return Movement(
                account=key,
                amount=to_money(amount, (node.text("CURRENCY", "CURSYM") or currency)),
                booking_date=self._date(node, "DTPOSTED"),
                value_date=self._optional_date(node, "DTUSER"),
                booking_type=booking_type_of(kind, amount),
                counterparty=Counterparty(name=name),
                remittance_info=node.text("MEMO"),
                transaction_id=node.text("FITID"),
                bank_reference=node.text("REFNUM") or node.text("CHECKNUM"),
                bank_transaction_code=kind,
                source=SourcePosition(source=self.source, line=node.line),
            )
        except InvalidValueError as error:  # a value the model refuses
            raise ParseError(str(error), source=self.source, line=node.line) from None

    def _investment(self, node: _Node, key: str, currency: str) -> Movement:
        """The cash an investment transaction moved: its TOTAL (or 0 without one)."""
        details = next(node.all("INVTRAN"), None)
        if details is None:
            raise self._fail(node, "INVTRAN", "the transaction's FITID and trade date")
        total_node = (
            node
            if node.text("TOTAL")
            else next((child for child in node.children if child.text("TOTAL")), None)
        )
        amount = self._amount(total_node, "TOTAL") if total_node else Decimal(0)
        try:
            return Movement(
                account=key,
                amount=to_money(amount, currency),
                booking_date=self._date(details, "DTTRADE"),
                value_date=self._optional_date(details, "DTSETTLE"),
                booking_type=BookingType.OTHER,
                remittance_info=details.text("MEMO") or node.name,
                transaction_id=details.text("FITID"),
                bank_transaction_code=node.name,
                source=SourcePosition(source=self.source, line=node.line),
            )
        except InvalidValueError as error:  # a value the model refuses
            raise ParseError(str(error), source=self.source, line=node.line) from None
