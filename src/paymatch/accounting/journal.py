"""The journal: double-entry bookings that the posting rules make and every export format writes.

A :class:`Booking` is one double entry — ``amount`` debited to one account and
credited to another — so it balances by construction, and a DATEV row, an SIE
``#TRANS`` pair and two FEC lines are each a direct rendering of it. The
bookings of one movement share its ``movement_id``; formats that group entries
into vouchers (SIE ``#VER``, FEC ``EcritureNum``) group by it.

``booking_id`` is stable: the same movement with the same allocation always
gives the same id, so an export can say which bookings it has already sent
(see :func:`paymatch.accounting.posting.booking_id`).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs
from moneyed import Money

from paymatch.model import BookingType, OpenItemKind, _checks

__all__ = ["Booking", "BookingKind", "Party", "PartyRole"]


class BookingKind(enum.StrEnum):
    """What a booking records; export filters and the formats' texts branch on it."""

    PAYMENT = "payment"  # money of a movement put on an open item: bank <-> debtor
    CASH_DISCOUNT = "cash_discount"  # Skonto written off an item: discount account <-> debtor
    FEE_DIFFERENCE = "fee_difference"  # a fee the payer's bank deducted, written off an item
    SMALL_DIFFERENCE = "small_difference"  # a rounding or tiny difference written off
    OTHER_WRITE_OFF = "other_write_off"  # written off for another reason (see the evidence)
    UNASSIGNED = "unassigned"  # money nobody has assigned yet: bank <-> suspense account
    REFUND = "refund"  # money sent back to a customer, or set aside to be sent back
    CHARGEBACK = "chargeback"  # a payment taken back: the customer owes the money again
    FEE = "fee"  # a bank or provider charge: fee expense <-> bank
    PAYOUT = "payout"  # a provider balance paid out to the bank, through money in transit
    TRANSFER = "transfer"  # money between two accounts of the business, through money in transit
    OUTGOING = "outgoing"  # a payment to a supplier: creditor <-> bank
    INTEREST = "interest"  # interest credited or charged by the bank


class PartyRole(enum.StrEnum):
    """Whether the party of a booking is a customer or a supplier."""

    DEBTOR = "debtor"  # a customer who owes us (Debitor)
    CREDITOR = "creditor"  # a supplier we owe (Kreditor)


@attrs.frozen(kw_only=True)
class Party:
    """The customer or supplier a booking is posted to, for debtor/creditor master-data exports.

    ``account`` is the ledger account the booking uses for them: a personal
    account (DATEV 10000-69999 for debtors, 70000-99999 for creditors with
    four-digit general-ledger accounts) or the collective account.
    """

    role: PartyRole = attrs.field(validator=_checks.of_type(PartyRole))
    account: str = attrs.field(validator=_checks.text)
    number: str | None = attrs.field(default=None, validator=_checks.optional_text)
    name: str | None = attrs.field(default=None, validator=_checks.optional_text)
    iban: str | None = attrs.field(default=None, validator=_checks.optional_text)
    bic: str | None = attrs.field(default=None, validator=_checks.optional_text)


@attrs.frozen(kw_only=True)
class Booking:
    """One double entry: ``amount`` debited (Soll) to ``debit`` and credited (Haben) to ``credit``.

    ``date`` is the movement's booking date. ``document`` is the document
    number the accountant clears open items with (DATEV Belegfeld 1): the
    invoice number, or the order number where there is no invoice. ``text``
    is the booking text (DATEV Buchungstext). ``tax_key`` is a DATEV
    BU-Schlüssel where the account needs one (a cash discount corrects VAT).
    ``account`` and ``booking_type`` are those of the movement it comes from,
    ``item`` and ``item_kind`` the open item it touches, if any — export
    filters select on them.
    """

    booking_id: str = attrs.field(validator=_checks.text)
    movement_id: str = attrs.field(validator=_checks.text)
    kind: BookingKind = attrs.field(validator=_checks.of_type(BookingKind))
    date: dt.date = attrs.field(validator=_checks.of_type(dt.date))
    amount: Money = attrs.field(validator=_checks.positive_money)
    debit: str = attrs.field(validator=_checks.text)
    credit: str = attrs.field(validator=_checks.text)
    text: str = attrs.field(validator=_checks.text)
    account: str = attrs.field(validator=_checks.text)
    booking_type: BookingType = attrs.field(validator=_checks.of_type(BookingType))
    document: str | None = attrs.field(default=None, validator=_checks.optional_text)
    tax_key: str | None = attrs.field(default=None, validator=_checks.optional_text)
    party: Party | None = attrs.field(default=None, validator=_checks.of_type(Party, optional=True))
    item: str | None = attrs.field(default=None, validator=_checks.optional_text)
    item_kind: OpenItemKind | None = attrs.field(
        default=None, validator=_checks.of_type(OpenItemKind, optional=True)
    )

    @property
    def currency(self) -> str:
        """The ISO 4217 code of the amount."""
        return str(self.amount.currency.code)
