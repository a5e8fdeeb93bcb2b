"""Bank CSV exports: the mapping, the presets' sample files, errors with positions, fuzzing."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paymatch.errors import InvalidValueError, ParseError
from paymatch.model import BookingType, Movement, Status
from paymatch.parsers.bank_csv import BankCsvParser, CsvColumns, CsvMapping, parsers
from paymatch.parsers.base import HEAD_SIZE, Parser
from paymatch.parsers.registry import ParserRegistry
from paymatch.parsers.result import ParseResult, Severity

DATA = Path(__file__).resolve().parent / "data" / "bank_csv"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "formats" / "bank_csv.md"
PARSERS = {parser.name: parser for parser in parsers()}
PRESET_FILES = sorted(DATA.glob("*.csv"))

B = BookingType
DONE = Status.COMPLETED
PENDING = Status.PENDING

#: Per sample file: account key, (line, booking date, amount, booking type, status) per
#: movement in file order, and (opening, closing) balances as (amount, date) or None.
EXPECTED: dict[str, tuple[str, list[tuple[int, str, str, BookingType, Status]], object, object]] = {
    "sparkasse-camt": (
        "DE44701500000011223344",
        [
            (2, "2024-01-30", "1234.56", B.INCOMING, DONE),
            (3, "2024-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
            (4, "2024-01-31", "-49.00", B.CHARGEBACK, DONE),
            (5, "2024-01-31", "-7.50", B.FEE, DONE),
            (6, "2024-02-01", "-4.20", B.OUTGOING, PENDING),
        ],
        None,
        None,
    ),
    "sparkasse-mt940": (
        "DE44701500000011223344",
        [
            (2, "2024-01-30", "1234.56", B.INCOMING, DONE),
            (3, "2024-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
            (4, "2024-01-31", "-7.50", B.FEE, DONE),
            (5, "2024-02-01", "-4.20", B.OUTGOING, PENDING),
        ],
        None,
        None,
    ),
    "dkb": (
        "DE75120300001020304050",
        [
            (7, "2024-01-30", "1234.56", B.INCOMING, DONE),
            (8, "2024-01-31", "-89.90", B.OUTGOING, DONE),
            (9, "2024-02-01", "-4.20", B.OUTGOING, PENDING),
        ],
        None,
        ("2345.67", "2024-01-31"),
    ),
    "dkb-legacy": (
        "DE75120300001020304050",
        [
            (8, "2022-01-28", "1234.56", B.INCOMING, DONE),
            (9, "2022-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
        ],
        None,
        ("1144.66", "2022-01-31"),
    ),
    "ing": (
        "DE76500105175419876543",
        [
            (16, "2024-01-31", "-2.50", B.FEE, DONE),
            (17, "2024-01-30", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
            (18, "2024-01-29", "1234.56", B.INCOMING, DONE),
        ],
        None,
        ("2137.16", "2024-01-31"),
    ),
    "deutsche-bank": (
        "bank:csv.deutsche-bank",
        [
            (3, "2024-01-02", "-89.90", B.OUTGOING, DONE),
            (4, "2024-01-15", "1234.56", B.INCOMING, DONE),
            (5, "2024-01-22", "-45.00", B.SEPA_DIRECT_DEBIT, DONE),
            (6, "2024-01-31", "-6.90", B.FEE, DONE),
        ],
        None,
        ("1092.76", "2024-01-31"),
    ),
    "commerzbank": (
        "DE55200400000400123400",
        [
            (2, "2024-01-15", "1234.56", B.INCOMING, DONE),
            (3, "2024-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
            (4, "2024-01-31", "-9.90", B.FEE, DONE),
            (5, "2024-01-31", "12.34", B.INCOMING, DONE),
        ],
        None,
        None,
    ),
    "comdirect": (
        "bank:csv.comdirect",
        [
            (6, "2024-02-01", "-4.20", B.OUTGOING, PENDING),
            (7, "2024-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
            (8, "2024-01-15", "1234.56", B.INCOMING, DONE),
            (9, "2024-01-02", "-1.90", B.FEE, DONE),
        ],
        ("0.00", "2024-01-02"),
        ("1142.76", "2024-02-01"),
    ),
    "postbank": (
        "DE29100100100987654321",
        [
            (9, "2024-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
            (10, "2024-01-20", "-104.90", B.OUTGOING, DONE),
            (11, "2024-01-15", "1234.56", B.INCOMING, DONE),
        ],
        None,
        ("1039.76", "2024-01-31"),
    ),
    "volksbank": (
        "DE56430609670000112233",
        [
            (2, "2024-01-15", "1234.56", B.INCOMING, DONE),
            (3, "2024-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
            (4, "2024-01-31", "-4.50", B.FEE, DONE),
        ],
        None,
        None,
    ),
    "n26": (
        "bank:csv.n26",
        [
            (2, "2024-01-15", "1234.56", B.INCOMING, DONE),
            (3, "2024-01-20", "-12.80", B.OUTGOING, DONE),
            (4, "2024-01-31", "-89.90", B.SEPA_DIRECT_DEBIT, DONE),
        ],
        None,
        None,
    ),
}


def parse_file(name: str) -> ParseResult:
    return PARSERS[f"csv.{name}"].parse((DATA / f"{name}.csv").read_bytes(), source=f"{name}.csv")


def movements_of(name: str) -> tuple[Movement, ...]:
    (statement,) = parse_file(name).statements
    return statement.movements


def codes(result: ParseResult) -> list[str]:
    return [diagnostic.code for diagnostic in result.diagnostics]


# --- the presets' sample files ---------------------------------------------------------


def test_every_preset_has_a_sample_file() -> None:
    presets = {name for name in PARSERS if name != "csv"}
    assert {f"csv.{path.stem}" for path in PRESET_FILES} == presets
    assert set(EXPECTED) == {path.stem for path in PRESET_FILES}


def test_the_parsers_follow_the_protocol() -> None:
    for parser in PARSERS.values():
        assert isinstance(parser, Parser)
        assert parser.description


@pytest.mark.parametrize("path", PRESET_FILES, ids=lambda path: path.stem)
def test_detect_is_certain_only_for_its_own_preset(path: Path) -> None:
    head = path.read_bytes()[:HEAD_SIZE]
    scores = {name: parser.detect(head, path.name) for name, parser in PARSERS.items()}
    assert scores.pop(f"csv.{path.stem}") == 1.0
    assert all(score < 1.0 for score in scores.values()), scores
    assert scores["csv"] == 0.0


def test_a_registry_with_the_presets_detects_each_sample() -> None:
    registry = ParserRegistry(built_ins=False, plugins=False)
    for parser in PARSERS.values():
        registry.register(parser)
    for path in PRESET_FILES:
        assert registry.detect(path.read_bytes(), path.name).name == f"csv.{path.stem}"


def test_a_variant_of_a_header_scores_below_certainty() -> None:
    head = b"Buchungstag;Wertstellung (Valuta);Vorgang;Buchungstext;Umsatz in EUR;Notiz\n"
    assert PARSERS["csv.comdirect"].detect(head, None) == pytest.approx(0.9 * 5 / 6)
    assert PARSERS["csv.n26"].detect(head, None) == 0.0


@pytest.mark.parametrize("path", PRESET_FILES, ids=lambda path: path.stem)
def test_sample_file_reads_as_written(path: Path) -> None:
    account, rows, opening, closing = EXPECTED[path.stem]
    result = parse_file(path.stem)
    (statement,) = result.statements
    assert statement.account.key == account
    assert statement.format == f"csv.{path.stem}"
    assert statement.source == path.name
    got = [
        (
            m.source.line if m.source else None,
            m.booking_date.isoformat(),
            str(m.amount.amount),
            m.booking_type,
            m.status,
        )
        for m in statement.movements
    ]
    assert got == rows
    assert all(m.currency == "EUR" and m.account == account for m in statement.movements)
    for balance, want in (
        (statement.opening_balance, opening),
        (statement.closing_balance, closing),
    ):
        if want is None:
            assert balance is None
        else:
            assert balance is not None
            assert (str(balance.amount.amount), balance.date.isoformat()) == want
    assert "balance_mismatch" not in codes(result)


@pytest.mark.parametrize("path", PRESET_FILES, ids=lambda path: path.stem)
def test_iter_movements_yields_what_parse_reads(path: Path) -> None:
    parser = PARSERS[f"csv.{path.stem}"]
    with path.open("rb") as stream:
        streamed = list(parser.iter_movements(stream, source=path.name))
    (statement,) = parser.parse(path.read_bytes(), source=path.name).statements
    assert [(m.amount, m.booking_date, m.remittance_info, m.counterparty) for m in streamed] == [
        (m.amount, m.booking_date, m.remittance_info, m.counterparty) for m in statement.movements
    ]


def test_sparkasse_camt_fields() -> None:
    credit, debit, chargeback, fee, pending = movements_of("sparkasse-camt")
    assert credit.counterparty.name == "Müller & Söhne GmbH"
    assert credit.counterparty.iban == "DE89370400440532013000"
    assert credit.counterparty.bic == "COBADEFFXXX"
    assert credit.end_to_end_id == "E2E-2024-017"
    assert credit.creditor_reference == "RF18539007547034"
    assert credit.remittance_info == "Rechnung 2024-017 RF18539007547034"
    assert credit.bank_transaction_code == "GUTSCHR. UEBERWEISUNG"
    assert debit.mandate_id == "M-2023-4711"
    assert debit.end_to_end_id is None  # NOTPROVIDED
    assert debit.counterparty.name == "Stadtwerke München"
    assert chargeback.end_to_end_id == "ORDER-88"
    assert fee.counterparty.name is None
    assert fee.counterparty.iban is None
    assert pending.remittance_info == "2024-02-01 Debitk.1 Bäckerei Schäfer"
    assert pending.value_date == dt.date(2024, 2, 1)


def test_sparkasse_mt940_splits_the_sepa_keys() -> None:
    credit, debit, fee, _ = movements_of("sparkasse-mt940")
    assert credit.end_to_end_id == "E2E-2024-017"
    assert credit.remittance_info == "Rechnung 2024-017 Müller"
    assert debit.end_to_end_id is None
    assert debit.mandate_id == "M-2023-4711"
    assert debit.remittance_info == "Abschlag Strom Januar"
    assert fee.remittance_info == "Abrechnung 31.01.2024"


def test_an_old_account_number_is_kept_with_warnings() -> None:
    result = parse_file("sparkasse-mt940")
    fee = result.statements[0].movements[2]
    assert fee.counterparty.account_number == "0000000000"
    assert fee.counterparty.iban is None
    assert fee.counterparty.bic is None
    warnings = {d.code: d for d in result.diagnostics if d.code.startswith("invalid_")}
    assert set(warnings) == {"invalid_iban", "invalid_bic"}
    assert all(d.severity is Severity.WARNING for d in warnings.values())
    assert str(warnings["invalid_bic"].position) == "sparkasse-mt940.csv, line 4"
    assert warnings["invalid_iban"].statement == 0


def test_dkb_payer_or_payee_by_sign_and_preamble() -> None:
    result = parse_file("dkb")
    statement = result.statements[0]
    incoming, outgoing, pending = statement.movements
    assert incoming.counterparty.name == "Müller & Söhne GmbH"  # the payer of money in
    assert outgoing.counterparty.name == "Stadtwerke München"  # the payee of money out
    assert outgoing.mandate_id == "M-2023-4711"
    assert incoming.end_to_end_id == "E2E-2024-017"
    assert pending.counterparty.name == "Bäckerei Schäfer"
    assert (statement.period_start, statement.period_end) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 31),
    )
    assert codes(result) == ["no_opening_balance"]


def test_deutsche_bank_soll_haben_and_closing_line() -> None:
    result = parse_file("deutsche-bank")
    outgoing, incoming, debit, _ = result.statements[0].movements
    assert outgoing.end_to_end_id is None  # NOTPROVIDED
    assert incoming.end_to_end_id == "E2E-2024-017"
    assert debit.mandate_id == "MANDAT-77"
    assert debit.counterparty.bic == "KARSDE66XXX"
    assert codes(result) == ["no_account_iban", "no_opening_balance"]


def test_commerzbank_unknown_booking_text_falls_back_to_the_sign() -> None:
    result = parse_file("commerzbank")
    (unknown,) = [d for d in result.diagnostics if d.code == "unknown_transaction_code"]
    assert "'Wertpapiere'" in unknown.message
    assert str(unknown.position) == "commerzbank.csv, line 5"
    assert result.statements[0].movements[3].booking_type is B.INCOMING


def test_comdirect_offen_is_pending_and_balances_add_up() -> None:
    result = parse_file("comdirect")
    pending = result.statements[0].movements[0]
    assert pending.status is PENDING
    assert pending.booking_date == pending.value_date == dt.date(2024, 2, 1)
    assert codes(result) == ["no_account_iban"]  # opening + booked movements = closing


def test_ing_volksbank_and_n26_fields() -> None:
    fee, _, credit = movements_of("ing")
    assert fee.counterparty.name == "ING"
    assert credit.remittance_info == "Rechnung 2024-017"
    _, debit, _ = movements_of("volksbank")
    assert debit.mandate_id == "M-2023-4711"
    assert debit.counterparty.bic == "DUSSDEDDXXX"
    _, card, _ = movements_of("n26")
    assert card.counterparty.name == "Café Größenwahn"
    assert card.remittance_info is None
    assert card.bank_transaction_code == "Presentment"


# --- the mapping ------------------------------------------------------------------------


def docs_mapping() -> CsvMapping:
    (toml,) = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    return CsvMapping.from_toml(toml)


DOCS_LINES = [
    "Sparkasse Beispiel;Kontoauszug",
    "Anfangssaldo;01.03.2024;1.000,00;EUR",
    "Datum;Valuta;Name;IBAN;BIC;Zweck 1;Zweck 2;Art;Status;Umsatz;S/H",
    "01.03.2024;01.03.2024;Müller GmbH;DE89370400440532013000;COBADEFFXXX;"
    "EREF+E-1 SVWZ+Rechnung;17;Gutschrift;gebucht;1.234,56;H",
    "02.03.2024;02.03.24;Stadtwerke;;;Abschlag;;Lastschrift;vorgemerkt;89,90;S",
    "03.03.2024;03.03.2024;;;;;;Zinsen;gebucht;0,10;H",
    "Endsaldo;03.03.2024;2.234,66;EUR",
    "",
    "",
]


def test_the_documented_mapping_reads_a_file() -> None:
    mapping = docs_mapping()
    assert mapping.columns.remittance_info == ("Zweck 1", "Zweck 2")
    assert mapping.encoding == "cp1252"
    parser = BankCsvParser(mapping, name="csv.beispiel")
    data = "\r\n".join(DOCS_LINES).encode("cp1252")
    result = parser.parse(data, source="beispiel.csv")
    (statement,) = result.statements
    assert statement.account.key == "DE44701500000011223344"
    credit, debit, interest = statement.movements
    assert credit.amount.amount == Decimal("1234.56")
    assert credit.end_to_end_id == "E-1"
    assert credit.remittance_info == "Rechnung 17"  # the purpose columns joined, then split
    assert credit.counterparty.name == "Müller GmbH"
    assert debit.amount.amount == Decimal("-89.90")
    assert debit.status is PENDING
    assert debit.value_date == dt.date(2024, 3, 2)  # the second date format
    assert debit.booking_type is B.SEPA_DIRECT_DEBIT
    assert interest.booking_type is B.INTEREST
    assert statement.opening_balance is not None
    assert statement.closing_balance is not None
    assert statement.opening_balance.amount.amount == Decimal("1000.00")
    assert statement.closing_balance.date == dt.date(2024, 3, 3)
    assert result.diagnostics == ()  # 1000.00 + 1234.56 + 0.10 = 2234.66; pending not booked


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[columns]\nbooking_date = "D"', "columns.amount: required"),
        ('[columns]\namount = "A"', "columns.booking_date: required"),
        ('delimiter = ";"', "columns: required"),
        ('skip_lines = "x"\n[columns]\nbooking_date = "D"\namount = "A"', "skip_lines: expected"),
        (
            '[columns]\nbooking_date = "D"\namount = "A"\nsaldo = "S"',
            "columns: unknown key(s) saldo",
        ),
        ('[columns]\nbooking_date = "D"\ndebit = "S"', "columns.amount: required"),
        ('currency = "XYZ"\n[columns]\nbooking_date = "D"\namount = "A"', "currency: unknown"),
        ('encoding = "nope"\n[columns]\nbooking_date = "D"\namount = "A"', "encoding: unknown"),
        ("delimiter = [", "toml: "),
        (
            'delimiter = \'"\'\n[columns]\nbooking_date = "D"\namount = "A"',
            "delimiter: delimiter and quote_char are two different characters",
        ),
        (
            'closing_balance_label = "("\n[columns]\nbooking_date = "D"\namount = "A"',
            "closing_balance_label: not a regular expression",
        ),
    ],
)
def test_from_toml_names_the_key_path(toml: str, message: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        CsvMapping.from_toml(toml)
    assert str(caught.value).startswith(message), str(caught.value)


def simple(**changes: object) -> BankCsvParser:
    mapping = CsvMapping(
        columns=CsvColumns(booking_date="Datum", amount="Betrag", booking_text="Art"),
        account_iban="DE89370400440532013000",
        **changes,  # type: ignore[arg-type]
    )
    return BankCsvParser(mapping, name="csv.test")


def test_a_fixed_number_of_preamble_lines() -> None:
    parser = simple(skip_lines=2)
    data = b"Konto;DE89370400440532013000\nirgendwas\nDatum;Art;Betrag\n01.02.2026;;-1,00\n"
    (movement,) = parser.parse(data).statements[0].movements
    assert movement.amount.amount == Decimal("-1.00")
    assert movement.booking_type is B.OUTGOING  # no booking text: by sign, silently
    assert movement.source is not None
    assert movement.source.line == 4
    with pytest.raises(ParseError, match=r"expected the column 'Datum' \(booking_date\)") as caught:
        simple(skip_lines=1).parse(data, source="x.csv")
    assert caught.value.line == 2


def test_a_quoted_cell_over_two_lines_keeps_the_line_numbers() -> None:
    data = 'Datum;Art;Betrag\n01.02.2026;"Gut\nschrift";1,00\n02.02.2026;Gutschrift;2,00\n'
    first, second = simple().parse(data.encode()).statements[0].movements
    assert first.source is not None
    assert first.source.line == 2
    assert second.source is not None
    assert second.source.line == 4


def test_no_bookings_gives_an_empty_statement() -> None:
    result = simple().parse(b"Datum;Art;Betrag\r\n\r\n")
    (statement,) = result.statements
    assert statement.movements == ()
    assert statement.account.key == "DE89370400440532013000"


def test_identical_bookings_get_their_own_ids() -> None:
    data = b"Datum;Art;Betrag\n01.02.2026;Gutschrift;5,00\n01.02.2026;Gutschrift;5,00\n"
    first, second = simple().parse(data).statements[0].movements
    assert (first.occurrence, second.occurrence) == (0, 1)
    assert first.movement_id != second.movement_id


def test_a_gvc_column_wins_over_the_booking_text() -> None:
    mapping = CsvMapping(
        columns=CsvColumns(
            booking_date="Datum", amount="Betrag", booking_text="Art", transaction_code="GVC"
        ),
        account_iban="DE89370400440532013000",
    )
    parser = BankCsvParser(mapping, name="csv.gvc")
    data = "Datum;GVC;Art;Betrag\n01.02.2026;809;Gutschrift;-1,00\n01.02.2026;999;Gutschrift;2,00\n"
    result = parser.parse(data.encode())
    fee, credit = result.statements[0].movements
    assert (fee.booking_type, fee.bank_transaction_code) == (B.FEE, "809")
    assert credit.booking_type is B.INCOMING  # unknown GVC: the booking text decides
    assert "unknown_transaction_code" not in codes(result)


def test_several_accounts_make_several_statements() -> None:
    mapping = CsvMapping(
        columns=CsvColumns(booking_date="Datum", amount="Betrag", account="Konto"),
        closing_balance_label="^Saldo",
    )
    parser = BankCsvParser(mapping, name="csv.multi")
    data = (
        "Konto;Datum;Betrag\n"
        "DE89370400440532013000;01.02.2026;1,00\n"
        "DE44701500000011223344;01.02.2026;2,00\n"
        "DE89370400440532013000;02.02.2026;3,00\n"
        "Saldo;02.02.2026;9,00\n"
    )
    result = parser.parse(data.encode())
    first, second = result.statements
    assert [str(m.amount.amount) for m in first.movements] == ["1.00", "3.00"]
    assert [str(m.amount.amount) for m in second.movements] == ["2.00"]
    assert first.closing_balance is None  # one file-wide balance fits no single account
    assert codes(result) == ["no_opening_or_closing_balance"] * 2


# --- errors -----------------------------------------------------------------------------


def error_of(parser: BankCsvParser, data: bytes) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parser.parse(data, source="bad.csv")
    with pytest.raises(ParseError) as streamed:
        list(parser.iter_movements(io.BytesIO(data), source="bad.csv"))
    assert str(streamed.value) == str(caught.value)  # the same error either way
    return caught.value


def test_a_bad_amount_names_line_column_and_expectation() -> None:
    error = error_of(simple(), b"Datum;Art;Betrag\n01.02.2026;Gutschrift;1,00\n02.02.2026;X;zwei\n")
    assert (error.source, error.line, error.column) == ("bad.csv", 3, 3)
    assert str(error) == (
        "bad.csv, line 3, column 3: column 3 ('Betrag'): "
        "expected an amount like -1.234,56, got 'zwei'"
    )


def test_an_amount_with_a_misplaced_thousands_separator_is_refused() -> None:
    error = error_of(simple(), b"Datum;Art;Betrag\n01.02.2026;X;1.23,00\n")
    assert error.column == 3


def test_a_bad_date_names_the_formats() -> None:
    error = error_of(simple(), b"Datum;Art;Betrag\n2026-02-01;X;1,00\n")
    assert (error.line, error.column) == (2, 1)
    assert "column 1 ('Datum'): expected a date (%d.%m.%Y), got '2026-02-01'" in str(error)


def test_an_empty_amount_or_date_is_an_error() -> None:
    assert error_of(simple(), b"Datum;Art;Betrag\n01.02.2026;X;\n").column == 3
    assert error_of(simple(), b"Datum;Art;Betrag\n;X;1,00\n").column == 1


def test_too_few_or_too_many_cells() -> None:
    error = error_of(simple(), b"Datum;Art;Betrag\n01.02.2026;X\n")
    assert (error.line, error.reason) == (2, "expected 3 cells as in the header line, got 2")
    error = error_of(simple(), b"Datum;Art;Betrag\n01.02.2026;X;1,00;mehr\n")
    assert (error.line, error.reason) == (2, "expected 3 cells as in the header line, got 4")
    (movement,) = simple().parse(b"Datum;Art;Betrag\n01.02.2026;X;1,00;;\n").statements[0].movements
    assert movement.amount.amount == Decimal("1.00")  # empty trailing cells are no data


def test_no_header_line() -> None:
    error = error_of(simple(), b"Date,Amount\n2026-02-01,1.00\n")
    assert error.line == 2
    assert "expected a header line with the columns 'Datum', 'Betrag', 'Art'" in error.reason


def test_debit_and_credit_both_or_neither() -> None:
    parser = PARSERS["csv.deutsche-bank"]
    lines = (DATA / "deutsche-bank.csv").read_bytes().splitlines(keepends=True)
    both = lines[2].replace(b";-89,90;;EUR", b";-89,90;1,00;EUR")
    error = error_of(parser, b"".join([*lines[:2], both]))
    assert (error.line, error.column) == (3, 16)
    assert "expected an amount in exactly one of debit and credit, got 'both'" in error.reason


def test_an_unknown_flag_value() -> None:
    mapping = docs_mapping()
    data = "\r\n".join([*DOCS_LINES[2:4], DOCS_LINES[4].replace(";S", ";X")]).encode("cp1252")
    error = error_of(BankCsvParser(mapping, name="csv.beispiel"), data)
    assert (error.line, error.column) == (3, 11)
    assert "column 11 ('S/H'): expected 'S' or 'H', got 'X'" in error.reason


def test_an_unknown_currency_cell() -> None:
    error = error_of(
        PARSERS["csv.ing"],
        "Buchung;Wertstellungsdatum;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;"
        "Saldo;Währung;Betrag;Währung\n01.01.2024;01.01.2024;A;Gutschrift;B;1,00;EUX;1,00;EUR\n".encode(
            "cp1252"
        ),
    )
    assert (error.line, error.column) == (2, 7)


def test_a_balance_line_without_an_amount() -> None:
    parser = simple(closing_balance_label="^Endsaldo")
    error = error_of(parser, b"Datum;Art;Betrag\n01.02.2026;X;1,00\nEndsaldo;01.02.2026;viel\n")
    assert error.line == 3
    assert error.reason == "expected an amount like -1.234,56 in the closing balance line"


def test_a_repeated_transaction_id_is_an_error() -> None:
    mapping = CsvMapping(
        columns=CsvColumns(booking_date="Datum", amount="Betrag", transaction_id="Id"),
        account_iban="DE89370400440532013000",
    )
    data = b"Datum;Id;Betrag\n01.02.2026;T-1;1,00\n02.02.2026;T-1;2,00\n"
    with pytest.raises(ParseError) as caught:
        BankCsvParser(mapping, name="csv.ids").parse(data, source="ids.csv")
    assert caught.value.line == 3
    assert "'DE89370400440532013000:tx:T-1' of the booking in line 2" in caught.value.reason


def test_the_generic_parser_needs_a_mapping() -> None:
    generic = PARSERS["csv"]
    assert generic.detect(b"Datum;Betrag\n", "x.csv") == 0.0
    with pytest.raises(ParseError, match="needs a column mapping"):
        generic.parse(b"Datum;Betrag\n", source="x.csv")
    with pytest.raises(ParseError, match="needs a column mapping"):
        list(generic.iter_movements(io.BytesIO(b""), source="x.csv"))


def test_text_that_is_not_the_declared_encoding() -> None:
    parser = simple(encoding="utf-8")
    error = error_of(parser, "Datum;Art;Betrag\n01.02.2026;Über;1,00\n".encode("cp1252"))
    assert (error.line, error.reason) == (2, "not valid utf-8 text")


# --- streaming --------------------------------------------------------------------------


def test_iter_movements_over_many_chunks_and_crlf() -> None:
    row = "01.02.2026;Gutschrift Müller;1.234,56\r\n"
    data = ("Datum;Art;Betrag\r\n" + row * 20_000).encode("cp1252")
    assert len(data) > 4 * 64 * 1024
    movements = simple().iter_movements(io.BytesIO(data), source="big.csv")
    count = 0
    for count, movement in enumerate(movements, start=1):
        assert movement.source is not None
        assert movement.source.line == count + 1
        assert movement.amount.amount == Decimal("1234.56")
    assert count == 20_000


def test_iter_movements_sniffs_the_encoding_from_the_head() -> None:
    data = "Datum;Art;Betrag\n01.02.2026;Überweisung;-1,00\n".encode("cp1252")
    (movement,) = simple().iter_movements(io.BytesIO(data))
    assert movement.bank_transaction_code == "Überweisung"


# --- fuzzing ----------------------------------------------------------------------------

SAMPLES = [(path.stem, path.read_bytes()) for path in PRESET_FILES]


@st.composite
def mutated_samples(draw: st.DrawFn) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SAMPLES))
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(buffer)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if action == "flip" and position < len(buffer):
            buffer[position] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del buffer[position:]
        elif action == "insert":
            buffer[position:position] = draw(
                st.sampled_from([b";", b'"', b"\n", b"\r", b",", b"\x00", b"-", b"\xff", b"9"])
            )
        else:
            del buffer[position : position + draw(st.integers(1, 30))]
    return name, bytes(buffer)


def only_parse_errors(parser: BankCsvParser, data: bytes) -> None:
    with contextlib.suppress(ParseError):
        parser.parse(data, source="fuzz.csv")
    try:
        for _ in parser.iter_movements(io.BytesIO(data), source="fuzz.csv"):
            pass
    except ParseError:
        pass
    parser.detect(data[:HEAD_SIZE], "fuzz.csv")


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples())
def test_mutated_files_raise_only_parse_errors(sample: tuple[str, bytes]) -> None:
    name, data = sample
    only_parse_errors(PARSERS[f"csv.{name}"], data)


CELLS = st.text(alphabet='0123456789.,;-+ €EURäöü"\r\nabc/:', max_size=14)


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([name for name, _ in SAMPLES]),
    st.lists(st.lists(CELLS, max_size=20), max_size=6),
)
def test_random_cells_under_a_real_header_raise_only_parse_errors(
    name: str, rows: list[list[str]]
) -> None:
    parser = PARSERS[f"csv.{name}"]
    assert parser.mapping is not None
    delimiter = parser.mapping.delimiter
    header = delimiter.join(parser.mapping.expected_header)
    body = "\n".join(delimiter.join(cells) for cells in rows)
    only_parse_errors(parser, f"{header}\n{body}\n".encode())


@settings(max_examples=100, deadline=2000)
@given(st.binary(max_size=600), st.sampled_from(sorted(PARSERS)))
def test_random_bytes_raise_only_parse_errors(data: bytes, name: str) -> None:
    only_parse_errors(PARSERS[name], data)
    assert 0.0 <= PARSERS[name].detect(data, None) <= 1.0
