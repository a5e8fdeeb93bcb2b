"""Adyen Settlement details report, built from the report's published columns."""

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
from paymatch.parsers.adyen import AdyenParser, booking_type_of
from tests.mutations import mutated, only_parse_errors

REPORT = (
    Path(__file__).parent / "data" / "adyen" / "settlement_detail_report_batch_12.csv"
).read_bytes()
ADYEN = AdyenParser()
PAYMENT = "8816178914423171"


def test_every_row_with_costs_split_off_and_links_to_the_payment() -> None:
    result = ADYEN.parse(REPORT, source="sdr.csv")
    assert {d.code for d in result.diagnostics} == {"no_opening_or_closing_balance"}
    (statement,) = result.statements
    assert statement.account.key == "adyen:BeispielShopEUR"
    assert [
        (
            str(m.amount.amount),
            m.booking_type.value,
            m.transaction_id,
            m.reference_transaction_id,
            m.end_to_end_id,
            m.reversal,
        )
        for m in statement.movements
    ] == [
        ("119.00", "incoming", PAYMENT, None, "AU-2001", False),
        ("-2.00", "fee", f"{PAYMENT}-FEE", PAYMENT, None, False),  # 0.12+1.50+0.08+0.30
        ("250.00", "incoming", "8816178914423199", None, "RE-1002", False),
        ("-3.40", "fee", "8816178914423199-FEE", "8816178914423199", None, False),
        ("-50.00", "refund", "8826178914500011", "8816178914423199", "RE-1002", False),
        ("-119.00", "chargeback", "8836178914600022", PAYMENT, "AU-2001", False),
        ("119.00", "chargeback", "8836178914600033", PAYMENT, "AU-2001", True),
        ("-15.00", "fee", "8846178914700044", PAYMENT, "AU-2001", False),
        ("-298.60", "payout", None, None, None, False),
    ]
    first = statement.movements[0]
    assert first.booking_date == dt.date(2026, 3, 2)
    assert first.bank_reference == "8816178914423180"  # the capture's modification reference
    assert first.bank_transaction_code == "visa"
    assert statement.movements[4].remittance_info == "Refunded RF-RE-1002-1"


def test_the_batch_must_add_up_to_its_payout() -> None:
    cut = b"\n".join(line for line in REPORT.split(b"\n") if b"Refunded" not in line)
    (mismatch,) = [
        d for d in ADYEN.parse(cut, source="cut.csv").diagnostics if d.code == "payout_mismatch"
    ]
    assert "payout 12 of 298.60" in mismatch.message
    assert str(mismatch.position) == "cut.csv, line 7"


def test_detected_streamed_and_related() -> None:
    assert parse(REPORT).format == "adyen"
    parsed = [m for s in ADYEN.parse(REPORT).statements for m in s.movements]
    assert list(ADYEN.iter_movements(io.BytesIO(REPORT))) == parsed
    ledger = Ledger(parsed)
    payment = parsed[0]
    related = {m.transaction_id for m in ledger.related(payment.movement_id)}
    assert related == {f"{PAYMENT}-FEE", "8836178914600022", "8836178914600033", "8846178914700044"}


def test_the_matcher_assigns_by_psp_reference_or_merchant_reference() -> None:
    movements = [m for s in ADYEN.parse(REPORT).statements for m in s.movements]
    items = [
        OpenItem(number="AU-2001", amount=to_money("119.00", "EUR"), transaction_id=PAYMENT),
        OpenItem(number="RE-1002", amount=to_money("250.00", "EUR")),
    ]
    report = match(movements, items, as_of=dt.date(2026, 3, 31))
    assigned = {
        r.movement.transaction_id: [a.item for a in r.allocations] for r in report if r.allocations
    }
    assert assigned == {PAYMENT: ["AU-2001"], "8816178914423199": ["RE-1002"]}


def test_types() -> None:
    assert booking_type_of("Settled", Decimal("1")) == (BookingType.INCOMING, False)
    assert booking_type_of("SecondChargeback", Decimal("-1")) == (BookingType.CHARGEBACK, False)
    assert booking_type_of("RefundedReversed", Decimal("1")) == (BookingType.REFUND, True)
    assert booking_type_of("InvoiceDeduction", Decimal("-1")) == (BookingType.FEE, False)
    assert booking_type_of("Merchant Payout", Decimal("-1")) == (BookingType.PAYOUT, False)
    assert booking_type_of("Teleported", Decimal("1")) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b",117.00,", b",117.0O,"), r"line 2: column Net Credit \(NC\): expected an amount"),
        ((b"2026-03-02 10:15:00", b"02.03.2026"), r"line 2: column Creation Date: expected"),
        ((b"Net Debit (NC)", b"Net Debit"), r"line 1: expected Adyen's columns Net Debit \(NC\)"),
        ((b",EUR,,117.00", b",EURO,,117.00"), r"line 2: "),
    ],
)
def test_bad_rows_name_line_and_column(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        ADYEN.parse(REPORT.replace(*change, 1), source="bad.csv")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(ADYEN, mutated(data, [REPORT]))
