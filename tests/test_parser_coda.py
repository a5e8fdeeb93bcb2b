"""CODA (Belgium), on a statement written from Febelfin's record layouts."""

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
from paymatch.parsers.coda import CodaParser, booking_type_of
from tests.mutations import mutated, only_parse_errors

FILE = (Path(__file__).parent / "data" / "coda" / "statement.cod").read_bytes()
CODA = CodaParser()


def test_statement_movements_counterparty_and_balances() -> None:
    result = CODA.parse(FILE, source="statement.cod")
    assert result.format == "coda"
    assert result.diagnostics == ()  # the trailer's count and sums and the balances hold
    (statement,) = result.statements
    assert statement.account.key == "BE68539007547034"
    assert statement.opening_balance is not None
    assert statement.opening_balance.amount.amount == Decimal("1000.00")
    assert statement.closing_balance is not None
    assert statement.closing_balance.date == dt.date(2026, 3, 5)
    assert [
        (
            str(m.amount.amount),
            m.booking_type,
            m.bank_transaction_code,
            m.end_to_end_id,
            m.bank_reference,
        )
        for m in statement.movements
    ] == [
        ("119.00", BookingType.INCOMING, "00150000", None, "REF-A"),
        ("50.00", BookingType.INCOMING, "00150000", "000010002026", "REF-B"),  # structured
        ("-12.50", BookingType.SEPA_DIRECT_DEBIT, "00535000", None, "REF-C"),
        ("-2.50", BookingType.FEE, "03537000", None, "REF-D"),
    ]
    first = statement.movements[0]
    assert first.remittance_info == "Factuur RE-1001 Jansen bedankt"  # 2.1 and 2.2 joined
    assert first.counterparty.name == "JANSEN JAN"
    assert first.counterparty.iban == "BE71096123456769"
    assert first.counterparty.bic == "GKCCBEBB"
    assert first.value_date == dt.date(2026, 3, 2)


def test_a_trailer_that_does_not_add_up_is_an_error() -> None:
    broken = FILE.replace(b"000000000015000000000000169000", b"000000000015000000000000169001")
    (finding,) = CODA.parse(broken).diagnostics
    assert (finding.code, finding.message) == (
        "trailer_mismatch",
        "the sum of credits in the trailer is 169.001, but the records give 169.00",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b"000000000119000020326", b"000000000119000310226"), r"line 3: value date: expected"),
        ((b"0000000001190000", b"000000000119X000"), r"line 3: amount: expected a sign"),
        ((b"BE68539007547034", b"BE00539007547034"), r"line 2: account: expected an IBAN"),
        ((b"\n8001", b"\n7001"), r"line 9: record: expected a CODA record"),
    ],
)
def test_bad_records_say_where(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        CODA.parse(FILE.replace(*change, 1), source="bad.cod")


def test_detected_streamed_and_families() -> None:
    assert parse(FILE).format == "coda"
    parsed = [m for s in CODA.parse(FILE).statements for m in s.movements]
    assert list(CODA.iter_movements(io.BytesIO(FILE))) == parsed
    assert booking_type_of("08001000", debit=True) is BookingType.FEE
    assert booking_type_of("00101000", debit=True) is BookingType.OUTGOING


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(CODA, mutated(data, [FILE]))
