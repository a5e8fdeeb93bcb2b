"""Composable movement filters: the seed's filter bar as values.

Each criterion is a small frozen value; ``&`` combines criteria into an
:class:`AllOf`, and :func:`where` builds the usual combination from keyword
arguments::

    where(name="müller", amount_from=Decimal("10"), statuses={Status.COMPLETED})
        & BookedBetween(start=date(2026, 1, 1), end=date(2026, 1, 31))

A criterion answers two questions: ``matches(movement)`` for one movement,
and ``narrow(index, rows)`` for many at once over the ledger's columns. The
ledger runs the cheapest and most selective criteria first (a date range by
bisection, then codes, amounts, and text last), each on the rows the previous
ones left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

import attrs

from paymatch.errors import InvalidValueError
from paymatch.ledger.search import SearchIndex, fold
from paymatch.model import BookingType, Movement, Status
from paymatch.model.money import to_decimal

__all__ = [
    "AllOf",
    "AmountBetween",
    "BookedBetween",
    "Criterion",
    "InAccounts",
    "NameContains",
    "OfBookingTypes",
    "PurposeContains",
    "TransactionIdContains",
    "WithStatus",
    "where",
]


class Criterion:
    """One condition on movements. Subclasses set ``cost`` and implement both methods."""

    __slots__ = ()

    #: Evaluation order inside :class:`AllOf`: lower runs first.
    cost: ClassVar[int] = 5

    def matches(self, movement: Movement) -> bool:
        """Whether one movement meets the condition."""
        raise NotImplementedError

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        """The rows among ``rows`` (all rows if ``None``) whose movement meets the condition."""
        movements = index.movements
        return [row for row in index.rows(rows) if self.matches(movements[row])]

    def __and__(self, other: Criterion) -> AllOf:
        return AllOf(criteria=(*_parts(self), *_parts(other)))


def _parts(criterion: Criterion) -> tuple[Criterion, ...]:
    return criterion.criteria if isinstance(criterion, AllOf) else (criterion,)


def _needle(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}", "must be a non-empty string"
        )


@attrs.frozen
class NameContains(Criterion):
    """The counterparty name contains ``text`` (ignoring case, umlaut spelling and accents)."""

    text: str = attrs.field(validator=_needle)
    cost: ClassVar[int] = 4

    def matches(self, movement: Movement) -> bool:
        return fold(self.text) in fold(movement.counterparty.name)

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        names = index.column("name")
        needle = fold(self.text)
        return [row for row in index.rows(rows) if needle in names[row]]


@attrs.frozen
class PurposeContains(Criterion):
    """The remittance information contains ``text`` (same comparison as :class:`NameContains`)."""

    text: str = attrs.field(validator=_needle)
    cost: ClassVar[int] = 5

    def matches(self, movement: Movement) -> bool:
        return fold(self.text) in fold(movement.remittance_info)

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        purposes = index.column("purpose")
        needle = fold(self.text)
        return [row for row in index.rows(rows) if needle in purposes[row]]


@attrs.frozen
class TransactionIdContains(Criterion):
    """The transaction id contains ``text`` (ignoring case)."""

    text: str = attrs.field(validator=_needle)
    cost: ClassVar[int] = 3

    def matches(self, movement: Movement) -> bool:
        return self.text.casefold() in (movement.transaction_id or "").casefold()

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        ids = index.column("transaction_id")
        needle = self.text.casefold()
        return [row for row in index.rows(rows) if needle in ids[row]]


def _optional_decimal(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else to_decimal(value, field="AmountBetween")


@attrs.frozen
class AmountBetween(Criterion):
    """The signed amount is at least ``minimum`` and at most ``maximum`` (either may be open)."""

    minimum: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    maximum: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    cost: ClassVar[int] = 2

    def matches(self, movement: Movement) -> bool:
        amount = movement.amount.amount
        low, high = self.minimum, self.maximum
        return (low is None or amount >= low) and (high is None or amount <= high)

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        amounts = index.column("amount")
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return [row for row in index.rows(rows) if low <= amounts[row] <= high]
        if low is not None:
            return [row for row in index.rows(rows) if amounts[row] >= low]
        if high is not None:
            return [row for row in index.rows(rows) if amounts[row] <= high]
        return list(index.rows(rows))


def _frozen_strings(values: Iterable[str] | str) -> frozenset[str]:
    # One account key (or enum member: a str too) means that one, not its letters.
    return frozenset({values}) if isinstance(values, str) else frozenset(values)


def _frozen_types(values: Iterable[BookingType] | BookingType) -> frozenset[BookingType]:
    return frozenset({values}) if isinstance(values, BookingType) else frozenset(values)


def _frozen_statuses(values: Iterable[Status] | Status) -> frozenset[Status]:
    return frozenset({values}) if isinstance(values, Status) else frozenset(values)


@attrs.frozen
class InAccounts(Criterion):
    """The movement was booked on one of these accounts (``Account.key`` values)."""

    accounts: frozenset[str] = attrs.field(converter=_frozen_strings)
    cost: ClassVar[int] = 1

    def matches(self, movement: Movement) -> bool:
        return movement.account in self.accounts

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        accounts = index.column("account")
        wanted = self.accounts
        return [row for row in index.rows(rows) if accounts[row] in wanted]


@attrs.frozen
class OfBookingTypes(Criterion):
    """The movement has one of these booking types."""

    booking_types: frozenset[BookingType] = attrs.field(converter=_frozen_types)
    cost: ClassVar[int] = 1

    def matches(self, movement: Movement) -> bool:
        return movement.booking_type in self.booking_types

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        types = index.column("booking_type")
        wanted = self.booking_types
        return [row for row in index.rows(rows) if types[row] in wanted]


@attrs.frozen
class WithStatus(Criterion):
    """The movement has one of these statuses."""

    statuses: frozenset[Status] = attrs.field(converter=_frozen_statuses)
    cost: ClassVar[int] = 1

    def matches(self, movement: Movement) -> bool:
        return movement.status in self.statuses

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        statuses = index.column("status")
        wanted = self.statuses
        return [row for row in index.rows(rows) if statuses[row] in wanted]


@attrs.frozen
class BookedBetween(Criterion):
    """The booking date is on or after ``start`` and on or before ``end`` (either may be open)."""

    start: dt.date | None = None
    end: dt.date | None = None
    cost: ClassVar[int] = 0

    def matches(self, movement: Movement) -> bool:
        day = movement.booking_date
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        first = self.start.toordinal() if self.start else 1
        last = self.end.toordinal() if self.end else dt.date.max.toordinal()
        if rows is None:
            return sorted(index.rows_booked_between(first, last))
        ordinals = index.column("booking_date")
        return [row for row in rows if first <= ordinals[row] <= last]


@attrs.frozen
class AllOf(Criterion):
    """Every one of ``criteria`` holds; an empty ``AllOf`` matches every movement."""

    criteria: tuple[Criterion, ...] = ()

    def matches(self, movement: Movement) -> bool:
        return all(criterion.matches(movement) for criterion in self.criteria)

    def narrow(self, index: SearchIndex, rows: Iterable[int] | None) -> list[int]:
        result = None if rows is None else list(rows)
        for criterion in sorted(self.criteria, key=lambda criterion: criterion.cost):
            result = criterion.narrow(index, result)
            if not result:
                return []
        return list(index.rows(result))


def where(
    *,
    name: str | None = None,
    purpose: str | None = None,
    transaction_id: str | None = None,
    amount_from: Decimal | int | str | None = None,
    amount_to: Decimal | int | str | None = None,
    accounts: Iterable[str] | str | None = None,
    booking_types: Iterable[BookingType] | BookingType | None = None,
    statuses: Iterable[Status] | Status | None = None,
    booked_from: dt.date | None = None,
    booked_to: dt.date | None = None,
) -> AllOf:
    """The filter bar of the payment management: every argument given must hold.

    >>> where(name="Müller", statuses={Status.COMPLETED}).criteria
    (NameContains(text='Müller'), WithStatus(statuses=frozenset({<Status.COMPLETED: 'completed'>})))
    """
    criteria: list[Criterion] = []
    if name is not None:
        criteria.append(NameContains(name))
    if purpose is not None:
        criteria.append(PurposeContains(purpose))
    if transaction_id is not None:
        criteria.append(TransactionIdContains(transaction_id))
    if amount_from is not None or amount_to is not None:
        criteria.append(AmountBetween(amount_from, amount_to))
    if accounts is not None:
        criteria.append(InAccounts(accounts))
    if booking_types is not None:
        criteria.append(OfBookingTypes(booking_types))
    if statuses is not None:
        criteria.append(WithStatus(statuses))
    if booked_from is not None or booked_to is not None:
        criteria.append(BookedBetween(booked_from, booked_to))
    return AllOf(criteria=tuple(criteria))
