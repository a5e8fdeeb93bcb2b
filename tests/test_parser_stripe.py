"""Stripe balance export and itemised balance-change report, built from Stripe's columns."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.ledger import Ledger
from paymatch.matching import match
from paymatch.model import BookingType, OpenItem, to_money
from paymatch.parsers import parse
from paymatch.parsers.stripe import StripeParser, booking_type_of
from tests.mutations import mutated, only_parse_errors

DATA = Path(__file__).parent / "data" / "stripe"
LEGACY = (DATA / "balance_history.csv").read_bytes()
ITEMISED = (DATA / "balance_change_itemized.csv").read_bytes()
STRIPE = StripeParser(account="acct_1Shop")


def rows(data: bytes, currency: str = "EUR") -> list[tuple[object, ...]]:
    (statement,) = [s for s in STRIPE.parse(data).statements if s.account.currency == currency]
    return [
        (
            str(m.amount.amount),
            m.booking_type.value,
            m.transaction_id,
            m.reference_transaction_id,
            m.end_to_end_id,
            m.reversal,
        )
        for m in statement.movements
    ]


def test_dashboard_balance_export() -> None:
    assert rows(LEGACY) == [
        ("119.00", "incoming", "ch_1A", None, None, False),
        ("-2.03", "fee", "ch_1A-FEE", "ch_1A", None, False),
        ("250.00", "incoming", "ch_1B", None, None, False),
        ("-3.75", "fee", "ch_1B-FEE", "ch_1B", None, False),
        ("-50.00", "refund", "txn_1C", "ch_1B", None, False),  # its charge from the description
        ("-119.00", "chargeback", "txn_1D", "ch_1A", None, False),  # an adjustment: a chargeback
        ("-15.00", "fee", "txn_1D-FEE", "txn_1D", None, False),
        ("-179.22", "payout", "txn_1E", None, None, False),
        ("1080.00", "incoming", "ch_1F", None, None, False),
        ("-15.37", "fee", "ch_1F-FEE", "ch_1F", None, False),
        ("-2.00", "fee", "txn_1G", None, None, False),
    ]
    result = STRIPE.parse(LEGACY, source="balance.csv")
    assert {d.code for d in result.diagnostics} == {"no_opening_or_closing_balance"}
    (statement,) = result.statements
    assert statement.account.key == "stripe:acct_1Shop"
    first = statement.movements[0]
    assert first.bank_reference == "txn_1A"
    assert first.remittance_info == "Order AU-2001"
    assert first.booking_date == dt.date(2026, 3, 2)
    assert first.source is not None
    assert first.source.line == 2


def test_itemised_report_with_customer_and_order_metadata() -> None:
    assert rows(ITEMISED) == [
        ("60.00", "incoming", "ch_2A", None, "AU-7001", False),
        ("-1.15", "fee", "ch_2A-FEE", "ch_2A", None, False),
        ("-60.00", "chargeback", "txn_2B", "ch_2A", "AU-7001", False),
        ("-15.00", "fee", "txn_2B-FEE", "txn_2B", None, False),
        ("60.00", "chargeback", "txn_2C", "ch_2A", "AU-7001", True),  # dispute won: money back
        ("15.00", "fee", "txn_2C-FEE", "txn_2C", None, False),
        ("-58.85", "payout", "txn_2D", None, None, False),
    ]
    assert rows(ITEMISED, "USD") == [
        ("25.00", "incoming", "ch_2E", None, "AU-7002", False),
        ("-1.03", "fee", "ch_2E-FEE", "ch_2E", None, False),
    ]
    movement = STRIPE.parse(ITEMISED).statements[0].movements[0]
    assert movement.counterparty.name == "Lea Berg"
    assert movement.counterparty.account_number == "lea@example.com"


def test_a_payout_that_does_not_add_up_is_reported() -> None:
    cut = b"\n".join(line for line in LEGACY.split(b"\n") if not line.startswith(b"txn_1C"))
    result = STRIPE.parse(cut, source="cut.csv")
    (mismatch,) = [d for d in result.diagnostics if d.code == "payout_mismatch"]
    assert "po_1X" in mismatch.message
    assert str(mismatch.position) == "cut.csv, line 5"


@pytest.mark.parametrize("data", [LEGACY, ITEMISED])
def test_detected_and_streamed_the_same(data: bytes) -> None:
    assert parse(data).format == "stripe"
    parsed = [m for s in STRIPE.parse(data).statements for m in s.movements]
    streamed = list(STRIPE.iter_movements(io.BytesIO(data)))
    assert sorted(streamed, key=lambda m: m.movement_id) == sorted(
        parsed, key=lambda m: m.movement_id
    )


def test_types() -> None:
    assert booking_type_of("charge", Decimal("5"), None) is BookingType.INCOMING
    assert booking_type_of("payment_refund", Decimal("-5"), None) is BookingType.REFUND
    assert booking_type_of("adjustment", Decimal("-5"), "Dispute lost") is BookingType.CHARGEBACK
    assert booking_type_of("adjustment", Decimal("-5"), "Correction") is BookingType.OTHER
    assert booking_type_of("payout_failure", Decimal("5"), None) is BookingType.PAYOUT
    assert booking_type_of("application_fee", Decimal("-5"), None) is BookingType.FEE
    assert booking_type_of("climate", Decimal("-5"), None) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b",250.00,", b",250.0x,"), r"line 3: column Amount: expected an amount"),
        ((b"2026-03-03 10:00", b"03.03.2026 10:00"), r"line 3: column Created \(UTC\): expected"),
        ((b"Type,", b"Kind,"), r"line 1: expected Stripe's columns Type"),
        (
            (b"txn_1B,charge,ch_1B", b"txn_1A,charge,ch_1A"),
            r"line 3: the row has the transaction id",
        ),
    ],
)
def test_bad_rows_name_line_and_column(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        STRIPE.parse(LEGACY.replace(*change, 1), source="bad.csv")


def test_refunds_and_disputes_are_related_to_their_charge_and_the_matcher_uses_ids() -> None:
    movements = [m for s in STRIPE.parse(LEGACY).statements for m in s.movements]
    ledger = Ledger(movements)
    charge = next(m for m in movements if m.transaction_id == "ch_1A")
    related = {m.transaction_id for m in ledger.related(charge.movement_id)}
    assert related == {"ch_1A-FEE", "txn_1D", "txn_1D-FEE"}
    items = [
        OpenItem(number="AU-2001", amount=to_money("119.00", "EUR"), transaction_id="ch_1A"),
        OpenItem(number="AU-2002", amount=to_money("1080.00", "EUR")),
    ]
    report = match(movements, items, as_of=dt.date(2026, 3, 31))
    assigned = {
        r.movement.transaction_id: [a.item for a in r.allocations] for r in report if r.allocations
    }
    assert assigned == {"ch_1A": ["AU-2001"], "ch_1F": ["AU-2002"]}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(STRIPE, mutated(data, [LEGACY, ITEMISED]))


def test_itemised_payout_reconciliation_report_is_read_with_the_same_columns() -> None:
    # Stripe's "Payout reconciliation" itemised report: the balance transactions of payouts,
    # led by the payout's columns; no payout row of its own, so nothing to check it against.
    report = (
        b"automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created_utc,"
        b"currency,gross,fee,net,reporting_category,source_id,description,charge_id\n"
        b"po_9,2026-03-13 00:00:00,txn_9A,2026-03-10 09:00:00,eur,60.00,-1.15,58.85,charge,"
        b"ch_9A,Order AU-9001,ch_9A\n"
        b"po_9,2026-03-13 00:00:00,txn_9B,2026-03-11 09:00:00,eur,-10.00,0.00,-10.00,refund,"
        b"re_9B,Refund AU-9001,ch_9A\n"
    )
    assert parse(report).format == "stripe"
    (statement,) = STRIPE.parse(report).statements
    assert [
        (str(m.amount.amount), m.transaction_id, m.reference_transaction_id)
        for m in statement.movements
    ] == [
        ("60.00", "ch_9A", None),
        ("-1.15", "ch_9A-FEE", "ch_9A"),
        ("-10.00", "txn_9B", "ch_9A"),
    ]
