"""Which bookings an export takes: the accounting export's filters.

An automatic accounting export is set up per company or client, for chosen
document and payment types, optionally with payments of incoming invoices,
over a date range. Here those choices select bookings:

- ``accounts``: the movement accounts (IBANs, provider account keys) that belong
  to the company or client being exported; empty means all;
- ``kinds``: the booking kinds (payments, fees, cash discounts...); empty means all;
- ``item_kinds``: the document types of the items paid (orders, invoices);
  bookings that touch no item pass this filter;
- ``booking_types``: the payment types, as the movements' booking types;
- ``incoming_invoices``: whether payments to suppliers are exported;
- ``date_from`` / ``date_to``: the booking dates, both ends included.

>>> ExportSelection(kinds=(BookingKind.FEE,)).kinds
(<BookingKind.FEE: 'fee'>,)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from paymatch.accounting.journal import Booking, BookingKind
from paymatch.errors import InvalidValueError
from paymatch.model import BookingType, OpenItemKind, _checks

__all__ = ["ExportSelection"]


@attrs.frozen(kw_only=True)
class ExportSelection:
    """The filters of an export (see the module docstring); the defaults select everything."""

    date_from: dt.date | None = attrs.field(
        default=None, validator=_checks.of_type(dt.date, optional=True)
    )
    date_to: dt.date | None = attrs.field(
        default=None, validator=_checks.of_type(dt.date, optional=True)
    )
    accounts: tuple[str, ...] = attrs.field(default=(), validator=_checks.tuple_of(str))
    kinds: tuple[BookingKind, ...] = attrs.field(
        default=(), validator=_checks.tuple_of(BookingKind)
    )
    item_kinds: tuple[OpenItemKind, ...] = attrs.field(
        default=(), validator=_checks.tuple_of(OpenItemKind)
    )
    booking_types: tuple[BookingType, ...] = attrs.field(
        default=(), validator=_checks.tuple_of(BookingType)
    )
    incoming_invoices: bool = attrs.field(default=True, validator=_checks.of_type(bool))

    def __attrs_post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidValueError(
                "ExportSelection.date_to",
                f"must not be before date_from {self.date_from}, got {self.date_to}",
            )

    def selects(self, booking: Booking) -> bool:
        """Whether ``booking`` passes every filter."""
        return (
            (self.date_from is None or booking.date >= self.date_from)
            and (self.date_to is None or booking.date <= self.date_to)
            and (not self.accounts or booking.account in self.accounts)
            and (not self.kinds or booking.kind in self.kinds)
            and (
                not self.item_kinds
                or booking.item_kind is None
                or booking.item_kind in self.item_kinds
            )
            and (not self.booking_types or booking.booking_type in self.booking_types)
            and (self.incoming_invoices or booking.kind is not BookingKind.OUTGOING)
        )

    def select(self, bookings: Iterable[Booking]) -> Iterator[Booking]:
        """The bookings that pass, in their order."""
        return (booking for booking in bookings if self.selects(booking))
