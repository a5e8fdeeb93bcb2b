"""What the matching engine may decide alone: thresholds, weights and tolerances.

The engine scores every way a payment could be explained (a *plan*: which items
it pays and how) by combining the weights of the evidence for it. It assigns
automatically only when the best plan scores at least ``threshold`` **and**
beats the best rival plan by ``margin``; a plan scoring ``suggest_from`` or more
is offered as a suggestion. The defaults are tuned on the labelled benchmark
(``benchmarks/match_quality.py``) so that reference + amount, IBAN + amount,
an exact name + amount and the other clear cases clear the threshold, and amount
alone, a vague name or a typo without the right amount never do.

Evidence that identifies (a reference, an IBAN...) and evidence about the
amount are combined like independent signals: ``1 - (1 - a) * (1 - b)``; an
against-weight (negative) then scales the result down by ``1 + weight``.

A TOML file sets any of these; unknown keys are refused and errors name the
key path (see :mod:`paymatch.settings`):

>>> config = MatchConfig.from_toml('''
... threshold = 0.95
... [weights]
... iban = 0.8
... ''')
>>> config.threshold, config.weights.iban, config.margin
(Decimal('0.95'), Decimal('0.8'), Decimal('0.10'))
>>> MatchConfig.from_toml("[weights]\\niban = 2")
Traceback (most recent call last):
...
paymatch.errors.InvalidValueError: weights.iban: must be between -1 and 1, got 2
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from paymatch.errors import InvalidValueError
from paymatch.settings import settings_from_mapping, settings_from_toml

__all__ = ["MatchConfig", "Weights"]


def _weights_in_range(instance: Weights, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not -1 <= value <= 1:
        raise InvalidValueError(
            f"weights.{attribute.name}", f"must be between -1 and 1, got {value}"
        )


def _checked_share(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not 0 <= value <= 1:
        raise InvalidValueError(attribute.name, f"must be between 0 and 1, got {value}")


def _not_negative(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value < 0:
        raise InvalidValueError(attribute.name, f"must not be negative, got {value}")


@attrs.frozen(kw_only=True)
class Weights:
    """How much each kind of evidence counts (-1 to 1; negative is evidence against).

    Identifying evidence points at an item or a customer; amount evidence says
    how well the money fits the plan; against-evidence lowers every plan it
    concerns.
    """

    # identifying an item directly
    transaction_id: Decimal = Decimal("0.99")  # the provider transaction id stored with the item
    creditor_reference: Decimal = Decimal("0.99")  # the item's RF reference, structured
    end_to_end_id: Decimal = Decimal("0.97")  # the end-to-end id is the item's number/reference
    payment_reference: Decimal = Decimal("0.97")  # the item's stored payment reference in text
    reference: Decimal = Decimal("0.95")  # the item's order or invoice number in the text
    reference_typo: Decimal = Decimal("0.70")  # a number one typo away from exactly one item
    # identifying the customer (and so each of the customer's items)
    customer_number: Decimal = Decimal("0.70")  # the customer number in the text
    iban: Decimal = Decimal("0.70")  # the payer's IBAN is one the customer is known by
    payer: Decimal = Decimal("0.70")  # the payer's IBAN was assigned to the customer before
    name: Decimal = Decimal("0.65")  # times the name similarity, from ``name_cutoff`` up
    # the amount
    amount_exact: Decimal = Decimal("0.75")  # the payment is exactly the open amount
    amount_combined: Decimal = Decimal("0.70")  # exactly the sum of several open items
    cash_discount: Decimal = Decimal("0.70")  # the open amount less the item's cash discount
    fee_difference: Decimal = Decimal("0.50")  # short of the open amount by a tolerated fee
    # against
    unknown_reference: Decimal = Decimal("-0.60")  # the text quotes a number we have not open
    #: a part or over-payment of an item no clue names itself (only its customer is known)
    unnamed_part_payment: Decimal = Decimal("-0.40")

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(Weights):
            value = getattr(self, field.name)
            if not isinstance(value, Decimal) or not -1 <= value <= 1:
                raise InvalidValueError(
                    f"weights.{field.name}", f"must be between -1 and 1, got {value}"
                )


@attrs.frozen(kw_only=True)
class MatchConfig:
    """The engine's decision settings (see the module docstring)."""

    threshold: Decimal = attrs.field(default=Decimal("0.90"), validator=_checked_share)
    margin: Decimal = attrs.field(default=Decimal("0.10"), validator=_checked_share)
    suggest_from: Decimal = attrs.field(default=Decimal("0.50"), validator=_checked_share)
    #: a payer name counts from this similarity (0 to 1) to a customer name
    name_cutoff: Decimal = attrs.field(default=Decimal("0.85"), validator=_checked_share)
    #: an item may be short-paid by up to this much (in the payment's currency) as a fee
    fee_tolerance: Decimal = attrs.field(default=Decimal("1.00"), validator=_not_negative)
    #: how far a cash discount may be off the item's percent, for rounding
    discount_rounding: Decimal = attrs.field(default=Decimal("0.01"), validator=_not_negative)
    #: at most this many items in one combined payment (subset-sum is bounded)
    max_combined_items: int = attrs.field(default=4, validator=attrs.validators.ge(2))
    #: a customer with more open items than this is not searched for combinations
    max_customer_items: int = attrs.field(default=24, validator=attrs.validators.ge(2))
    #: how many suggestions a result lists at most
    max_suggestions: int = attrs.field(default=3, validator=attrs.validators.ge(0))
    #: matchers (by name) that are not run, built-in or plugin
    disabled_matchers: tuple[str, ...] = ()
    weights: Weights = attrs.field(factory=Weights)

    @classmethod
    def from_toml(cls, text: str) -> MatchConfig:
        """The configuration a TOML document describes; errors name the key path."""
        return settings_from_toml(text, cls)

    @classmethod
    def from_mapping(cls, document: dict[str, Any], *, prefix: str = "") -> MatchConfig:
        """The configuration of a parsed TOML table (``prefix``: its key path in errors)."""
        return settings_from_mapping(document, cls, prefix=prefix)
