"""Amazon settlement report, flat file V2, built from the report's published columns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.ledger import Ledger
from paymatch.matching import match
from paymatch.model import OpenItem, to_money
from paymatch.parsers import parse
from paymatch.parsers.amazon import AmazonSettlementParser
from tests.mutations import mutated, only_parse_errors

REPORT = (Path(__file__).parent / "data" / "amazon" / "settlement_flatfile_v2.tsv").read_bytes()
AMAZON = AmazonSettlementParser()
ORDER = "302-1234567-7654321"


def movements(data: bytes = REPORT) -> list[tuple[object, ...]]:
    (statement,) = AMAZON.parse(data).statements
    return [
        (
            m.booking_date.isoformat(),
            str(m.amount.amount),
            m.booking_type.value,
            m.reference_transaction_id,
            m.end_to_end_id,
        )
        for m in statement.movements
    ]


def test_amounts_summed_per_transaction_fees_apart_and_the_payout() -> None:
    assert movements() == [
        ("2026-03-02", "119.00", "incoming", None, "AU-4001"),  # 119 + 4.90 shipping - 4.90 promo
        ("2026-03-02", "-17.85", "fee", ORDER, None),
        ("2026-03-05", "89.90", "incoming", None, "AU-4002"),
        ("2026-03-05", "-16.77", "fee", "302-7777777-1111111", None),  # fulfilment + commission
        ("2026-03-09", "-20.00", "refund", ORDER, "AU-4001"),
        ("2026-03-09", "0.60", "fee", f"refund-{ORDER}-amzn1.adj.1-2026-03-09", None),
        ("2026-03-10", "-39.00", "fee", "other-transaction-2026-03-10", None),
        ("2026-03-12", "-10.00", "chargeback", "302-7777777-1111111", "AU-4002"),
        ("2026-03-17", "-105.88", "payout", None, None),  # the settlement's total, deposited
    ]
    result = AMAZON.parse(REPORT)
    assert {d.code for d in result.diagnostics} == {"no_opening_or_closing_balance"}
    (statement,) = result.statements
    assert statement.account.key == "amazon_pay:Amazon.de"
    assert statement.movements[0].transaction_id == ORDER
    assert sum(m.amount.amount for m in statement.movements) == 0  # all paid out


def test_a_total_that_the_amounts_do_not_reach_is_an_error_diagnostic() -> None:
    result = AMAZON.parse(REPORT.replace(b"\t105.88\t", b"\t115.88\t"), source="s.tsv")
    (finding,) = [d for d in result.diagnostics if d.code == "settlement_total_mismatch"]
    assert finding.message == "the settlement's amounts add up to 105.88, its total is 115.88"
    assert str(finding.position) == "s.tsv, line 2"


def test_german_marketplace_writes_decimal_commas_and_dotted_dates() -> None:
    german = (
        REPORT.replace(b".", b",")
        .replace(b"amzn1,adj", b"amzn1.adj")
        .replace(b"Amazon,de", b"Amazon.de")
    )
    german = german.replace(b"2026-03-", b"X").replace(b"X02 10:15:00", b"02.03.2026 10:15:00")
    german = german.replace(b"X17 00:00:00", b"17.03.2026 00:00:00").replace(b"X", b"2026-03-")
    assert movements(german)[0] == ("2026-03-02", "119.00", "incoming", None, "AU-4001")
    assert movements(german)[-1] == ("2026-03-17", "-105.88", "payout", None, None)


def test_detected_streamed_related_and_matched() -> None:
    assert parse(REPORT).format == "amazon"
    parsed = [m for s in AMAZON.parse(REPORT).statements for m in s.movements]
    assert list(AMAZON.iter_movements(io.BytesIO(REPORT))) == parsed
    ledger = Ledger(parsed)
    related = {m.booking_type.value for m in ledger.related(parsed[0].movement_id)}
    assert related == {"fee", "refund"}
    items = [
        OpenItem(number="AU-4001", amount=to_money("119.00", "EUR")),
        OpenItem(number="AU-4002", amount=to_money("89.90", "EUR")),
    ]
    report = match(parsed, items, as_of=dt.date(2026, 3, 31))
    assigned = {
        r.movement.end_to_end_id: [a.item for a in r.allocations] for r in report if r.allocations
    }
    assert assigned == {"AU-4001": ["AU-4001"], "AU-4002": ["AU-4002"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b"\t89.90\t", b"\t89.9O\t"), r"line 7: column amount: expected an amount"),
        ((b"2026-03-05 08:00:00 UTC", b"5 March 2026"), r"line 7: column posted-date: expected"),
        ((b"amount-type", b"amount-kind"), r"line 1: expected Amazon's columns amount-type"),
    ],
)
def test_bad_rows_name_line_and_column(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        AMAZON.parse(REPORT.replace(*change, 1), source="bad.tsv")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(AMAZON, mutated(data, [REPORT]))
