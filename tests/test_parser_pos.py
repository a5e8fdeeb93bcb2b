"""POS payments (paymatch's own CSV/JSON layout): orders settled at a till."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.matching import match
from paymatch.model import OpenItem, to_money
from paymatch.parsers import parse
from paymatch.parsers.pos import PosParser
from tests.mutations import mutated, only_parse_errors

DATA = Path(__file__).parent / "data" / "pos"
CSV = (DATA / "payments.csv").read_bytes()
JSON = (DATA / "payments.json").read_bytes()
POS = PosParser()


def test_csv_payments_one_statement_per_till() -> None:
    result = POS.parse(CSV, source="payments.csv")
    assert result.format == "pos"
    store1, store2 = result.statements
    assert store1.account.key == "pos:store-1"
    assert store2.account.key == "pos:store-2"
    assert [
        (
            str(m.amount.amount),
            m.booking_type.value,
            m.status.value,
            m.end_to_end_id,
            m.bank_transaction_code,
            m.reference_transaction_id,
        )
        for m in store1.movements
    ] == [
        ("150.00", "incoming", "completed", "AU-2001", "card", None),
        ("75.00", "incoming", "completed", "AU-2002", "cash", None),
        ("-5.00", "refund", "completed", "AU-2002", "cash", "POS-0002"),
        ("19.99", "incoming", "failed", "AU-2004", "card", None),
    ]
    first = store1.movements[0]
    assert first.transaction_id == "POS-0001"
    assert first.booking_date == dt.date(2026, 3, 2)
    assert first.counterparty.name == "Weiß KG"
    assert first.counterparty.account_number == "K-102"
    assert first.remittance_info == "POS card AU-2001"
    assert store1.movements[2].remittance_info == "POS cash AU-2002 Rabatt nachträglich"
    assert store2.movements[0].bank_transaction_code == "voucher"


def test_json_payments_with_their_paths() -> None:
    (default, kiosk) = POS.parse(JSON, source="payments.json").statements
    assert default.account.key == "pos:till"
    assert kiosk.movements[0].end_to_end_id == "RE-3002"  # no order number: the invoice
    assert kiosk.movements[0].status.value == "pending"
    assert str(default.movements[0].source) == "payments.json, $.pos_payments[0]"


@pytest.mark.parametrize("data", [CSV, JSON])
def test_detected_and_streamed_the_same(data: bytes) -> None:
    assert parse(data).format == "pos"
    parsed = [m for s in POS.parse(data).statements for m in s.movements]
    assert list(POS.iter_movements(io.BytesIO(data))) == parsed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            CSV.replace(b",card,completed,", b",wire,completed,", 1),
            r"line 2: method: expected one of",
        ),
        (CSV.replace(b",150.00,", b",150,00,", 1), r"line 2: "),
        (CSV.replace(b"2026-03-02T10:15:00+01:00", b"02.03.2026", 1), r"line 2: time: expected"),
        (CSV.replace(b",AU-2001,,", b",,,", 1), r"line 2: order_number: expected an order or"),
        (CSV.replace(b"payment_id,", b"id,", 1), r"line 1: expected the POS's columns payment_id"),
        (JSON.replace(b'"42.50"', b"42.5", 1), r"\$\.pos_payments\[0\]\.amount: expected a string"),
        (
            JSON.replace(b'"card"', b'"check"', 1),
            r"\$\.pos_payments\[0\]\.method: expected one of",
        ),
        (CSV.replace(b"POS-0002,", b"POS-0001,", 1), r"line 3: the row has the transaction id"),
    ],
)
def test_bad_records_say_where(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        POS.parse(data, source="bad")


def test_the_matcher_assigns_till_payments_by_their_order_number() -> None:
    movements = [m for s in POS.parse(CSV).statements for m in s.movements]
    items = [
        OpenItem(number="AU-2001", amount=to_money("150.00", "EUR")),
        OpenItem(number="AU-2005", amount=to_money("300.00", "EUR")),
    ]
    report = match(movements, items, as_of=dt.date(2026, 3, 31))
    assigned = {
        r.movement.transaction_id: [a.item for a in r.allocations] for r in report if r.allocations
    }
    assert assigned == {"POS-0001": ["AU-2001"], "POS-0005": ["AU-2005"]}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(POS, mutated(data, [CSV, JSON]))
