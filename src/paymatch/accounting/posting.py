"""Posting rules: the ledger's movements and allocations as double-entry bookings.

Every completed movement is booked in full against the ledger account of the
account it was booked on (the bank account, or a provider's clearing account
mapped in ``ledger_accounts``): money in is debited there, money out credited.
The other side follows what the ledger knows about the money:

- an allocation to an open item -> the customer's debtor account (``payment``);
- an allocation to a chargeback -> the debtor of the payment charged back;
- money set aside for a refund -> the suspense account, which the outgoing
  refund transfer clears when it is booked (``refund``);
- a write-off without an item (a small over-payment) -> small differences;
- what nobody assigned -> by booking type: fees to the fee account, payouts and
  transfers through money in transit, interest to interest income or expense,
  a chargeback or refund to the debtor of the payment it belongs to (found
  through ``reference_transaction_id``), an outgoing payment to a known
  creditor (``creditors`` maps IBANs to creditor accounts) — everything else
  to the suspense account (``unassigned``), where the accountant sees it.

A write-off on an item (cash discount, fee difference) moves no money: it is
booked from the discount (or fee, or small-differences) account to the debtor,
so the item is cleared in the books as it is in the ledger.

Pending, failed and cancelled movements are not booked: no money has moved.
Hidden movements are: hiding keeps a movement out of the assignment work, but
the money is on the account and the books must show it.

Booking ids are stable: the first 16 hex digits of the SHA-256 of the movement
id, the rule's part (``alloc`` or ``rest``), the allocation's target and amount,
and an ordinal among equal ones. They do not include when an allocation was
made, so the same decision made again on a later run gives the same id and is
not exported twice.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator

import attrs
from moneyed import Money

from paymatch.accounting.chart import Chart, account_table, chart_preset
from paymatch.accounting.journal import Booking, BookingKind, Party, PartyRole
from paymatch.errors import InvalidValueError, UnknownMovementError
from paymatch.ledger import Ledger
from paymatch.model import (
    Allocation,
    BookingType,
    ChargebackTarget,
    ItemTarget,
    Movement,
    OpenItem,
    RefundTarget,
    Status,
    WriteOff,
    WriteOffReason,
    _checks,
)
from paymatch.model.money import normalised_amount

__all__ = ["PostingRules", "post"]


@attrs.frozen(kw_only=True)
class PostingRules:
    """How movements become bookings: the chart, its overrides and the account maps.

    ``chart`` names a preset (``SKR03``, ``SKR04``); ``accounts`` overrides
    single rules of it by name (``{"fees": "4971"}``). ``ledger_accounts``
    maps a movement's account key (the IBAN, or a provider account's key) to
    its general-ledger account; unmapped accounts use the chart's bank
    account. Debtors are posted to the collective debtor account unless
    ``debtors`` maps the customer number to a personal account, or
    ``personal_debtors`` is on and the customer number is all digits: then
    the personal account is ``debtor_offset`` plus that number (DATEV debtor
    accounts start at 10000 with four-digit general-ledger accounts).
    ``creditors`` maps a supplier's IBAN to its creditor account, so outgoing
    payments to it are booked as paid invoices.
    """

    chart: str = attrs.field(default="SKR03", validator=_checks.text)
    accounts: dict[str, str] = attrs.field(factory=dict, validator=account_table)
    ledger_accounts: dict[str, str] = attrs.field(factory=dict, validator=account_table)
    personal_debtors: bool = attrs.field(default=False, validator=_checks.of_type(bool))
    debtor_offset: int = attrs.field(default=0, validator=_checks.at_least(0))
    debtors: dict[str, str] = attrs.field(factory=dict, validator=account_table)
    creditors: dict[str, str] = attrs.field(factory=dict, validator=account_table)

    def __attrs_post_init__(self) -> None:
        self.resolved_chart()  # an unknown chart or rule name is refused here, by its key

    def resolved_chart(self) -> Chart:
        """The preset with the overrides applied."""
        try:
            preset = chart_preset(self.chart)
        except InvalidValueError as error:
            raise InvalidValueError("PostingRules.chart", error.reason) from None
        return preset.with_overrides(self.accounts, where="PostingRules.accounts")


def post(ledger: Ledger, rules: PostingRules | None = None) -> tuple[Booking, ...]:
    """The bookings of every completed movement in ``ledger``, in the ledger's order."""
    poster = _Poster(ledger, rules or PostingRules())
    return tuple(booking for movement in ledger.movements for booking in poster.post(movement))


#: The booking type decides the other side of money nobody assigned; absent types go to suspense.
_REST_KINDS = {
    BookingType.FEE: BookingKind.FEE,
    BookingType.PAYOUT: BookingKind.PAYOUT,
    BookingType.TRANSFER: BookingKind.TRANSFER,
    BookingType.INTEREST: BookingKind.INTEREST,
    BookingType.CHARGEBACK: BookingKind.CHARGEBACK,
    BookingType.REFUND: BookingKind.REFUND,
}

_WRITE_OFF_KINDS = {
    WriteOffReason.CASH_DISCOUNT: BookingKind.CASH_DISCOUNT,
    WriteOffReason.FEE_DIFFERENCE: BookingKind.FEE_DIFFERENCE,
    WriteOffReason.SMALL_DIFFERENCE: BookingKind.SMALL_DIFFERENCE,
    WriteOffReason.OTHER: BookingKind.OTHER_WRITE_OFF,
}

#: Words of the booking texts, one per kind.
_LABELS = {
    BookingKind.PAYMENT: "payment",
    BookingKind.CASH_DISCOUNT: "cash discount",
    BookingKind.FEE_DIFFERENCE: "fee difference",
    BookingKind.SMALL_DIFFERENCE: "small difference",
    BookingKind.OTHER_WRITE_OFF: "write-off",
    BookingKind.UNASSIGNED: "unassigned",
    BookingKind.REFUND: "refund",
    BookingKind.CHARGEBACK: "chargeback",
    BookingKind.FEE: "fee",
    BookingKind.PAYOUT: "payout",
    BookingKind.TRANSFER: "transfer",
    BookingKind.OUTGOING: "payment to supplier",
    BookingKind.INTEREST: "interest",
}


@attrs.frozen
class _Side:
    """The other side of a booking: account, kind, and what it says about the item and party."""

    kind: BookingKind
    account: str
    party: Party | None = None
    item: OpenItem | None = None
    tax_key: str | None = None


class _Poster:
    """The posting rules applied to one ledger (the chart is resolved once)."""

    def __init__(self, ledger: Ledger, rules: PostingRules) -> None:
        self._ledger = ledger
        self._rules = rules
        self._chart = rules.resolved_chart()

    def post(self, movement: Movement) -> Iterator[Booking]:
        """The bookings of one movement: its allocations, then its rest, then item write-offs."""
        if movement.status is not Status.COMPLETED or movement.amount.amount == 0:
            return
        movement_id = movement.movement_id
        allocations = self._ledger.allocations_of(movement_id)
        seen: Counter[str] = Counter()
        spent = Money(0, movement.currency)
        for allocation in allocations:
            if allocation.target.uses_movement_money:
                spent += allocation.amount
                side = self._side_of(movement, allocation)
                yield self._money_booking(
                    movement, side, allocation.amount, "alloc", allocation, seen
                )
        rest = abs(movement.amount) - spent
        if rest.amount > 0:
            side = self._rest_side(movement)
            yield self._money_booking(movement, side, rest, "rest", None, seen)
        for allocation in allocations:
            if not allocation.target.uses_movement_money:
                yield self._write_off_booking(movement, allocation, seen)

    # -- the other side ------------------------------------------------------

    def _side_of(self, movement: Movement, allocation: Allocation) -> _Side:
        target = allocation.target
        if isinstance(target, ItemTarget):
            item = self._ledger.item(target.number)
            return _Side(BookingKind.PAYMENT, *self._debtor(item, movement), item=item)
        if isinstance(target, ChargebackTarget):
            return self._debtor_of_payment(BookingKind.CHARGEBACK, target.payment, movement)
        if isinstance(target, RefundTarget):
            return _Side(BookingKind.REFUND, self._chart.suspense)
        assert isinstance(target, WriteOff)  # a write-off without an item spends movement money
        return _Side(_WRITE_OFF_KINDS[target.reason], self._difference_account(movement, target))

    def _rest_side(self, movement: Movement) -> _Side:
        kind = _REST_KINDS.get(movement.booking_type)
        chart = self._chart
        if kind is BookingKind.FEE:
            return _Side(kind, chart.fees)
        if kind in (BookingKind.PAYOUT, BookingKind.TRANSFER):
            return _Side(kind, chart.money_in_transit)
        if kind is BookingKind.INTEREST:
            income = movement.amount.amount > 0
            return _Side(kind, chart.interest_income if income else chart.interest_expense)
        if kind in (BookingKind.CHARGEBACK, BookingKind.REFUND):
            return self._debtor_of_payment(kind, None, movement)
        creditor = self._creditor(movement)
        if creditor is not None and movement.amount.amount < 0:
            return _Side(BookingKind.OUTGOING, creditor.account, party=creditor)
        return _Side(BookingKind.UNASSIGNED, chart.suspense)

    def _difference_account(self, movement: Movement, write_off: WriteOff) -> str:
        """Where money (or an item's rest) written off goes: by reason, and by gain or loss."""
        chart = self._chart
        if write_off.reason is WriteOffReason.CASH_DISCOUNT:
            return chart.cash_discount
        if write_off.reason is WriteOffReason.FEE_DIFFERENCE:
            return chart.fees
        gained = write_off.item is None and movement.amount.amount > 0
        return chart.small_differences_income if gained else chart.small_differences_expense

    def _debtor(self, item: OpenItem, movement: Movement) -> tuple[str, Party]:
        rules = self._rules
        number = item.customer_number
        account = self._chart.debtors
        if number is not None and number in rules.debtors:
            account = rules.debtors[number]
        elif rules.personal_debtors and number is not None and number.isdigit():
            account = str(rules.debtor_offset + int(number))
        iban = item.ibans[0] if item.ibans else movement.counterparty.iban
        party = Party(
            role=PartyRole.DEBTOR,
            account=account,
            number=number,
            name=item.customer_name or movement.counterparty.name,
            iban=iban,
            bic=movement.counterparty.bic if iban == movement.counterparty.iban else None,
        )
        return account, party

    def _debtor_of_payment(
        self, kind: BookingKind, payment_id: str | None, movement: Movement
    ) -> _Side:
        """The debtor of the payment a chargeback or refund belongs to; suspense if unknown."""
        for payment in self._payments_behind(payment_id, movement):
            for allocation in self._ledger.allocations_of(payment.movement_id):
                if isinstance(allocation.target, ItemTarget):
                    item = self._ledger.item(allocation.target.number)
                    return _Side(kind, *self._debtor(item, payment), item=item)
        return _Side(kind, self._chart.suspense)

    def _payments_behind(self, payment_id: str | None, movement: Movement) -> Iterable[Movement]:
        if payment_id is not None:
            payment = self._known(payment_id)
            if payment is not None:  # else charged back from a payment this ledger does not hold
                yield payment
        if movement.reference_transaction_id is not None:
            yield from self._ledger.related(movement.movement_id)

    def _known(self, movement_id: str) -> Movement | None:
        try:
            return self._ledger.movement(movement_id)
        except UnknownMovementError:
            return None

    def _creditor(self, movement: Movement) -> Party | None:
        iban = movement.counterparty.iban
        account = self._rules.creditors.get(iban) if iban else None
        if account is None:
            return None
        return Party(
            role=PartyRole.CREDITOR,
            account=account,
            name=movement.counterparty.name,
            iban=iban,
            bic=movement.counterparty.bic,
        )

    # -- bookings ------------------------------------------------------------

    def _money_booking(
        self,
        movement: Movement,
        side: _Side,
        amount: Money,
        part: str,
        allocation: Allocation | None,
        seen: Counter[str],
    ) -> Booking:
        """A booking of the movement's money: its ledger account against ``side``."""
        own = self._rules.ledger_accounts.get(movement.account, self._chart.bank)
        debit, credit = (own, side.account) if movement.amount.amount > 0 else (side.account, own)
        return self._booking(movement, side, amount, debit, credit, part, allocation, seen)

    def _write_off_booking(
        self, movement: Movement, allocation: Allocation, seen: Counter[str]
    ) -> Booking:
        """A write-off on an item: the difference account against the item's debtor."""
        target = allocation.target
        assert isinstance(target, WriteOff)
        assert target.item is not None
        item = self._ledger.item(target.item)
        account, party = self._debtor(item, movement)
        kind = _WRITE_OFF_KINDS[target.reason]
        difference = self._difference_account(movement, target)
        tax_key = self._chart.cash_discount_tax_key if kind is BookingKind.CASH_DISCOUNT else None
        side = _Side(kind, account, party=party, item=item, tax_key=tax_key)
        debit, credit = (
            (difference, account) if movement.amount.amount > 0 else (account, difference)
        )
        return self._booking(
            movement, side, allocation.amount, debit, credit, "alloc", allocation, seen
        )

    def _booking(
        self,
        movement: Movement,
        side: _Side,
        amount: Money,
        debit: str,
        credit: str,
        part: str,
        allocation: Allocation | None,
        seen: Counter[str],
    ) -> Booking:
        item = side.item
        document = None if item is None else item.invoice_number or item.number
        return Booking(
            booking_id=_booking_id(movement.movement_id, part, allocation, amount, seen),
            movement_id=movement.movement_id,
            kind=side.kind,
            date=movement.booking_date,
            amount=amount,
            debit=debit,
            credit=credit,
            text=_text(side, document, movement),
            account=movement.account,
            booking_type=movement.booking_type,
            document=document,
            tax_key=side.tax_key,
            party=side.party,
            item=None if item is None else item.number,
            item_kind=None if item is None else item.kind,
        )


def _booking_id(
    movement_id: str, part: str, allocation: Allocation | None, amount: Money, seen: Counter[str]
) -> str:
    """The stable id: movement, part, target and amount, and an ordinal among equal ones."""
    target: tuple[str, ...] = ()
    if allocation is not None:
        values = attrs.astuple(allocation.target)
        target = (type(allocation.target).__name__, *("" if v is None else str(v) for v in values))
    key = "\x1f".join((movement_id, part, *target, normalised_amount(amount), amount.currency.code))
    ordinal = seen[key]
    seen[key] += 1
    return hashlib.sha256(f"{key}\x1f{ordinal}".encode()).hexdigest()[:16]


def _text(side: _Side, document: str | None, movement: Movement) -> str:
    """The booking text: what happened, the document, and who paid or was paid."""
    name = side.party.name if side.party is not None else movement.counterparty.name
    words = [_LABELS[side.kind], document, name]
    if document is None and movement.remittance_info:
        words.append(movement.remittance_info)
    return " ".join(" ".join(word.split()) for word in words if word)
