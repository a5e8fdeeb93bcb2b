"""PayPal activity download (English and German), files built from PayPal's column layout."""

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
from paymatch.model import BookingType, OpenItem, Status, to_money
from paymatch.parsers import parse
from paymatch.parsers.paypal import PayPalParser, booking_type_of, status_of
from tests.mutations import mutated, only_parse_errors

DATA = Path(__file__).parent / "data" / "paypal"
EN = (DATA / "activity_en.csv").read_bytes()
DE = (DATA / "activity_de.csv").read_bytes()
PAYPAL = PayPalParser()


def rows(data: bytes, currency: str = "EUR") -> list[tuple[object, ...]]:
    (statement,) = [s for s in PAYPAL.parse(data).statements if s.account.currency == currency]
    return [
        (
            str(m.amount.amount),
            m.booking_type.value,
            m.status.value,
            m.transaction_id,
            m.reference_transaction_id,
            m.end_to_end_id,
        )
        for m in statement.movements
    ]


def test_english_activity_download_every_row_and_fee() -> None:
    assert rows(EN) == [
        ("119.00", "incoming", "completed", "1AB23456CD789012E", None, "AU-2001"),
        ("-2.61", "fee", "completed", "1AB23456CD789012E-FEE", "1AB23456CD789012E", None),
        ("250.00", "incoming", "completed", "2BC34567DE890123F", None, "RE-1002"),
        ("-5.10", "fee", "completed", "2BC34567DE890123F-FEE", "2BC34567DE890123F", None),
        ("-50.00", "refund", "completed", "3CD45678EF901234G", "2BC34567DE890123F", "RE-1002"),
        ("1.07", "fee", "completed", "3CD45678EF901234G-FEE", "3CD45678EF901234G", None),
        ("-119.00", "chargeback", "completed", "4DE56789FG012345H", "1AB23456CD789012E", "AU-2001"),
        ("-20.00", "fee", "completed", "5EF67890GH123456I", "1AB23456CD789012E", None),
        ("80.00", "incoming", "pending", "6FG78901HI234567J", None, "AU-2002"),
        ("-1.87", "fee", "pending", "6FG78901HI234567J-FEE", "6FG78901HI234567J", None),
        ("-100.00", "transfer", "completed", "7GH89012IJ345678K", None, None),
        ("-1000.00", "payout", "completed", "9IJ01234KL567890M", None, None),
        ("30.00", "incoming", "failed", "0JK12345LM678901N", None, "AU-2003"),
    ]
    assert rows(EN, "USD") == [
        ("108.50", "transfer", "completed", "8HI90123JK456789L", "7GH89012IJ345678K", None)
    ]


def test_english_file_account_dates_parties_and_balances() -> None:
    result = PAYPAL.parse(EN, source="activity_en.csv")
    assert result.format == "paypal"
    assert result.diagnostics == ()  # the running balance and the statement identity hold
    eur, usd = result.statements
    assert eur.account.key == "paypal:shop@example.com"
    first = eur.movements[0]
    assert first.booking_date == dt.date(2026, 3, 2)  # 02/03/2026 is DD/MM: 13/03 is in the file
    assert first.counterparty.name == "Anna Schmidt"
    assert first.counterparty.account_number == "anna@example.com"
    assert first.remittance_info == "Bestellung AU-2001"
    assert first.source is not None
    assert first.source.line == 2
    refund = eur.movements[4]
    assert refund.counterparty.account_number == "juergen@example.de"  # who got the money
    assert refund.remittance_info == "Teilerstattung: ein Artikel fehlte"
    assert eur.opening_balance is not None
    assert eur.closing_balance is not None
    assert eur.opening_balance.amount == to_money("1000.00", "EUR")
    assert eur.closing_balance.amount == to_money("73.36", "EUR")
    assert eur.closing_balance.date == dt.date(2026, 3, 28)
    assert usd.opening_balance is not None
    assert usd.opening_balance.amount == to_money("0.00", "USD")


def test_german_activity_download() -> None:
    assert rows(DE) == [
        ("1190.00", "incoming", "completed", "11A22222B33333334", None, "RE-1001"),
        ("-22.96", "fee", "completed", "11A22222B33333334-FEE", "11A22222B33333334", None),
        ("50.00", "incoming", "completed", "22B33333C44444445", None, "AU-2001"),
        ("-1.30", "fee", "completed", "22B33333C44444445-FEE", "22B33333C44444445", None),
        ("-50.00", "refund", "completed", "33C44444D55555556", "22B33333C44444445", "AU-2001"),
        ("1.30", "fee", "completed", "33C44444D55555556-FEE", "33C44444D55555556", None),
        ("75.00", "incoming", "pending", "44D55555E66666667", None, "RE-1006"),
        ("-1.78", "fee", "pending", "44D55555E66666667-FEE", "44D55555E66666667", None),
        ("-1000.00", "payout", "completed", "55E66666F77777778", None, None),
    ]
    result = PAYPAL.parse(DE)
    assert result.diagnostics == ()
    (statement,) = result.statements
    assert statement.movements[0].booking_date == dt.date(2026, 3, 1)
    assert statement.opening_balance is not None
    assert statement.opening_balance.amount == to_money("500.00", "EUR")


@pytest.mark.parametrize("data", [EN, DE])
def test_detected_and_streamed_the_same(data: bytes) -> None:
    assert parse(data).format == "paypal"
    parsed = [m for s in PAYPAL.parse(data).statements for m in s.movements]
    streamed = list(PAYPAL.iter_movements(io.BytesIO(data)))
    assert sorted(streamed, key=lambda m: m.movement_id) == sorted(
        parsed, key=lambda m: m.movement_id
    )


def test_types_and_statuses() -> None:
    assert booking_type_of("Mobile Payment", Decimal("5")) is BookingType.INCOMING
    assert booking_type_of("Subscription Payment", Decimal("-5")) is BookingType.OUTGOING
    assert booking_type_of("Rückbuchung", Decimal("-5")) is BookingType.CHARGEBACK
    assert booking_type_of("Rückbuchungsgebühr", Decimal("-5")) is BookingType.FEE
    assert booking_type_of("Payment Reversal", Decimal("-5")) is BookingType.CHARGEBACK
    assert booking_type_of("Hold on Balance for Dispute Investigation", Decimal("-5")) is (
        BookingType.OTHER
    )
    assert booking_type_of("Bank Deposit to PP Account", Decimal("5")) is BookingType.TRANSFER
    assert booking_type_of("Something New", Decimal("5")) is None
    assert status_of("Reversed") is Status.CANCELLED
    assert status_of("Denied") is Status.FAILED
    assert status_of("Ausstehend") is Status.PENDING
    assert status_of(None) is Status.COMPLETED  # the monthly statement lists completed ones


def test_us_dates_and_unknown_values_are_read_with_a_diagnostic() -> None:
    data = EN.replace(b'"CET"', b'"PST"')
    for day in (b"13/03/2026", b"20/03/2026", b"21/03/2026", b"28/03/2026", b"30/03/2026"):
        data = data.replace(day, b"03/" + day[:2] + day[5:])
    data = data.replace(b'"Denied"', b'"On Hold Forever"').replace(
        b'"General Withdrawal"', b'"Teleportation"'
    )
    result = PAYPAL.parse(data)
    eur = result.statements[0]
    assert eur.movements[0].booking_date == dt.date(2026, 2, 3)  # 02/03 month first (PST)
    assert {d.code for d in result.diagnostics} >= {"unknown_status", "unknown_transaction_type"}
    unknown = [m for m in eur.movements if m.transaction_id == "0JK12345LM678901N"]
    assert unknown[0].status is Status.PENDING  # never counted or assigned on a guess


def test_a_missing_row_breaks_the_running_balance_and_says_where() -> None:
    lines = EN.split(b"\r\n")
    without_refund = b"\r\n".join(line for line in lines if b"3CD45678EF901234G" not in line)
    result = PAYPAL.parse(without_refund, source="cut.csv")
    codes = [(d.code, str(d.position)) for d in result.diagnostics]
    assert ("running_balance_mismatch", "cut.csv, line 4") in codes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b'"250.00"', b'"250,00.1"'), r"line 3: column Gross / Brutto: expected an amount"),
        ((b'"05/03/2026"', b'"35/03/2026"'), r"line 3: column Date / Datum: expected a date"),
        ((b'"Gross"', b'"Grosso"'), r"line 1: expected PayPal's columns Gross"),
        ((b'"EUR","250.00"', b'"EURO","250.00"'), r"line 3: "),
    ],
)
def test_bad_cells_name_line_and_column(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        PAYPAL.parse(EN.replace(*change, 1), source="bad.csv")


def test_fee_refund_and_chargeback_are_related_to_their_payment_in_the_ledger() -> None:
    movements = [m for s in PAYPAL.parse(EN).statements for m in s.movements]
    ledger = Ledger(movements)
    payment = next(m for m in movements if m.transaction_id == "1AB23456CD789012E")
    related = {m.transaction_id for m in ledger.related(payment.movement_id)}
    assert related == {"1AB23456CD789012E-FEE", "4DE56789FG012345H", "5EF67890GH123456I"}


def test_the_matcher_assigns_a_paypal_payment_by_the_order_id_it_carries() -> None:
    movements = [m for s in PAYPAL.parse(EN).statements for m in s.movements]
    items = [
        OpenItem(number="AU-2001", amount=to_money("119.00", "EUR"), customer_name="A. Schmidt"),
        OpenItem(number="RE-1002", amount=to_money("250.00", "EUR")),
    ]
    report = match(movements, items, as_of=dt.date(2026, 3, 31))
    assigned = {
        r.movement.transaction_id: [a.item for a in r.allocations] for r in report if r.allocations
    }
    assert assigned == {"1AB23456CD789012E": ["AU-2001"], "2BC34567DE890123F": ["RE-1002"]}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(PAYPAL, mutated(data, [EN, DE]))


# -- the settlement report (STL) ---------------------------------------------------------------

STL = (DATA / "settlement_stl.csv").read_bytes()


def test_settlement_report_rows_fees_links_and_event_codes() -> None:
    from paymatch.parsers.paypal_stl import PayPalSettlementParser

    result = PayPalSettlementParser().parse(STL, source="STL.csv")
    assert parse(STL).format == "paypal.stl"
    (statement,) = result.statements
    assert statement.account.key == "paypal:ABCDEFGHIJKLM"
    assert [
        (
            str(m.amount.amount),
            m.booking_type.value,
            m.transaction_id,
            m.reference_transaction_id,
            m.end_to_end_id,
            m.source.line if m.source else None,
        )
        for m in statement.movements
    ] == [
        ("119.00", "incoming", "7AB12345CD678901E", None, "AU-2001", 5),
        ("-2.61", "fee", "7AB12345CD678901E-FEE", "7AB12345CD678901E", None, 5),
        ("-20.00", "refund", "8BC23456DE789012F", "7AB12345CD678901E", "AU-2001", 6),
        ("0.44", "fee", "8BC23456DE789012F-FEE", "8BC23456DE789012F", None, 6),  # fee refunded
        ("-500.00", "payout", "9CD34567EF890123G", None, None, 7),
        ("-99.00", "chargeback", "0DE45678FG901234H", "7AB12345CD678901E", None, 8),
    ]
    streamed = PayPalSettlementParser().iter_movements(io.BytesIO(STL), source="STL.csv")
    assert list(streamed) == list(statement.movements)
    with pytest.raises(ParseError, match=r"STL\.csv, line 6: column Gross Transaction Amount"):
        PayPalSettlementParser().parse(STL.replace(b'"2000"', b'"20.00"'), source="STL.csv")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_settlement_report_only_parse_errors_escape(data: st.DataObject) -> None:
    from paymatch.parsers.paypal_stl import PayPalSettlementParser

    only_parse_errors(PayPalSettlementParser(), mutated(data, [STL]))
