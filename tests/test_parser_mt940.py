"""MT940/MT942: hand-written files from the SWIFT and DK layouts, errors, fuzzing, conformance."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.model import BookingType, Movement, Status
from paymatch.parsers.base import Parser
from paymatch.parsers.mt940 import (
    _LINE_BREAK,
    MT940_PARSER,
    MT942_PARSER,
    _fields,
    _Reader,
    _scan,
    parsers,
)
from paymatch.parsers.mt940_86 import german_details
from paymatch.parsers.result import ParseResult
from paymatch.parsers.sepa_purpose import split_sepa_keys
from paymatch.parsers.text import decode
from paymatch.parsers.transaction_codes import booking_type_from_gvc

DATA = Path(__file__).parent / "data" / "mt940"
CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "wolph-mt940"


def parse(name: str) -> ParseResult:
    return MT940_PARSER.parse((DATA / name).read_bytes(), source=name)


def codes(result: ParseResult) -> list[str]:
    return [diagnostic.code for diagnostic in result.diagnostics]


# --- the German SEPA statement (DK annex 7), in two code pages --------------------------------


@pytest.mark.parametrize("name", ["german_sepa_cp1252.sta", "german_sepa_cp850.sta"])
def test_german_statement_header_and_balances(name: str) -> None:
    result = parse(name)
    assert codes(result) == ["invalid_iban"]  # ?31 of the rent payment, kept as account number
    first, second = result.statements
    assert first.account.identifier == "10020030/1234567"
    assert first.account.iban is None
    assert first.account.currency == "EUR"
    assert first.statement_id == "STARTUMS/1/1"
    assert first.opening_balance is not None
    assert first.closing_balance is not None
    assert first.opening_balance.amount.amount == Decimal("1000.00")
    assert first.closing_balance.amount.amount == Decimal("1132.60")
    assert first.closing_balance.date == dt.date(2025, 12, 31)
    assert (first.period_start, first.period_end) == (dt.date(2025, 12, 30), dt.date(2025, 12, 31))
    assert (first.format, first.source) == ("mt940", name)
    assert second.account.iban == "DE89370400440532013000"
    assert [len(first.movements), len(second.movements)] == [5, 2]


@pytest.mark.parametrize("name", ["german_sepa_cp1252.sta", "german_sepa_cp850.sta"])
def test_german_credit_transfer_with_split_subfields_and_umlauts(name: str) -> None:
    credit = parse(name).statements[0].movements[0]
    assert credit.amount.amount == Decimal("250.00")
    assert credit.booking_type is BookingType.INCOMING
    assert credit.bank_transaction_code == "NTRF+166"
    assert credit.end_to_end_id == "RECHNUNG-2025-117"
    assert credit.bank_reference == "BANKREF-1"
    # "Mü" + line break + "ller": the break is not a blank
    assert credit.remittance_info == "Rechnung 117 Jürgen Müller RF18539007547034"
    assert credit.creditor_reference == "RF18539007547034"
    assert credit.counterparty.name == "Jürgen Müller Grundstücksverwaltung"  # ?32 + ?33
    assert credit.counterparty.iban == "DE89370400440532013000"
    assert credit.counterparty.bic == "COBADEFFXXX"
    assert credit.source is not None
    assert (credit.source.line, credit.source.column) == (5, 5)


def test_german_direct_debit_entry_date_rolls_into_the_next_year() -> None:
    debit = parse("german_sepa_cp1252.sta").statements[0].movements[1]
    assert debit.amount.amount == Decimal("-89.90")
    assert debit.value_date == dt.date(2025, 12, 31)
    assert debit.booking_date == dt.date(2026, 1, 2)  # value 2025-12-31, entry 0102
    assert debit.booking_type is BookingType.SEPA_DIRECT_DEBIT
    assert debit.mandate_id == "M-0001"
    assert debit.end_to_end_id == "ABO-2025-12"
    assert debit.remittance_info == "Strom Dezember Größe L"
    assert debit.counterparty.name == "Stadtwerke Überlingen"
    assert debit.counterparty.bic == "DEUTDEFFXXX"


def test_entry_date_rolls_back_into_the_previous_year() -> None:
    credit = parse("german_sepa_cp1252.sta").statements[1].movements[0]
    assert credit.value_date == dt.date(2026, 1, 2)
    assert credit.booking_date == dt.date(2025, 12, 31)  # value 2026-01-02, entry 1231


def test_reversals_rc_is_money_out_and_rd_money_in() -> None:
    movements = parse("german_sepa_cp1252.sta").statements[0].movements
    returned, refunded = movements[2], movements[3]
    assert returned.amount.amount == Decimal("-45.00")  # RC: a credit reversed
    assert returned.reversal is True
    assert returned.booking_type is BookingType.CHARGEBACK  # GVC 109
    assert returned.remittance_info == "Rücklastschrift Konto erloschen"
    assert refunded.amount.amount == Decimal("30.00")  # RD: a debit reversed
    assert refunded.reversal is True
    # GVC 105 is a direct debit; booked as reversed it came back
    assert refunded.booking_type is BookingType.CHARGEBACK
    assert refunded.counterparty.name == "Fitnessstudio Äsop"


def test_fee_closing_keeps_gvc_text_and_ignores_supplementary_details() -> None:
    fee = parse("german_sepa_cp1252.sta").statements[0].movements[4]
    assert fee.amount.amount == Decimal("-12.50")
    assert fee.booking_type is BookingType.FEE
    assert fee.bank_transaction_code == "NCHG+805"
    assert fee.remittance_info == "Entgelte Kontoführung 12/2025"


def test_sepa_keys_iban_bic_abwa_kref_and_notprovided() -> None:
    credit, rent = parse("german_sepa_cp1252.sta").statements[1].movements
    assert credit.end_to_end_id == "SAMMLER-77"  # EREF+NOTPROVIDED is none; KREF+ is next
    assert credit.bank_reference is None
    assert credit.remittance_info == "Bestellung 5001 Frau Größ"
    assert credit.counterparty.iban == "GB82WEST12345698765432"  # IBAN+ without ?31
    assert credit.counterparty.bic == "DEUTDEFFXXX"  # BIC+ without ?30
    assert credit.counterparty.ultimate_name == "Gärtnerei Sonnenblume"
    assert credit.counterparty.name == "Max Örtel"
    assert rent.end_to_end_id == "OWN-REF-9"  # the :61: customer reference, no EREF+
    assert rent.counterparty.iban is None
    assert rent.counterparty.account_number == "DE89370400440532013001"
    assert rent.booking_type is BookingType.OUTGOING


def test_cp850_and_cp1252_read_the_same() -> None:
    one = parse("german_sepa_cp1252.sta").statements
    other = parse("german_sepa_cp850.sta").statements
    assert [m.remittance_info for s in one for m in s.movements] == [
        m.remittance_info for s in other for m in s.movements
    ]
    assert [m.counterparty for s in one for m in s.movements] == [
        m.counterparty for s in other for m in s.movements
    ]


def test_line_endings_lf_and_cr_read_like_crlf() -> None:
    data = (DATA / "german_sepa_cp1252.sta").read_bytes()
    expected = parse("german_sepa_cp1252.sta").statements
    for ending in (b"\n", b"\r"):
        statements = MT940_PARSER.parse(
            data.replace(b"\r\n", ending), source="german_sepa_cp1252.sta"
        ).statements
        assert statements == expected


# --- MT942, the SWIFT envelope, Dutch and unstructured :86: -----------------------------------


def test_mt942_totals_floor_limit_and_date_time() -> None:
    result = MT942_PARSER.parse((DATA / "mt942.sta").read_bytes(), source="mt942.sta")
    assert codes(result) == ["no_opening_or_closing_balance"]
    (statement,) = result.statements
    assert statement.format == "mt942"
    assert statement.account.currency == "EUR"  # from :34F:
    assert statement.period_end == dt.date(2026, 1, 2)  # from :13D:
    assert [m.amount.amount for m in statement.movements] == [Decimal("-20.00"), Decimal("99.99")]
    assert {m.status for m in statement.movements} == {Status.PENDING}
    assert statement.movements[1].end_to_end_id == "E2E-942"


def test_mt942_totals_that_differ_are_reported() -> None:
    data = (DATA / "mt942.sta").read_bytes().replace(b":90C:1EUR99,99", b":90C:2EUR99,98")
    result = MT942_PARSER.parse(data, source="mt942.sta")
    (mismatch,) = [d for d in result.diagnostics if d.code == "totals_mismatch"]
    assert (
        mismatch.message == ":90C: states 2 entries of 99.98, the statement has 1 entries of 99.99"
    )
    assert mismatch.position is not None
    assert mismatch.position.line == 13


def test_swift_envelope_with_two_messages() -> None:
    result = parse("swift_envelope.sta")
    assert codes(result) == []
    first, second = result.statements
    assert first.account.iban == "DE89370400440532013000"
    assert first.account.bic == "COBADEFFXXX"
    assert first.opening_balance is not None
    assert first.opening_balance.amount.amount == Decimal("-50.00")  # D: overdrawn
    assert first.statement_id == "MSG-1/10/1"
    assert first.movements[0].end_to_end_id == "E2E-ENV-1"
    assert second.movements[0].amount.amount == Decimal("-100.00")
    assert second.movements[0].booking_type is BookingType.FEE  # NCHG


def test_dutch_structure_and_unstructured_text() -> None:
    result = parse("dutch_unstructured.sta")
    assert codes(result) == ["unknown_tag", "unknown_transaction_code", "unknown_transaction_code"]
    (statement,) = result.statements
    assert statement.account.iban == "NL91ABNA0417164300"  # "NL..EUR": currency after the IBAN
    dutch, card = statement.movements
    assert dutch.end_to_end_id == "E2E-NL-1"
    assert dutch.remittance_info == "Factuur 2025-042 en 2025-043"
    assert dutch.counterparty.name == "Jansen Bloemen BV"
    assert dutch.counterparty.iban == "NL91ABNA0417164300"
    assert dutch.counterparty.bic == "ABNANL2A"
    assert dutch.booking_type is BookingType.INCOMING  # N541 unknown: by sign
    assert card.remittance_info == "TRANSAKCJA KARTOWA; MIEJSCE: KAWIARNIA NOWAK; KRAKOW"
    assert card.booking_type is BookingType.OUTGOING


def test_identical_movements_are_numbered() -> None:
    line = b":61:2601020102C1,00NTRFNONREF\r\n:86:166?20SVWZ+Spende\r\n"
    data = b":20:X\r\n:25:DE89370400440532013000\r\n:60F:C260101EUR0,00\r\n" + line * 2
    result = MT940_PARSER.parse(data + b":62F:C260102EUR2,00\r\n-")
    first, second = result.statements[0].movements
    assert (first.occurrence, second.occurrence) == (0, 1)
    assert first.movement_id != second.movement_id


def test_repeated_bank_reference_identifies_only_the_first() -> None:
    line = b":61:2601020102C1,00NTRFNONREF//SAME\r\n:86:166?20SVWZ+A\r\n"
    other = b":61:2601020102C2,00NTRFNONREF//SAME\r\n:86:166?20SVWZ+B\r\n"
    data = b":20:X\r\n:25:DE89370400440532013000\r\n:60F:C260101EUR0,00\r\n" + line + other
    result = MT940_PARSER.parse(data + b":62F:C260102EUR3,00\r\n-")
    assert [m.bank_reference for m in result.statements[0].movements] == ["SAME", None]
    assert codes(result) == ["duplicate_bank_reference"]


def test_february_30_value_date_is_the_last_day_with_a_warning() -> None:
    data = b":20:X\r\n:25:1/2\r\n:60F:C160229EUR0,00\r\n:61:1602300301D1,00NCHGNONREF\r\n-"
    result = MT940_PARSER.parse(data)
    assert result.statements[0].movements[0].value_date == dt.date(2016, 2, 29)
    assert result.statements[0].movements[0].booking_date == dt.date(2016, 3, 1)
    assert "invalid_date" in codes(result)


# --- iter_movements ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "german_sepa_cp1252.sta",
        "german_sepa_cp850.sta",
        "mt942.sta",
        "swift_envelope.sta",
        "dutch_unstructured.sta",
    ],
)
def test_iter_movements_yields_what_parse_reads(name: str) -> None:
    data = (DATA / name).read_bytes()
    parsed = [m for s in MT940_PARSER.parse(data, source=name).statements for m in s.movements]
    streamed = list(MT940_PARSER.iter_movements(io.BytesIO(data), source=name))
    assert streamed == parsed


def test_iter_movements_over_many_chunks_numbers_identical_movements() -> None:
    line = b":61:2601020102C1,00NTRFNONREF\r\n:86:166?20SVWZ+M\xfcnze\r\n"  # cp1252 umlaut
    data = b":20:X\r\n:25:DE89370400440532013000\r\n:60F:C260101EUR0,00\r\n" + line * 5000
    streamed = list(MT940_PARSER.iter_movements(io.BytesIO(data)))
    assert len(streamed) == 5000
    assert [m.occurrence for m in streamed[:3]] == [0, 1, 2]
    assert streamed[-1].occurrence == 4999
    assert streamed[-1].remittance_info == "Münze"
    assert streamed[-1].source is not None
    assert streamed[-1].source.line == 3 + 2 * 4999 + 1


# --- errors -----------------------------------------------------------------------------------

HEAD = b":20:X\r\n:25:DE89370400440532013000\r\n:60F:C260101EUR0,00\r\n"


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (b":61:2513xx", 5, "expected :61: value date YYMMDD, got '2513xx'"),
        (
            b":61:260102X1,00NTRF",
            11,
            "expected :61: debit/credit mark D, C, RD or RC, got 'X1,00NTRF'",
        ),
        (
            b":61:260102C,5NTRF",
            12,
            "expected :61: amount (digits with a decimal comma), got ',5NTRF'",
        ),
        (b":61:260102C1,00", 16, "expected :61: transaction type like 'NTRF', got ''"),
        (b":61:261302C1,00NTRF", 5, "expected a date YYMMDD, got '261302'"),
        (b":61:2601021332C1,00NTRF", 11, "expected :61: entry date MMDD, got '1332'"),
        (
            b":62F:C260102EU1,00",
            6,
            "expected :62F: balance like 'C251231EUR1234,56', got 'C260102EU1,00'",
        ),
        (b":61:260102C1,0,0NTRF", 12, "expected an amount with a decimal comma, got '1,0,0'"),
    ],
)
def test_errors_name_line_column_and_what_was_expected(
    line: bytes, column: int, reason: str
) -> None:
    with pytest.raises(ParseError) as caught:
        MT940_PARSER.parse(HEAD + line + b"\r\n-", source="bad.sta")
    assert (caught.value.reason, caught.value.line, caught.value.column) == (reason, 4, column)
    assert caught.value.source == "bad.sta"


def test_missing_account_and_currency_are_errors() -> None:
    with pytest.raises(ParseError, match="expected ':25:' account identification"):
        MT940_PARSER.parse(b":20:X\r\n:60F:C260101EUR0,00\r\n:61:260102C1,00NTRF\r\n")
    with pytest.raises(ParseError, match="expected ':60F:' opening balance"):
        MT940_PARSER.parse(b":20:X\r\n:25:1/2\r\n:61:260102C1,00NTRF\r\n")


def test_binary_garbage_huge_lines_and_no_message_are_parse_errors() -> None:
    with pytest.raises(ParseError, match="NUL byte") as caught:
        MT940_PARSER.parse(HEAD + b"\x00\x01\x02")
    assert caught.value.line == 4
    with pytest.raises(ParseError, match="line longer than 10000") as caught:
        MT940_PARSER.parse(HEAD + b":86:" + b"x" * 20_000)
    assert caught.value.line == 4
    with pytest.raises(ParseError, match="line longer than 10000"):
        list(MT940_PARSER.iter_movements(io.BytesIO(HEAD + b":86:" + b"x" * 200_000)))
    with pytest.raises(ParseError, match="expected an MT940/MT942 message"):
        MT940_PARSER.parse(b"hello\r\nworld\r\n")


def test_truncated_file_reads_what_is_there_and_warns() -> None:
    data = (DATA / "swift_envelope.sta").read_bytes()
    result = MT940_PARSER.parse(data[: data.index(b":62F:")])
    assert len(result.statements[0].movements) == 1
    assert codes(result) == ["no_closing_balance"]


# --- detection and registry hook --------------------------------------------------------------


def test_detect() -> None:
    german = (DATA / "german_sepa_cp1252.sta").read_bytes()
    interim = (DATA / "mt942.sta").read_bytes()
    envelope = (DATA / "swift_envelope.sta").read_bytes()
    assert MT940_PARSER.detect(german, "a.sta") == 0.95
    assert MT942_PARSER.detect(german, "a.sta") == 0.5
    assert MT942_PARSER.detect(interim, None) == 0.95
    assert MT940_PARSER.detect(interim, None) == 0.5
    assert MT940_PARSER.detect(envelope, None) == 1.0
    assert MT942_PARSER.detect(envelope, None) == 0.5
    assert MT940_PARSER.detect(b"date;amount\n", "x.csv") == 0.0
    assert parsers() == (MT940_PARSER, MT942_PARSER)
    assert all(isinstance(parser, Parser) for parser in parsers())


# --- fuzzing ----------------------------------------------------------------------------------

SAMPLES = [(DATA / name).read_bytes() for name in sorted(p.name for p in DATA.glob("*.sta"))]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "cut", "insert"]))
        if kind == "flip" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[position:]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), st.binary(max_size=300)))
def test_fuzz_only_parse_error_escapes(data: bytes) -> None:
    for parser in (MT940_PARSER, MT942_PARSER):
        with contextlib.suppress(ParseError):
            parser.parse(data)
        with contextlib.suppress(ParseError):
            list(parser.iter_movements(io.BytesIO(data)))
        assert 0.0 <= parser.detect(data, None) <= 1.0


# --- the fast path: movements in one match, the rest line by line -----------------------------


def read_fields(fields_of: str, text: str) -> object:
    """What the reader makes of ``text`` split by ``_scan`` or line by line by ``_fields``."""
    reader = _Reader("mt940", "x.sta")
    if fields_of == "scan":
        fields = _scan(text, "x.sta", reader.skipped)
    else:
        fields = _fields(enumerate(_LINE_BREAK.split(text), 1), "x.sta", reader.skipped)
    try:
        items = list(reader.read(fields))
    except ParseError as error:
        return (error.reason, error.line, error.column)
    return items, reader.diagnostics


#: Pieces that move text between the fast path and the line reader: line breaks of each kind,
#: field and message ends, envelope and transmission characters, continuation lines.
SPLICES = ["\r\n", "\n", "\r", "\r\n-\r\n", ":86:", ":61:", "?2", " ", "-", "{", "\x03", "\r\n "]


@st.composite
def spliced_texts(draw: st.DrawFn) -> str:
    text, _ = decode(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.sampled_from(SPLICES)) + text[position:]
    return text


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(spliced_texts())
def test_fast_path_reads_what_the_line_reader_reads(text: str) -> None:
    assert read_fields("scan", text) == read_fields("lines", text)


@pytest.mark.parametrize(
    ("after_86", "remittance"),
    [
        (b"-B\r\n", "A-B"),  # "-" opens a line, but the line is not a message end
        (b" B\r\n", "A B"),  # a blank opens the line
        (b":B\r\n", "A:B"),  # a colon, but no tag
        (b"\r\n\r\nB\r\n", "AB"),  # empty lines inside the field are skipped
        (b":86:?21B\r\n", "AB"),  # a second :86: continues the first
    ],
)
def test_movements_the_fast_path_leaves_read_as_before(after_86: bytes, remittance: str) -> None:
    movement = b":61:2601020102C1,00NTRFNONREF//REF-1\r\n:86:166?20SVWZ+A\r\n" + after_86
    data = HEAD + movement + b":62F:C260102EUR1,00\r\n-"
    result = MT940_PARSER.parse(data, source="x.sta")
    (moved,) = result.statements[0].movements
    assert moved.remittance_info == remittance
    assert moved.source is not None
    assert (moved.source.line, moved.source.column) == (4, 5)
    assert codes(result) == []


def test_transmission_characters_and_line_numbers_after_fast_and_slow_movements() -> None:
    fast = b":61:2601020102C1,00NTRFNONREF//R1\r\n:86:166?20SVWZ+A\r\n?21B\r\n"
    wrapped = b":61:2601020102C2,00NTRFNONREF//R2\r\nSUPPLEMENTARY\r\n"
    data = HEAD + fast + wrapped + fast.replace(b"R1", b"R3") + b":62F:C260102EUR4,00\r\n-"
    plain = MT940_PARSER.parse(data, source="x.sta").statements
    assert [m.source.line for m in plain[0].movements if m.source] == [4, 7, 9]
    assert [m.remittance_info for m in plain[0].movements] == ["AB", "SUPPLEMENTARY", "AB"]
    framed = MT940_PARSER.parse(b"\x01" + data + b"\x03", source="x.sta").statements
    assert framed == plain


def test_a_repeated_invalid_counterparty_iban_is_reported_each_time() -> None:
    line = b":61:2601020102C1,00NTRFNONREF\r\n:86:166?20SVWZ+Miete?31DE89370400440532013001\r\n"
    data = HEAD + line + line.replace(b"Miete", b"Pacht") + b":62F:C260102EUR2,00\r\n-"
    result = MT940_PARSER.parse(data, source="x.sta")
    assert codes(result) == ["invalid_iban", "invalid_iban"]
    assert [d.position.line for d in result.diagnostics if d.position] == [4, 6]
    assert {m.counterparty.account_number for m in result.statements[0].movements} == {
        "DE89370400440532013001"
    }


# --- helpers shared with other formats --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xe4" * 5 + b"\x84", "cp1252"),  # five cp1252 "ä" outweigh one cp850 "ä"
        (b"\xe4" + b"\x84" * 5, "cp850"),
        ("Grüße, Öl, Maß: 5 €".encode("cp1252"), "cp1252"),
        ("Grüße, Öl, Maß".encode("cp850"), "cp850"),
    ],
)
def test_decode_weighs_every_high_byte(data: bytes, encoding: str) -> None:
    assert decode(data) == (data.decode(encoding), encoding)


def test_sepa_keys_at_piece_starts_after_blanks_and_cut_across_pieces() -> None:
    assert split_sepa_keys(["EREF+E1", "MREF+M1", "S", "VWZ+Text ", "und mehr"]) == (
        None,
        {"EREF": "E1", "MREF": "M1", "SVWZ": "Text und mehr"},
    )
    # inside a word a key opens nothing; given twice, its values are joined
    assert split_sepa_keys(["Vorab XEREF+1 SVWZ+A", "SVWZ+B", "KREF+"]) == (
        "Vorab XEREF+1",
        {"SVWZ": "A B"},
    )
    assert split_sepa_keys([]) == (None, {})


def test_german_sub_field_given_twice_is_joined() -> None:
    details = german_details("166?20SVWZ+Rech?32Anna?20nung 7?33 Weiß")
    assert (details.purpose, details.sepa, details.name) == (
        None,
        {"SVWZ": "Rechnung 7"},
        "Anna Weiß",
    )


def test_gvc_booking_type_bare_or_with_swift_code() -> None:
    for code in ("166", " 166 ", "NTRF+166", "ntrf+166"):
        assert booking_type_from_gvc(code, credit=True) is BookingType.INCOMING
    assert booking_type_from_gvc("999", credit=True) is None


# --- conformance: WoLpH/mt940's test files and expectations -----------------------------------

#: Files the upstream test suite keeps as fragments of one field: no :25: account or no
#: currency (:60F:), so they are no statement for our model; they raise ParseError.
FRAGMENTS = {
    "betterplace/amount_formats.sta",
    "betterplace/empty_entry_date.sta",
    "betterplace/missing_crlf_at_end.sta",
    "cmxl/account_balance_credit.sta",
    "cmxl/account_balance_debit.sta",
    "cmxl/account_identification_iban.sta",
    "cmxl/closing_balance.sta",
    "cmxl/statement_details.sta",
    "cmxl/statement_line.sta",
    "self-provided/sparkassen.sta",
    # lines "1" to "5": no message at all; upstream returns nothing, we say so
    "self-provided/invalid_statement.sta",
}

_BANK_REFERENCE_16 = (
    "upstream reads the customer reference as 16 characters including '//' and loses the "
    "bank reference; SWIFT subfields 7 and 8 are split at '//'"
)


def squash(text: str | None) -> str:
    return "".join((text or "").split())


def conformance_differences(relative: str, movements: list[Movement], expected: dict) -> list:
    """(index, field, ours, theirs) for every value the expectation states that we read."""
    found = []
    if len(movements) != expected["n_transactions"]:
        found.append((None, "count", len(movements), expected["n_transactions"]))
    for index, (ours, theirs) in enumerate(zip(movements, expected["transactions"], strict=False)):

        def check(field: str, mine: object, upstream: object, index: int = index) -> None:
            if mine != upstream:
                found.append((index, field, mine, upstream))

        check("amount", ours.amount.amount, Decimal(theirs["amount"]["amount"]))
        check("currency", ours.currency, theirs["amount"]["currency"])
        check("value_date", ours.value_date and ours.value_date.isoformat(), theirs["date"])
        if theirs.get("entry_date"):
            check("booking_date", ours.booking_date.isoformat(), theirs["entry_date"])
        check("bank_reference", ours.bank_reference, theirs.get("bank_reference"))
        swift_code, _, gvc = (ours.bank_transaction_code or "").partition("+")
        check("transaction_type", swift_code, (theirs.get("id") or "").strip())
        if theirs.get("transaction_code"):
            check("gvc", gvc, theirs["transaction_code"])
            if (theirs.get("end_to_end_reference") or "").strip():
                check("end_to_end_id", ours.end_to_end_id, theirs["end_to_end_reference"].strip())
            if theirs.get("purpose"):
                # we add ?60-?63 to the purpose (DK: purpose lines 11-14); upstream does not
                check(
                    "remittance_info",
                    squash(ours.remittance_info).startswith(squash(theirs["purpose"])),
                    True,
                )
            if theirs.get("applicant_name"):
                check("name", squash(ours.counterparty.name), squash(theirs["applicant_name"]))
            account, bank_code = theirs.get("applicant_iban"), theirs.get("applicant_bin")
            if account and ours.counterparty.iban is not None:
                check("iban", ours.counterparty.iban, account.strip())
            elif account:  # a domestic account: kept as "BLZ/Konto" (or as it is)
                number = ours.counterparty.account_number or ""
                check("account_number", number.split("/")[-1], account.strip())
                if bank_code and "/" in number:
                    check("bank_code", number.split("/")[0], bank_code.strip())
            if bank_code and ours.counterparty.bic is not None:
                check("bic", ours.counterparty.bic, bank_code.strip())
        elif (
            theirs.get("transaction_details")
            and "+" not in (ours.bank_transaction_code or "")
            and not theirs["transaction_details"].startswith("/")
        ):
            check(
                "remittance_info",
                squash(ours.remittance_info),
                squash(theirs["transaction_details"]),
            )
        reference = (theirs.get("customer_reference") or "").strip()
        details = theirs.get("transaction_details") or ""
        if (
            reference
            and reference.upper() != "NONREF"
            and "EREF" not in details
            and not theirs.get("end_to_end_reference")
        ):
            check("customer_reference", ours.end_to_end_id, reference)
    return found


def statement_differences(result: ParseResult, data: dict) -> list[tuple[str, object, object]]:
    """The account and the last opening/closing balances upstream states, against ours."""
    found: list[tuple[str, object, object]] = []
    if "account_identification" in data:
        accounts = {squash(s.account.iban or s.account.identifier) for s in result.statements}
        theirs = squash(data["account_identification"])
        if not any(theirs.startswith(account) for account in accounts):
            found.append(("account", accounts, theirs))
    for key, attribute in (
        ("final_opening_balance", "opening_balance"),
        ("final_closing_balance", "closing_balance"),
    ):
        if key not in data:
            continue
        theirs = (Decimal(data[key]["amount"]["amount"]), data[key]["date"])
        ours = [
            (balance.amount.amount, balance.date.isoformat())
            for statement in result.statements
            if (balance := getattr(statement, attribute)) is not None
        ]
        if theirs not in ours:
            found.append((key, ours[-1:], theirs))
    return found


def expected_difference(
    relative: str, index: int | None, field: str, mine: object, theirs: object
) -> str | None:
    """The reason we deliberately differ here, or ``None`` for a real mismatch."""
    if field == "bank_reference" and theirs is None and isinstance(mine, str):
        return _BANK_REFERENCE_16
    if field == "customer_reference" and isinstance(theirs, str) and "//" in theirs:
        return "upstream keeps '//' and the bank reference in the customer reference"
    if isinstance(mine, Decimal) and isinstance(theirs, Decimal) and mine == -theirs:
        return "upstream books RC (reversal of a credit) as money in; SWIFT: money out"
    if field == "end_to_end_id" and theirs == "NONREF":
        return "EREF+NONREF is a placeholder, no reference; we fall back to KREF+"
    if field == "customer_reference" and isinstance(theirs, str) and theirs.endswith("/"):
        return "a reference may not end with '/' (SWIFT); '///' is split at the first '//'"
    if (relative, field) == ("betterplace/sepa_snippet_broken.sta", "account"):
        return "upstream takes the :86: after the broken first line for the account"
    if (relative, field) == ("self-provided/raphaelm.sta", "final_closing_balance"):
        return "the balance names no currency; upstream reads its first digits '950' as one"
    if (relative, field) == ("jejik/ing.sta", "remittance_info"):
        return "upstream appends the statement-level :86: after :62F: to the last movement"
    if (relative, field) == ("self-provided/details_60-63.sta", "end_to_end_id"):
        return (
            "?60 continues the purpose and so the EREF+ value (DK annex 7); upstream stops at ?2x"
        )
    return None


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="the conformance corpus is not present")
def test_conformance_wolph_mt940(capsys: pytest.CaptureFixture[str]) -> None:
    root = CONFORMANCE / "mt940_tests"
    files = movements_total = identity_holds = identity_incomplete = refused = 0
    unexplained: list[tuple] = []
    explained: dict[str, int] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name.endswith(".json") or path.name == "LICENSE":
            continue
        files += 1
        relative = path.relative_to(root).as_posix()
        data = path.read_bytes()
        try:
            result = MT940_PARSER.parse(data, source=path.name)
        except ParseError:
            refused += 1
            assert relative in FRAGMENTS, f"{relative} should parse"
            continue
        assert relative not in FRAGMENTS, f"{relative} was expected to be refused"
        movements = [m for s in result.statements for m in s.movements]
        assert list(MT940_PARSER.iter_movements(io.BytesIO(data), source=path.name)) == movements
        movements_total += len(movements)
        for index in range(len(result.statements)):
            found = {d.code for d in result.diagnostics_of(index)}
            if "balance_mismatch" in found or not found.isdisjoint(
                {"no_opening_balance", "no_closing_balance", "no_opening_or_closing_balance"}
            ):
                identity_incomplete += 1
            else:
                identity_holds += 1
        expectation = path.with_name(path.name.removesuffix(".sta") + ".expected.json")
        if not expectation.exists():
            continue
        expected = json.loads(expectation.read_text())
        differences = [
            (None, *difference)
            for difference in statement_differences(result, expected["statement_data"])
        ]
        differences += conformance_differences(relative, movements, expected)
        for index, field, mine, theirs in differences:
            reason = expected_difference(relative, index, field, mine, theirs)
            if reason is None:
                unexplained.append((relative, index, field, mine, theirs))
            else:
                explained[reason] = explained.get(reason, 0) + 1
    with capsys.disabled():
        for reason, count in sorted(explained.items(), key=lambda item: -item[1]):
            print(f"  {count:3d} x {reason}")
        print(
            f"\nmt940 conformance: {files} files, {refused} refused (fragments), "
            f"{movements_total} movements, balance identity holds for {identity_holds} "
            f"statements, not complete for {identity_incomplete}; "
            f"{sum(explained.values())} deliberate differences"
        )
    assert unexplained == [], "\n".join(map(repr, unexplained))
