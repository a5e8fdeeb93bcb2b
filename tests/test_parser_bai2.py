"""BAI2: records, continuations, trailers — on a file written from the specification and on
the conformance files of another project."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.model import BookingType
from paymatch.parsers import parse
from paymatch.parsers.bai2 import Bai2Parser, booking_type_of
from tests.mutations import mutated, only_parse_errors

CONFORMANCE = (
    Path(__file__).resolve().parents[2] / "shared" / "conformance" / "ministryofjustice-bai2"
)
BAI2 = Bai2Parser()
#: Written from the specification: two accounts, a value-dated detail with continued text,
#: a debit, every trailer's control total and record count counted by hand.
FILE = b"""01,BANKUS33,SHOPCUST,260302,1800,1,80,,2/
02,SHOPCUST,BANKUS33,1,260302,,USD,2/
03,111222333,USD,010,100000,,,015,128050,,/
88,100,30000,1,,400,1950,1,/
16,195,30000,V,260303,,WIRE-1,AU-2001,Payment for order AU-2001, thank you/
88,from John Doe / Acme
16,698,1950,,FEE-7,,Monthly account fee/
49,291950,6/
03,444555666,USD,010,5000,,,015,5000,,/
49,10000,2/
98,301950,2,10/
99,301950,1,12/
"""


def test_accounts_movements_balances_and_texts() -> None:
    result = BAI2.parse(FILE, source="spec.bai2")
    assert result.format == "bai2"
    assert [d.code for d in result.diagnostics] == []  # trailers and balance identity hold
    first, second = result.statements
    assert first.account.key == "bank:111222333"
    assert first.opening_balance is not None
    assert first.closing_balance is not None
    assert first.opening_balance.amount.amount == Decimal("1000.00")
    assert first.closing_balance.amount.amount == Decimal("1280.50")
    wire, fee = first.movements
    assert (str(wire.amount.amount), wire.booking_type, wire.value_date) == (
        "300.00",
        BookingType.INCOMING,
        dt.date(2026, 3, 3),
    )
    assert wire.booking_date == dt.date(2026, 3, 2)
    assert wire.bank_reference == "WIRE-1"
    assert wire.end_to_end_id == "AU-2001"
    assert wire.remittance_info == "Payment for order AU-2001, thank you from John Doe / Acme"
    assert (str(fee.amount.amount), fee.booking_type) == ("-19.50", BookingType.FEE)
    assert second.movements == ()


def test_trailers_that_do_not_add_up_are_errors_with_their_line() -> None:
    broken = FILE.replace(b"49,291950,6/", b"49,291951,7/")
    result = BAI2.parse(broken, source="x.bai2")
    found = [(d.code, d.message, str(d.position)) for d in result.diagnostics]
    assert (
        "trailer_mismatch",
        "the account control total is 291951, but the records it closes give 291950",
        "x.bai2, line 8",
    ) in found
    assert (
        "trailer_mismatch",
        "the account record count is 7, but the records it closes give 6",
        "x.bai2, line 8",
    ) in found


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            FILE.replace(b"16,698,1950", b"16,698,19.50"),
            r"line 7: expected an amount in minor units",
        ),
        (FILE.replace(b"16,698,", b"16,901,"), r"line 7: detail type code '901' is not a BAI2"),
        (
            FILE.replace(b"02,SHOPCUST,BANKUS33,1,260302", b"02,SHOPCUST,BANKUS33,1,2603"),
            r"line 2: expected a date YYMMDD",
        ),
        (
            FILE.replace(b"49,10000,2/\n", b""),
            r"line 9: the file ends inside an account|an account",
        ),
        (FILE.replace(b"03,444555666", b"77,444555666"), r"line 9: expected a BAI2 record"),
        (FILE.replace(b"03,111222333,USD", b"03,111222333,QQQ"), r"line 3: unknown currency 'QQQ'"),
    ],
)
def test_bad_records_say_where(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        BAI2.parse(data, source="bad.bai2")


def test_detected_and_streamed_the_same() -> None:
    assert parse(FILE).format == "bai2"
    parsed = [m for s in BAI2.parse(FILE).statements for m in s.movements]
    assert list(BAI2.iter_movements(io.BytesIO(FILE))) == parsed


def test_type_codes() -> None:
    assert booking_type_of("142") is BookingType.INCOMING
    assert booking_type_of("475") is BookingType.OUTGOING
    assert booking_type_of("354") is BookingType.INTEREST
    assert booking_type_of("555") is BookingType.CHARGEBACK
    assert booking_type_of("950") is None


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(BAI2, mutated(data, [FILE]))


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="the conformance corpus is not present")
def test_conformance_ministryofjustice_bai2(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((CONFORMANCE / "tests" / "data").glob("*.bai2"))
    assert len(files) == 4
    statements = movements = holds = 0
    for path in files:
        result = BAI2.parse(path.read_bytes(), source=path.name)
        codes = {d.code for d in result.diagnostics}
        assert "trailer_mismatch" not in codes, path.name  # every trailer total and count holds
        statements += len(result.statements)
        movements += sum(len(s.movements) for s in result.statements)
        holds += sum(
            1
            for index in range(len(result.statements))
            if not {d.code for d in result.diagnostics_of(index)}
        )
    citi = BAI2.parse((CONFORMANCE / "tests" / "data" / "citi_example.bai2").read_bytes())
    # the anonymised upstream file keeps 100.00 before and after a 0.01 credit: reported
    assert {d.code for d in citi.diagnostics} == {"balance_mismatch"}
    with capsys.disabled():
        print(
            f"\nbai2 conformance: {len(files)} files, {statements} statements, {movements} "
            f"movements, trailers all hold, balance identity holds for {holds}"
        )
