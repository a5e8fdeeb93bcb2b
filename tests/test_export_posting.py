"""Posting rules: what the ledger knows becomes balanced bookings on the right accounts."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paymatch.accounting.chart import SKR03, SKR04, chart_preset
from paymatch.accounting.journal import Booking, PartyRole
from paymatch.accounting.posting import PostingRules, post
from paymatch.errors import InvalidValueError
from paymatch.ledger import Ledger
from paymatch.model import (
    BookingType,
    ChargebackTarget,
    Counterparty,
    ItemTarget,
    Movement,
    OpenItem,
    OpenItemKind,
    Status,
    WriteOff,
    WriteOffReason,
    to_money,
)

BANK = "DE89370400440532013000"
PAYPAL = "paypal:shop@example.com"
PAYER = "DE02120300000000202051"
SUPPLIER = "DE75512108001245126199"
AT = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 4, 30, 8, 0, tzinfo=dt.UTC)


def movement(
    amount: str, booking_type: BookingType = BookingType.INCOMING, **fields: object
) -> Movement:
    values: dict[str, object] = {
        "account": BANK,
        "amount": to_money(amount, "EUR"),
        "booking_date": dt.date(2026, 3, 5),
        "booking_type": booking_type,
    }
    values.update(fields)
    return Movement(**values)  # type: ignore[arg-type]


def item(number: str, amount: str, **fields: object) -> OpenItem:
    values: dict[str, object] = {"number": number, "amount": to_money(amount, "EUR")}
    values.update(fields)
    return OpenItem(**values)  # type: ignore[arg-type]


def ledger_with(movements: list[Movement], items: list[OpenItem] = ()) -> Ledger:  # type: ignore[assignment]
    ledger = Ledger()
    ledger.add_movements(movements)
    ledger.add_open_items(items)
    return ledger


def eur(amount: str) -> object:
    return to_money(amount, "EUR")


def rows(bookings: tuple[Booking, ...]) -> list[tuple[str, str, str, Decimal]]:
    return [(b.kind.value, b.debit, b.credit, b.amount.amount) for b in bookings]


def test_a_payment_of_an_invoice_is_bank_to_debtor_with_the_invoice_number() -> None:
    payment = movement("100.00", bank_reference="B1", counterparty=Counterparty(name="Müller GmbH"))
    invoice = item(
        "AU-1",
        "100.00",
        invoice_number="RE-1001",
        customer_number="10001",
        customer_name="Müller GmbH",
        kind=OpenItemKind.ORDER,
    )
    ledger = ledger_with([payment], [invoice])
    ledger.assign(payment.movement_id, ItemTarget(number="AU-1"), eur("100.00"), at=AT)

    (booking,) = post(ledger)

    assert rows((booking,)) == [("payment", "1200", "1400", Decimal("100.00"))]
    assert booking.document == "RE-1001"  # the invoice number clears the item in the books
    assert booking.item == "AU-1"
    assert booking.item_kind is OpenItemKind.ORDER
    assert booking.party is not None
    assert booking.party.role is PartyRole.DEBTOR
    assert booking.party.number == "10001"
    assert booking.text == "payment RE-1001 Müller GmbH"
    assert booking.date == dt.date(2026, 3, 5)


def test_personal_debtor_accounts_from_the_map_or_the_customer_number() -> None:
    first = movement("10.00", bank_reference="B1")
    second = movement("20.00", bank_reference="B2")
    third = movement("30.00", bank_reference="B3")
    items = [
        item("RE-1", "10.00", customer_number="7"),
        item("RE-2", "20.00", customer_number="K-55"),
        item("RE-3", "30.00", customer_number="K-56"),
    ]
    ledger = ledger_with([first, second, third], items)
    for payment, number in ((first, "RE-1"), (second, "RE-2"), (third, "RE-3")):
        ledger.assign(payment.movement_id, ItemTarget(number=number), payment.amount, at=AT)

    rules = PostingRules(personal_debtors=True, debtor_offset=10000, debtors={"K-55": "12345"})
    credits = [b.credit for b in post(ledger, rules)]

    assert credits == ["10007", "12345", "1400"]  # K-56: not digits, not mapped -> collective


def test_cash_discount_is_written_off_against_the_debtor_with_its_tax_key() -> None:
    payment = movement("98.00", bank_reference="B1")
    invoice = item("RE-1", "100.00", customer_number="10001")
    ledger = ledger_with([payment], [invoice])
    ledger.assign(payment.movement_id, ItemTarget(number="RE-1"), eur("98.00"), at=AT)
    ledger.assign(
        payment.movement_id,
        WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1"),
        eur("2.00"),
        at=AT,
    )

    bookings = post(ledger)

    assert rows(bookings) == [
        ("payment", "1200", "1400", Decimal("98.00")),
        ("cash_discount", "8730", "1400", Decimal("2.00")),
    ]
    assert bookings[1].tax_key == "3"
    assert bookings[0].tax_key is None


def test_over_payment_rest_goes_to_suspense_and_a_small_gain_to_income() -> None:
    payment = movement("120.05", bank_reference="B1")
    ledger = ledger_with([payment], [item("RE-1", "100.00")])
    ledger.assign(payment.movement_id, ItemTarget(number="RE-1"), eur("100.00"), at=AT)
    ledger.assign(
        payment.movement_id, WriteOff(reason=WriteOffReason.SMALL_DIFFERENCE), eur("0.05"), at=AT
    )

    assert rows(post(ledger)) == [
        ("payment", "1200", "1400", Decimal("100.00")),
        ("small_difference", "1200", "2700", Decimal("0.05")),
        ("unassigned", "1200", "1590", Decimal("20.00")),
    ]


def test_rest_by_booking_type_fees_payouts_transfers_interest() -> None:
    movements = [
        movement("-2.50", BookingType.FEE, bank_reference="F"),
        movement("500.00", BookingType.PAYOUT, bank_reference="P"),
        movement("-500.00", BookingType.PAYOUT, account=PAYPAL, transaction_id="PO-1"),
        movement("-40.00", BookingType.TRANSFER, bank_reference="T"),
        movement("0.12", BookingType.INTEREST, bank_reference="I1"),
        movement("-3.00", BookingType.INTEREST, bank_reference="I2"),
        movement("-80.00", BookingType.OUTGOING, bank_reference="O"),
    ]
    rules = PostingRules(ledger_accounts={PAYPAL: "1361"})

    assert rows(post(ledger_with(movements), rules)) == [
        ("fee", "4970", "1200", Decimal("2.50")),
        ("payout", "1200", "1360", Decimal("500.00")),
        ("payout", "1360", "1361", Decimal("500.00")),  # provider clearing -> money in transit
        ("transfer", "1360", "1200", Decimal("40.00")),
        ("interest", "1200", "2650", Decimal("0.12")),
        ("interest", "2100", "1200", Decimal("3.00")),
        ("unassigned", "1590", "1200", Decimal("80.00")),  # an unknown supplier: suspense
    ]


def test_outgoing_payment_to_a_known_creditor() -> None:
    paid = movement(
        "-80.00",
        BookingType.OUTGOING,
        bank_reference="O",
        counterparty=Counterparty(name="Papier AG", iban=SUPPLIER),
    )
    (booking,) = post(ledger_with([paid]), PostingRules(creditors={SUPPLIER: "70001"}))

    assert rows((booking,)) == [("outgoing", "70001", "1200", Decimal("80.00"))]
    assert booking.party is not None
    assert booking.party.role is PartyRole.CREDITOR
    assert booking.party.name == "Papier AG"


def test_chargeback_is_posted_to_the_debtor_of_the_payment_it_takes_back() -> None:
    payment = movement("50.00", account=PAYPAL, transaction_id="PAY-1")
    chargeback = movement(
        "-50.00",
        BookingType.CHARGEBACK,
        account=PAYPAL,
        transaction_id="CB-1",
        reference_transaction_id="PAY-1",
    )
    dispute_fee = movement(
        "-15.00",
        BookingType.FEE,
        account=PAYPAL,
        transaction_id="CBF-1",
        reference_transaction_id="CB-1",
    )
    ledger = ledger_with(
        [payment, chargeback, dispute_fee], [item("RE-7", "50.00", customer_number="10007")]
    )
    ledger.assign(payment.movement_id, ItemTarget(number="RE-7"), eur("50.00"), at=AT)
    rules = PostingRules(ledger_accounts={PAYPAL: "1361"}, personal_debtors=True)

    bookings = post(ledger, rules)

    assert rows(bookings) == [
        ("payment", "1361", "10007", Decimal("50.00")),
        ("chargeback", "10007", "1361", Decimal("50.00")),  # the customer owes it again
        ("fee", "4970", "1361", Decimal("15.00")),
    ]
    assert bookings[1].document == "RE-7"


def test_chargeback_allocation_and_unknown_payment_go_to_suspense() -> None:
    returned = movement("-30.00", BookingType.CHARGEBACK, bank_reference="R")
    ledger = ledger_with([returned])
    ledger.assign(
        returned.movement_id, ChargebackTarget(payment="elsewhere:tx:1"), eur("30.00"), at=AT
    )

    assert rows(post(ledger)) == [("chargeback", "1590", "1200", Decimal("30.00"))]


def test_refund_rest_is_set_aside_in_suspense_and_cleared_by_the_refund_transfer() -> None:
    payment = movement("150.00", bank_reference="B1", counterparty=Counterparty(iban=PAYER))
    refund = movement("-50.00", BookingType.REFUND, bank_reference="B2")
    ledger = ledger_with([payment, refund], [item("RE-1", "100.00")])
    ledger.assign(payment.movement_id, ItemTarget(number="RE-1"), eur("100.00"), at=AT)
    ledger.refund_rest(payment.movement_id, at=AT)

    assert rows(post(ledger)) == [
        ("payment", "1200", "1400", Decimal("100.00")),
        ("refund", "1200", "1590", Decimal("50.00")),
        ("refund", "1590", "1200", Decimal("50.00")),
    ]


def test_only_completed_movements_are_posted_and_hidden_ones_are() -> None:
    booked = movement("10.00", bank_reference="B1")
    hidden = movement("11.00", bank_reference="B2")
    others = [
        movement("12.00", bank_reference=f"S{n}", status=status)
        for n, status in enumerate((Status.PENDING, Status.FAILED, Status.CANCELLED))
    ]
    ledger = ledger_with([booked, hidden, *others])
    ledger.hide(hidden.movement_id)

    assert [b.amount.amount for b in post(ledger)] == [Decimal("10.00"), Decimal("11.00")]


def test_skr04_and_overrides() -> None:
    fee = movement("-1.00", BookingType.FEE, bank_reference="F")
    ledger = ledger_with([fee])

    assert rows(post(ledger, PostingRules(chart="skr04"))) == [
        ("fee", "6855", "1800", Decimal("1.00"))
    ]
    overridden = PostingRules(chart="SKR04", accounts={"fees": "6856", "bank": "1810"})
    assert rows(post(ledger, overridden)) == [("fee", "6856", "1810", Decimal("1.00"))]


def test_an_unknown_chart_or_rule_name_is_refused_by_name() -> None:
    with pytest.raises(InvalidValueError, match="chart: unknown chart 'SKR07'"):
        chart_preset("SKR07")
    with pytest.raises(InvalidValueError, match=r"accounts\.feez: no posting rule of that name"):
        PostingRules(accounts={"feez": "1"}).resolved_chart()


def test_presets_name_distinct_accounts_for_distinct_rules() -> None:
    for chart in (SKR03, SKR04):
        accounts = [
            chart.bank,
            chart.money_in_transit,
            chart.debtors,
            chart.creditors,
            chart.suspense,
            chart.fees,
            chart.cash_discount,
            chart.interest_income,
            chart.interest_expense,
            chart.small_differences_income,
            chart.small_differences_expense,
        ]
        assert len(set(accounts)) == len(accounts), chart.name


def test_booking_ids_are_stable_across_runs_and_times_and_unique() -> None:
    def ledger_at(when: dt.datetime) -> Ledger:
        payment = movement("100.00", bank_reference="B1")
        twin = movement("100.00", bank_reference="B2")
        ledger = ledger_with([payment, twin], [item("RE-1", "60.00"), item("RE-2", "100.00")])
        ledger.assign(payment.movement_id, ItemTarget(number="RE-1"), eur("30.00"), at=when)
        ledger.assign(
            payment.movement_id,
            ItemTarget(number="RE-1"),
            eur("30.00"),
            at=when + dt.timedelta(seconds=1),
        )
        ledger.assign(twin.movement_id, ItemTarget(number="RE-2"), eur("100.00"), at=when)
        return ledger

    first = [b.booking_id for b in post(ledger_at(AT))]
    again = [b.booking_id for b in post(ledger_at(LATER))]

    assert first == again  # the same decisions made a month later: the same bookings
    assert len(set(first)) == len(first) == 4  # two equal allocations still get two ids


# -- invariant: every movement is booked in full, every booking balanced by construction ------

AMOUNTS = ["-75.00", "-10.00", "-0.01", "0.01", "9.99", "50.00", "120.00"]
TYPES = list(BookingType)


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    items = [
        item(
            f"RE-{n}",
            draw(st.sampled_from(["10.00", "50.00", "99.99"])),
            customer_number=draw(st.sampled_from(["1", "K2", None])),
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    movements = [
        movement(
            draw(st.sampled_from(AMOUNTS)),
            draw(st.sampled_from(TYPES)),
            bank_reference=f"B{n}",
            status=draw(st.sampled_from(list(Status))),
        )
        for n in range(draw(st.integers(1, 8)))
    ]
    ledger = ledger_with(movements, items)
    for moved in movements:
        for _ in range(draw(st.integers(0, 3))):
            target = draw(
                st.sampled_from(
                    [ItemTarget(number=i.number) for i in items]
                    + [
                        WriteOff(reason=reason, item=i.number)
                        for i in items
                        for reason in WriteOffReason
                    ]
                    + [WriteOff(reason=WriteOffReason.SMALL_DIFFERENCE), ChargebackTarget()]
                )
            )
            amount = draw(st.sampled_from(["0.01", "1.00", "5.00", "10.00"]))
            with contextlib.suppress(ValueError):  # refused (over-allocation, pending...): fine
                ledger.assign(moved.movement_id, target, eur(amount), at=AT)
    return ledger


@given(ledgers(), st.booleans())
def test_every_completed_movement_is_booked_in_full_on_its_own_account(
    ledger: Ledger, personal: bool
) -> None:
    bookings = post(ledger, PostingRules(personal_debtors=personal))
    own_side: defaultdict[str, Decimal] = defaultdict(Decimal)
    for booking in bookings:
        assert booking.amount.amount > 0
        assert booking.debit != booking.credit
        if "1200" in (booking.debit, booking.credit):
            own_side[booking.movement_id] += (
                booking.amount.amount if booking.debit == "1200" else -booking.amount.amount
            )
    for moved in ledger.movements:
        booked = own_side.get(moved.movement_id, Decimal(0))
        expected = moved.amount.amount if moved.status is Status.COMPLETED else Decimal(0)
        assert booked == expected, moved.movement_id
    assert len({b.booking_id for b in bookings}) == len(bookings)
    # item write-offs never touch the bank: one booking per allocation that spends no money
    write_offs = [
        a
        for a in ledger.allocations
        if not a.target.uses_movement_money
        and ledger.movement(a.movement_id).status is Status.COMPLETED
    ]
    assert sum(1 for b in bookings if "1200" not in (b.debit, b.credit)) == len(write_offs)
