"""Open items (orders and invoices) read from CSV or JSON: DESIGN.md contract 2.

An ERP hands paymatch the items a payment can be assigned to as a CSV file whose
header names the columns ::

    number, invoice_number, customer_number, customer_name, amount, currency,
    date, due_date, iban, payment_reference, transaction_id, skonto_percent

plus, optionally, ``skonto_days`` and ``kind`` (``order`` or ``invoice``). Only
``number``, ``amount`` and ``currency`` are required; any other column may be
missing or left empty, and columns paymatch does not know are ignored. An
:class:`OpenItemColumns` mapping reads other layouts (German headers, ``;``,
decimal comma: see :class:`OpenItemFormat`). The same items may come as JSON:
a list of OPEN ITEM objects (:mod:`paymatch.wire`) or ``{"open_items": [...]}``.

Nothing is dropped silently: a cell that cannot be read, a row with missing
cells, a repeated item number is a :class:`~paymatch.errors.ParseError` naming
the file, the line (where the row starts), the column (the cell's number) and
what was expected. The module does no I/O: it reads the bytes it is given.

>>> data = (b"number,amount,currency,date,skonto_percent\\n"
...         b"RE-1001,119.00,EUR,2026-03-02,2\\n")
>>> (item,) = read_open_items(data, source="items.csv")
>>> item.number, item.amount, item.cash_discount
('RE-1001', Money('119.00', 'EUR'), CashDiscount(percent=Decimal('2'), days=14))
>>> read_open_items(b"number,amount,currency\\nRE-1002,12.3.4,EUR\\n", source="items.csv")
Traceback (most recent call last):
...
paymatch.errors.ParseError: items.csv, line 2, column 2: column 'amount': expected a decimal \
amount like 1234.56, got '12.3.4'
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from moneyed import Money

from paymatch.errors import InvalidValueError, ParseError
from paymatch.model.identifiers import compact_iban
from paymatch.model.money import currency_code, to_money
from paymatch.model.open_item import CashDiscount, OpenItem, OpenItemKind
from paymatch.parsers.text import decode, position_of
from paymatch.settings import settings_from_toml
from paymatch.wire import converter as wire_converter
from paymatch.wire import open_item_from_json

__all__ = ["OpenItemColumns", "OpenItemFormat", "read_open_items"]

T = TypeVar("T")

#: The fields without which a row is no open item (contract 2).
_REQUIRED = ("number", "amount", "currency")
#: The delimiters tried, in this order, when the format does not name one.
_DELIMITERS = (",", ";", "\t", "|")
#: What separates several IBANs in one cell.
_IBAN_SEPARATORS = re.compile(r"[,;|]")
#: A date that shows in messages what a date format looks like (day > 12: no mix-up).
_EXAMPLE_DATE = dt.date(2026, 3, 31)
_KINDS = {kind.value: kind for kind in OpenItemKind}

# Numbers. ``decimal_comma`` False: a decimal point; True: a decimal comma with optional
# thousands points; None: either, except what could be both (see ``_AMBIGUOUS``).
_POINT = re.compile(r"[+-]?\d+(?:\.\d+)?", re.ASCII)
_COMMA = re.compile(r"[+-]?\d+(?:,\d+)?", re.ASCII)
_COMMA_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
#: ``1.234`` or ``1,234``: a thousands separator or a decimal with three places?
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}", re.ASCII)
#: Examples of amounts and percents in each decimal style, for messages.
_EXAMPLES: dict[str, dict[bool | None, str]] = {
    "amount": {False: "1234.56", True: "1234,56 or 1.234,56", None: "1234.56, 1234,56 or 1.234,56"},
    "percent": {False: "2.5", True: "2,5", None: "2.5 or 2,5"},
}


def _header_key(name: str) -> str:
    """A header name as it is compared: blanks around it, case and Unicode form do not matter."""
    return unicodedata.normalize("NFC", name).strip().casefold()


@attrs.frozen(kw_only=True)
class OpenItemColumns:
    """The header name of each field's column in the file (contract 2's names by default).

    ``number``, ``amount`` and ``currency`` must be mapped; a file may still lack
    the currency column when :attr:`OpenItemFormat.default_currency` is set. Any
    other field may be ``None`` (never read), and a mapped column the file does
    not have is simply absent. Names are compared without case and surrounding
    blanks; two fields cannot share one column.
    """

    number: str = "number"
    invoice_number: str | None = "invoice_number"
    customer_number: str | None = "customer_number"
    customer_name: str | None = "customer_name"
    amount: str = "amount"
    currency: str = "currency"
    date: str | None = "date"
    due_date: str | None = "due_date"
    iban: str | None = "iban"
    payment_reference: str | None = "payment_reference"
    transaction_id: str | None = "transaction_id"
    skonto_percent: str | None = "skonto_percent"
    skonto_days: str | None = "skonto_days"
    kind: str | None = "kind"

    def __attrs_post_init__(self) -> None:
        mapped_to: dict[str, str] = {}
        for field in attrs.fields(OpenItemColumns):
            name = getattr(self, field.name)
            if name is None and field.name not in _REQUIRED:
                continue
            if not isinstance(name, str) or not name.strip():
                raise InvalidValueError(
                    f"columns.{field.name}", f"must name a column, got {name!r}"
                )
            other = mapped_to.setdefault(_header_key(name), field.name)
            if other != field.name:
                raise InvalidValueError(
                    f"columns.{field.name}", f"the column {name!r} is already columns.{other}"
                )


def _label(field: str, name: str) -> str:
    """A column as messages name it: ``'amount'``, or ``'Betrag' (amount)`` when mapped."""
    return repr(name) if _header_key(name) == field else f"{name!r} ({field})"


def _mapped(columns: OpenItemColumns) -> Iterator[tuple[str, str]]:
    """Every ``(field, header name)`` the columns map, in field order."""
    for field in attrs.fields(OpenItemColumns):
        name = getattr(columns, field.name)
        if name is not None:
            yield field.name, name


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _optional_currency(value: str | None) -> str | None:
    return None if value is None else currency_code(value, field="default_currency")


@attrs.frozen(kw_only=True)
class OpenItemFormat:
    """How to read a file of open items: its columns and the habits of its numbers and dates.

    ``delimiter`` ``None`` takes the one of ``,`` ``;`` tab ``|`` that splits the
    header line into the most mapped column names. ``decimal_comma``: ``False``
    reads ``1234.56``; ``True`` reads ``1234,56`` and ``1.234,56``; ``None``
    reads ``1234.56``, and also ``1234,56`` and ``1.234,56`` unless the
    delimiter is ``,`` — but refuses ``1.234`` and ``1,234``, which mean 1234
    in one convention and 1.234 in the other. ``date_formats`` are ``strptime``
    formats, tried in order. ``encoding`` ``None`` detects it (BOM, UTF-8,
    Windows-1252, CP850; :func:`paymatch.parsers.text.decode`).

    ``default_skonto_days`` is the cash discount period of a row that has a
    ``skonto_percent`` but no ``skonto_days`` (contract 2 has no days column):
    14 days, the most common German term ("2 % Skonto bei Zahlung innerhalb
    von 14 Tagen"). ``default_currency`` is the currency of rows whose currency
    cell is empty or whose file has no currency column; without it the
    currency is required. Both defaults also apply to JSON; the other settings
    are for CSV only.
    """

    columns: OpenItemColumns = attrs.field(factory=OpenItemColumns)
    delimiter: str | None = None
    decimal_comma: bool | None = None
    date_formats: tuple[str, ...] = attrs.field(default=("%Y-%m-%d", "%d.%m.%Y"), converter=_names)
    encoding: str | None = None
    default_skonto_days: int = 14
    default_currency: str | None = attrs.field(default=None, converter=_optional_currency)

    def __attrs_post_init__(self) -> None:
        delimiter = self.delimiter
        if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
            raise InvalidValueError(
                "delimiter", f"must be one character, not a quote or line end, got {delimiter!r}"
            )
        if not self.date_formats:
            raise InvalidValueError("date_formats", "at least one date format is required")
        for index, pattern in enumerate(self.date_formats):
            _check_date_format(index, pattern)
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise InvalidValueError("encoding", f"unknown encoding {self.encoding!r}") from None
        if self.default_skonto_days < 0:
            raise InvalidValueError(
                "default_skonto_days", f"must not be negative, got {self.default_skonto_days}"
            )

    @classmethod
    def from_toml(cls, text: str) -> OpenItemFormat:
        """The format a TOML document describes (keys as the attribute names, ``[columns]``).

        Errors are :class:`~paymatch.errors.InvalidValueError` naming the key
        path: ``columns.amount: expected a string, got 5``.
        """
        return settings_from_toml(text, cls)


def _check_date_format(index: int, pattern: str) -> None:
    """Refuse a date format that cannot read back the whole date it writes (``%d.%m``)."""
    try:
        written = _EXAMPLE_DATE.strftime(pattern)
        readable = dt.datetime.strptime(written, pattern).date() == _EXAMPLE_DATE
    except ValueError:
        readable = False
    if not readable:
        raise InvalidValueError(
            f"date_formats[{index}]",
            f"{pattern!r} does not read a whole date (day, month and year) like '%d.%m.%Y'",
        )


# -- Reading ----------------------------------------------------------------------------------


def read_open_items(
    data: bytes, *, source: str | None = None, format: OpenItemFormat | None = None
) -> tuple[OpenItem, ...]:
    """The open items of a CSV or JSON file, in file order.

    JSON is recognised by its first character (``[`` or ``{``), anything else
    is read as CSV. ``source`` names the file in errors; ``format`` says how
    to read it (default: contract 2's columns, see :class:`OpenItemFormat`).
    Raises :class:`~paymatch.errors.ParseError` at the first value that
    cannot be read, naming its line and column (CSV) or JSON path.
    """
    settings = format or OpenItemFormat()
    text = _text(data, settings.encoding, source)
    if text.lstrip()[:1] in ("[", "{"):
        return _read_json(text, settings, source)
    return _read_csv(text, settings, source)


def _text(data: bytes, encoding: str | None, source: str | None) -> str:
    """The text of ``data`` in ``encoding`` (``None``: detected); a byte-order mark is no text."""
    if encoding is None:
        return decode(data, source=source)[0]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line, _ = position_of(data, error.start)
        raise ParseError(f"not valid {encoding} text", source=source, line=line) from None
    return text.removeprefix("\ufeff")


# -- CSV --------------------------------------------------------------------------------------


def _read_csv(text: str, settings: OpenItemFormat, source: str | None) -> tuple[OpenItem, ...]:
    delimiter = settings.delimiter or _detect_delimiter(text, settings.columns)
    rows = _rows(text, delimiter, source)
    header = next(rows, None)
    if header is None:
        names = ", ".join(_label(field, getattr(settings.columns, field)) for field in _REQUIRED)
        raise ParseError(
            f"expected a header line with at least the columns {names}; the file is empty",
            source=source,
        )
    layout = _layout(*header, settings, delimiter, source)
    items: list[OpenItem] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:
        row = _Row(layout, line, cells)
        row.check_width()
        item = _item(row)
        earlier = first_line.setdefault(item.number, line)
        if earlier != line:
            raise row.fail(
                "number",
                f"{item.number!r} is also the number of the item in line {earlier}; "
                "numbers must be unique in a file",
            )
        items.append(item)
    return tuple(items)


def _physical_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends; only ``\\n`` ends one (as ``position_of`` counts)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _detect_delimiter(text: str, columns: OpenItemColumns) -> str:
    """The delimiter that splits the first filled line into the most mapped names (then cells)."""
    line = next((line for line in _physical_lines(text) if line.strip()), "")
    keys = {_header_key(name) for _, name in _mapped(columns)}

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:  # not a CSV line at all: reading the rows will say where
            return 0, 0
        return len(keys.intersection(map(_header_key, cells))), len(cells)

    return max(_DELIMITERS, key=score)


def _rows(text: str, delimiter: str, source: str | None) -> Iterator[tuple[int, list[str]]]:
    """The rows with a filled cell, each with the line it starts on; blank lines are no data.

    ``csv.reader`` counts the lines it has taken, so the line after those of the
    previous row is where a row starts, also after a quoted cell over several lines.
    """
    reader = csv.reader(_physical_lines(text), delimiter=delimiter, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = str(error)
            if reason == "unexpected end of data":
                reason = "a quoted cell that starts in this row is never closed"
            raise ParseError(f"not a CSV row: {reason}", source=source, line=line) from None
        cells = [cell.strip() for cell in row]
        if any(cells):
            yield line, cells


@attrs.frozen
class _Layout:
    """Where the fields are in the rows of one file, and how its numbers are written."""

    settings: OpenItemFormat
    source: str | None
    header_line: int
    headers: list[str]
    width: int  # the cells up to the last named column
    positions: dict[str, int]  # field -> 0-based index of its column
    decimal_comma: bool | None


def _layout(
    line: int, cells: list[str], settings: OpenItemFormat, delimiter: str, source: str | None
) -> _Layout:
    """The layout the header line ``cells`` gives; missing required columns are an error."""
    keys = [_header_key(cell) for cell in cells]
    positions: dict[str, int] = {}
    missing = []
    for field, name in _mapped(settings.columns):
        found = [index for index, key in enumerate(keys) if key == _header_key(name)]
        if len(found) > 1:
            raise ParseError(
                f"the column {_label(field, name)} appears twice, as column {found[0] + 1} and "
                f"{found[1] + 1}; it must name one column",
                source=source,
                line=line,
                column=found[1] + 1,
            )
        if found:
            positions[field] = found[0]
        elif field in _REQUIRED and not (field == "currency" and settings.default_currency):
            missing.append(_label(field, name))
    if missing:
        raise ParseError(
            f"expected the column(s) {', '.join(missing)} in the header line, which has "
            f"{', '.join(repr(cell) for cell in cells)}",
            source=source,
            line=line,
        )
    decimal_comma = settings.decimal_comma
    if decimal_comma is None and delimiter == ",":
        decimal_comma = False  # a decimal comma would split the cell
    width = max(index for index, cell in enumerate(cells) if cell) + 1
    return _Layout(settings, source, line, cells, width, positions, decimal_comma)


@attrs.frozen
class _Row:
    """One data row: its cells, where it starts, and the layout to read them with."""

    layout: _Layout
    line: int
    cells: list[str]

    def text(self, field: str) -> str | None:
        """The field's cell, ``None`` if it is empty or the file has no such column."""
        index = self.layout.positions.get(field)
        return None if index is None else self.cells[index] or None

    def fail(self, field: str, reason: str) -> ParseError:
        """The error for the field's cell: its line, column number and header name."""
        index = self.layout.positions[field]
        return ParseError(
            f"column {self.layout.headers[index]!r}: {reason}",
            source=self.layout.source,
            line=self.line,
            column=index + 1,
        )

    def check_width(self) -> None:
        """Refuse a row without a cell for every column, or with filled cells beyond them.

        Empty cells after the last named column are allowed: exports often end
        their lines with a delimiter, and an empty cell holds nothing to lose.
        """
        width, cells = self.layout.width, self.cells
        if len(cells) < width:
            column = len(cells) + 1  # the first missing cell
        elif any(cells[width:]):
            column = next(index for index in range(width, len(cells)) if cells[index]) + 1
        else:
            return
        raise ParseError(
            f"expected {width} cells as in the header line (line {self.layout.header_line}), "
            f"got {len(cells)}",
            source=self.layout.source,
            line=self.line,
            column=column,
        )


def _expected(what: str, got: str | None) -> str:
    return f"expected {what}, got {'an empty cell' if got is None else repr(got)}"


def _item(row: _Row) -> OpenItem:
    """The open item a row describes; the first cell that cannot be read is an error."""
    number = row.text("number")
    if number is None:
        raise row.fail("number", _expected("the order or invoice number", None))
    return OpenItem(
        number=number,
        amount=_amount(row),
        kind=_kind(row),
        invoice_number=row.text("invoice_number"),
        customer_number=row.text("customer_number"),
        customer_name=row.text("customer_name"),
        date=_date(row, "date"),
        due_date=_date(row, "due_date"),
        ibans=_ibans(row),
        payment_reference=row.text("payment_reference"),
        transaction_id=row.text("transaction_id"),
        cash_discount=_cash_discount(row),
    )


def _decimal(row: _Row, field: str, what: str) -> Decimal | None:
    """The number (``what``: amount or percent) in the field's cell, in the layout's style."""
    text = row.text(field)
    if text is None:
        return None
    comma = row.layout.decimal_comma
    if comma is None and _AMBIGUOUS.fullmatch(text):
        raise row.fail(
            field,
            f"{text!r} is ambiguous: a thousands separator or a decimal with three places? "
            "Set decimal_comma in the format to say which",
        )
    if comma is not False and (_COMMA.fullmatch(text) or _COMMA_GROUPED.fullmatch(text)):
        return Decimal(text.replace(".", "").replace(",", "."))
    if comma is not True and _POINT.fullmatch(text):
        return Decimal(text)
    raise row.fail(field, _expected(f"a decimal {what} like {_EXAMPLES[what][comma]}", text))


def _amount(row: _Row) -> Money:
    amount = _decimal(row, "amount", "amount")
    if amount is None:
        example = _EXAMPLES["amount"][row.layout.decimal_comma]
        raise row.fail("amount", _expected(f"a decimal amount like {example}", None))
    if amount < 0:
        raise row.fail(
            "amount",
            _expected(
                "an amount of 0 or more (an open item is money owed; a credit note "
                "cannot be read as one)",
                row.text("amount"),
            ),
        )
    return to_money(amount, _currency(row))


def _currency(row: _Row) -> str:
    text = row.text("currency") or row.layout.settings.default_currency
    try:
        return currency_code(text or "")
    except InvalidValueError:
        raise row.fail("currency", _expected("an ISO 4217 currency code like EUR", text)) from None


def _kind(row: _Row) -> OpenItemKind:
    text = row.text("kind")
    if text is None:
        return OpenItemKind.INVOICE
    kind = _KINDS.get(text.casefold())
    if kind is None:
        raise row.fail("kind", _expected("'order' or 'invoice'", text))
    return kind


def _date(row: _Row, field: str) -> dt.date | None:
    text = row.text(field)
    if text is None:
        return None
    formats = row.layout.settings.date_formats
    for pattern in formats:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    examples = " or ".join(_EXAMPLE_DATE.strftime(pattern) for pattern in formats)
    raise row.fail(field, _expected(f"a date like {examples}", text))


def _ibans(row: _Row) -> tuple[str, ...]:
    text = row.text("iban")
    if text is None:
        return ()
    ibans = []
    for piece in _IBAN_SEPARATORS.split(text):
        if piece.strip():
            try:
                ibans.append(compact_iban(piece.strip()))
            except InvalidValueError as error:
                raise row.fail(
                    "iban", f"{_expected('IBANs separated by , ; or |', text)}: {error.reason}"
                ) from None
    return tuple(ibans)


def _cash_discount(row: _Row) -> CashDiscount | None:
    """The row's cash discount; a percent of 0 (an ERP's "no Skonto") is none."""
    percent = _decimal(row, "skonto_percent", "percent")
    days = _days(row)
    if percent is None:
        if days is not None:
            raise row.fail("skonto_days", "given without a skonto_percent; give both or neither")
        return None
    if percent == 0:
        return None
    try:
        return CashDiscount(
            percent=percent, days=row.layout.settings.default_skonto_days if days is None else days
        )
    except InvalidValueError:
        raise row.fail(
            "skonto_percent",
            _expected("a percent between 0 and 100", row.text("skonto_percent")),
        ) from None


def _days(row: _Row) -> int | None:
    text = row.text("skonto_days")
    if text is None:
        return None
    if not text.isascii() or not text.isdigit():
        raise row.fail("skonto_days", _expected("a whole number of days like 14", text))
    return int(text)


# -- JSON -------------------------------------------------------------------------------------


def _read_json(text: str, settings: OpenItemFormat, source: str | None) -> tuple[OpenItem, ...]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(
            f"not valid JSON: {error.msg}", source=source, line=error.lineno, column=error.colno
        ) from None
    entries, path = _json_entries(document, source)
    items: list[OpenItem] = []
    first_path: dict[str, str] = {}
    for index, entry in enumerate(entries):
        at = f"{path}[{index}]"
        item = _json_item(entry, at, settings, source)
        earlier = first_path.setdefault(item.number, at)
        if earlier != at:
            raise ParseError(
                f"{item.number!r} is also the number of {earlier}; "
                "numbers must be unique in a file",
                source=source,
                path=f"{at}.number",
            )
        items.append(item)
    return tuple(items)


def _json_type(value: object) -> str:
    """What a JSON value is, for messages: ``an object``, ``a string``..."""
    if value is None:
        return "null"
    names = {bool: "true or false", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), "a number")


def _json_entries(document: object, source: str | None) -> tuple[list[object], str]:
    """The list of item objects in ``document``, and its JSON path."""
    if isinstance(document, list):
        return document, "$"
    if isinstance(document, dict) and "open_items" in document:
        entries = document["open_items"]
        if isinstance(entries, list):
            return entries, "$.open_items"
        raise ParseError(
            f"expected a list of open items, got {_json_type(entries)}",
            source=source,
            path="$.open_items",
        )
    got = "an object without open_items" if isinstance(document, dict) else _json_type(document)
    raise ParseError(
        f'expected a list of open items or an object {{"open_items": [...]}}, got {got}',
        source=source,
        path="$",
    )


def _json_item(entry: object, path: str, settings: OpenItemFormat, source: str | None) -> OpenItem:
    """The item an OPEN ITEM object describes, with contract 2's flat keys taken in too."""
    if not isinstance(entry, dict):
        raise ParseError(
            f"expected an open item object, got {_json_type(entry)}", source=source, path=path
        )
    fields = dict(entry)
    try:
        discount = _json_cash_discount(fields, settings.default_skonto_days)
        _json_ibans(fields)
        if _blank(fields.get("currency")) and settings.default_currency is not None:
            fields["currency"] = settings.default_currency
        item = open_item_from_json(fields)
    except InvalidValueError as error:  # its field is a path from the object: "$.amount"
        raise ParseError(
            error.reason, source=source, path=path + error.field.removeprefix("$")
        ) from None
    return item if discount is None else attrs.evolve(item, cash_discount=discount)


def _blank(value: object) -> bool:
    """Absent in contract 2's sense: ``null`` or an empty string."""
    return value is None or (isinstance(value, str) and not value.strip())


def _json_value(value: object, kind: type[T], path: str) -> T:
    """``value`` read as wire reads a ``kind`` (a decimal string, an integer); else refused."""
    try:
        result: T = wire_converter.structure(value, kind)
    except ValueError as error:
        raise InvalidValueError(path, str(error)) from None
    return result


def _json_cash_discount(fields: dict[str, Any], default_days: int) -> CashDiscount | None:
    """Take ``skonto_percent`` and ``skonto_days`` out of ``fields`` as a cash discount."""
    percent, days = fields.pop("skonto_percent", None), fields.pop("skonto_days", None)
    if _blank(percent):
        if not _blank(days):
            raise InvalidValueError(
                "$.skonto_days", "given without skonto_percent; give both or neither"
            )
        return None
    if not _blank(fields.get("cash_discount")):
        raise InvalidValueError(
            "$.skonto_percent", "give skonto_percent or cash_discount, not both"
        )
    value = _json_value(percent, Decimal, "$.skonto_percent")
    if value == 0:
        return None
    number = default_days if _blank(days) else _json_value(days, int, "$.skonto_days")
    try:
        return CashDiscount(percent=value, days=number)
    except InvalidValueError as error:  # "CashDiscount.percent" -> "$.skonto_percent"
        raise InvalidValueError(
            f"$.skonto_{error.field.rpartition('.')[2]}", error.reason
        ) from None


def _json_ibans(fields: dict[str, Any]) -> None:
    """Put the IBANs of an ``iban`` key (several separated by , ; or |) before ``ibans``."""
    text = fields.pop("iban", None)
    if _blank(text):
        return
    if not isinstance(text, str):
        raise InvalidValueError("$.iban", f"must be a string of IBANs, got {_json_type(text)}")
    ibans = [
        compact_iban(piece.strip(), field="$.iban")
        for piece in _IBAN_SEPARATORS.split(text)
        if piece.strip()
    ]
    given = fields.get("ibans")
    if _blank(given):
        fields["ibans"] = ibans
    elif isinstance(given, list):
        fields["ibans"] = [*ibans, *given]
    # any other ``ibans`` is left for open_item_from_json to refuse at its path
