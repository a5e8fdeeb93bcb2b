"""Accounts: where money is kept — a bank account or a payment-provider account."""

from __future__ import annotations

import enum

import attrs

from paymatch.errors import InvalidValueError
from paymatch.model import _checks
from paymatch.model.identifiers import compact_bic, compact_iban
from paymatch.model.money import currency_code

__all__ = ["Account", "AccountKind"]


class AccountKind(enum.StrEnum):
    """Who keeps the account; decides which formats and booking rules apply."""

    BANK = "bank"  # a bank account, usually with an IBAN
    PAYPAL = "paypal"  # a PayPal merchant balance
    MOLLIE = "mollie"  # a Mollie balance
    AMAZON_PAY = "amazon_pay"  # an Amazon Pay / marketplace settlement account
    STRIPE = "stripe"  # a Stripe balance
    ADYEN = "adyen"  # an Adyen merchant account
    KLARNA = "klarna"  # a Klarna merchant settlement account
    POS = "pos"  # a point-of-sale till (cash and card taken at the counter)
    OTHER = "other"  # anything else that holds money for the business


def _currency(value: str) -> str:
    return currency_code(value, field="Account.currency")


def _iban_or_none(value: str | None) -> str | None:
    return None if value is None else compact_iban(value, field="Account.iban")


def _bic_or_none(value: str | None) -> str | None:
    return None if value is None else compact_bic(value, field="Account.bic")


@attrs.frozen(kw_only=True)
class Account:
    """A bank or provider account in one currency.

    ``key`` identifies the account inside paymatch: the IBAN where there is
    one, otherwise ``"<kind>:<identifier>"`` (a provider merchant id, a bank's
    own account number). A provider balance in several currencies is one
    ``Account`` per currency, because balances only add up within one.

    >>> Account(kind=AccountKind.BANK, iban="DE89 3704 0044 0532 0130 00", currency="eur").key
    'DE89370400440532013000'
    >>> Account(kind=AccountKind.PAYPAL, identifier="shop@example.com", currency="EUR").key
    'paypal:shop@example.com'
    """

    kind: AccountKind = attrs.field(validator=_checks.of_type(AccountKind))
    currency: str = attrs.field(converter=_currency)
    iban: str | None = attrs.field(default=None, converter=_iban_or_none)
    bic: str | None = attrs.field(default=None, converter=_bic_or_none)
    identifier: str | None = attrs.field(default=None, validator=_checks.optional_text)
    name: str | None = attrs.field(default=None, validator=_checks.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.iban is None and self.identifier is None:
            raise InvalidValueError(
                "Account.identifier", "an account needs an iban or an identifier"
            )

    @property
    def key(self) -> str:
        """The account's identity inside paymatch (see the class docstring)."""
        if self.iban is not None:
            return self.iban
        return f"{self.kind.value}:{self.identifier}"
