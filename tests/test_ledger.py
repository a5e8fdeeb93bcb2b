"""Example-based tests of the ledger: allocations, invariants, views, filters, refunds, undo.

Every expected value here is written by hand from the requirements (the payment
management's "Kontobewegungen"), never taken from the code under test. A
refused action must raise the documented :mod:`paymatch.errors` class *and*
leave the ledger exactly as it was; :func:`snapshot` captures everything a
caller can observe to check the second half.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money

from paymatch.errors import (
    ConflictingItemError,
    ConflictingMovementError,
    CurrencyMismatchError,
    DuplicateAllocationError,
    InvalidValueError,
    LedgerError,
    ManualAllocationProtectedError,
    NotAssignableError,
    NothingToUndoError,
    OverAllocationError,
    UnknownAllocationError,
    UnknownItemError,
    UnknownMovementError,
)
from paymatch.ledger import (
    ActionKind,
    AllOf,
    AmountBetween,
    AssignmentState,
    BookedBetween,
    Criterion,
    Folder,
    InAccounts,
    Ledger,
    LogEntry,
    LogLevel,
    NameContains,
    OfBookingTypes,
    PurposeContains,
    TransactionIdContains,
    WithStatus,
    where,
)
from paymatch.model import (
    BookingType,
    ChargebackTarget,
    Counterparty,
    Evidence,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    RefundTarget,
    SourcePosition,
    Status,
    WriteOff,
    WriteOffReason,
)

BANK = "DE89370400440532013000"  # our bank account
PAYPAL = "paypal:shop@example.com"  # our PayPal balance
PAYER_IBAN = "DE02120300000000202051"
PAYER_BIC = "COBADEFFXXX"
BOOKED = dt.date(2026, 3, 2)
T0 = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)

UNASSIGNED = AssignmentState.UNASSIGNED
PARTLY = AssignmentState.PARTLY_ASSIGNED
FULLY = AssignmentState.FULLY_ASSIGNED


def at(minute: int) -> dt.datetime:
    """A time-zone aware moment, ``minute`` minutes after ``T0``."""
    return T0 + dt.timedelta(minutes=minute)


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def movement(
    transaction_id: str | None,
    amount: str,
    *,
    status: Status = Status.COMPLETED,
    booking_type: BookingType | None = None,
    account: str = BANK,
    booked: dt.date = BOOKED,
    **fields: Any,
) -> Movement:
    """A movement in EUR; the booking type follows the sign unless given."""
    if booking_type is None:
        booking_type = BookingType.INCOMING if Decimal(amount) >= 0 else BookingType.OUTGOING
    return Movement(
        account=account,
        amount=eur(amount),
        booking_date=booked,
        booking_type=booking_type,
        status=status,
        transaction_id=transaction_id,
        **fields,
    )


def item(number: str, amount: str, currency: str = "EUR") -> OpenItem:
    return OpenItem(number=number, amount=Money(Decimal(amount), currency))


def mid(m: Movement) -> str:
    return m.movement_id


def snapshot(ledger: Ledger) -> tuple[object, ...]:
    """Everything a caller can observe of the ledger, for "a refused action changes nothing"."""
    movements = ledger.movements
    return (
        movements,
        ledger.open_items,
        ledger.allocations,  # in the order they were made
        [ledger.open_amount(i.number) for i in ledger.open_items],
        [ledger.unassigned_amount(mid(m)) for m in movements],
        [ledger.state(mid(m)) for m in movements],
        [ledger.folders_of(mid(m)) for m in movements],
        ledger.history,
        ledger.log_book,
    )


# -- assigning -------------------------------------------------------------------------------


def test_assign_whole_payment_to_its_invoice() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert allocation.amount == eur("100.00")
    assert allocation.movement_id == mid(pay)
    assert allocation.target == ItemTarget(number="RE-1")
    assert allocation.origin is Origin.MANUAL
    assert allocation.made_at == at(1)
    assert ledger.open_amount("RE-1") == eur("0.00")
    assert ledger.unassigned_amount(mid(pay)) == eur("0.00")
    assert ledger.assigned_amount(mid(pay)) == eur("100.00")
    assert ledger.state(mid(pay)) is FULLY
    assert ledger.allocations == (allocation,)
    assert ledger.allocations_of(mid(pay)) == (allocation,)
    assert ledger.allocations_to("RE-1") == (allocation,)


def test_a_new_ledger_has_everything_unassigned_and_open() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "60.00")])
    assert ledger.unassigned_amount(mid(pay)) == eur("100.00")
    assert ledger.assigned_amount(mid(pay)) == eur("0.00")
    assert ledger.open_amount("RE-1") == eur("60.00")
    assert ledger.state(mid(pay)) is UNASSIGNED
    assert ledger.allocations == ()
    assert ledger.history == ()
    assert len(ledger) == 1
    assert list(ledger) == [pay]


def test_default_amount_is_limited_by_the_movement() -> None:
    pay = movement("TX-1", "80.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert allocation.amount == eur("80.00")
    assert ledger.open_amount("RE-1") == eur("20.00")
    assert ledger.state(mid(pay)) is FULLY


def test_default_amount_is_limited_by_the_item() -> None:
    pay = movement("TX-1", "120.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert allocation.amount == eur("100.00")
    assert ledger.open_amount("RE-1") == eur("0.00")
    assert ledger.unassigned_amount(mid(pay)) == eur("20.00")
    assert ledger.state(mid(pay)) is PARTLY


@pytest.mark.parametrize(
    "amount", [Decimal("30.00"), "30.00", 30, Money(Decimal("30.00"), "EUR")], ids=repr
)
def test_partial_assignment_with_an_explicit_amount(amount: object) -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "50.00")])
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), amount, at=at(1))  # type: ignore[arg-type]
    assert allocation.amount == eur("30.00")
    assert ledger.unassigned_amount(mid(pay)) == eur("70.00")
    assert ledger.open_amount("RE-1") == eur("20.00")
    assert ledger.state(mid(pay)) is PARTLY


def test_partial_assignment_then_the_rest() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("40.00"), at=at(1))
    rest = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(2))
    assert rest.amount == eur("60.00")
    assert ledger.open_amount("RE-1") == eur("0.00")
    assert ledger.state(mid(pay)) is FULLY
    assert len(ledger.allocations_to("RE-1")) == 2


def test_one_movement_split_over_several_items() -> None:
    pay = movement("TX-1", "150.00")
    ledger = Ledger([pay], [item("RE-1", "100.00"), item("RE-2", "80.00")])
    first = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    second = ledger.assign(mid(pay), ItemTarget(number="RE-2"), at=at(2))
    assert (first.amount, second.amount) == (eur("100.00"), eur("50.00"))
    assert ledger.open_amount("RE-1") == eur("0.00")
    assert ledger.open_amount("RE-2") == eur("30.00")
    assert ledger.state(mid(pay)) is FULLY
    assert ledger.allocations_of(mid(pay)) == (first, second)


def test_one_item_paid_by_several_movements() -> None:
    first, second, third = (
        movement("TX-1", "40.00"),
        movement("TX-2", "60.00"),
        movement("TX-3", "10.00"),
    )
    ledger = Ledger([first, second, third], [item("RE-1", "100.00")])
    a = ledger.assign(mid(first), ItemTarget(number="RE-1"), at=at(1))
    b = ledger.assign(mid(second), ItemTarget(number="RE-1"), at=at(2))
    assert ledger.open_amount("RE-1") == eur("0.00")
    assert ledger.allocations_to("RE-1") == (a, b)
    assert ledger.state(mid(first)) is FULLY
    assert ledger.state(mid(second)) is FULLY
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="RE-1"):
        ledger.assign(mid(third), ItemTarget(number="RE-1"), at=at(3))
    assert snapshot(ledger) == before
    assert ledger.state(mid(third)) is UNASSIGNED


def test_evidence_and_origin_travel_with_the_allocation() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    evidence = Evidence(rule="invoice_number", detail="RE-1 in remittance info")
    allocation = ledger.assign(
        mid(pay), ItemTarget(number="RE-1"), at=at(1), origin=Origin.AUTOMATIC, evidence=[evidence]
    )
    assert allocation.origin is Origin.AUTOMATIC
    assert allocation.evidence == (evidence,)


def test_chargeback_movement_assigned_to_a_chargeback() -> None:
    pay = movement("PAY-1", "100.00")
    chargeback = movement(
        "CB-1", "-100.00", booking_type=BookingType.CHARGEBACK, reference_transaction_id="PAY-1"
    )
    ledger = Ledger([pay, chargeback])
    allocation = ledger.assign(mid(chargeback), ChargebackTarget(payment=mid(pay)), at=at(1))
    assert allocation.amount == eur("100.00")
    assert ledger.state(mid(chargeback)) is FULLY
    assert ledger.unassigned_amount(mid(chargeback)) == eur("0.00")
    assert ledger.state(mid(pay)) is UNASSIGNED


# -- invariants and their errors ---------------------------------------------------------------


def test_more_than_the_movement_has_is_refused() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "500.00")])
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="TX-1"):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("100.01"), at=at(1))
    assert snapshot(ledger) == before


def test_more_than_the_rest_of_the_movement_is_refused() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "500.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("70.00"), at=at(1))
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError):
        ledger.assign(mid(pay), ChargebackTarget(), Decimal("30.01"), at=at(2))
    assert snapshot(ledger) == before
    assert ledger.assign(mid(pay), ChargebackTarget(), at=at(3)).amount == eur("30.00")


def test_more_than_the_item_is_owed_is_refused() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "50.00")])
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="RE-1"):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("50.01"), at=at(1))
    assert snapshot(ledger) == before


def test_default_amount_with_nothing_left_is_refused() -> None:
    pay, other = movement("TX-1", "100.00"), movement("TX-2", "100.00")
    ledger = Ledger([pay, other], [item("RE-1", "100.00"), item("RE-2", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError):  # the movement has nothing left
        ledger.assign(mid(pay), ItemTarget(number="RE-2"), at=at(2))
    with pytest.raises(OverAllocationError):  # the item is paid
        ledger.assign(mid(other), ItemTarget(number="RE-1"), at=at(3))
    assert snapshot(ledger) == before


@pytest.mark.parametrize("status", [Status.PENDING, Status.FAILED, Status.CANCELLED])
@pytest.mark.parametrize("origin", [Origin.MANUAL, Origin.AUTOMATIC])
@pytest.mark.parametrize("amount", [None, Decimal("10.00")])
def test_only_completed_movements_can_be_assigned(
    status: Status, origin: Origin, amount: Decimal | None
) -> None:
    pay = movement("TX-1", "100.00", status=status)
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    before = snapshot(ledger)
    with pytest.raises(NotAssignableError, match=status.value):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), amount, at=at(1), origin=origin)
    with pytest.raises(NotAssignableError):
        ledger.assign(mid(pay), ChargebackTarget(), amount, at=at(2), origin=origin)
    with pytest.raises(NotAssignableError):
        ledger.assign(mid(pay), WriteOff(reason=WriteOffReason.OTHER), amount, at=at(3))
    assert snapshot(ledger) == before


@pytest.mark.parametrize("status", [Status.PENDING, Status.FAILED, Status.CANCELLED])
def test_status_is_the_reason_even_when_nothing_would_fit(status: Status) -> None:
    # A pending payment offered to a paid invoice: the clear reason is "not completed",
    # not "nothing left" (whatever the amounts, the status alone forbids it).
    pay = movement("TX-1", "100.00", status=status)
    ledger = Ledger([pay], [item("RE-0", "0.00")])
    before = snapshot(ledger)
    with pytest.raises(NotAssignableError):
        ledger.assign(mid(pay), ItemTarget(number="RE-0"), at=at(1))
    assert snapshot(ledger) == before


def test_hidden_movements_are_never_assigned_automatically() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.hide(mid(pay))
    before = snapshot(ledger)
    with pytest.raises(NotAssignableError, match="hidden"):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1), origin=Origin.AUTOMATIC)
    with pytest.raises(NotAssignableError, match="hidden"):
        ledger.assign(
            mid(pay), ItemTarget(number="RE-1"), Decimal("5"), at=at(2), origin=Origin.AUTOMATIC
        )
    assert snapshot(ledger) == before
    # a person may still assign a hidden movement
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(3))
    assert allocation.amount == eur("100.00")
    assert ledger.folders_of(mid(pay)) == {Folder.HIDDEN}


def test_hidden_is_the_reason_even_when_nothing_would_fit() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-0", "0.00")])
    ledger.hide(mid(pay))
    before = snapshot(ledger)
    with pytest.raises(NotAssignableError):
        ledger.assign(mid(pay), ItemTarget(number="RE-0"), at=at(1), origin=Origin.AUTOMATIC)
    assert snapshot(ledger) == before


def test_automatic_work_may_not_remove_a_manual_allocation() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    manual = ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("60"), at=at(1))
    automatic = ledger.assign(
        mid(pay), ItemTarget(number="RE-1"), at=at(2), origin=Origin.AUTOMATIC
    )
    before = snapshot(ledger)
    with pytest.raises(ManualAllocationProtectedError, match=manual.allocation_id):
        ledger.unassign(manual.allocation_id, origin=Origin.AUTOMATIC)
    assert snapshot(ledger) == before
    # automatic work may remove its own allocation, a person either
    assert ledger.unassign(automatic.allocation_id, origin=Origin.AUTOMATIC) == automatic
    assert ledger.unassign(manual.allocation_id) == manual
    assert ledger.allocations == ()
    assert ledger.open_amount("RE-1") == eur("100.00")


def test_nothing_to_undo() -> None:
    ledger = Ledger([movement("TX-1", "1.00")])
    with pytest.raises(NothingToUndoError):
        ledger.undo()
    ledger.hide(mid(movement("TX-1", "1.00")))
    ledger.undo()
    with pytest.raises(NothingToUndoError):
        ledger.undo()


def test_unknown_movement() -> None:
    ledger = Ledger([movement("TX-1", "1.00")], [item("RE-1", "1.00")])
    before = snapshot(ledger)
    unknown = f"{BANK}:tx:NOPE"
    calls = [
        lambda: ledger.movement(unknown),
        lambda: ledger.assign(unknown, ItemTarget(number="RE-1"), at=at(1)),
        lambda: ledger.hide(unknown),
        lambda: ledger.unhide(unknown),
        lambda: ledger.comment(unknown, "x"),
        lambda: ledger.refund_rest(unknown, at=at(2)),
        lambda: ledger.related(unknown),
        lambda: ledger.state(unknown),
        lambda: ledger.unassigned_amount(unknown),
        lambda: ledger.folders_of(unknown),
        lambda: ledger.allocations_of(unknown),
    ]
    for call in calls:
        with pytest.raises(UnknownMovementError) as raised:
            call()
        assert isinstance(raised.value, KeyError)
        assert str(raised.value) == f"no movement {unknown!r} in the ledger"
    assert snapshot(ledger) == before


def test_unknown_item() -> None:
    pay = movement("TX-1", "10.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    before = snapshot(ledger)
    with pytest.raises(UnknownItemError, match="RE-404"):
        ledger.assign(mid(pay), ItemTarget(number="RE-404"), at=at(1))
    with pytest.raises(UnknownItemError):
        ledger.assign(mid(pay), ItemTarget(number="RE-404"), Decimal("5.00"), at=at(2))
    with pytest.raises(UnknownItemError):
        ledger.assign(
            mid(pay), WriteOff(reason=WriteOffReason.OTHER, item="RE-404"), Decimal("1"), at=at(3)
        )
    for call in (
        lambda: ledger.item("RE-404"),
        lambda: ledger.open_amount("RE-404"),
        lambda: ledger.allocations_to("RE-404"),
    ):
        with pytest.raises(UnknownItemError) as raised:
            call()
        assert isinstance(raised.value, KeyError)
        assert str(raised.value) == "no open item 'RE-404' in the ledger"
    assert snapshot(ledger) == before


def test_unknown_allocation() -> None:
    pay = movement("TX-1", "10.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    ledger.unassign(allocation.allocation_id)
    before = snapshot(ledger)
    with pytest.raises(UnknownAllocationError, match=allocation.allocation_id):
        ledger.unassign(allocation.allocation_id)
    with pytest.raises(UnknownAllocationError):
        ledger.unassign("0123456789abcdef", origin=Origin.AUTOMATIC)
    assert snapshot(ledger) == before


def test_currency_mismatch() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("US-1", "100.00", "USD"), item("RE-1", "100.00")])
    before = snapshot(ledger)
    with pytest.raises(CurrencyMismatchError):
        ledger.assign(mid(pay), ItemTarget(number="US-1"), at=at(1))
    with pytest.raises(CurrencyMismatchError):
        ledger.assign(mid(pay), ItemTarget(number="US-1"), Decimal("10"), at=at(2))
    with pytest.raises(CurrencyMismatchError):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), Money(Decimal("10"), "USD"), at=at(3))
    with pytest.raises(CurrencyMismatchError):
        ledger.refund_rest(mid(pay), amount=Money(Decimal("10"), "USD"), at=at(4))
    assert snapshot(ledger) == before


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), "0.00"])
def test_amounts_must_be_positive(amount: object) -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    before = snapshot(ledger)
    with pytest.raises(InvalidValueError):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), amount, at=at(1))  # type: ignore[arg-type]
    assert snapshot(ledger) == before


def test_the_same_allocation_twice_is_refused() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("10.00"), at=at(1))
    before = snapshot(ledger)
    with pytest.raises(LedgerError, match="already in the ledger"):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("10.00"), at=at(1))
    assert snapshot(ledger) == before
    # the same amount again at another time is a second allocation
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("10.00"), at=at(2))
    assert ledger.open_amount("RE-1") == eur("80.00")


def test_naive_time_is_refused() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    before = snapshot(ledger)
    with pytest.raises(InvalidValueError, match="time zone"):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=dt.datetime(2026, 3, 3, 9, 0))
    assert snapshot(ledger) == before


@pytest.mark.parametrize(
    "error",
    [
        UnknownMovementError,
        UnknownItemError,
        UnknownAllocationError,
        ConflictingMovementError,
        ConflictingItemError,
        OverAllocationError,
        NotAssignableError,
        ManualAllocationProtectedError,
        NothingToUndoError,
    ],
)
def test_every_refusal_is_a_ledger_error_and_a_value_error(error: type[Exception]) -> None:
    assert issubclass(error, LedgerError)
    assert issubclass(error, ValueError)


# -- negative movements: refunds and chargebacks on an item --------------------------------------


def test_refund_assigned_to_an_item_reopens_it() -> None:
    pay = movement("PAY-1", "100.00")
    refund = movement("REF-1", "-30.00", booking_type=BookingType.REFUND)
    ledger = Ledger([pay, refund], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert ledger.open_amount("RE-1") == eur("0.00")
    allocation = ledger.assign(mid(refund), ItemTarget(number="RE-1"), at=at(2))
    assert allocation.amount == eur("30.00")  # amounts stay positive
    assert ledger.open_amount("RE-1") == eur("30.00")
    assert ledger.unassigned_amount(mid(refund)) == eur("0.00")
    assert ledger.state(mid(refund)) is FULLY


def test_negative_movement_never_reopens_above_the_original_amount() -> None:
    pay = movement("PAY-1", "100.00")
    first = movement("REF-1", "-30.00", booking_type=BookingType.REFUND)
    chargeback = movement("CB-1", "-100.00", booking_type=BookingType.CHARGEBACK)
    ledger = Ledger([pay, first, chargeback], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    ledger.assign(mid(first), ItemTarget(number="RE-1"), at=at(2))
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="RE-1"):
        ledger.assign(mid(chargeback), ItemTarget(number="RE-1"), Decimal("70.01"), at=at(3))
    assert snapshot(ledger) == before
    # as much as fits: the 70.00 still paid, not the chargeback's 100.00
    allocation = ledger.assign(mid(chargeback), ItemTarget(number="RE-1"), at=at(4))
    assert allocation.amount == eur("70.00")
    assert ledger.open_amount("RE-1") == eur("100.00")
    assert ledger.unassigned_amount(mid(chargeback)) == eur("30.00")
    assert ledger.state(mid(chargeback)) is PARTLY
    with pytest.raises(OverAllocationError):
        ledger.assign(mid(chargeback), ItemTarget(number="RE-1"), at=at(5))


def test_negative_movement_on_an_unpaid_item_is_refused() -> None:
    refund = movement("REF-1", "-30.00", booking_type=BookingType.REFUND)
    ledger = Ledger([refund], [item("RE-1", "100.00")])
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError):
        ledger.assign(mid(refund), ItemTarget(number="RE-1"), at=at(1))
    with pytest.raises(OverAllocationError):
        ledger.assign(mid(refund), ItemTarget(number="RE-1"), Decimal("0.01"), at=at(2))
    assert snapshot(ledger) == before


def test_removing_a_payment_may_not_push_the_item_above_its_amount() -> None:
    pay = movement("PAY-1", "60.00")
    refund = movement("REF-1", "-60.00", booking_type=BookingType.REFUND)
    ledger = Ledger([pay, refund], [item("RE-1", "100.00")])
    payment = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    ledger.assign(mid(refund), ItemTarget(number="RE-1"), at=at(2))
    assert ledger.open_amount("RE-1") == eur("100.00")
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="RE-1"):
        ledger.unassign(payment.allocation_id)
    assert snapshot(ledger) == before


def test_removing_a_refund_may_not_push_the_item_below_zero() -> None:
    first = movement("PAY-1", "100.00")
    refund = movement("REF-1", "-100.00", booking_type=BookingType.REFUND)
    second = movement("PAY-2", "100.00")
    ledger = Ledger([first, refund, second], [item("RE-1", "100.00")])
    ledger.assign(mid(first), ItemTarget(number="RE-1"), at=at(1))
    reopened = ledger.assign(mid(refund), ItemTarget(number="RE-1"), at=at(2))
    ledger.assign(mid(second), ItemTarget(number="RE-1"), at=at(3))
    assert ledger.open_amount("RE-1") == eur("0.00")
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="RE-1"):
        ledger.unassign(reopened.allocation_id)
    assert snapshot(ledger) == before


# -- write-offs ---------------------------------------------------------------------------------


def test_item_write_off_closes_the_item_without_spending_movement_money() -> None:
    pay = movement("TX-1", "98.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert ledger.open_amount("RE-1") == eur("2.00")
    skonto = ledger.assign(
        mid(pay), WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1"), at=at(2)
    )
    assert skonto.amount == eur("2.00")  # as much as the item has open
    assert ledger.open_amount("RE-1") == eur("0.00")
    assert ledger.unassigned_amount(mid(pay)) == eur("0.00")
    assert ledger.assigned_amount(mid(pay)) == eur("98.00")
    assert ledger.state(mid(pay)) is FULLY
    assert skonto in ledger.allocations_to("RE-1")
    assert skonto in ledger.allocations_of(mid(pay))


def test_item_write_off_leaves_the_movement_money_untouched() -> None:
    pay = movement("TX-1", "50.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(
        mid(pay), WriteOff(reason=WriteOffReason.OTHER, item="RE-1"), Decimal("60.00"), at=at(1)
    )
    assert ledger.open_amount("RE-1") == eur("40.00")
    assert ledger.unassigned_amount(mid(pay)) == eur("50.00")
    assert ledger.state(mid(pay)) is UNASSIGNED
    assert ledger.folders_of(mid(pay)) == {Folder.NOT_ASSIGNED}
    # the movement's 50.00 can still go on the item, but only what is open (40.00)
    assert ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(2)).amount == eur("40.00")
    assert ledger.state(mid(pay)) is PARTLY


def test_item_write_off_of_more_than_is_open_is_refused() -> None:
    pay = movement("TX-1", "98.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="RE-1"):
        ledger.assign(
            mid(pay),
            WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1"),
            Decimal("2.01"),
            at=at(2),
        )
    assert snapshot(ledger) == before


def test_write_off_without_item_spends_movement_money() -> None:
    pay = movement("TX-1", "100.50")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert ledger.state(mid(pay)) is PARTLY
    rounding = ledger.assign(mid(pay), WriteOff(reason=WriteOffReason.SMALL_DIFFERENCE), at=at(2))
    assert rounding.amount == eur("0.50")
    assert ledger.unassigned_amount(mid(pay)) == eur("0.00")
    assert ledger.state(mid(pay)) is FULLY
    assert ledger.open_amount("RE-1") == eur("0.00")
    assert ledger.allocations_to("RE-1") == ledger.allocations_of(mid(pay))[:1]
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError):
        ledger.assign(mid(pay), WriteOff(reason=WriteOffReason.OTHER), Decimal("0.01"), at=at(3))
    assert snapshot(ledger) == before


# -- folders ------------------------------------------------------------------------------------


def folder_ledger() -> tuple[Ledger, dict[str, Movement]]:
    movements = {
        "unassigned": movement("U", "10.00"),
        "partly": movement("P", "10.00"),
        "fully": movement("F", "10.00"),
        "pending": movement("PE", "10.00", status=Status.PENDING),
        "failed": movement("FA", "10.00", status=Status.FAILED),
        "cancelled": movement("CA", "10.00", status=Status.CANCELLED),
        "hidden": movement("H", "10.00"),
        "hidden_fully": movement("HF", "10.00"),
        "hidden_pending": movement("HP", "10.00", status=Status.PENDING),
        "outgoing": movement("O", "-10.00"),
    }
    ledger = Ledger(movements.values(), [item("RE-1", "1000.00")])
    ledger.assign(mid(movements["partly"]), ItemTarget(number="RE-1"), Decimal("4"), at=at(1))
    ledger.assign(mid(movements["fully"]), ItemTarget(number="RE-1"), at=at(2))
    ledger.assign(mid(movements["hidden_fully"]), ItemTarget(number="RE-1"), at=at(3))
    for name in ("hidden", "hidden_fully", "hidden_pending"):
        ledger.hide(mid(movements[name]))
    return ledger, movements


def test_folder_membership() -> None:
    ledger, m = folder_ledger()
    expected = {
        Folder.NOT_ASSIGNED: ["unassigned", "partly", "outgoing"],
        Folder.PARTLY_ASSIGNED: ["partly"],
        Folder.FULLY_ASSIGNED: ["fully"],
        Folder.PENDING: ["pending"],
        Folder.FAILED: ["failed", "cancelled"],
        Folder.HIDDEN: ["hidden", "hidden_fully", "hidden_pending"],
    }
    # the ledger hands out hidden movements with their hidden flag set
    shown = {name: attrs.evolve(m[name], hidden=name.startswith("hidden")) for name in m}
    for folder, names in expected.items():
        assert ledger.folder(folder) == [shown[name] for name in names]
    assert ledger.folders_of(mid(m["partly"])) == {Folder.NOT_ASSIGNED, Folder.PARTLY_ASSIGNED}
    assert ledger.folders_of(mid(m["unassigned"])) == {Folder.NOT_ASSIGNED}
    assert ledger.folders_of(mid(m["fully"])) == {Folder.FULLY_ASSIGNED}
    assert ledger.folders_of(mid(m["pending"])) == {Folder.PENDING}
    assert ledger.folders_of(mid(m["failed"])) == {Folder.FAILED}
    assert ledger.folders_of(mid(m["cancelled"])) == {Folder.FAILED}
    assert ledger.folders_of(mid(m["hidden_fully"])) == {Folder.HIDDEN}
    assert ledger.folders_of(mid(m["hidden_pending"])) == {Folder.HIDDEN}
    # a hidden movement keeps its allocations and state
    assert ledger.state(mid(m["hidden_fully"])) is FULLY


def test_folder_narrowed_by_a_filter() -> None:
    ledger, m = folder_ledger()
    assert ledger.folder(Folder.NOT_ASSIGNED, AmountBetween(maximum=0)) == [m["outgoing"]]
    assert ledger.folder(Folder.NOT_ASSIGNED, TransactionIdContains("P")) == [m["partly"]]
    assert ledger.folder(Folder.FAILED, where(statuses={Status.CANCELLED})) == [m["cancelled"]]
    assert ledger.folder(Folder.PENDING, where(statuses={Status.COMPLETED})) == []


def test_movements_change_folders_as_they_are_assigned() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "30.00"), item("RE-2", "100.00")])
    assert ledger.folder(Folder.NOT_ASSIGNED) == [pay]
    first = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert ledger.folder(Folder.NOT_ASSIGNED) == [pay]
    assert ledger.folder(Folder.PARTLY_ASSIGNED) == [pay]
    assert ledger.folder(Folder.FULLY_ASSIGNED) == []
    ledger.assign(mid(pay), ItemTarget(number="RE-2"), at=at(2))
    assert ledger.folder(Folder.NOT_ASSIGNED) == []
    assert ledger.folder(Folder.PARTLY_ASSIGNED) == []
    assert ledger.folder(Folder.FULLY_ASSIGNED) == [pay]
    ledger.unassign(first.allocation_id)
    assert ledger.folders_of(mid(pay)) == {Folder.NOT_ASSIGNED, Folder.PARTLY_ASSIGNED}
    ledger.undo()
    assert ledger.folders_of(mid(pay)) == {Folder.FULLY_ASSIGNED}


# -- hide and unhide ---------------------------------------------------------------------------


def test_hide_and_unhide() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.hide(mid(pay))
    assert ledger.movement(mid(pay)).hidden is True
    assert ledger.folder(Folder.HIDDEN) == [attrs.evolve(pay, hidden=True)]
    assert ledger.folder(Folder.NOT_ASSIGNED) == []
    ledger.hide(mid(pay))  # hiding twice changes nothing and records nothing
    assert [action.kind for action in ledger.history] == [ActionKind.HIDE]
    ledger.unhide(mid(pay))
    assert ledger.movement(mid(pay)) == pay
    assert ledger.folder(Folder.HIDDEN) == []
    assert ledger.folder(Folder.NOT_ASSIGNED) == [pay]
    ledger.unhide(mid(pay))
    assert [action.kind for action in ledger.history] == [ActionKind.HIDE, ActionKind.UNHIDE]
    # once shown again, automatic work may assign it
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1), origin=Origin.AUTOMATIC)
    assert ledger.state(mid(pay)) is FULLY


# -- undo ---------------------------------------------------------------------------------------


def test_undo_assign() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    empty = snapshot(ledger)
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("40"), at=at(1))
    action = ledger.undo()
    assert action.kind is ActionKind.ASSIGN
    assert action.movement_id == mid(pay)
    assert action.allocation == allocation
    assert snapshot(ledger) == empty
    assert ledger.open_amount("RE-1") == eur("100.00")


def test_undo_unassign_restores_the_same_allocation() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("40"), at=at(1))
    ledger.unassign(allocation.allocation_id)
    assert ledger.open_amount("RE-1") == eur("100.00")
    action = ledger.undo()
    assert action.kind is ActionKind.UNASSIGN
    assert action.allocation == allocation
    assert ledger.allocations == (allocation,)
    assert ledger.open_amount("RE-1") == eur("60.00")
    assert ledger.state(mid(pay)) is PARTLY


def test_undo_unassign_of_an_automatic_allocation_after_hiding() -> None:
    # The engine assigned a visible movement; a person then hid the movement and
    # removed the allocation. Undoing the removal restores the state before it, which
    # was valid: the allocation was made while the movement was visible.
    pay = movement("TX-1", "50.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    allocation = ledger.assign(
        mid(pay), ItemTarget(number="RE-1"), at=at(1), origin=Origin.AUTOMATIC
    )
    ledger.hide(mid(pay))
    ledger.unassign(allocation.allocation_id)
    assert ledger.undo().kind is ActionKind.UNASSIGN
    assert ledger.allocations == (allocation,)
    assert ledger.open_amount("RE-1") == eur("50.00")
    assert ledger.undo().kind is ActionKind.HIDE
    assert ledger.movement(mid(pay)).hidden is False
    assert ledger.undo().kind is ActionKind.ASSIGN
    assert ledger.allocations == ()


def test_undo_of_unassign_keeps_the_order_the_allocations_were_made_in() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    first = ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("10"), at=at(1))
    second = ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("20"), at=at(2))
    before = snapshot(ledger)
    ledger.unassign(first.allocation_id)
    ledger.undo()
    # undo puts the ledger back as it was: "every allocation, in the order it was made"
    assert ledger.allocations == (first, second)
    assert ledger.allocations_of(mid(pay)) == (first, second)
    assert ledger.allocations_to("RE-1") == (first, second)
    assert snapshot(ledger) == before


def test_undo_hide_and_unhide() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay])
    ledger.hide(mid(pay))
    ledger.unhide(mid(pay))
    ledger.hide(mid(pay))
    assert ledger.undo().kind is ActionKind.HIDE
    assert ledger.movement(mid(pay)).hidden is False
    assert ledger.undo().kind is ActionKind.UNHIDE
    assert ledger.movement(mid(pay)).hidden is True
    assert ledger.folder(Folder.HIDDEN) == [attrs.evolve(pay, hidden=True)]
    assert ledger.undo().kind is ActionKind.HIDE
    assert ledger.movement(mid(pay)) == pay
    assert ledger.history == ()


def test_undo_comment() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay])
    ledger.comment(mid(pay), "Kunde ruft an")
    ledger.comment(mid(pay), "Rest wird erstattet")
    ledger.comment(mid(pay), None)
    assert ledger.movement(mid(pay)).internal_comment is None
    action = ledger.undo()
    assert action.kind is ActionKind.COMMENT
    assert action.previous_comment == "Rest wird erstattet"
    assert ledger.movement(mid(pay)).internal_comment == "Rest wird erstattet"
    ledger.undo()
    assert ledger.movement(mid(pay)).internal_comment == "Kunde ruft an"
    ledger.undo()
    assert ledger.movement(mid(pay)).internal_comment is None
    assert ledger.movement(mid(pay)) == pay


def test_undo_walks_back_in_reverse_order_and_refusals_are_not_recorded() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "60.00")])
    states = [snapshot(ledger)]
    first = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    states.append(snapshot(ledger))
    with pytest.raises(OverAllocationError):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(2))
    ledger.comment(mid(pay), "Teilzahlung")
    states.append(snapshot(ledger))
    ledger.hide(mid(pay))
    states.append(snapshot(ledger))
    ledger.unassign(first.allocation_id)
    states.append(snapshot(ledger))
    ledger.refund_rest(mid(pay), at=at(3))
    assert [action.kind for action in ledger.history] == [
        ActionKind.ASSIGN,
        ActionKind.COMMENT,
        ActionKind.HIDE,
        ActionKind.UNASSIGN,
        ActionKind.ASSIGN,
    ]
    while states:
        ledger.undo()
        assert snapshot(ledger) == states.pop()
    with pytest.raises(NothingToUndoError):
        ledger.undo()


# -- comments -----------------------------------------------------------------------------------


def test_internal_comment() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.comment(mid(pay), "Zahlung für zwei Rechnungen, Kunde fragen")
    assert ledger.movement(mid(pay)).internal_comment == "Zahlung für zwei Rechnungen, Kunde fragen"
    assert ledger.find(TransactionIdContains("TX-1"))[0].internal_comment == (
        "Zahlung für zwei Rechnungen, Kunde fragen"
    )
    # the comment is a note, not content: the movement keeps its id and allocations work
    assert ledger.movement(mid(pay)).movement_id == mid(pay)
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    assert ledger.state(mid(pay)) is FULLY
    ledger.comment(mid(pay), None)
    assert ledger.movement(mid(pay)).internal_comment is None


def test_an_empty_comment_is_refused() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay])
    before = snapshot(ledger)
    with pytest.raises(InvalidValueError):
        ledger.comment(mid(pay), "")
    with pytest.raises(InvalidValueError):
        ledger.comment(mid(pay), "   ")
    assert snapshot(ledger) == before


# -- re-import ----------------------------------------------------------------------------------


def test_reimport_of_the_same_movements_adds_nothing() -> None:
    pay, fee = movement("TX-1", "100.00"), movement(None, "-1.50", bank_reference="B-7")
    ledger = Ledger([pay, fee], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    ledger.comment(mid(pay), "ok")
    ledger.hide(mid(fee))
    before = snapshot(ledger)
    assert ledger.add_movements([pay, fee]) == ()
    # read again from another file: the same bookings
    elsewhere = SourcePosition(source="march-again.sta", line=12)
    assert ledger.add_movements([attrs.evolve(pay, source=elsewhere)]) == ()
    # as the ledger has them (with the notes)
    assert ledger.add_movements(ledger.movements) == ()
    assert snapshot(ledger) == before
    assert ledger.movement(mid(pay)).internal_comment == "ok"


def test_reimport_of_identical_content_without_ids_adds_nothing() -> None:
    payment = movement(None, "25.00", counterparty=Counterparty(name="Anna Schmidt"))
    ledger = Ledger([payment])
    assert ledger.add_movements([payment]) == ()
    assert len(ledger) == 1


def test_a_batch_with_new_and_known_movements_adds_only_the_new() -> None:
    old, new = movement("TX-1", "100.00"), movement("TX-2", "5.00")
    ledger = Ledger([old])
    assert ledger.add_movements([old, new, new]) == (new,)
    assert ledger.movements == (old, new)


def test_pending_movement_replaced_by_its_completed_version() -> None:
    pending = movement("TX-1", "100.00", status=Status.PENDING)
    other = movement("TX-2", "7.00")
    ledger = Ledger([pending, other], [item("RE-1", "100.00")])
    ledger.comment(mid(pending), "angekündigt")
    ledger.hide(mid(pending))
    completed = attrs.evolve(pending, status=Status.COMPLETED, booking_date=dt.date(2026, 3, 4))
    added = ledger.add_movements([completed])
    expected = attrs.evolve(completed, internal_comment="angekündigt", hidden=True)
    assert added == (expected,)
    assert ledger.movements == (expected, other)  # in its place, not appended
    assert ledger.movement(mid(pending)) == expected
    assert len(ledger) == 2
    ledger.unhide(mid(pending))
    assert ledger.folders_of(mid(pending)) == {Folder.NOT_ASSIGNED}
    assert ledger.find(WithStatus({Status.PENDING})) == []
    assert ledger.find(BookedBetween(start=dt.date(2026, 3, 4))) == [
        attrs.evolve(expected, hidden=False)
    ]
    ledger.assign(mid(pending), ItemTarget(number="RE-1"), at=at(1))
    assert ledger.state(mid(pending)) is FULLY
    # an older (pending) view of the booked movement read later changes nothing
    before = snapshot(ledger)
    assert ledger.add_movements([pending]) == ()
    assert snapshot(ledger) == before


def test_pending_movement_may_fail() -> None:
    pending = movement("TX-1", "100.00", status=Status.PENDING)
    ledger = Ledger([pending])
    failed = attrs.evolve(pending, status=Status.FAILED)
    assert ledger.add_movements([failed]) == (failed,)
    assert ledger.folder(Folder.FAILED) == [failed]
    assert ledger.folder(Folder.PENDING) == []


def test_conflicting_movement_raises_and_adds_nothing_from_the_batch() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    before = snapshot(ledger)
    new = movement("TX-2", "5.00")
    changed = attrs.evolve(pay, amount=eur("99.00"))
    with pytest.raises(ConflictingMovementError, match="TX-1"):
        ledger.add_movements([new, changed])
    with pytest.raises(ConflictingMovementError):
        ledger.add_movements([new, attrs.evolve(pay, status=Status.FAILED)])
    assert snapshot(ledger) == before
    assert len(ledger) == 1
    with pytest.raises(UnknownMovementError):
        ledger.movement(mid(new))


def test_conflict_inside_one_batch() -> None:
    first = movement("TX-1", "100.00")
    with pytest.raises(ConflictingMovementError):
        Ledger([first, attrs.evolve(first, amount=eur("1.00"))])
    ledger = Ledger()
    with pytest.raises(ConflictingMovementError):
        ledger.add_movements([first, attrs.evolve(first, amount=eur("1.00"))])
    assert ledger.movements == ()


def test_open_items_are_added_once_and_conflicts_refused() -> None:
    ledger = Ledger([], [item("RE-1", "100.00")])
    assert ledger.add_open_items([item("RE-1", "100.00")]) == ()
    assert ledger.add_open_items([item("RE-2", "5.00")]) == (item("RE-2", "5.00"),)
    before = snapshot(ledger)
    with pytest.raises(ConflictingItemError, match="RE-1"):
        ledger.add_open_items([item("RE-3", "1.00"), item("RE-1", "90.00")])
    assert snapshot(ledger) == before
    assert [i.number for i in ledger.open_items] == ["RE-1", "RE-2"]
    with pytest.raises(UnknownItemError):
        ledger.item("RE-3")


# -- related movements --------------------------------------------------------------------------


def related_ledger() -> tuple[Ledger, dict[str, Movement]]:
    m = {
        "chargeback_fee": movement(
            "CBF-1", "-15.00", booking_type=BookingType.FEE, reference_transaction_id="CB-1"
        ),
        "payment": movement("PAY-1", "100.00", account=PAYPAL),
        "other": movement("PAY-2", "50.00", account=PAYPAL),
        "fee": movement(
            "FEE-1",
            "-2.85",
            account=PAYPAL,
            booking_type=BookingType.FEE,
            reference_transaction_id="PAY-1",
        ),
        "refund": movement(
            "REF-1",
            "-20.00",
            account=PAYPAL,
            booking_type=BookingType.REFUND,
            reference_transaction_id="PAY-1",
        ),
        "chargeback": movement(
            "CB-1",
            "-80.00",
            account=PAYPAL,
            booking_type=BookingType.CHARGEBACK,
            reference_transaction_id="PAY-1",
        ),
        "other_fee": movement(
            "FEE-2",
            "-1.00",
            account=PAYPAL,
            booking_type=BookingType.FEE,
            reference_transaction_id="PAY-2",
        ),
    }
    return Ledger(m.values()), m


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("payment", ["chargeback_fee", "fee", "refund", "chargeback"]),
        ("fee", ["chargeback_fee", "payment", "refund", "chargeback"]),
        ("refund", ["chargeback_fee", "payment", "fee", "chargeback"]),
        ("chargeback", ["chargeback_fee", "payment", "fee", "refund"]),
        ("chargeback_fee", ["payment", "fee", "refund", "chargeback"]),
        ("other", ["other_fee"]),
        ("other_fee", ["other"]),
    ],
)
def test_related_movements_both_directions_and_chains(start: str, expected: list[str]) -> None:
    ledger, m = related_ledger()
    assert ledger.related(mid(m[start])) == tuple(m[name] for name in expected)


def test_a_movement_without_links_has_no_related_movements() -> None:
    lonely = movement("TX-9", "1.00", reference_transaction_id="NOT-IN-THE-LEDGER")
    ledger, _ = related_ledger()
    ledger.add_movements([lonely, movement(None, "2.00", bank_reference="B-1")])
    assert ledger.related(mid(lonely)) == ()
    assert ledger.related(mid(movement(None, "2.00", bank_reference="B-1"))) == ()


def test_related_movements_arriving_later_are_found() -> None:
    payment = movement("PAY-1", "100.00", account=PAYPAL)
    ledger = Ledger([payment])
    assert ledger.related(mid(payment)) == ()
    fee = movement(
        "FEE-1",
        "-2.85",
        account=PAYPAL,
        booking_type=BookingType.FEE,
        reference_transaction_id="PAY-1",
    )
    ledger.add_movements([fee])
    assert ledger.related(mid(payment)) == (fee,)
    assert ledger.related(mid(fee)) == (payment,)


# -- refund of the remaining amount -------------------------------------------------------------


def refund_ledger() -> tuple[Ledger, Movement]:
    pay = movement(
        "TX-1",
        "120.00",
        counterparty=Counterparty(name="Hans Müller", iban=PAYER_IBAN, bic=PAYER_BIC),
        remittance_info="RE-1001",
    )
    ledger = Ledger([pay], [item("RE-1001", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1001"), at=at(1))
    return ledger, pay


def test_refund_rest_refunds_exactly_the_rest_to_the_payer() -> None:
    ledger, pay = refund_ledger()
    instruction = ledger.refund_rest(mid(pay), at=at(2))
    assert instruction.movement_id == mid(pay)
    assert instruction.amount == eur("20.00")
    assert instruction.creditor_iban == PAYER_IBAN
    assert instruction.creditor_bic == PAYER_BIC
    assert instruction.creditor_name == "Hans Müller"
    assert instruction.remittance_info == "Refund of payment of 2026-03-02: RE-1001"
    assert instruction.end_to_end_id.startswith("REFUND-")
    assert ledger.unassigned_amount(mid(pay)) == eur("0.00")
    assert ledger.state(mid(pay)) is FULLY
    refund = ledger.allocations_of(mid(pay))[-1]
    assert refund.target == RefundTarget(end_to_end_id=instruction.end_to_end_id)
    assert refund.amount == eur("20.00")
    assert refund.origin is Origin.MANUAL
    assert ledger.open_amount("RE-1001") == eur("0.00")  # the item is untouched


def test_refund_rest_twice_is_refused() -> None:
    ledger, pay = refund_ledger()
    ledger.refund_rest(mid(pay), at=at(2))
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError, match="TX-1"):
        ledger.refund_rest(mid(pay), at=at(3))
    assert snapshot(ledger) == before


def test_refund_part_of_the_rest_and_never_more_than_is_left() -> None:
    ledger, pay = refund_ledger()
    first = ledger.refund_rest(mid(pay), amount=Decimal("5.00"), at=at(2))
    assert first.amount == eur("5.00")
    assert ledger.unassigned_amount(mid(pay)) == eur("15.00")
    assert ledger.state(mid(pay)) is PARTLY
    before = snapshot(ledger)
    with pytest.raises(OverAllocationError):
        ledger.refund_rest(mid(pay), amount=Decimal("15.01"), at=at(3))
    with pytest.raises(OverAllocationError):
        ledger.refund_rest(mid(pay), amount=eur("15.01"), at=at(4))
    assert snapshot(ledger) == before
    second = ledger.refund_rest(mid(pay), at=at(5))
    assert second.amount == eur("15.00")
    assert second.end_to_end_id != first.end_to_end_id
    assert ledger.state(mid(pay)) is FULLY


def test_refund_rest_of_an_outgoing_movement_is_refused() -> None:
    out = movement("TX-1", "-50.00", counterparty=Counterparty(iban=PAYER_IBAN))
    spent = movement("TX-2", "-50.00")
    ledger = Ledger([out, spent])
    ledger.assign(mid(spent), WriteOff(reason=WriteOffReason.OTHER), at=at(1))
    before = snapshot(ledger)
    with pytest.raises(NotAssignableError, match="TX-1"):
        ledger.refund_rest(mid(out), at=at(2))
    # an outgoing movement is never refunded, whatever is left of it
    with pytest.raises(NotAssignableError, match="TX-2"):
        ledger.refund_rest(mid(spent), at=at(3))
    assert snapshot(ledger) == before


@pytest.mark.parametrize("status", [Status.PENDING, Status.FAILED, Status.CANCELLED])
def test_refund_rest_of_an_unbooked_payment_is_refused(status: Status) -> None:
    pay = movement("TX-1", "50.00", status=status)
    ledger = Ledger([pay])
    before = snapshot(ledger)
    with pytest.raises(NotAssignableError):
        ledger.refund_rest(mid(pay), at=at(1))
    assert snapshot(ledger) == before


def test_undo_of_a_refund_gives_the_rest_back() -> None:
    ledger, pay = refund_ledger()
    before = snapshot(ledger)
    instruction = ledger.refund_rest(mid(pay), at=at(2))
    action = ledger.undo()
    assert action.kind is ActionKind.ASSIGN
    assert action.allocation is not None
    assert action.allocation.target == RefundTarget(end_to_end_id=instruction.end_to_end_id)
    assert ledger.unassigned_amount(mid(pay)) == eur("20.00")
    assert snapshot(ledger) == before
    assert ledger.refund_rest(mid(pay), at=at(3)).amount == eur("20.00")


def test_refund_without_a_known_iban() -> None:
    pay = movement("TX-1", "30.00", counterparty=Counterparty(name="Anna Schmidt"))
    ledger = Ledger([pay])
    instruction = ledger.refund_rest(mid(pay), at=at(1))
    assert instruction.amount == eur("30.00")
    assert instruction.creditor_iban is None
    assert instruction.creditor_name == "Anna Schmidt"
    assert instruction.remittance_info == "Refund of payment of 2026-03-02"


def test_refund_remittance_info_fits_sepa() -> None:
    pay = movement("TX-1", "30.00", remittance_info="x" * 200)
    ledger = Ledger([pay])
    instruction = ledger.refund_rest(mid(pay), at=at(1))
    expected = "Refund of payment of 2026-03-02: " + "x" * 200
    assert instruction.remittance_info == expected[:140]
    assert len(instruction.remittance_info) == 140


def test_refund_of_a_hidden_payment_is_a_persons_decision() -> None:
    pay = movement("TX-1", "30.00")
    ledger = Ledger([pay])
    ledger.hide(mid(pay))
    assert ledger.refund_rest(mid(pay), at=at(1)).amount == eur("30.00")


# -- log book -----------------------------------------------------------------------------------


def test_log_book_records_entries_as_data_in_order() -> None:
    ledger = Ledger()
    assert ledger.log_book == ()
    source = SourcePosition(source="2026-03-02.sta", line=14, column=5)
    first = LogEntry(
        at=at(1),
        level=LogLevel.ERROR,
        message="line 14: amount missing",
        source=source,
    )
    second = LogEntry(
        at=at(2),
        level=LogLevel.WARNING,
        message="two invoices match",
        movement_id=f"{BANK}:tx:TX-1",
    )
    ledger.record(first)
    ledger.record(second)
    assert ledger.log_book == (first, second)
    assert ledger.log_book[0].source == source
    assert str(ledger.log_book[0].source) == "2026-03-02.sta, line 14, column 5"
    assert ledger.log_book[1].movement_id == f"{BANK}:tx:TX-1"
    assert ledger.history == ()  # the log book is not an undoable action
    with pytest.raises(InvalidValueError):
        LogEntry(at=at(3), level=LogLevel.INFO, message="")


# -- filters ------------------------------------------------------------------------------------

M1 = movement(
    "TX-1001",
    "119.00",
    counterparty=Counterparty(name="Hans Müller"),
    remittance_info="RE-1001 Danke",
)
M2 = movement(
    "TX-1002",
    "50.00",
    status=Status.PENDING,
    booked=dt.date(2026, 3, 5),
    counterparty=Counterparty(name="MUELLER GmbH"),
    remittance_info="Bestellung 4711",
)
M3 = movement(
    "PP-7-FEE",
    "-12.50",
    account=PAYPAL,
    booking_type=BookingType.FEE,
    booked=dt.date(2026, 3, 7),
    counterparty=Counterparty(name="PayPal"),
    remittance_info="Gebühr zu PP-7",
)
M4 = movement(
    "PP-7",
    "200.00",
    account=PAYPAL,
    booked=dt.date(2026, 3, 7),
    counterparty=Counterparty(name="Jürgen Straßer"),
    remittance_info="ORDER 4711",
)
M5 = movement(
    None,
    "-80.00",
    status=Status.FAILED,
    booked=dt.date(2026, 3, 10),
    bank_reference="B-5",
    counterparty=Counterparty(name="Société Générale"),
    remittance_info="Miete März",
)
M6 = movement("tx-1006", "0.99", status=Status.CANCELLED, booked=dt.date(2026, 2, 28))
FILTERED = [M1, M2, M3, M4, M5, M6]


def criterion_id(value: object) -> str:
    return repr(value) if isinstance(value, Criterion) else "expected"


@pytest.fixture
def searchable() -> Ledger:
    return Ledger(FILTERED)


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (NameContains("Müller"), [M1, M2]),
        (NameContains("MUELLER"), [M1, M2]),
        (NameContains("müller gmbh"), [M2]),
        (NameContains("hans  MÜLLER"), [M1]),
        (NameContains("juergen"), [M4]),
        (NameContains("JÜRGEN"), [M4]),
        (NameContains("strasser"), [M4]),
        (NameContains("STRASSER"), [M4]),
        (NameContains("Straß"), [M4]),
        (NameContains("societe"), [M5]),
        (NameContains("SOCIÉTÉ GÉNÉRALE"), [M5]),
        (NameContains("Meier"), []),
        (PurposeContains("4711"), [M2, M4]),
        (PurposeContains("gebuehr"), [M3]),
        (PurposeContains("GEBÜHR"), [M3]),
        (PurposeContains("MÄRZ"), [M5]),
        (PurposeContains("re-1001"), [M1]),
        (TransactionIdContains("tx-100"), [M1, M2, M6]),
        (TransactionIdContains("TX-1006"), [M6]),
        (TransactionIdContains("PP-7"), [M3, M4]),
        (TransactionIdContains("fee"), [M3]),
        (TransactionIdContains("B-5"), []),  # a bank reference is not a transaction id
        (AmountBetween(minimum=Decimal("50.00")), [M1, M2, M4]),
        (AmountBetween(maximum=Decimal("0")), [M3, M5]),
        (AmountBetween(minimum="-12.50", maximum="50.00"), [M2, M3, M6]),
        (AmountBetween(minimum=200, maximum=200), [M4]),
        (AmountBetween(), FILTERED),
        (InAccounts({PAYPAL}), [M3, M4]),
        (InAccounts({BANK}), [M1, M2, M5, M6]),
        (InAccounts({BANK, PAYPAL}), FILTERED),
        (InAccounts(set()), []),
        (OfBookingTypes({BookingType.FEE, BookingType.OUTGOING}), [M3, M5]),
        (OfBookingTypes({BookingType.INCOMING}), [M1, M2, M4, M6]),
        (WithStatus({Status.PENDING}), [M2]),
        (WithStatus({Status.FAILED, Status.CANCELLED}), [M5, M6]),
        (WithStatus({Status.COMPLETED}), [M1, M3, M4]),
        (BookedBetween(start=dt.date(2026, 3, 5)), [M2, M3, M4, M5]),
        (BookedBetween(end=dt.date(2026, 3, 2)), [M1, M6]),
        (BookedBetween(start=dt.date(2026, 3, 5), end=dt.date(2026, 3, 7)), [M2, M3, M4]),
        (BookedBetween(start=dt.date(2026, 3, 8), end=dt.date(2026, 3, 1)), []),
        (BookedBetween(), FILTERED),
    ],
    ids=criterion_id,
)
def test_each_filter_alone(
    searchable: Ledger, criterion: Criterion, expected: list[Movement]
) -> None:
    assert searchable.find(criterion) == expected
    # the one-movement check agrees with the column path
    assert [m for m in FILTERED if criterion.matches(m)] == expected


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (where(name="müller", statuses={Status.COMPLETED}), [M1]),
        (NameContains("mueller") & WithStatus({Status.PENDING}), [M2]),
        (where(accounts={PAYPAL}) & AmountBetween(minimum=0), [M4]),
        (
            where(booked_from=dt.date(2026, 3, 1), booked_to=dt.date(2026, 3, 7), amount_from=0),
            [M1, M2, M4],
        ),
        (where(purpose="4711", transaction_id="pp"), [M4]),
        (where(amount_to="0", booking_types={BookingType.OUTGOING}), [M5]),
        (
            TransactionIdContains("TX")
            & AmountBetween(maximum=100)
            & BookedBetween(start=dt.date(2026, 3, 1)),
            [M2],
        ),
        (where(name="Müller") & where(purpose="danke"), [M1]),
        (where(name="Müller") & where(purpose="4711"), [M2]),
        (where(name="Müller") & NameContains("Straßer"), []),
        (where(), FILTERED),
        (AllOf(), FILTERED),
    ],
    ids=criterion_id,
)
def test_filters_composed(
    searchable: Ledger, criterion: Criterion, expected: list[Movement]
) -> None:
    assert searchable.find(criterion) == expected
    assert [m for m in FILTERED if criterion.matches(m)] == expected


def test_two_date_ranges_both_hold(searchable: Ledger) -> None:
    # the second range narrows the rows the first left (the column path, not bisection)
    criterion = BookedBetween(start=dt.date(2026, 3, 2)) & BookedBetween(end=dt.date(2026, 3, 7))
    assert searchable.find(criterion) == [M1, M2, M3, M4]
    criterion = BookedBetween(end=dt.date(2026, 3, 7)) & BookedBetween(start=dt.date(2026, 3, 7))
    assert searchable.find(criterion) == [M3, M4]
    criterion = where(booked_from=dt.date(2026, 3, 5)) & BookedBetween(end=dt.date(2026, 3, 5))
    assert searchable.find(criterion) == [M2]


def test_and_flattens_into_one_all_of() -> None:
    combined = where(name="a") & (PurposeContains("b") & WithStatus({Status.PENDING}))
    assert combined == AllOf(
        criteria=(NameContains("a"), PurposeContains("b"), WithStatus({Status.PENDING}))
    )


def test_where_builds_one_criterion_per_argument() -> None:
    assert where(
        name="Müller",
        purpose="RE-1",
        transaction_id="TX",
        amount_from="1",
        amount_to="2",
        accounts=[BANK],
        booking_types=[BookingType.FEE],
        statuses=[Status.COMPLETED],
        booked_from=dt.date(2026, 1, 1),
        booked_to=dt.date(2026, 1, 31),
    ) == AllOf(
        criteria=(
            NameContains("Müller"),
            PurposeContains("RE-1"),
            TransactionIdContains("TX"),
            AmountBetween(Decimal("1"), Decimal("2")),
            InAccounts({BANK}),
            OfBookingTypes({BookingType.FEE}),
            WithStatus({Status.COMPLETED}),
            BookedBetween(dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        )
    )


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_search_text_is_refused(text: str) -> None:
    for kind in (NameContains, PurposeContains, TransactionIdContains):
        with pytest.raises(InvalidValueError):
            kind(text)
    with pytest.raises(InvalidValueError):
        where(name=text)


def test_a_single_status_or_account_is_not_read_as_a_set_of_letters(searchable: Ledger) -> None:
    # Status is a str enum and an account key a str: both are iterables of letters. Given
    # alone instead of in a set, the filter must take it as the one value meant (or refuse
    # it), never silently match nothing.
    for values, expected in (
        ({"statuses": Status.PENDING}, [M2]),
        ({"accounts": PAYPAL}, [M3, M4]),
        ({"booking_types": BookingType.FEE}, [M3]),
    ):
        try:
            criterion = where(**values)  # type: ignore[arg-type]
        except InvalidValueError:
            continue
        assert searchable.find(criterion) == expected


def test_amount_filter_refuses_floats() -> None:
    with pytest.raises(InvalidValueError):
        AmountBetween(minimum=0.5)  # type: ignore[arg-type]


def test_decomposed_umlauts_are_found_too() -> None:
    # Some sources write "ü" as "u" + COMBINING DIAERESIS (Unicode NFD, common in
    # files made on macOS). It is the same name and must be found the same way.
    decomposed = unicodedata.normalize("NFD", "MÜLLER KG")
    assert decomposed != "MÜLLER KG"
    nfd = movement("TX-1", "1.00", counterparty=Counterparty(name=decomposed))
    ledger = Ledger([nfd])
    assert ledger.find(NameContains("Müller")) == [nfd]
    assert ledger.find(NameContains("mueller")) == [nfd]
    assert NameContains("Mueller").matches(nfd)


def test_filters_see_movements_added_and_changed_after_the_first_search() -> None:
    pending = movement("TX-1", "10.00", status=Status.PENDING, booked=dt.date(2026, 3, 1))
    ledger = Ledger([pending])
    march_first = BookedBetween(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1))
    assert ledger.find(WithStatus({Status.PENDING}) & march_first) == [pending]
    assert ledger.find(NameContains("Müller")) == []
    late = movement(
        "TX-2", "20.00", booked=dt.date(2026, 2, 27), counterparty=Counterparty(name="Müller")
    )
    completed = attrs.evolve(pending, status=Status.COMPLETED, booking_date=dt.date(2026, 3, 3))
    ledger.add_movements([late, completed])
    assert ledger.find(WithStatus({Status.PENDING})) == []
    assert ledger.find(march_first) == []
    assert ledger.find(BookedBetween(end=dt.date(2026, 3, 3))) == [completed, late]
    assert ledger.find(NameContains("mueller")) == [late]
    ledger.hide(mid(late))
    assert ledger.find(NameContains("mueller")) == [attrs.evolve(late, hidden=True)]


# -- the column path against a naive reference --------------------------------------------------


def reference_fold(text: str | None) -> str:
    """What "case- and umlaut-insensitive" means, written out independently of the ledger."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", text).lower()
    for umlaut, spelt in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelt)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


ALPHABET = "abeimrstuAEMRSUäöüÄÖÜßéÉ -"
ID_ALPHABET = "ABCabc-019"
DAY0 = dt.date(2026, 3, 1)
ACCOUNTS = [BANK, PAYPAL, "DE02120300000000202051"]

texts = st.text(alphabet=ALPHABET, min_size=1, max_size=10).map(str.strip).filter(bool)
cents = st.decimals(min_value=Decimal("-300"), max_value=Decimal("300"), places=2)
days = st.integers(min_value=0, max_value=12).map(lambda n: DAY0 + dt.timedelta(days=n))


@st.composite
def filter_movements(draw: st.DrawFn, prefix: str) -> list[Movement]:
    count = draw(st.integers(min_value=0, max_value=12))
    result = []
    for index in range(count):
        tx = draw(st.none() | st.text(alphabet=ID_ALPHABET, min_size=0, max_size=4))
        result.append(
            Movement(
                account=draw(st.sampled_from(ACCOUNTS)),
                amount=Money(draw(cents), "EUR"),
                booking_date=draw(days),
                booking_type=draw(st.sampled_from(BookingType)),
                status=draw(st.sampled_from(Status)),
                counterparty=Counterparty(name=draw(st.none() | texts)),
                remittance_info=draw(st.none() | texts),
                # unique ids: a transaction id or, where there is none, a bank reference
                transaction_id=None if tx is None else f"{tx}{prefix}{index}",
                bank_reference=f"REF-{prefix}{index}" if tx is None else None,
            )
        )
    return result


def spell_out(text: str) -> str:
    for umlaut, spelt in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "AE"), ("Ö", "OE")):
        text = text.replace(umlaut, spelt)
    return text.replace("Ü", "UE").replace("ß", "ss")


@st.composite
def needles(draw: st.DrawFn, haystack: list[str]) -> str:
    """Mostly a piece of a text that is there (re-cased, umlauts spelt out), else any text."""
    if haystack and draw(st.booleans()):
        base = draw(st.sampled_from(haystack))
        start = draw(st.integers(min_value=0, max_value=len(base)))
        end = draw(st.integers(min_value=start, max_value=len(base)))
        piece = base[start:end]
    else:
        piece = draw(st.text(alphabet=ALPHABET + ID_ALPHABET, min_size=1, max_size=3))
    changed = draw(st.sampled_from([str.upper, str.lower, str.swapcase, spell_out, str]))(piece)
    return changed if changed.strip() else "x"


@st.composite
def queries(draw: st.DrawFn, movements: list[Movement]) -> tuple[dict[str, Any], Criterion]:
    """Random filter-bar values and a criterion built from them with ``where`` and ``&``."""
    names = [m.counterparty.name for m in movements if m.counterparty.name]
    purposes = [m.remittance_info for m in movements if m.remittance_info]
    ids = [m.transaction_id for m in movements if m.transaction_id]
    optional = st.sampled_from([False, False, True])  # about three criteria of ten per query
    # bounds are often an amount that is there, so that "bounds included" is put to the test
    amounts = [m.amount.amount for m in movements]
    bounds = st.sampled_from(amounts) | cents if amounts else cents
    values: dict[str, Any] = {}
    if draw(optional):
        values["name"] = draw(needles(names))
    if draw(optional):
        values["purpose"] = draw(needles(purposes))
    if draw(optional):
        values["transaction_id"] = draw(needles(ids))
    if draw(optional):
        values["amount_from"] = draw(bounds)
    if draw(optional):
        values["amount_to"] = draw(bounds)
    if draw(optional):
        values["accounts"] = draw(st.sets(st.sampled_from(ACCOUNTS)))
    if draw(optional):
        values["booking_types"] = draw(st.sets(st.sampled_from(BookingType)))
    if draw(optional):
        values["statuses"] = draw(st.sets(st.sampled_from(Status)))
    if draw(optional):
        values["booked_from"] = draw(days)
    if draw(optional):
        values["booked_to"] = draw(days)
    # split the values between a where(...) and single criteria joined with &
    keys = sorted(values)
    in_where = draw(st.sets(st.sampled_from(keys))) if keys else set()
    parts = [where(**{key: values[key]}).criteria[0] for key in keys if key not in in_where]
    criterion: Criterion
    if in_where or not parts:
        criterion = where(**{key: values[key] for key in keys if key in in_where})
    else:
        criterion = parts.pop(0)  # a single criterion, not wrapped in AllOf
    for part in parts:
        criterion = criterion & part
    return values, criterion


def naive(values: dict[str, Any], m: Movement) -> bool:
    """The filter bar, field by field, as a person would read it."""
    if "name" in values and reference_fold(values["name"]) not in reference_fold(
        m.counterparty.name
    ):
        return False
    if "purpose" in values and reference_fold(values["purpose"]) not in reference_fold(
        m.remittance_info
    ):
        return False
    if (
        "transaction_id" in values
        and values["transaction_id"].lower() not in (m.transaction_id or "").lower()
    ):
        return False
    if "amount_from" in values and m.amount.amount < values["amount_from"]:
        return False
    if "amount_to" in values and m.amount.amount > values["amount_to"]:
        return False
    if "accounts" in values and m.account not in values["accounts"]:
        return False
    if "booking_types" in values and m.booking_type not in values["booking_types"]:
        return False
    if "statuses" in values and m.status not in values["statuses"]:
        return False
    if "booked_from" in values and m.booking_date < values["booked_from"]:
        return False
    return not ("booked_to" in values and m.booking_date > values["booked_to"])


def check_queries(data: st.DataObject, ledger: Ledger, rows: list[Movement], label: str) -> None:
    for number in range(3):
        values, criterion = data.draw(queries(rows), label=f"{label} query {number}")
        assert ledger.find(criterion) == [m for m in rows if naive(values, m)]


@given(data=st.data())
def test_find_agrees_with_a_naive_filter(data: st.DataObject) -> None:
    first = data.draw(filter_movements("a"), label="first batch")
    ledger = Ledger(first)
    rows = list(first)
    check_queries(data, ledger, rows, "first batch")

    # later batches and changes must reach the columns and the date order
    second = data.draw(filter_movements("b"), label="second batch")
    ledger.add_movements(second)
    rows += second
    check_queries(data, ledger, rows, "second batch")

    # pending movements complete (or fail), some days later than announced
    for row, m in enumerate(rows):
        if m.status is Status.PENDING and data.draw(st.booleans(), label=f"settle {row}"):
            settled = attrs.evolve(
                m,
                status=data.draw(st.sampled_from([Status.COMPLETED, Status.FAILED])),
                booking_date=m.booking_date + dt.timedelta(days=data.draw(st.integers(0, 6))),
            )
            ledger.add_movements([settled])
            rows[row] = settled
    assert ledger.movements == tuple(rows)
    check_queries(data, ledger, rows, "settled")


def test_a_booked_movement_reclassified_by_a_newer_parser_keeps_its_allocations() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    allocation = ledger.assign(mid(pay), ItemTarget(number="RE-1"), at=at(1))
    better = attrs.evolve(
        pay, booking_type=BookingType.SEPA_DIRECT_DEBIT, bank_transaction_code="PMNT-IDDT-ESDD"
    )
    assert ledger.add_movements([better]) == (better,)
    assert ledger.movement(mid(pay)).booking_type is BookingType.SEPA_DIRECT_DEBIT
    assert ledger.allocations == (allocation,)
    assert ledger.find(where(booking_types={BookingType.SEPA_DIRECT_DEBIT})) == [better]


def test_the_same_allocation_twice_is_a_duplicate() -> None:
    pay = movement("TX-1", "100.00")
    ledger = Ledger([pay], [item("RE-1", "100.00")])
    ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("10"), at=at(1))
    with pytest.raises(DuplicateAllocationError, match="already in the ledger"):
        ledger.assign(mid(pay), ItemTarget(number="RE-1"), Decimal("10"), at=at(1))
