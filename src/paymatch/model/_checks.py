"""Field validators shared by the value objects.

attrs calls a validator as ``validator(instance, attribute, value)``; each one
here raises :class:`~paymatch.errors.InvalidValueError` naming
``<Class>.<field>`` so a caller sees which value of which object was refused.

Parsers build a validated movement per statement line, so each validator first
accepts the common good value with one cheap test (exact type, already
stripped) and only then takes the slower path that finds the reason to refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
from moneyed import Money

from paymatch.errors import InvalidValueError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def field_name(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """``"Movement.amount"`` for the field being validated."""
    return f"{type(instance).__name__}.{attribute.name}"


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string without leading or trailing blanks."""
    if type(value) is str and value and value == value.strip():
        return
    if not isinstance(value, str):
        raise InvalidValueError(
            field_name(instance, attribute), f"must be a string, got {type(value).__name__}"
        )
    if not value.strip():
        raise InvalidValueError(field_name(instance, attribute), "must not be empty")
    if value != value.strip():
        raise InvalidValueError(
            field_name(instance, attribute),
            f"must not begin or end with blanks, got {value!r} (parsers strip what they read)",
        )


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """``None`` or a non-empty string; an empty string is refused so absence has one spelling."""
    if value is None or (type(value) is str and value and value == value.strip()):
        return
    text(instance, attribute, value)


def of_type(kind: type | tuple[type, ...], *, optional: bool = False) -> Validator:
    """A validator that refuses values not of ``kind`` (and ``None`` unless ``optional``)."""
    names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is kind or (value is None and optional):
            return
        # bool is an int and datetime a date; neither is what a field of the other means.
        wrong_bool = isinstance(value, bool) and kind is int
        wrong_datetime = isinstance(value, dt.datetime) and kind is dt.date
        if not isinstance(value, kind) or wrong_bool or wrong_datetime:
            raise InvalidValueError(
                field_name(instance, attribute),
                f"must be {names}{' or None' if optional else ''}, got {value!r}",
            )

    return check


def at_least(minimum: int, *, optional: bool = False) -> Validator:
    """A validator for an ``int`` (or ``None`` if ``optional``) of at least ``minimum``."""
    is_int = of_type(int, optional=optional)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is int and value >= minimum:
            return
        is_int(instance, attribute, value)
        if isinstance(value, int) and value < minimum:
            raise InvalidValueError(
                field_name(instance, attribute), f"must be at least {minimum}, got {value}"
            )

    return check


def money(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A ``moneyed.Money`` with a finite amount."""
    if type(value) is Money and value.amount.is_finite():
        return
    if not isinstance(value, Money):
        raise InvalidValueError(
            field_name(instance, attribute),
            f"must be moneyed.Money, got {type(value).__name__} {value!r}",
        )
    amount: Decimal = value.amount
    if not amount.is_finite():
        raise InvalidValueError(field_name(instance, attribute), f"must be finite, got {amount}")


def not_negative_money(instance: object, attribute: attrs.Attribute[Any], value: Money) -> None:
    """A ``Money`` of zero or more."""
    money(instance, attribute, value)
    if value.amount < 0:
        raise InvalidValueError(
            field_name(instance, attribute),
            f"must not be negative, got {value.amount} {value.currency.code}",
        )


def positive_money(instance: object, attribute: attrs.Attribute[Any], value: Money) -> None:
    """A ``Money`` greater than zero."""
    money(instance, attribute, value)
    if value.amount <= 0:
        raise InvalidValueError(
            field_name(instance, attribute),
            f"must be greater than zero, got {value.amount} {value.currency.code}",
        )


def tuple_of(kind: type) -> Validator:
    """A tuple whose every element is a ``kind`` (lists are refused: frozen objects hold tuples)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidValueError(
                field_name(instance, attribute),
                f"must be a tuple, got {type(value).__name__}",
            )
        for index, element in enumerate(value):
            if not isinstance(element, kind):
                raise InvalidValueError(
                    f"{field_name(instance, attribute)}[{index}]",
                    f"must be {kind.__name__}, got {type(element).__name__}",
                )

    return check
