"""Allocations (Zuweisungen): money of a movement put on an open item, or otherwise accounted for.

An allocation says "this much of that movement went there": to an open item,
to a chargeback, to a refund of the rest, or written off with a reason. Who
made it (a person or the matching engine), why (the evidence) and when (a time
the caller passes in — the core reads no clock) travel with it.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from decimal import Decimal

import attrs
from moneyed import Money

from paymatch.errors import InvalidValueError
from paymatch.model import _checks
from paymatch.model.money import normalised_amount, to_decimal

__all__ = [
    "Allocation",
    "AllocationTarget",
    "ChargebackTarget",
    "Evidence",
    "ItemTarget",
    "Origin",
    "RefundTarget",
    "WriteOff",
    "WriteOffReason",
]


class Origin(enum.StrEnum):
    """Who made an allocation; automatic work may never touch a manual one."""

    MANUAL = "manual"  # a person assigned it
    AUTOMATIC = "automatic"  # the matching engine assigned it


class WriteOffReason(enum.StrEnum):
    """Why an amount is written off instead of paid."""

    CASH_DISCOUNT = "cash_discount"  # Skonto taken within the item's payment terms
    FEE_DIFFERENCE = "fee_difference"  # a bank or provider fee deducted from the payment
    SMALL_DIFFERENCE = "small_difference"  # a rounding or tiny over/under payment
    OTHER = "other"  # any other reason; say which in the evidence


@attrs.frozen(kw_only=True)
class ItemTarget:
    """Money paid on the open item with this number."""

    number: str = attrs.field(validator=_checks.text)

    @property
    def item(self) -> str:
        """The open item this target touches."""
        return self.number

    @property
    def uses_movement_money(self) -> bool:
        """Whether the allocation spends the movement's money (it does)."""
        return True

    def __str__(self) -> str:
        return f"item {self.number}"


@attrs.frozen(kw_only=True)
class ChargebackTarget:
    """A chargeback (returned debit, card or PayPal dispute) accounted for as such.

    ``payment`` is the id of the movement that was charged back, where known.
    """

    payment: str | None = attrs.field(default=None, validator=_checks.optional_text)

    @property
    def item(self) -> None:
        """A chargeback touches no open item directly."""
        return None

    @property
    def uses_movement_money(self) -> bool:
        """Whether the allocation spends the movement's money (it does)."""
        return True

    def __str__(self) -> str:
        return f"chargeback of {self.payment}" if self.payment else "chargeback"


@attrs.frozen(kw_only=True)
class RefundTarget:
    """Money of the movement sent back to the payer; ``end_to_end_id`` names the refund transfer."""

    end_to_end_id: str = attrs.field(validator=_checks.text)

    @property
    def item(self) -> None:
        """A refund touches no open item."""
        return None

    @property
    def uses_movement_money(self) -> bool:
        """Whether the allocation spends the movement's money (it does)."""
        return True

    def __str__(self) -> str:
        return f"refund {self.end_to_end_id}"


@attrs.frozen(kw_only=True)
class WriteOff:
    """An amount written off with a reason.

    With ``item``: the part of the item's open amount that no money will pay
    (a cash discount, a fee the payer's bank deducted); it closes the item
    without spending any of the movement's money. Without ``item``: a part of
    the movement's money that belongs to no item (a small over-payment).
    """

    reason: WriteOffReason = attrs.field(validator=_checks.of_type(WriteOffReason))
    item: str | None = attrs.field(default=None, validator=_checks.optional_text)

    @property
    def uses_movement_money(self) -> bool:
        """Only a write-off without an item spends the movement's money."""
        return self.item is None

    def __str__(self) -> str:
        where = f" on item {self.item}" if self.item else ""
        return f"write-off ({self.reason.value}){where}"


AllocationTarget = ItemTarget | ChargebackTarget | RefundTarget | WriteOff


def _weight(value: Decimal | int | str) -> Decimal:
    weight = to_decimal(value, field="Evidence.weight")
    if not -1 <= weight <= 1:
        raise InvalidValueError("Evidence.weight", f"must be between -1 and 1, got {weight}")
    return weight


@attrs.frozen(kw_only=True)
class Evidence:
    """One reason for (positive weight) or against (negative weight) an allocation.

    ``rule`` names the matcher that saw it, ``detail`` what it saw
    (``"invoice number RE-1001 in remittance info"``).
    """

    rule: str = attrs.field(validator=_checks.text)
    detail: str = attrs.field(validator=_checks.text)
    weight: Decimal = attrs.field(default=Decimal(1), converter=_weight)


def _aware(instance: object, attribute: attrs.Attribute[dt.datetime], value: object) -> None:
    _checks.of_type(dt.datetime)(instance, attribute, value)
    assert isinstance(value, dt.datetime)
    if value.utcoffset() is None:
        raise InvalidValueError(
            _checks.field_name(instance, attribute),
            f"must carry a time zone, got naive {value.isoformat()}",
        )


@attrs.frozen(kw_only=True)
class Allocation:
    """An amount of one movement assigned to a target (see DESIGN.md, "Allocation").

    ``amount`` is always positive and in the movement's currency; whether it
    adds to or takes from an item follows from the movement's sign (the
    ledger's business). ``allocation_id`` is derived from what the allocation
    is, so the same decision made again has the same id and an export can tell
    which bookings it already sent.
    """

    movement_id: str = attrs.field(validator=_checks.text)
    target: AllocationTarget = attrs.field(
        validator=_checks.of_type((ItemTarget, ChargebackTarget, RefundTarget, WriteOff))
    )
    amount: Money = attrs.field(validator=_checks.positive_money)
    origin: Origin = attrs.field(validator=_checks.of_type(Origin))
    made_at: dt.datetime = attrs.field(validator=_aware)
    evidence: tuple[Evidence, ...] = attrs.field(default=(), validator=_checks.tuple_of(Evidence))

    @property
    def allocation_id(self) -> str:
        """A 16-hex-digit SHA-256 of movement, target, amount, origin and time.

        The amount is normalised (``80`` and ``80.00`` are the same) and the
        time taken in UTC, so equal allocations always have equal ids.
        """
        fields = (
            self.movement_id,
            type(self.target).__name__,
            *("" if value is None else str(value) for value in attrs.astuple(self.target)),
            normalised_amount(self.amount),
            str(self.amount.currency.code),
            self.origin.value,
            self.made_at.astimezone(dt.UTC).isoformat(),
        )
        return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:16]
