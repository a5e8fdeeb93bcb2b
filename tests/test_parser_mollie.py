"""Mollie balance transactions and payments (API v2 JSON), built from Mollie's documented fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.ledger import Folder, Ledger
from paymatch.matching import match
from paymatch.model import OpenItem, Status, to_money
from paymatch.parsers import parse
from paymatch.parsers.mollie import MollieParser
from tests.mutations import mutated, only_parse_errors

DATA = Path(__file__).parent / "data" / "mollie"
BALANCE = (DATA / "balance_transactions.json").read_bytes()
PAYMENTS = (DATA / "payments.json").read_bytes()
MOLLIE = MollieParser(account="org_12345")


def test_balance_transactions_with_deductions_as_linked_fees() -> None:
    result = MOLLIE.parse(BALANCE, source="balance.json")
    assert parse(BALANCE).format == "mollie"
    (statement,) = result.statements
    assert statement.account.key == "mollie:org_12345"
    assert [
        (
            str(m.amount.amount),
            m.booking_type.value,
            m.transaction_id,
            m.reference_transaction_id,
            m.reversal,
        )
        for m in statement.movements
    ] == [
        ("119.00", "incoming", "tr_AU2001", None, False),
        ("-0.29", "fee", "tr_AU2001-FEE", "tr_AU2001", False),
        ("-20.00", "refund", "re_1", "tr_AU2001", False),
        ("-0.25", "fee", "re_1-FEE", "re_1", False),
        ("-99.00", "chargeback", "chb_1", "tr_AU2001", False),  # deductions 0.00: no fee
        ("-500.00", "payout", "trf_1", None, False),
        ("-1.50", "fee", "baltr_A5", "tr_AU2002", False),
    ]
    first = statement.movements[0]
    assert first.remittance_info == "Bestellung AU-2001"
    assert first.bank_reference == "baltr_A1"
    assert str(first.source) == "balance.json, $._embedded.balance_transactions[0]"
    related = Ledger(statement.movements).related(first.movement_id)
    assert {m.transaction_id for m in related} == {"tr_AU2001-FEE", "re_1", "re_1-FEE", "chb_1"}


def test_payments_with_their_statuses_fill_the_pending_and_failed_folders() -> None:
    (statement,) = MOLLIE.parse(PAYMENTS).statements
    assert [(m.transaction_id, m.status, m.end_to_end_id) for m in statement.movements] == [
        ("tr_AU2001", Status.COMPLETED, "AU-2001"),
        ("tr_AU2002", Status.PENDING, "AU-2002"),
        ("tr_AU2003", Status.CANCELLED, None),
        ("tr_AU2004", Status.FAILED, None),
        ("tr_AU2005", Status.CANCELLED, None),
    ]
    paid = statement.movements[0]
    assert paid.booking_date == dt.date(2026, 3, 2)
    assert paid.counterparty.iban == "NL91ABNA0417164300"
    assert paid.bank_transaction_code == "ideal"
    ledger = Ledger(statement.movements)
    assert [m.transaction_id for m in ledger.folder(Folder.PENDING)] == ["tr_AU2002"]
    assert [m.transaction_id for m in ledger.folder(Folder.FAILED)] == [
        "tr_AU2003",
        "tr_AU2004",
        "tr_AU2005",
    ]
    report = match(
        statement.movements,
        [OpenItem(number="AU-2001", amount=to_money("119.00", "EUR"))],
        as_of=dt.date(2026, 3, 31),
    )
    assert [a.item for a in report.results[0].allocations] == ["AU-2001"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (b'"value": "119.00"', b'"value": 119.0'),
            r"\$\._embedded\.balance_transactions\[0\]\.initialAmount: expected an amount",
        ),
        (
            (b'"createdAt": "2026-03-02T10:15:00+00:00"', b'"createdAt": "02.03.2026"'),
            r"\[0\]\.createdAt: expected an ISO 8601",
        ),
        (
            (
                b'"resource": "balance_transaction", "id": "baltr_A2"',
                b'"resource": "settlement", "id": "baltr_A2"',
            ),
            r"\[1\]\.resource: expected",
        ),
        (
            (
                b'"initialAmount": {"currency": "EUR", "value": "-500.00"}',
                b'"initialAmount": {"currency": "EURO", "value": "-500.00"}',
            ),
            r"balance_transactions\[3\]: ",
        ),
        ((b'"count": 5,', b'"count": 5'), r"not JSON"),
    ],
)
def test_bad_documents_say_where(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        MOLLIE.parse(BALANCE.replace(*change, 1), source="bad.json")


def test_a_result_that_is_not_initial_plus_deductions_is_reported() -> None:
    broken = BALANCE.replace(b'"value": "118.71"', b'"value": "118.70"', 1)
    (finding,) = [
        d for d in MOLLIE.parse(broken, source="b.json").diagnostics if d.code == "amount_mismatch"
    ]
    assert finding.message == (
        "resultAmount 118.70 EUR is not initialAmount 119.00 plus deductions -0.29"
    )
    assert str(finding.position) == "b.json, $._embedded.balance_transactions[0]"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(MOLLIE, mutated(data, [BALANCE, PAYMENTS]))
