"""Klarna settlement report, on a file built from the documented transaction fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.ledger import Ledger
from paymatch.parsers import parse
from paymatch.parsers.klarna import KlarnaParser
from tests.mutations import mutated, only_parse_errors

REPORT = (Path(__file__).parent / "data" / "klarna" / "settlement.csv").read_bytes()
KLARNA = KlarnaParser()
SALE = "4ba29b50-be7b-44f5-a492-113e6a865e22"
SECOND = "7c1d2e3f-0000-4000-8000-000000000001"


def test_sales_fees_returns_and_money_taken_whatever_the_sign() -> None:
    result = KLARNA.parse(REPORT, source="settlement.csv")
    assert parse(REPORT).format == "klarna"
    (statement,) = result.statements
    assert statement.account.key == "klarna:K501234"
    assert [
        (
            str(m.amount.amount),
            m.booking_type.value,
            m.transaction_id,
            m.reference_transaction_id,
            m.end_to_end_id,
        )
        for m in statement.movements
    ] == [
        ("119.00", "incoming", SALE, None, "AU-2001"),
        ("-3.45", "fee", None, SALE, "AU-2001"),
        ("250.00", "incoming", SECOND, None, "RE-1002"),
        ("-50.00", "refund", "ref-55", SECOND, "RE-1002"),  # linked to the sale of its order
        ("-1.50", "fee", None, None, None),
        ("-10.00", "other", None, None, None),  # holdback: taken, although written positive
    ]
    first = statement.movements[0]
    assert first.booking_date == dt.date(2026, 3, 2)
    assert first.remittance_info == "SALE Webshop payout PAY-2026-0309"  # the payout it went into
    movements = list(statement.movements)
    related = Ledger(movements).related(movements[0].movement_id)
    assert [m.booking_type.value for m in related] == ["fee"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b",11900,", b",119.00,"), r"line 2: column amount: expected an amount in minor units"),
        ((b",11900,EUR,", b",11900,EURO,"), r"line 2: column currency_code: expected"),
        ((b"2026-03-02T10:15:00Z,2026-03-01", b"02.03.2026,2026-03-01"), r"line 2: column capture"),
        ((b",currency_code,", b",currency,"), r"line 1: expected Klarna's columns currency_code"),
    ],
)
def test_bad_rows_name_line_and_column(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        KLARNA.parse(REPORT.replace(*change, 1), source="bad.csv")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(KLARNA, mutated(data, [REPORT]))
