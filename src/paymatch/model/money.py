"""Money helpers: building ``Money`` without floats, and writing amounts as text.

py-moneyed's ``Money`` already refuses to add two currencies; these helpers
close the other doors: a float never becomes an amount, and an amount is
always written as a plain decimal string (``"-12.50"``, never ``"-1.25E+1"``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from moneyed import Currency, Money, get_currency
from moneyed.classes import CurrencyDoesNotExist

from paymatch.errors import CurrencyMismatchError, InvalidValueError

__all__ = [
    "currency_code",
    "decimal_text",
    "normalised_amount",
    "require_same_currency",
    "to_decimal",
    "to_money",
]


def currency_code(value: str | Currency, *, field: str = "currency") -> str:
    """The ISO 4217 code of ``value``, checked against the known currencies.

    >>> currency_code("eur")
    'EUR'
    """
    code = value.code if isinstance(value, Currency) else str(value).strip().upper()
    try:
        get_currency(code)
    except CurrencyDoesNotExist:
        raise InvalidValueError(field, f"unknown ISO 4217 currency code {value!r}") from None
    return code


def to_decimal(value: Decimal | int | str, *, field: str = "amount") -> Decimal:
    """A finite ``Decimal`` from a decimal, an integer or a decimal string; floats are refused.

    >>> to_decimal("12.50")
    Decimal('12.50')
    >>> to_decimal(0.1)
    Traceback (most recent call last):
    ...
    paymatch.errors.InvalidValueError: amount: must be a Decimal, int or decimal string, not float
    """
    if type(value) is Decimal and value.is_finite():
        return value  # the common case, and Decimals are immutable
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidValueError(
            field, f"must be a Decimal, int or decimal string, not {type(value).__name__}"
        )
    try:
        result = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise InvalidValueError(field, f"must be a decimal number, got {value!r}") from None
    if not result.is_finite():
        raise InvalidValueError(field, f"must be finite, got {value!r}")
    return result


def to_money(
    amount: Decimal | int | str, currency: str | Currency, *, field: str = "amount"
) -> Money:
    """``Money`` from an exact amount and a currency code.

    >>> to_money("-12.5", "EUR")
    Money('-12.5', 'EUR')
    """
    return Money(
        to_decimal(amount, field=field), currency_code(currency, field=f"{field}.currency")
    )


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text, keeping its places and never using an exponent.

    >>> decimal_text(Decimal("1E+2")), decimal_text(Decimal("-0.50"))
    ('100', '-0.50')
    """
    return format(value, "f")


def normalised_amount(money: Money) -> str:
    """The amount as identities hash it: equal amounts give equal text, whatever their places.

    >>> normalised_amount(to_money("120.00", "EUR")), normalised_amount(to_money("-0.0", "EUR"))
    ('120', '0')
    """
    amount: Decimal = money.amount
    return decimal_text((amount + 0).normalize())


def require_same_currency(field: str, expected: Money, actual: Money) -> None:
    """Raise :class:`CurrencyMismatchError` unless both amounts share a currency."""
    if expected.currency != actual.currency:
        raise CurrencyMismatchError(
            field,
            f"must be in {expected.currency.code}, got {actual.amount} {actual.currency.code}",
        )
