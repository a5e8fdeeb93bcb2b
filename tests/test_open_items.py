"""Reading open items from CSV and JSON (DESIGN.md contract 2): paymatch.matching.open_items."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paymatch.errors import InvalidValueError, ParseError
from paymatch.matching.open_items import OpenItemColumns, OpenItemFormat, read_open_items
from paymatch.model import CashDiscount, OpenItem, OpenItemKind, to_money
from paymatch.model.money import decimal_text
from tests.strategies import unique_open_items

DATA = Path(__file__).resolve().parent / "data" / "open_items"

#: The items of contract2.csv and open_items.json.
CONTRACT_ITEMS = (
    OpenItem(
        number="AU-2001",
        amount=to_money("119.00", "EUR"),
        invoice_number="RE-1001",
        customer_number="K-100",
        customer_name="Hans Müller",
        date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 3, 31),
        ibans=("DE02120300000000202051",),
        payment_reference="RF18539007547034",
        cash_discount=CashDiscount(percent=Decimal(2), days=14),
    ),
    OpenItem(
        number="AU-2002",
        amount=to_money("1500", "EUR"),
        customer_number="K-101",
        customer_name="Schmidt, Bau & Co. KG",
        date=dt.date(2026, 3, 2),
        ibans=("DE89370400440532013000", "AT611904300234573201"),
        transaction_id="PAYPAL-7XK",
    ),
    OpenItem(number="AU-2003", amount=to_money("0.00", "CHF")),
)


def read(text: str, **options: object) -> tuple[OpenItem, ...]:
    """The items of a CSV or JSON text (UTF-8), read with the format ``options``."""
    return read_open_items(text.encode(), source="items.csv", format=OpenItemFormat(**options))


def error_of(data: str | bytes, **options: object) -> ParseError:
    """The ParseError reading ``data`` (a str is UTF-8 encoded) as ``items.csv`` raises."""
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(ParseError) as info:
        read_open_items(raw, source="items.csv", format=OpenItemFormat(**options))
    return info.value


# -- The contract-2 layout --------------------------------------------------------------------


def test_contract2_csv_with_all_columns() -> None:
    items = read_open_items((DATA / "contract2.csv").read_bytes(), source="contract2.csv")
    assert items == CONTRACT_ITEMS


def test_minimal_csv_with_only_the_required_columns() -> None:
    items = read_open_items((DATA / "minimal.csv").read_bytes())
    assert items == (
        OpenItem(number="RE-1001", amount=to_money("100.00", "EUR")),
        OpenItem(number="RE-1002", amount=to_money("80.5", "EUR")),
    )
    assert items[0].kind is OpenItemKind.INVOICE


def test_a_header_without_rows_is_no_items() -> None:
    assert read("number,amount,currency\n") == ()
    assert read("number,amount,currency\r\n\r\n  \r\n") == ()


def test_blank_lines_and_rows_of_empty_cells_are_skipped_and_lines_still_counted() -> None:
    text = "\nnumber;amount;currency\n\n;;\nRE-1;1,00;EUR\n\nRE-2;x;EUR\n"
    error = error_of(text)
    assert (error.line, error.column) == (7, 2)
    assert read(text.replace("x", "2")) == (
        OpenItem(number="RE-1", amount=to_money("1.00", "EUR")),
        OpenItem(number="RE-2", amount=to_money("2", "EUR")),
    )


def test_unknown_columns_are_ignored_and_column_order_and_case_do_not_matter() -> None:
    text = "Note, CURRENCY ,Amount,Number,Warehouse\nfragile,EUR,5.00,RE-1,north\n"
    assert read(text) == (OpenItem(number="RE-1", amount=to_money("5.00", "EUR")),)


def test_a_trailing_delimiter_leaves_empty_cells_that_are_allowed() -> None:
    assert read("number;amount;currency;\nRE-1;5;EUR;\nRE-2;6;EUR\n") == (
        OpenItem(number="RE-1", amount=to_money("5", "EUR")),
        OpenItem(number="RE-2", amount=to_money("6", "EUR")),
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected_from_the_header(delimiter: str) -> None:
    text = delimiter.join(["number", "customer_name", "amount", "currency"]) + "\n"
    text += delimiter.join(["RE-1", '"Meier, Schulz; Partner | GbR"', "5.00", "EUR"]) + "\n"
    (item,) = read(text)
    assert item.customer_name == "Meier, Schulz; Partner | GbR"


def test_several_ibans_in_one_cell_are_kept_in_order_each_once() -> None:
    text = (
        "number;amount;currency;iban\n"
        'RE-1;5;EUR;"DE89 3704 0044 0532 0130 00 | at611904300234573201,'
        'NL91ABNA0417164300;DE89370400440532013000;"\n'
    )
    (item,) = read(text)
    assert item.ibans == ("DE89370400440532013000", "AT611904300234573201", "NL91ABNA0417164300")


def test_skonto_percent_becomes_a_cash_discount_with_the_default_or_given_days() -> None:
    text = (
        "number,amount,currency,date,skonto_percent,skonto_days\n"
        "RE-1,100.00,EUR,2026-03-02,2,\n"
        "RE-2,100.00,EUR,2026-03-02,3.5,7\n"
        "RE-3,100.00,EUR,,2,10\n"
        "RE-4,100.00,EUR,2026-03-02,0.00,\n"
        "RE-5,100.00,EUR,2026-03-02,,\n"
    )
    discounts = [item.cash_discount for item in read(text, default_skonto_days=8)]
    assert discounts == [
        CashDiscount(percent=Decimal(2), days=8),
        CashDiscount(percent=Decimal("3.5"), days=7),
        CashDiscount(percent=Decimal(2), days=10),  # no date: the terms are still recorded
        None,  # 0 percent: an ERP's "no cash discount"
        None,
    ]
    assert CashDiscount(percent=Decimal(2), days=14) == read(text)[0].cash_discount


def test_the_kind_column_says_order_or_invoice_in_any_case() -> None:
    text = (
        "number,amount,currency,kind\n"
        "AU-1,5,EUR,order\nRE-1,5,EUR,INVOICE\nRE-2,5,EUR,Order\nRE-3,5,EUR,\n"
    )
    kinds = [item.kind for item in read(text)]
    assert kinds == [
        OpenItemKind.ORDER,
        OpenItemKind.INVOICE,
        OpenItemKind.ORDER,
        OpenItemKind.INVOICE,
    ]


def test_default_currency_fills_an_empty_cell_or_a_missing_column() -> None:
    assert read("number,amount\nRE-1,5\n", default_currency="chf")[0].currency == "CHF"
    items = read("number,amount,currency\nRE-1,5,\nRE-2,5,USD\n", default_currency="EUR")
    assert [item.currency for item in items] == ["EUR", "USD"]


def test_a_quoted_cell_over_several_lines_keeps_the_line_numbers_of_later_rows_right() -> None:
    text = (
        "number,customer_name,amount,currency\n"
        'RE-1,"Müller GmbH\nAbt. Buchhaltung\nz. Hd. Frau Schmidt",5.00,EUR\n'
        "RE-2,Meier,oops,EUR\n"
    )
    error = error_of(text)
    assert (error.line, error.column) == (5, 3)
    assert read(text.replace("oops", "1"))[0].customer_name == (
        "Müller GmbH\nAbt. Buchhaltung\nz. Hd. Frau Schmidt"
    )


# -- Encodings --------------------------------------------------------------------------------


def test_utf8_with_byte_order_mark() -> None:
    data = "\ufeffnumber;customer_name;amount;currency\nRE-1;Jürgen Weiß;5,00;EUR\n".encode()
    (item,) = read_open_items(data)
    assert item.customer_name == "Jürgen Weiß"
    assert item.amount == to_money("5.00", "EUR")


def test_windows_1252_is_detected() -> None:
    data = "number;customer_name;amount;currency\nRE-1;Müller & Söhne;5,00;EUR\n".encode("cp1252")
    assert read_open_items(data)[0].customer_name == "Müller & Söhne"


def test_a_given_encoding_is_used_and_its_errors_name_the_line() -> None:
    data = "number;customer_name;amount;currency\nRE-1;Müller;5;EUR\n".encode("cp1252")
    assert read_open_items(data, format=OpenItemFormat(encoding="cp1252"))[0].customer_name == (
        "Müller"
    )
    error = error_of(data, encoding="utf-8")
    assert (error.line, error.reason) == (2, "not valid utf-8 text")


# -- A German layout through a mapping ---------------------------------------------------------


def test_german_layout_from_a_toml_mapping() -> None:
    settings = OpenItemFormat.from_toml((DATA / "auftraege.toml").read_text(encoding="utf-8"))
    assert settings.columns.amount == "Betrag"
    assert settings.decimal_comma is True
    items = read_open_items((DATA / "auftraege.csv").read_bytes(), format=settings)
    assert items == (
        OpenItem(
            number="AU-3001",
            amount=to_money("1234.56", "EUR"),
            invoice_number="RE-3001",
            customer_name="Müller & Söhne GmbH",
            date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31),
            ibans=("DE02120300000000202051",),
            cash_discount=CashDiscount(percent=Decimal("2.5"), days=10),
        ),
        OpenItem(
            number="AU-3002",
            amount=to_money("89.90", "EUR"),
            customer_name="Jürgen Weiß",
            date=dt.date(2026, 3, 2),
        ),
    )


def test_errors_of_a_mapped_layout_name_the_files_header() -> None:
    settings = OpenItemFormat.from_toml((DATA / "auftraege.toml").read_text(encoding="utf-8"))
    data = (DATA / "auftraege.csv").read_bytes().replace(b"1.234,56", b"1.234.5")
    with pytest.raises(ParseError) as info:
        read_open_items(data, source="auftraege.csv", format=settings)
    assert str(info.value) == (
        "auftraege.csv, line 2, column 4: column 'Betrag': expected a decimal amount like "
        "1234,56 or 1.234,56, got '1.234.5'"
    )


# -- Amounts: decimal point, decimal comma, nothing ambiguous ------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "decimal_comma", "cell", "amount"),
    [
        (";", None, "1234.56", "1234.56"),
        (";", None, "1234,56", "1234.56"),
        (";", None, "1.234,56", "1234.56"),
        (";", None, "1.234.567,8", "1234567.8"),
        (";", None, "0.125", "0.125"),
        (";", None, "1234,567", "1234.567"),
        (";", None, "+12", "12"),
        (",", None, "1.234", "1.234"),  # a comma-separated file has no decimal comma
        (";", True, "1.234", "1234"),
        (";", True, "12,5", "12.5"),
        (";", False, "1.234", "1.234"),
        (",", True, '"1.234,56"', "1234.56"),
    ],
)
def test_amount_styles(delimiter: str, decimal_comma: bool | None, cell: str, amount: str) -> None:
    text = f"number{delimiter}amount{delimiter}currency\nRE-1{delimiter}{cell}{delimiter}EUR\n"
    (item,) = read(text, decimal_comma=decimal_comma)
    assert item.amount.amount == Decimal(amount)
    assert str(item.amount.amount) == amount  # the places as written


EITHER = "expected a decimal amount like 1234.56, 1234,56 or 1.234,56"


@pytest.mark.parametrize(
    ("delimiter", "decimal_comma", "cell", "reason"),
    [
        (",", None, '"1,234.56"', "expected a decimal amount like 1234.56, got '1,234.56'"),
        (";", None, "1,234.56", f"{EITHER}, got '1,234.56'"),
        (";", None, "12,3,4", f"{EITHER}, got '12,3,4'"),
        (";", None, "1.234", "'1.234' is ambiguous: a thousands separator or a decimal"),
        (";", None, "12,500", "'12,500' is ambiguous"),
        (";", True, "12.50", "expected a decimal amount like 1234,56 or 1.234,56, got '12.50'"),
        (";", False, "12,50", "expected a decimal amount like 1234.56, got '12,50'"),
        (";", None, "1.5e3", f"{EITHER}, got '1.5e3'"),
        (";", None, "12 EUR", f"{EITHER}, got '12 EUR'"),
        (";", None, "١٢", f"{EITHER}, got '١٢'"),  # Arabic-Indic digits: not what files mean
        (";", None, "-5.00", "expected an amount of 0 or more (an open item is money owed; "),
        (";", None, "", f"{EITHER}, got an empty cell"),
    ],
)
def test_amounts_that_are_refused(
    delimiter: str, decimal_comma: bool | None, cell: str, reason: str
) -> None:
    text = f"number{delimiter}amount{delimiter}currency\nRE-1{delimiter}{cell}{delimiter}EUR\n"
    error = error_of(text, decimal_comma=decimal_comma)
    assert (error.source, error.line, error.column) == ("items.csv", 2, 2)
    assert error.reason.startswith(f"column 'amount': {reason}")


# -- Errors: file, line, column and what was expected --------------------------------------------

HEADER = (
    "number;invoice_number;amount;currency;date;due_date;iban;skonto_percent;skonto_days;kind\n"
)
GOOD = "RE-1;R-1;10,00;EUR;2026-03-02;31.03.2026;DE89370400440532013000;2;10;invoice\n"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            ";R-9;10,00;EUR;;;;;;",
            1,
            "column 'number': expected the order or invoice number, got an",
        ),
        (
            "RE-9;;10,00;EURO;;;;;;",
            4,
            "column 'currency': expected an ISO 4217 currency code like ",
        ),
        (
            "RE-9;;10,00;;;;;;;",
            4,
            "column 'currency': expected an ISO 4217 currency code like EUR, ",
        ),
        (
            "RE-9;;10,00;EUR;2026-02-30;;;;;",
            5,
            "column 'date': expected a date like 2026-03-31 or 31.03.2026, got '2026-02-30'",
        ),
        ("RE-9;;10,00;EUR;;3/31/2026;;;;", 6, "column 'due_date': expected a date like "),
        (
            "RE-9;;10,00;EUR;;;DE89370400440532013000|DE89370400440532013001;;;",
            7,
            "column 'iban': expected IBANs separated by , ; or |, got 'DE89370400440532013000|"
            "DE89370400440532013001': not a valid IBAN ('DE89370400440532013001'): Invalid "
            "checksum digits",
        ),
        ("RE-9;;10,00;EUR;;;;150;;", 8, "column 'skonto_percent': expected a percent between 0 "),
        ("RE-9;;10,00;EUR;;;;2%;;", 8, "column 'skonto_percent': expected a decimal percent like "),
        ("RE-9;;10,00;EUR;;;;2;zehn;", 9, "column 'skonto_days': expected a whole number of days"),
        ("RE-9;;10,00;EUR;;;;2;-3;", 9, "column 'skonto_days': expected a whole number of days"),
        ("RE-9;;10,00;EUR;;;;;10;", 9, "column 'skonto_days': given without a skonto_percent; "),
        ("RE-9;;10,00;EUR;;;;;;credit", 10, "column 'kind': expected 'order' or 'invoice', got "),
        ("RE-1;;10,00;EUR;;;;;;", 1, "column 'number': 'RE-1' is also the number of the item in "),
    ],
)
def test_bad_cells_name_line_column_and_header(row: str, column: int, reason: str) -> None:
    error = error_of(HEADER + GOOD + "\n" + row + "\n")
    assert (error.source, error.line, error.column) == ("items.csv", 4, column)
    assert error.reason.startswith(reason), error.reason
    assert str(error).startswith(f"items.csv, line 4, column {column}: column '")


def test_a_duplicate_number_names_both_lines() -> None:
    error = error_of("number,amount,currency\nRE-1,5,EUR\nRE-2,5,EUR\nRE-1,7,EUR\n")
    assert str(error) == (
        "items.csv, line 4, column 1: column 'number': 'RE-1' is also the number of the item "
        "in line 2; numbers must be unique in a file"
    )


@pytest.mark.parametrize(
    ("row", "column", "cells"),
    [
        ("RE-1,5", 3, 2),  # a missing cell: the first one missing
        ("RE-1,5,EUR,x", 4, 4),  # a filled cell beyond the header
        ("RE-1,5,EUR,,,y", 6, 6),
    ],
)
def test_rows_with_another_number_of_cells_than_the_header(
    row: str, column: int, cells: int
) -> None:
    error = error_of(f"number,amount,currency\nRE-0,1,EUR\n{row}\n")
    assert (error.line, error.column) == (3, column)
    assert error.reason == f"expected 3 cells as in the header line (line 1), got {cells}"


def test_a_quote_that_is_never_closed() -> None:
    error = error_of('number,customer_name,amount,currency\nRE-1,"Meier,5,EUR\nRE-2,x,5,EUR\n')
    assert error.line == 2
    assert "a quoted cell that starts in this row is never closed" in error.reason


def test_text_after_a_closing_quote_is_not_csv() -> None:
    error = error_of('number,customer_name,amount,currency\n\nRE-1,"Meier" GmbH,5,EUR\n')
    assert error.line == 3
    assert error.reason.startswith("not a CSV row: ")


def test_a_header_without_a_required_column() -> None:
    error = error_of("number;Betrag;currency\nRE-1;5;EUR\n")
    assert (error.line, error.column) == (1, None)
    assert error.reason == (
        "expected the column(s) 'amount' in the header line, which has 'number', 'Betrag', "
        "'currency'"
    )


def test_a_mapped_header_without_its_column_names_the_field() -> None:
    columns = OpenItemColumns(amount="Betrag", currency="Währung")
    error = error_of("number;amount;currency\nRE-1;5;EUR\n", columns=columns)
    assert error.reason.startswith(
        "expected the column(s) 'Betrag' (amount), 'Währung' (currency) in the header line"
    )


def test_a_mapped_header_twice_in_the_file() -> None:
    error = error_of("number,amount,currency,Amount\nRE-1,5,EUR,6\n")
    assert (error.line, error.column) == (1, 4)
    assert "the column 'amount' appears twice, as column 2 and 4" in error.reason


def test_an_empty_file_has_no_header() -> None:
    for data in ("", "\n\n", "\ufeff"):
        error = error_of(data)
        assert error.reason == (
            "expected a header line with at least the columns 'number', 'amount', 'currency'; "
            "the file is empty"
        )


# -- JSON -------------------------------------------------------------------------------------


def test_json_list_of_contract2_objects() -> None:
    items = read_open_items((DATA / "open_items.json").read_bytes(), source="open_items.json")
    assert items == CONTRACT_ITEMS


def test_json_open_items_object_with_the_wire_shape() -> None:
    text = """
    {"open_items": [
      {"number": "AU-1", "kind": "order", "amount": "50.00", "currency": "EUR",
       "ibans": ["AT611904300234573201"], "iban": "DE89370400440532013000",
       "cash_discount": {"percent": "3", "days": 7}, "invoice_number": null},
      {"number": "RE-2", "amount": "5", "currency": "", "skonto_percent": "1.5",
       "skonto_days": 20, "note": "a key paymatch does not know"}
    ], "exported_at": "2026-03-02"}
    """
    assert read(text, default_currency="EUR") == (
        OpenItem(
            number="AU-1",
            kind=OpenItemKind.ORDER,
            amount=to_money("50.00", "EUR"),
            ibans=("DE89370400440532013000", "AT611904300234573201"),
            cash_discount=CashDiscount(percent=Decimal(3), days=7),
        ),
        OpenItem(
            number="RE-2",
            amount=to_money("5", "EUR"),
            cash_discount=CashDiscount(percent=Decimal("1.5"), days=20),
        ),
    )


def test_an_empty_json_list_is_no_items() -> None:
    assert read("  []  ") == ()
    assert read('{"open_items": []}') == ()


ITEM = '"number": "RE-1", "amount": "5.00", "currency": "EUR"'


@pytest.mark.parametrize(
    ("text", "path", "reason"),
    [
        (
            f'[{{{ITEM}}}, {{"number": "RE-2", "amount": 5.5, "currency": "EUR"}}]',
            "$[1].amount",
            "must be a decimal string, got 5.5 (float)",
        ),
        (
            f'{{"open_items": [{{{ITEM}, "iban": "DE89370400440532013001"}}]}}',
            "$.open_items[0].iban",
            "not a valid IBAN ('DE89370400440532013001'): Invalid checksum",
        ),
        ('[{"number": "RE-1", "currency": "EUR"}]', "$[0].amount", "is required but missing"),
        (f'[{{{ITEM}, "date": "02.03.2026"}}]', "$[0].date", "must be a date YYYY-MM-DD"),
        (f'[{{{ITEM}, "kind": "credit"}}]', "$[0].kind", "must be one of 'order', 'invoice'"),
        (
            f'[{{{ITEM}, "skonto_percent": "100"}}]',
            "$[0].skonto_percent",
            "must be between 0 and 100, got 100",
        ),
        (
            f'[{{{ITEM}, "skonto_percent": 2}}]',
            "$[0].skonto_percent",
            "must be a decimal string, got 2 (int)",
        ),
        (
            f'[{{{ITEM}, "skonto_percent": "2", "skonto_days": "10"}}]',
            "$[0].skonto_days",
            "must be an integer, got '10' (str)",
        ),
        (
            f'[{{{ITEM}, "skonto_days": 10}}]',
            "$[0].skonto_days",
            "given without skonto_percent; give both or neither",
        ),
        (
            f'[{{{ITEM}, "skonto_percent": "2", "cash_discount": {{"percent": "2", "days": 3}}}}]',
            "$[0].skonto_percent",
            "give skonto_percent or cash_discount, not both",
        ),
        (
            '[{"number": "RE-1", "amount": "-5.00", "currency": "EUR"}]',
            "$[0].amount",
            "must not be negative",
        ),
        (
            f"[{{{ITEM}}}, {{{ITEM}}}]",
            "$[1].number",
            "'RE-1' is also the number of $[0]; numbers must be unique in a file",
        ),
        ('[{"number": "RE-1"}, "RE-2"]', "$[0].amount", "is required but missing"),
        ('["RE-2"]', "$[0]", "expected an open item object, got a string"),
        ('{"items": []}', "$", 'expected a list of open items or an object {"open_items": [...]}'),
        ('{"open_items": {}}', "$.open_items", "expected a list of open items, got an object"),
    ],
)
def test_json_errors_name_the_path(text: str, path: str, reason: str) -> None:
    error = error_of(text)
    assert (error.source, error.path, error.line) == ("items.csv", path, None)
    assert error.reason.startswith(reason), error.reason


def test_json_that_does_not_parse_names_line_and_column() -> None:
    error = error_of('[\n  {"number": "RE-1",\n   "amount": "5" "currency": "EUR"}\n]')
    assert (error.line, error.column) == (3, 18)
    assert error.reason == "not valid JSON: Expecting ',' delimiter"


# -- The format and its TOML form ----------------------------------------------------------------


def test_the_default_format_reads_contract_2() -> None:
    settings = OpenItemFormat()
    assert settings.columns == OpenItemColumns()
    assert (settings.delimiter, settings.decimal_comma, settings.default_currency) == (
        None,
        None,
        None,
    )
    assert settings.date_formats == ("%Y-%m-%d", "%d.%m.%Y")
    assert settings.default_skonto_days == 14


def test_from_toml_reads_every_setting() -> None:
    settings = OpenItemFormat.from_toml(
        """
        delimiter = "|"
        decimal_comma = false
        date_formats = ["%d/%m/%Y"]
        encoding = "cp850"
        default_skonto_days = 10
        default_currency = "chf"
        [columns]
        number = "Beleg"
        kind = "Typ"
        """
    )
    assert settings == OpenItemFormat(
        columns=OpenItemColumns(number="Beleg", kind="Typ"),
        delimiter="|",
        decimal_comma=False,
        date_formats=("%d/%m/%Y",),
        encoding="cp850",
        default_skonto_days=10,
        default_currency="CHF",
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[columns]\namount = 5", "columns.amount: expected a string, got 5"),
        ("[columns]\nbetrag = 'Betrag'", "columns: unknown key(s) betrag"),
        ("delimeter = ';'", "toml: unknown key(s) delimeter"),
        ("decimal_comma = 'false'", "decimal_comma: expected true or false, got 'false'"),
        ("default_skonto_days = true", "default_skonto_days: expected an integer, got True"),
        ("default_skonto_days = -1", "default_skonto_days: must not be negative, got -1"),
        ("date_formats = '%d.%m.%Y'", "date_formats: expected a list of strings, got '%d.%m.%Y'"),
        ("date_formats = []", "date_formats: at least one date format is required"),
        ("date_formats = ['%d.%m']", "date_formats[0]: '%d.%m' does not read a whole date"),
        ("delimiter = ';;'", "delimiter: must be one character, not a quote or line end"),
        ("delimiter = '\"'", "delimiter: must be one character, not a quote or line end"),
        ("encoding = 'klingon'", "encoding: unknown encoding 'klingon'"),
        ("default_currency = 'EURO'", "default_currency: unknown ISO 4217 currency code 'EURO'"),
        ("columns = 'Betrag'", "columns: expected a table, got 'Betrag'"),
        ("[columns]\namount = ''", "columns.amount: must name a column, got ''"),
        (
            "[columns]\nnumber = 'Nr'\ninvoice_number = ' NR '",
            "columns.invoice_number: the column ' NR ' is already columns.number",
        ),
        ("delimiter = ", "toml: "),
    ],
)
def test_from_toml_errors_name_the_key(toml: str, message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        OpenItemFormat.from_toml(toml)
    assert str(info.value).startswith(message), str(info.value)


def test_optional_columns_can_be_left_unread() -> None:
    columns = OpenItemColumns(customer_name=None)
    (item,) = read("number,customer_name,amount,currency\nRE-1,Meier,5,EUR\n", columns=columns)
    assert item.customer_name is None
    with pytest.raises(InvalidValueError, match=r"columns\.amount: must name a column, got None"):
        OpenItemColumns(amount=None)  # type: ignore[arg-type]


# -- Round trip ---------------------------------------------------------------------------------

COLUMNS = (
    "number",
    "invoice_number",
    "customer_number",
    "customer_name",
    "amount",
    "currency",
    "date",
    "due_date",
    "iban",
    "payment_reference",
    "transaction_id",
    "skonto_percent",
    "skonto_days",
    "kind",
)


def contract2_csv(items: Sequence[OpenItem], delimiter: str) -> bytes:
    """The items as a contract-2 CSV file (with the skonto_days and kind columns), UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(COLUMNS)
    for item in items:
        discount = item.cash_discount
        writer.writerow(
            [
                item.number,
                item.invoice_number or "",
                item.customer_number or "",
                item.customer_name or "",
                decimal_text(item.amount.amount),
                item.currency,
                item.date.isoformat() if item.date else "",
                item.due_date.isoformat() if item.due_date else "",
                "|".join(item.ibans),
                item.payment_reference or "",
                item.transaction_id or "",
                decimal_text(discount.percent) if discount else "",
                str(discount.days) if discount else "",
                item.kind.value,
            ]
        )
    return out.getvalue().encode()


@given(
    items=unique_open_items(st.sampled_from(["EUR", "USD", "CHF"])),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_items_written_as_contract2_csv_read_back_the_same(
    items: tuple[OpenItem, ...], delimiter: str
) -> None:
    assert read_open_items(contract2_csv(items, delimiter)) == items


#: Pieces of CSV and JSON text, and the characters that break them.
PIECES = st.sampled_from(
    [
        *("number", "amount", "currency", "iban", "skonto_percent", "skonto_days", "kind"),
        *("RE-1", "1.234,5", "-1", "EUR", '"', '"a\nb"', "DE89370400440532013000", "0"),
        *("{", "[", '"amount": "1"', "\ufeff", "x", "٣", ",", ";", "\t", "|", "\n", "\r\n", "\r"),
    ]
)


@given(pieces=st.lists(PIECES, max_size=40), decimal_comma=st.sampled_from([None, True, False]))
def test_any_text_is_read_or_refused_with_a_parse_error(
    pieces: list[str], decimal_comma: bool | None
) -> None:
    data = "".join(pieces).encode()
    with contextlib.suppress(ParseError):
        read_open_items(data, format=OpenItemFormat(decimal_comma=decimal_comma))
