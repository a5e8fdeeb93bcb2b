"""ISO 20022 cash-management statements: camt.052, camt.053 and camt.054.

* camt.053 "BankToCustomerStatement" (``BkToCstmrStmt/Stmt``): the booked
  end-of-day statement;
* camt.052 "BankToCustomerAccountReport" (``BkToCstmrAcctRpt/Rpt``): intraday
  reports, often with pending entries and only an ``ITBD`` balance;
* camt.054 "BankToCustomerDebitCreditNotification" (``BkToCstmrDbtCdtNtfctn/Ntfctn``):
  notifications of single bookings or batches, usually without balances.

Every message version 001.01 to 001.13 is read (ISO 20022 message definitions,
"Bank-to-Customer Cash Management", and the German DK "Anlage 3" profile for
the proprietary GVC codes). Elements are matched by local name, so any
``urn:iso:std:iso:20022:tech:xsd:camt.05x.001.xx`` namespace, or none, is
accepted. Each ``Stmt``/``Rpt``/``Ntfctn`` becomes one :class:`Statement`
(one per currency if its entries are in several); each ``Ntry`` one movement,
or one per ``TxDtls`` for a batch whose transaction amounts add up to the
entry. docs/formats/camt.md lists which element goes to which field.

>>> xml = b'''<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
... <BkToCstmrStmt><Stmt><Id>S1</Id>
... <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
... <Ntry><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
... <BookgDt><Dt>2026-03-02</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>'''
>>> result = CamtParser("camt.053").parse(xml, source="march.xml")
>>> movement = result.statements[0].movements[0]
>>> movement.amount, movement.booking_date, movement.source.path
(Money('12.50', 'EUR'), datetime.date(2026, 3, 2), '/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]')
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import heapq
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import BinaryIO

import attrs
from lxml import etree
from moneyed import Currency, Money, get_currency
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
)
from paymatch.model.identifiers import compact_bic, compact_iban
from paymatch.model.money import currency_code
from paymatch.parsers.base import read_all
from paymatch.parsers.result import Diagnostic, ParseResult, Severity
from paymatch.parsers.transaction_codes import (
    booking_type_by_sign,
    booking_type_from_gvc,
    booking_type_from_iso,
)
from paymatch.parsers.xml_safety import safe_document, safe_iterparse

__all__ = ["CamtParser", "parsers"]

#: Message name -> (message element under Document, statement element inside it).
_MESSAGES = {
    "camt.052": ("BkToCstmrAcctRpt", "Rpt"),
    "camt.053": ("BkToCstmrStmt", "Stmt"),
    "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
_DESCRIPTIONS = {
    "camt.052": "ISO 20022 camt.052 bank-to-customer account report (intraday), 001.01-001.13",
    "camt.053": "ISO 20022 camt.053 bank-to-customer statement, 001.01-001.13",
    "camt.054": "ISO 20022 camt.054 debit/credit notification, 001.01-001.13",
}
_NAMESPACE = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.\d\d")

#: ISO 20022 ExternalEntryStatus1Code (v8+ ``Sts/Cd``; v2 ``Sts`` text).
_STATUSES = {"BOOK": Status.COMPLETED, "PDNG": Status.PENDING, "FUTR": Status.PENDING}
#: Balance type codes (ISO 20022 BalanceType12Code) in order of preference.
_OPENING_TYPES = ("OPBD", "PRCD")  # opening booked, else the previous closing booked
_CLOSING_TYPES = ("CLBD",)  # closing booked; CLAV (available) is not the booked balance
_AMOUNT = re.compile(r"\d{1,18}(\.\d{1,17})?")  # ActiveOrHistoricCurrencyAndAmount
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")


def _local(tag: object) -> str:
    """The local name of an lxml tag (``{urn:...}Ntry`` -> ``Ntry``); comments give ``""``."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _clean(value: str | None) -> str | None:
    """Stripped text, or ``None`` when nothing is left."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


@functools.lru_cache(maxsize=1024)
def _iso_date(text: str) -> dt.date | None:
    """The date of an ISODate or ISODateTime text, ``None`` if it is neither.

    ISODate may carry a zone (xs:date); ISODateTime's date is the local date as written.
    Cached: a statement repeats a few dates in every entry.
    """
    match = _DATE.match(text)
    try:
        if match is not None and match.end() == len(text):
            return dt.date.fromisoformat(match.group(1))
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


@functools.lru_cache(maxsize=1024)
def _classify(
    domain: str | None,
    family: str | None,
    subfamily: str | None,
    proprietary: str | None,
    credit: bool,  # positional, not keyword: lru_cache builds the key faster
    reversal: bool,
) -> tuple[BookingType | None, str | None]:
    """The booking type of a ``BkTxCd`` (ISO domain first, then proprietary), if known,
    and its code as text (``PMNT-RCDT-ESCT / NTRF+166``).

    Cached: a statement uses a handful of codes in many entries.
    """
    iso = "-".join(part for part in (domain, family, subfamily) if part) or None
    code = " / ".join(part for part in (iso, proprietary) if part) or None
    found = None
    if iso is not None:
        found = booking_type_from_iso(domain, family, subfamily, credit=credit, reversal=reversal)
    if found is None and proprietary is not None:
        found = booking_type_from_gvc(proprietary, credit=credit)
        # A direct debit booked with the reversal indicator was taken back (DK annex 3).
        if found is BookingType.SEPA_DIRECT_DEBIT and reversal:
            found = BookingType.CHARGEBACK
    return found, code


@functools.lru_cache(maxsize=256)
def _currency(code: str) -> Currency:
    """The currency of an ``Amt Ccy`` attribute; ``InvalidValueError`` for an unknown code.

    Cached, and given to ``Money`` as the object, not as a code it would look up again.
    """
    return get_currency(currency_code(code, field="Amt.currency"))


@attrs.frozen
class _Account:
    """What a statement says about its account before its entries."""

    account: Account | None  # None while the currency is still unknown
    identifier_iban: str | None
    identifier_other: str | None
    currency: str | None
    bic: str | None
    name: str | None
    statement_id: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    created: dt.date | None

    def for_currency(self, currency: str) -> Account:
        """The account in ``currency`` (entries in several currencies: one account for each)."""
        if self.account is not None and self.account.currency == currency:
            return self.account
        return Account(
            kind=AccountKind.BANK,
            currency=currency,
            iban=self.identifier_iban,
            bic=self.bic,
            identifier=self.identifier_other,
            name=self.name,
        )


@attrs.define  # not frozen: built per entry, and a frozen class sets each field the slow way
class _Entry:
    """What every movement of one ``Ntry`` shares."""

    index: _Index
    account: str
    booking_date: dt.date
    value_date: dt.date | None
    status: Status
    reversal: bool
    bank_reference: str | None
    additional_info: str | None  # AddtlNtryInf: the remittance info when no TxDtls gives any


@attrs.define  # not frozen: built per transaction (see _Entry)
class _Details:
    """What one ``TxDtls`` adds to its movement."""

    transaction_id: str | None = None
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    bank_reference: str | None = None
    counterparty: Counterparty = attrs.field(factory=Counterparty)
    creditor_reference: str | None = None
    remittance_info: str | None = None


_NO_DETAILS = _Details()


#: Where an entry has its transactions; an entry with one has it indexed with the entry.
_DETAILS = "NtryDtls/TxDtls"


class _Fields:
    """Text fields read together from an index, each with its paths in order of preference.

    ``keys`` holds them for each key prefix an index can have (``""``, or ``NtryDtls/TxDtls/``
    for a transaction cut out of its entry's index), so no look-up builds a string.
    """

    __slots__ = ("keys",)

    def __init__(self, *paths: tuple[str, ...]) -> None:
        self.keys = {
            prefix: tuple(tuple(prefix + path for path in field) for field in paths)
            for prefix in ("", _DETAILS + "/")
        }


#: RvslInd, status code, AcctSvcrRef and AddtlNtryInf of an ``Ntry``.
_ENTRY_FIELDS = _Fields(
    ("RvslInd",), ("Sts/Cd", "Sts/Prtry", "Sts"), ("AcctSvcrRef",), ("AddtlNtryInf",)
)
#: ISO domain, family and sub-family, and proprietary code of a ``BkTxCd``.
_CODE_FIELDS = _Fields(
    ("BkTxCd/Domn/Cd",),
    ("BkTxCd/Domn/Fmly/Cd",),
    ("BkTxCd/Domn/Fmly/SubFmlyCd",),
    ("BkTxCd/Prtry/Cd",),
)
#: EndToEndId, TxId, MndtId and AcctSvcrRef of a ``TxDtls``.
_REFERENCE_FIELDS = _Fields(
    ("Refs/EndToEndId",), ("Refs/TxId",), ("Refs/MndtId",), ("Refs/AcctSvcrRef",)
)


def _party_fields(side: str) -> _Fields:
    """Name, ultimate party's name, IBAN, other account id and BIC of a ``TxDtls`` party.

    ``side`` is ``Dbtr`` or ``Cdtr``.
    """
    return _Fields(
        (f"RltdPties/{side}/Nm", f"RltdPties/{side}/Pty/Nm"),
        (f"RltdPties/Ultmt{side}/Nm", f"RltdPties/Ultmt{side}/Pty/Nm"),
        (f"RltdPties/{side}Acct/Id/IBAN",),
        (f"RltdPties/{side}Acct/Id/Othr/Id", f"RltdPties/{side}Acct/Id/PrtryAcct/Id"),
        (f"RltdAgts/{side}Agt/FinInstnId/BIC", f"RltdAgts/{side}Agt/FinInstnId/BICFI"),
    )


_DEBTOR_FIELDS = _party_fields("Dbtr")
_CREDITOR_FIELDS = _party_fields("Cdtr")


def _line(element: etree._Element) -> int | None:
    """The 1-based line lxml recorded for ``element``, if any."""
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else None


class _Step:
    """One local element path (``NtryDtls/TxDtls``) in a trie of the paths met in a document.

    Its children are the paths one step further, by the qualified tag of that step, so an
    index finds the path of an element from its parent's step without building a string.
    """

    __slots__ = ("children", "path", "prefix")

    def __init__(self, path: str) -> None:
        self.path = path
        self.prefix = path + "/" if path else ""  # what the paths of the children start with
        self.children: dict[str, _Step] = {}


class _Paths:
    """The trie of the local paths under the elements a reader indexes (``_Step``).

    Bounded, as tags come from the file: past ``_LIMIT`` steps, new ones are not kept.
    """

    _LIMIT = 4096

    def __init__(self) -> None:
        self.root = _Step("")
        self.size = 0

    def child(self, parent: _Step, tag: str) -> _Step:
        """The step of an element with the qualified ``tag`` under ``parent``'s element."""
        step = _Step(parent.prefix + tag[tag.rfind("}") + 1 :])
        if self.size < self._LIMIT:
            parent.children[tag] = step
            self.size += 1
        return step


class _Index:
    """Every element under one element by its local path (``NtryDtls/TxDtls/Refs/TxId``).

    One walk over an entry replaces dozens of ElementPath look-ups, which dominate the time
    otherwise; ``find`` gives the first element on a path, as ElementPath does, ``all`` every
    one in document order. The walk is lxml's own ``iterdescendants`` (document order), each
    element's path the step below its parent's (``_Paths``); an index cut out with
    ``only_child`` shares the dicts and adds a key prefix.
    """

    __slots__ = ("element", "first", "more", "prefix")

    def __init__(
        self,
        element: etree._Element,
        first: dict[str, etree._Element],
        more: dict[str, list[etree._Element]],
        prefix: str,
    ) -> None:
        """The index of ``element`` in ``first`` and ``more``, whose keys start with ``prefix``."""
        self.element = element
        self.first = first  # path -> its first element
        self.more = more  # path -> all, if it has several
        self.prefix = prefix

    @classmethod
    def of(cls, element: etree._Element, paths: _Paths) -> _Index:
        """The index of the elements under ``element``."""
        index = cls(element, {}, {}, "")
        index._walk(paths)
        return index

    def find(self, path: str) -> etree._Element | None:
        """The first element on ``path``, or ``None``."""
        return self.first.get(self.prefix + path)

    def all(self, path: str) -> Sequence[etree._Element]:
        """Every element on ``path``, in document order."""
        key = self.prefix + path
        several = self.more.get(key)
        if several is not None:
            return several
        found = self.first.get(key)
        return () if found is None else (found,)

    def texts(self, fields: _Fields) -> list[str | None]:
        """The text (blanks collapsed) of each field: of its first path's first element that
        has any, or ``None``."""
        first = self.first
        values: list[str | None] = []
        for keys in fields.keys[self.prefix]:
            value = None
            for key in keys:
                element = first.get(key)
                if element is not None:
                    value = _clean(element.text)
                    if value is not None:
                        break
            values.append(value)
        return values

    def only_child(self, path: str) -> _Index:
        """The index of the one element on ``path``, cut out of this index without a new walk."""
        key = self.prefix + path
        return _Index(self.first[key], self.first, self.more, key + "/")

    def _walk(self, paths: _Paths) -> None:
        # The hot loop of parsing: per element one tag, one getparent and four dict operations.
        element, first, more = self.element, self.first, self.more
        steps: dict[etree._Element | None, _Step] = {element: paths.root}
        for child in element.iterdescendants():
            parent = steps[child.getparent()]
            tag = child.tag
            step = parent.children.get(tag)
            if step is None:
                if not isinstance(tag, str):
                    continue  # comments and processing instructions (removed by the parser)
                step = paths.child(parent, tag)
            steps[child] = step
            path = step.path
            found = first.setdefault(path, child)
            if found is not child:
                several = more.get(path)
                if several is None:
                    more[path] = [found, child]
                else:
                    several.append(child)


_Node = etree._Element | _Index


class _Reader:
    """Reads the elements of one document; collects diagnostics as it goes."""

    def __init__(self, namespace: str, source: str | None, message: str) -> None:
        self.prefix = "{" + namespace + "}" if namespace else ""
        self.source = source
        self.message = message
        self.diagnostics: list[Diagnostic] = []
        self.statement_index = 0
        self.paths = _Paths()
        self._paths: dict[str, str] = {}
        self._date_tags = (self._q("Dt"), self._q("DtTm"))

    # -- element access -----------------------------------------------------

    def _q(self, path: str) -> str:
        qualified = self._paths.get(path)
        if qualified is None:
            qualified = "/".join(self.prefix + step for step in path.split("/"))
            self._paths[path] = qualified
        return qualified

    def find(self, node: _Node, path: str) -> etree._Element | None:
        if isinstance(node, _Index):
            return node.find(path)
        return node.find(self._q(path))

    def all(self, node: _Node, path: str) -> Sequence[etree._Element]:
        if isinstance(node, _Index):
            return node.all(path)
        return node.findall(self._q(path))

    def text(self, element: etree._Element, *paths: str) -> str | None:
        """The stripped text of the first of ``paths`` that has any."""
        for path in paths:
            found = element.find(self._q(path))
            if found is not None:
                value = _clean(found.text)
                if value is not None:
                    return value
        return None

    # -- errors and findings --------------------------------------------------

    def fail(self, reason: str, path: str, node: _Node | None = None) -> ParseError:
        element = node.element if isinstance(node, _Index) else node
        line = None if element is None else _line(element)
        return ParseError(reason, source=self.source, line=line, path=path)

    def checked(
        self, check: Callable[[str], str], value: str | None, code: str, message: str, path: str
    ) -> str | None:
        """``check(value)`` (an IBAN or BIC made compact), or ``None`` and a warning if invalid."""
        if value is None:
            return None
        try:
            return check(value)
        except InvalidValueError as error:
            self.note(Severity.WARNING, code, f"{message}: {error.reason}", path)
            return None

    def note(self, severity: Severity, code: str, message: str, path: str | None) -> None:
        position = SourcePosition(source=self.source, path=path)
        self.diagnostics.append(
            Diagnostic(
                severity=severity,
                code=code,
                message=message,
                statement=self.statement_index,
                position=position,
            )
        )

    # -- values ---------------------------------------------------------------

    def amount(self, parent: _Node, name: str, at: str) -> Money:
        """The ``Amt Ccy="..."`` child ``name`` of ``parent`` (at path ``at``), kept exactly."""
        element = self.find(parent, name)
        if element is None:
            raise self.fail(f"expected an <{name}> element with the amount", f"{at}/{name}", parent)
        text = (element.text or "").strip()
        if not _AMOUNT.fullmatch(text):
            raise self.fail(
                f"expected an amount like 12.50 (digits and a decimal point), got {text!r}",
                f"{at}/{name}",
                element,
            )
        try:
            currency = _currency(element.get("Ccy", ""))
        except InvalidValueError as error:
            raise self.fail(
                f"expected a Ccy attribute with an ISO 4217 currency code: {error.reason}",
                f"{at}/{name}",
                element,
            ) from None
        return Money(Decimal(text), currency)

    def credit(self, parent: _Node, at: str, *, required: bool = True) -> bool | None:
        """``True`` for ``CdtDbtInd`` CRDT under ``parent`` (at path ``at``), ``False`` for DBIT."""
        element = self.find(parent, "CdtDbtInd")
        if element is None:
            if required:
                raise self.fail(
                    "expected a <CdtDbtInd> element (CRDT or DBIT)", f"{at}/CdtDbtInd", parent
                )
            return None
        value = (element.text or "").strip()
        if value not in ("CRDT", "DBIT"):
            raise self.fail(
                f"expected CdtDbtInd CRDT or DBIT, got {value!r}", f"{at}/CdtDbtInd", element
            )
        return value == "CRDT"

    def date(self, parent: _Node, name: str, path: str) -> dt.date | None:
        """The date of a ``DateAndDateTimeChoice`` child (``Dt`` or ``DtTm``, the latter's date)."""
        element = self.find(parent, name)
        if element is None:
            return None
        return self.date_of(element, f"{path}/{name}")

    def date_of(self, element: etree._Element, path: str) -> dt.date:
        """The date an element holds directly or in its ``Dt``/``DtTm`` child."""
        # The first Dt and DtTm children, as ``find`` gives them, in one pass over the children.
        dt_tag, dt_tm_tag = self._date_tags
        day: etree._Element | None = None
        moment: etree._Element | None = None
        for sub in element:
            tag = sub.tag
            if tag == dt_tag:
                day = day if day is not None else sub
            elif tag == dt_tm_tag:
                moment = moment if moment is not None else sub
        for child in (day, moment, element):
            if child is None:
                continue
            text = (child.text or "").strip()
            if not text:
                continue
            return self.parse_date(text, path, child)
        raise self.fail("expected a date in <Dt> (YYYY-MM-DD) or <DtTm>", path, element)

    def parse_date(self, text: str, path: str, element: etree._Element) -> dt.date:
        date = _iso_date(text)
        if date is None:
            raise self.fail(
                f"expected a date YYYY-MM-DD or date-time YYYY-MM-DDThh:mm:ss, got {text!r}",
                path,
                element,
            )
        return date

    # -- statement ------------------------------------------------------------

    def account(self, statement: etree._Element, path: str) -> _Account:
        """The account, id, period and creation date from the elements before the entries."""
        account = self.find(statement, "Acct")
        if account is None:
            raise self.fail("expected an <Acct> element", f"{path}/Acct", statement)
        iban = self.text(account, "Id/IBAN")
        # Version 001.01 has no Othr: a BBAN, UPIC or PrtryAcct takes its place.
        other = self.text(account, "Id/Othr/Id", "Id/PrtryAcct/Id", "Id/BBAN", "Id/UPIC")
        if iban is None and other is None:
            raise self.fail("expected <Acct><Id><IBAN> or <Othr><Id>", f"{path}/Acct/Id", account)
        valid = self.checked(
            compact_iban,
            iban,
            "invalid_iban",
            "the account IBAN is invalid and kept as identifier",
            f"{path}/Acct/Id/IBAN",
        )
        if iban is not None and valid is None:
            other = iban
        iban = valid
        currency_text = self.text(account, "Ccy")
        currency = None
        if currency_text is not None:
            try:
                currency = currency_code(currency_text)
            except InvalidValueError as error:
                raise self.fail(error.reason, f"{path}/Acct/Ccy", account) from None
        bic = self.text(account, "Svcr/FinInstnId/BIC", "Svcr/FinInstnId/BICFI")
        if bic is not None:
            try:
                bic = compact_bic(bic)
            except InvalidValueError as error:
                self.note(Severity.WARNING, "invalid_bic", error.reason, f"{path}/Acct/Svcr")
                bic = None
        period = self.find(statement, "FrToDt")
        start = end = None
        if period is not None:
            for name in ("FrDtTm", "FrDt"):
                start = start or self.date(period, name, f"{path}/FrToDt")
            for name in ("ToDtTm", "ToDt"):
                end = end or self.date(period, name, f"{path}/FrToDt")
            if start is not None and end is not None and end < start:
                self.note(Severity.WARNING, "invalid_period", "FrToDt ends before it starts", path)
                start = end = None
        created_text = self.text(statement, "CreDtTm")
        created = None if created_text is None else self.parse_date(created_text, path, statement)
        partial = _Account(
            account=None,
            identifier_iban=iban,
            identifier_other=other,
            currency=currency,
            bic=bic,
            name=self.text(account, "Nm"),
            statement_id=self.text(statement, "Id"),
            period_start=start,
            period_end=end,
            created=created,
        )
        if currency is None:
            return partial
        return attrs.evolve(partial, account=partial.for_currency(currency))

    def balances(
        self, statement: etree._Element, path: str
    ) -> tuple[dict[str, Balance], list[str]]:
        """The balances by type code, and the type codes in file order."""
        found: dict[str, Balance] = {}
        order: list[str] = []
        for index, element in enumerate(self.all(statement, "Bal"), start=1):
            at = f"{path}/Bal[{index}]"
            code = self.text(element, "Tp/CdOrPrtry/Cd", "Tp/Cd", "Tp/CdOrPrtry/Prtry", "Tp/Prtry")
            if code is None:
                raise self.fail("expected a balance type in <Tp><CdOrPrtry><Cd>", at, element)
            amount = self.amount(element, "Amt", at)
            credit = self.credit(element, at)
            date = self.date(element, "Dt", at)
            if date is None:
                raise self.fail("expected a balance date in <Dt>", f"{at}/Dt", element)
            # The balance amount is unsigned; CdtDbtInd DBIT means overdrawn (negative).
            found.setdefault(code, Balance(amount=amount if credit else -amount, date=date))
            order.append(code)
        return found, order

    # -- entries --------------------------------------------------------------

    def entry(self, element: etree._Element, path: str, context: _Account) -> list[Movement]:
        """The movements of one ``Ntry``: one, or one per ``TxDtls`` of a batch that adds up."""
        entry = _Index.of(element, self.paths)
        amount = self.amount(entry, "Amt", path)
        credit = self.credit(entry, path)
        assert credit is not None
        reversal_text, status_code, bank_reference, additional = entry.texts(_ENTRY_FIELDS)
        reversal = (reversal_text or "false").lower() in ("true", "1")
        status = self.status(status_code, path)
        booking_date = self.date(entry, "BookgDt", path)
        value_date = self.date(entry, "ValDt", path)
        if booking_date is None:
            booking_date = value_date or context.created
            if booking_date is None:
                raise self.fail(
                    "expected a booking date in <BookgDt> (or a ValDt or CreDtTm to use instead)",
                    f"{path}/BookgDt",
                    entry,
                )
            self.note(
                Severity.WARNING,
                "no_booking_date",
                f"the entry has no BookgDt; {booking_date} "
                f"({'ValDt' if value_date else 'CreDtTm of the statement'}) is used",
                path,
            )
        signed = amount if credit else -amount
        elements = entry.all(_DETAILS)
        if len(elements) == 1:
            details = [entry.only_child(_DETAILS)]
        else:
            details = [_Index.of(detail, self.paths) for detail in elements]
        facts = _Entry(
            index=entry,
            account=context.for_currency(signed.currency.code).key,
            booking_date=booking_date,
            value_date=value_date,
            status=status,
            reversal=reversal,
            bank_reference=bank_reference,
            additional_info=additional,
        )
        if len(details) <= 1:
            detail = details[0] if details else None
            return [self.movement(facts, signed, credit, detail, path, batch=False)]
        parts = self.batch_amounts(details, credit, signed, path)
        if parts is None:
            return [self.movement(facts, signed, credit, None, path, batch=True)]
        return [
            self.movement(
                facts, part, part_credit, detail, f"{path}/NtryDtls/TxDtls[{index}]", batch=True
            )
            for index, (detail, (part, part_credit)) in enumerate(
                zip(details, parts, strict=True), start=1
            )
        ]

    def status(self, code: str | None, path: str) -> Status:
        """The status an entry's ``Sts`` code means (no code: booked)."""
        if code is None:
            return Status.COMPLETED
        if code == "INFO":
            self.note(
                Severity.INFO,
                "information_entry",
                "the entry has status INFO (for information only, not booked); read as pending",
                path,
            )
            return Status.PENDING
        status = _STATUSES.get(code)
        if status is None:
            self.note(
                Severity.WARNING,
                "unknown_status",
                f"unknown entry status {code!r}; read as pending",
                path,
            )
            return Status.PENDING
        return status

    def batch_amounts(
        self, details: list[_Index], credit: bool, signed: Money, path: str
    ) -> list[tuple[Money, bool]] | None:
        """The signed amount of each ``TxDtls``; ``None`` when they do not add up to the entry."""
        parts: list[tuple[Money, bool]] = []
        for index, detail in enumerate(details, start=1):
            at = f"{path}/NtryDtls/TxDtls[{index}]"
            name = "AmtDtls/TxAmt/Amt" if detail.find("AmtDtls/TxAmt/Amt") is not None else "Amt"
            if detail.find(name) is None:
                parts = []
                break
            amount = self.amount(detail, name, at)
            own = self.credit(detail, at, required=False)
            part_credit = credit if own is None else own
            parts.append((amount if part_credit else -amount, part_credit))
        same_currency = all(part.currency == signed.currency for part, _ in parts)
        total = (
            sum((part for part, _ in parts), Money(0, signed.currency)) if same_currency else None
        )
        if parts and total == signed:
            return parts
        self.note(
            Severity.WARNING,
            "batch_amounts_mismatch",
            f"the {len(details)} transactions of the batch do not add up to the entry amount "
            f"{signed.amount} {signed.currency.code} (or some have no amount); "
            "the entry is read as one movement",
            path,
        )
        return None

    def movement(
        self,
        facts: _Entry,
        amount: Money,
        credit: bool,
        detail: _Index | None,
        path: str,
        *,
        batch: bool,
    ) -> Movement:
        """One movement from an entry and (when it has one) its transaction details."""
        entry = facts.index
        code_holder = entry
        if detail is not None and detail.find("BkTxCd") is not None:
            code_holder = detail
        booking_type, code = self.booking_type(code_holder, credit, facts.reversal, path)
        found = (
            _NO_DETAILS if detail is None else self.details(detail, credit, facts.reversal, path)
        )
        remittance = found.remittance_info
        if remittance is None and not (batch and detail is not None):
            remittance = facts.additional_info
        try:
            return Movement(
                account=facts.account,
                amount=amount,
                booking_date=facts.booking_date,
                value_date=facts.value_date,
                booking_type=booking_type,
                status=facts.status,
                counterparty=found.counterparty,
                remittance_info=remittance,
                creditor_reference=found.creditor_reference,
                end_to_end_id=found.end_to_end_id,
                mandate_id=found.mandate_id,
                bank_reference=facts.bank_reference or found.bank_reference,
                transaction_id=found.transaction_id,
                bank_transaction_code=code,
                reversal=facts.reversal,
                source=SourcePosition(
                    source=self.source,
                    line=_line((detail or entry).element),
                    path=path,
                ),
            )
        except InvalidValueError as error:
            raise self.fail(str(error), path, entry) from None

    def booking_type(
        self, holder: _Index, credit: bool, reversal: bool, path: str
    ) -> tuple[BookingType, str | None]:
        """The booking type and code text of a ``BkTxCd`` (ISO domain first, then proprietary)."""
        domain, family, subfamily, proprietary = holder.texts(_CODE_FIELDS)
        found, code = _classify(domain, family, subfamily, proprietary, credit, reversal)
        if found is not None:
            return found, code
        if code is not None:
            self.note(
                Severity.INFO,
                "unknown_transaction_code",
                f"bank transaction code {code!r} is not known; the booking type follows the sign",
                path,
            )
        return booking_type_by_sign(credit=credit), code

    def details(self, detail: _Index, credit: bool, reversal: bool, path: str) -> _Details:
        """References, counterparty and remittance information of one ``TxDtls``."""
        end_to_end, transaction_id, mandate_id, bank_reference = detail.texts(_REFERENCE_FIELDS)
        # The other party: the debtor of money that came in, the creditor of money that went out;
        # a reversal moves money back, so its other party is on the side of the original booking.
        side = _DEBTOR_FIELDS if credit != reversal else _CREDITOR_FIELDS
        unstructured = []
        for element in detail.all("RmtInf/Ustrd"):
            value = _clean(element.text)
            if value is not None:
                unstructured.append(value)
        creditor_reference = None
        for element in detail.all("RmtInf/Strd/CdtrRefInf/Ref"):
            value = _clean(element.text)
            if value is None:
                continue
            if creditor_reference is None and iso11649.is_valid(value):
                creditor_reference = value  # ISO 11649 RF reference
            else:
                unstructured.append(value)
        return _Details(
            transaction_id=transaction_id,
            end_to_end_id=None if end_to_end == "NOTPROVIDED" else end_to_end,
            mandate_id=mandate_id,
            bank_reference=bank_reference,
            counterparty=self.counterparty(detail, side, path),
            creditor_reference=creditor_reference,
            remittance_info=" ".join(unstructured) or None,
        )

    def counterparty(self, detail: _Index, side: _Fields, path: str) -> Counterparty:
        """The party on ``side`` (``_DEBTOR_FIELDS`` or ``_CREDITOR_FIELDS``) of a ``TxDtls``."""
        name, ultimate, iban, other, bic = detail.texts(side)
        valid = self.checked(
            compact_iban,
            iban,
            "invalid_iban",
            "the counterparty IBAN is invalid and kept as account number",
            path,
        )
        if iban is not None and valid is None:
            other = iban
        iban = valid
        bic = self.checked(
            compact_bic, bic, "invalid_bic", "the counterparty BIC is invalid and left out", path
        )
        return Counterparty(
            name=name, iban=iban, bic=bic, account_number=other, ultimate_name=ultimate
        )


class _DigestSet:
    """A set of 8-byte digests at 8 bytes each: sorted arrays plus a small buffer set.

    A Python ``set`` of ints costs about 60 bytes an element; a 1,000,000-entry
    statement streamed through ``iter_movements`` needs two of them, so the
    digests live in ``array("Q")`` runs, merged when the buffer fills.
    """

    _BUFFER = 65536

    def __init__(self) -> None:
        self._sorted = array("Q")
        self._buffer: set[int] = set()

    def __contains__(self, digest: int) -> bool:
        if digest in self._buffer:
            return True
        at = bisect.bisect_left(self._sorted, digest)
        return at < len(self._sorted) and self._sorted[at] == digest

    def add(self, digest: int) -> None:
        self._buffer.add(digest)
        if len(self._buffer) >= self._BUFFER:
            self._sorted = array("Q", heapq.merge(self._sorted, sorted(self._buffer)))
            self._buffer = set()


class _Numbering:
    """Streaming :func:`number_occurrences` plus id de-duplication, for one statement.

    Streaming, it keeps 8-byte digests, not movements, so memory grows by about 16
    bytes a movement; ``parse``, which holds the movements anyway, keeps the ids
    themselves (``streaming=False``): exact, and no digest to compute. A movement
    whose id repeats an earlier one (two transactions of a batch sharing the entry's
    AcctSvcrRef, a bank reusing a reference) loses the repeated identifier and is
    identified by content.
    """

    def __init__(self, reader: _Reader, *, streaming: bool) -> None:
        self.reader = reader
        self.contents = _DigestSet()
        self.repeats: dict[int, int] = {}  # digest -> movements with it so far, once above one
        self.ids: set[str] | None = None if streaming else set()
        self.id_digests = _DigestSet()

    @staticmethod
    def _digest(text: str) -> int:
        return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest())

    def number(self, movement: Movement) -> Movement:
        base = self._digest(movement.content_hash())
        if base in self.contents:
            occurrence = self.repeats.get(base, 1)
            self.repeats[base] = occurrence + 1
            movement = attrs.evolve(movement, occurrence=occurrence)
        else:
            self.contents.add(base)
        return self.unique(movement)

    def _first_time(self, movement_id: str) -> bool:
        """Whether no movement before had ``movement_id``; remembers it."""
        if self.ids is not None:
            new = movement_id not in self.ids
            self.ids.add(movement_id)
            return new
        digest = self._digest(movement_id)
        if digest in self.id_digests:
            return False
        self.id_digests.add(digest)
        return True

    def unique(self, movement: Movement) -> Movement:
        if self._first_time(movement.movement_id):
            return movement
        path = None if movement.source is None else movement.source.path
        kind = ":tx:" if ":tx:" in movement.movement_id else ":ref:"
        dropped = "transaction_id" if kind == ":tx:" else "bank_reference"
        self.reader.note(
            Severity.INFO,
            "repeated_reference",
            f"{dropped} {movement.movement_id.partition(kind)[2]!r} identifies an earlier "
            "movement of the statement too; this movement is identified by its content",
            path,
        )
        if dropped == "transaction_id":
            return self.unique(attrs.evolve(movement, transaction_id=None))
        return self.unique(attrs.evolve(movement, bank_reference=None))


class CamtParser:
    """One camt message (``"camt.052"``, ``"camt.053"`` or ``"camt.054"``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.description = _DESCRIPTIONS[name]
        self._message, self._statement = _MESSAGES[name]

    def __repr__(self) -> str:
        return f"CamtParser({self.name!r})"

    def detect(self, head: bytes, filename: str | None) -> float:
        """1.0 for this message's namespace, 0.9 for its message element without one."""
        found = _NAMESPACE.search(head)
        if found is not None:
            return 1.0 if found.group(1).decode() == self.name else 0.0
        message = self._message.encode()
        if re.search(rb"[<:]" + message + rb"(V\d\d)?[\s>]", head):
            return 0.9
        return 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every statement of the message (see the module docstring)."""
        root = safe_document(read_all(data), source)
        reader, message = self._open(root, source)
        statements: list[Statement] = []
        for index, element in enumerate(self.statement_elements(message, reader), start=1):
            path = f"/Document/{self._message}/{self._statement}[{index}]"
            reader.statement_index = len(statements)
            statements.extend(self._statements(element, path, reader))
        return ParseResult.checked(self.name, statements, reader.diagnostics)

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements ``parse`` gives, read entry by entry with lxml ``iterparse``."""
        reader: _Reader | None = None
        context: _Account | None = None
        numbering: dict[str, _Numbering] = {}
        statement_count = entry_count = 0
        depth = -1  # of the element the event is about: 0 Document, 1 message, 2 statement
        for event, element in safe_iterparse(stream, source):
            if event == "start":
                depth += 1
                if depth == 0:
                    reader = self._open_streaming(element, source)
                elif depth == 1 and not self._is_message(_local(element.tag)):
                    raise self._wrong_message(element, source)
                elif depth == 2 and _local(element.tag) == self._statement:
                    statement_count += 1
                    entry_count = 0
                    context = None
                    numbering = {}
                continue
            depth -= 1
            if depth == 1:  # the end of a statement (or of the group header)
                _release(element)
            if depth != 2 or reader is None:
                continue
            parent = element.getparent()
            if parent is None or _local(parent.tag) != self._statement:
                continue
            name = _local(element.tag)
            path = f"/Document/{self._message}/{self._statement}[{statement_count}]"
            if name == "Acct":
                context = reader.account(parent, path)
            elif name == "Ntry":
                entry_count += 1
                if context is None:
                    raise reader.fail("expected <Acct> before the entries", f"{path}/Acct")
                for movement in reader.entry(element, f"{path}/Ntry[{entry_count}]", context):
                    currency = movement.currency
                    if currency not in numbering:
                        numbering[currency] = _Numbering(reader, streaming=True)
                    yield numbering[currency].number(movement)
                _release(element)
        if reader is None:
            raise ParseError("expected an XML document, got nothing", source=source)
        if statement_count == 0:
            raise reader.fail(
                f"expected at least one <{self._statement}> in <{self._message}>",
                f"/Document/{self._message}/{self._statement}",
            )

    # -- helpers ----------------------------------------------------------------

    def _open(self, root: etree._Element, source: str | None) -> tuple[_Reader, etree._Element]:
        reader = self._open_streaming(root, source)
        children = [child for child in root if isinstance(child.tag, str)]
        if len(children) != 1 or not self._is_message(_local(children[0].tag)):
            raise self._wrong_message(children[0] if children else root, source)
        return reader, children[0]

    def _is_message(self, name: str) -> bool:
        # Version 001.01 names the message element with its version: BkToCstmrStmtV01.
        return name == self._message or (
            name.startswith(self._message)
            and re.fullmatch(r"V\d\d", name[len(self._message) :]) is not None
        )

    def _open_streaming(self, root: etree._Element, source: str | None) -> _Reader:
        # the tag as a string: lxml's QName refuses tags such as ":" that a broken document's
        # first start event can carry before the parser reports the syntax error
        tag = str(root.tag)
        localname = _local(tag)
        if localname != "Document":
            raise ParseError(
                f"expected the root element <Document> of a {self.name} message, got <{localname}>",
                source=source,
                line=_line(root),
                path=f"/{localname}",
            )
        namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
        return _Reader(namespace, source, self._message)

    def _wrong_message(self, element: etree._Element, source: str | None) -> ParseError:
        return ParseError(
            f"expected <{self._message}> ({self.name}) under <Document>, "
            f"got <{_local(element.tag) or 'nothing'}>",
            source=source,
            line=_line(element),
            path=f"/Document/{_local(element.tag) or self._message}",
        )

    def statement_elements(
        self, message: etree._Element, reader: _Reader
    ) -> Sequence[etree._Element]:
        found = reader.all(message, self._statement)
        if not found:
            raise reader.fail(
                f"expected at least one <{self._statement}> in <{self._message}>",
                f"/Document/{self._message}/{self._statement}",
                message,
            )
        return found

    def _statements(
        self, element: etree._Element, path: str, reader: _Reader
    ) -> Iterable[Statement]:
        context = reader.account(element, path)
        balances, order = reader.balances(element, path)
        by_currency: dict[str, list[Movement]] = {}
        for index, entry in enumerate(reader.all(element, "Ntry"), start=1):
            for movement in reader.entry(entry, f"{path}/Ntry[{index}]", context):
                by_currency.setdefault(movement.currency, []).append(movement)
        currency = context.currency or next(iter(by_currency), None)
        if currency is None and balances:
            currency = next(iter(balances.values())).amount.currency.code
        if currency is None:
            raise reader.fail(
                "expected an account currency in <Acct><Ccy> (or entries or balances)",
                f"{path}/Acct/Ccy",
                element,
            )
        opening = next((balances[t] for t in _OPENING_TYPES if t in balances), None)
        closing = next((balances[t] for t in _CLOSING_TYPES if t in balances), None)
        opening, closing = self._same_currency(reader, path, currency, opening, closing)
        if "ITBD" in balances and closing is None:
            reader.note(
                Severity.INFO,
                "intraday_balance_only",
                "the report has an interim booked balance (ITBD) but no closing balance (CLBD); "
                f"the balance types given are {', '.join(order)}",
                path,
            )
        currencies = [currency, *(c for c in by_currency if c != currency)]
        first = reader.statement_index
        for number, code in enumerate(currencies):
            if number:
                reader.statement_index = first + number
                reader.note(
                    Severity.WARNING,
                    "several_currencies",
                    f"entries in {code} in a statement of an account in {currency}; "
                    "they form a statement of their own, without balances",
                    path,
                )
            numbering = _Numbering(reader, streaming=False)
            movements = [numbering.unique(m) for m in number_occurrences(by_currency.get(code, ()))]
            try:
                yield Statement(
                    account=context.for_currency(code),
                    movements=tuple(movements),
                    statement_id=context.statement_id,
                    period_start=context.period_start,
                    period_end=context.period_end,
                    opening_balance=None if number else opening,
                    closing_balance=None if number else closing,
                    format=self.name,
                    source=reader.source,
                )
            except InvalidValueError as error:
                raise reader.fail(str(error), path, element) from None

    @staticmethod
    def _same_currency(
        reader: _Reader, path: str, currency: str, *balances: Balance | None
    ) -> tuple[Balance | None, Balance | None]:
        kept: list[Balance | None] = []
        for balance in balances:
            if balance is not None and balance.amount.currency.code != currency:
                reader.note(
                    Severity.WARNING,
                    "balance_currency_mismatch",
                    f"a balance in {balance.amount.currency.code} in a statement in {currency} "
                    "is left out",
                    f"{path}/Bal",
                )
                balance = None
            kept.append(balance)
        return kept[0], kept[1]


def _release(element: etree._Element) -> None:
    """Free a processed element and the siblings before it (flat memory in iter_movements)."""
    element.clear()
    parent = element.getparent()
    while element.getprevious() is not None and parent is not None:
        del parent[0]


def parsers() -> tuple[CamtParser, ...]:
    """The camt.052, camt.053 and camt.054 parsers."""
    return tuple(CamtParser(name) for name in _MESSAGES)
