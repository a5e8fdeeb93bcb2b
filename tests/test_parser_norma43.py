"""Norma 43 (AEB Cuaderno 43), on a statement written from the record layouts."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.model import BookingType
from paymatch.parsers import parse
from paymatch.parsers.norma43 import Norma43Parser, booking_type_of
from tests.mutations import mutated, only_parse_errors

FILE = (Path(__file__).parent / "data" / "norma43" / "statement.n43").read_bytes()
N43 = Norma43Parser()


def test_statement_movements_concepts_and_balances() -> None:
    result = N43.parse(FILE, source="statement.n43")
    assert result.format == "norma43"
    assert result.diagnostics == ()  # trailer counts and totals, record count, balances hold
    (statement,) = result.statements
    assert statement.account.key == "bank:2100-0418-0200051332"
    assert statement.account.currency == "EUR"  # ISO numeric 978
    assert statement.opening_balance is not None
    assert statement.opening_balance.amount.amount == Decimal("2500.00")
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
        ("1190.00", BookingType.INCOMING, "02/099", "RE-1001", "1"),
        ("-49.90", BookingType.SEPA_DIRECT_DEBIT, "03/012", "LUZ-0326", "2"),
        ("-3.50", BookingType.FEE, "17/001", None, "3"),
        ("-200.00", BookingType.CHARGEBACK, "14/005", "RE-0990", "4"),
    ]
    assert statement.movements[0].remittance_info == (
        "TRANSFERENCIA TRANSFERENCIA DE GARCIA LOPEZ, MARIA FACTURA RE-1001"
    )


def test_trailer_figures_that_do_not_add_up_are_errors() -> None:
    broken = FILE.replace(
        b"00003000000000253400000100000000119000", b"00002000000000253400000100000000119001"
    )
    found = {(d.code, d.message) for d in N43.parse(broken).diagnostics}
    assert (
        "trailer_mismatch",
        "the number of debits in the trailer is 2, but the records give 3",
    ) in found
    assert (
        "trailer_mismatch",
        "the total of credits in the trailer is 1190.01, but the records give 1190.00",
    ) in found


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b"260305260305030", b"260399260305030"), r"line 4: operation date: expected a date"),
        ((b"00000000004990", b"0000000000499X"), r"line 4: amount: expected a key 1 or 2"),
        ((b"00000000250000978", b"00000000250000A78"), r"line 1: currency: expected an ISO 4217"),
        ((b"\r\n33", b"\r\n77"), r"line 8: record type: expected 11, 22"),
    ],
)
def test_bad_records_say_where(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        N43.parse(FILE.replace(*change, 1), source="bad.n43")


def test_detected_streamed_and_concepts() -> None:
    assert parse(FILE).format == "norma43"
    parsed = [m for s in N43.parse(FILE).statements for m in s.movements]
    assert list(N43.iter_movements(io.BytesIO(FILE))) == parsed
    assert booking_type_of("03", debit=False) is BookingType.INCOMING
    assert booking_type_of("99", debit=True) is BookingType.OUTGOING


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(N43, mutated(data, [FILE]))
