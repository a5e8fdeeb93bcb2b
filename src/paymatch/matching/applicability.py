"""Which movements the engine leaves alone, and the payments chargebacks and refunds belong to.

Only completed, visible incoming payments without allocations, booked by the
as-of date, are matched against open items. Everything else gets the status
``not_applicable`` with the reason: outgoing payments, bank and provider fees,
payouts, interest, transfers between own accounts, refunds and chargebacks,
pending, failed or cancelled movements, hidden ones, and movements the ledger
already has allocations for (manual work is never touched, and running the
engine twice assigns nothing twice).

A chargeback, refund or fee is linked to the payment it belongs to: by its
reference transaction id, by the end-to-end id it repeats, by mandate and
amount (a returned direct debit), or by a transaction id or end-to-end id of a
payment quoted in its text. A link is given only when exactly one payment
fits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from paymatch.errors import UnknownMovementError
from paymatch.ledger import Ledger
from paymatch.model import Allocation, BookingType, Evidence, Movement, Status

__all__ = ["PaymentLinks", "not_applicable_reason"]

#: Booking types that are never a customer paying an open item.
_NOT_PAYMENTS = {
    BookingType.OUTGOING: "an outgoing payment",
    BookingType.FEE: "a fee",
    BookingType.PAYOUT: "a payout",
    BookingType.INTEREST: "interest",
    BookingType.TRANSFER: "a transfer between own accounts",
    BookingType.REFUND: "a refund",
    BookingType.CHARGEBACK: "a chargeback",
    BookingType.SEPA_PRENOTIFIED: "an announced direct debit, not yet booked",
}

#: Booking types whose movement belongs to an earlier payment.
_LINKED = frozenset({BookingType.REFUND, BookingType.CHARGEBACK, BookingType.FEE})

_TOKEN = re.compile(r"[^\s,;()]+")


def not_applicable_reason(
    movement: Movement, *, as_of: dt.date, ledger: Ledger | None
) -> str | None:
    """Why the engine does not match ``movement``, or ``None`` if it does.

    When the ledger knows the movement, its copy decides (it may have been
    hidden since the statement was read).
    """
    allocations: tuple[Allocation, ...] = ()
    if ledger is not None:
        try:
            movement = ledger.movement(movement.movement_id)
            allocations = ledger.allocations_of(movement.movement_id)
        except UnknownMovementError:
            pass
    if movement.status is not Status.COMPLETED:
        return f"{movement.status.value}: only completed movements are assigned"
    if movement.hidden:
        return "hidden: hidden movements are never assigned automatically"
    if movement.booking_date > as_of:
        return f"booked {movement.booking_date.isoformat()}, after the as-of date {as_of}"
    kind = _NOT_PAYMENTS.get(movement.booking_type)
    if kind is not None:
        return f"{kind}, not a payment for open items"
    if movement.amount.amount <= 0:
        return "money out (or nothing), not a payment for open items"
    if allocations:
        origins = sorted({allocation.origin.value for allocation in allocations})
        return f"already has {' and '.join(origins)} allocations in the ledger"
    return None


class PaymentLinks:
    """Incoming payments by the ids a chargeback, refund or fee may quote."""

    def __init__(self, movements: Iterable[Movement]) -> None:
        self._by_transaction_id: dict[str, list[Movement]] = {}
        self._by_end_to_end_id: dict[str, list[Movement]] = {}
        self._by_mandate: dict[tuple[str, object], list[Movement]] = {}
        for movement in movements:
            if movement.amount.amount <= 0:
                continue
            if movement.transaction_id:
                self._by_transaction_id.setdefault(movement.transaction_id, []).append(movement)
            if movement.end_to_end_id:
                self._by_end_to_end_id.setdefault(movement.end_to_end_id, []).append(movement)
            if movement.mandate_id:
                key = (movement.mandate_id, movement.amount)
                self._by_mandate.setdefault(key, []).append(movement)

    def payment_of(self, movement: Movement) -> tuple[str, Evidence] | None:
        """The id of the one payment ``movement`` belongs to, with how it was found."""
        if movement.booking_type not in _LINKED and movement.amount.amount >= 0:
            return None
        for rule, value, found in self._candidates(movement):
            others = [m for m in found if m.movement_id != movement.movement_id]
            if len(others) == 1:
                payment = others[0]
                detail = (
                    f"{rule.replace('_', ' ')} {value} is that of payment {payment.movement_id}"
                )
                return payment.movement_id, Evidence(rule=f"related.{rule}", detail=detail)
        return None

    def _candidates(self, movement: Movement) -> Iterable[tuple[str, str, list[Movement]]]:
        if movement.reference_transaction_id:
            value = movement.reference_transaction_id
            yield "reference_transaction_id", value, self._by_transaction_id.get(value, [])
        if movement.end_to_end_id:
            value = movement.end_to_end_id
            yield "end_to_end_id", value, self._by_end_to_end_id.get(value, [])
        if movement.mandate_id:
            key = (movement.mandate_id, abs(movement.amount))
            yield "mandate_id", movement.mandate_id, self._by_mandate.get(key, [])
        for token in _TOKEN.findall(movement.remittance_info or ""):
            if token in self._by_transaction_id:
                yield "transaction_id", token, self._by_transaction_id[token]
            if token in self._by_end_to_end_id:
                yield "end_to_end_id", token, self._by_end_to_end_id[token]
