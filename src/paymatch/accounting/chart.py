"""Charts of accounts: which general-ledger account each posting rule books to.

German businesses keep their books on one of DATEV's standard charts, SKR03
(process-oriented) or SKR04 (balance-sheet-oriented); the presets below name the
account of each chart that a rule uses. Any of them can be overridden in the
export configuration (``[posting.accounts]``), and a different chart entirely is
just a full set of overrides.

=========================  ======  ======  ======================================================
rule                       SKR03   SKR04   account
=========================  ======  ======  ======================================================
bank                       1200    1800    Bank (a movement's account unless mapped otherwise)
money_in_transit           1360    1460    Geldtransit: payouts and transfers between own accounts
debtors                    1400    1200    Forderungen aus Lieferungen und Leistungen (collective)
creditors                  1600    3300    Verbindlichkeiten aus Lieferungen und Leistungen
suspense                   1590    1370    Durchlaufende Posten: money nobody has assigned yet
fees                       4970    6855    Nebenkosten des Geldverkehrs: bank and provider fees
cash_discount              8730    4730    Gewährte Skonti (with tax key 3: 19 % VAT corrected)
small_differences_expense  4900    6300    Sonstige betriebliche Aufwendungen: differences lost
small_differences_income   2700    4830    Sonstige (betriebliche) Erträge: differences gained
interest_income            2650    7100    Sonstige Zinsen und ähnliche Erträge
interest_expense           2100    7300    Zinsen und ähnliche Aufwendungen
=========================  ======  ======  ======================================================

>>> SKR04.fees
'6855'
>>> chart_preset("skr03").with_overrides({"fees": "4971"}).fees
'4971'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from paymatch.errors import InvalidValueError
from paymatch.model import _checks

__all__ = ["SKR03", "SKR04", "Chart", "account_table", "chart_preset"]


@attrs.frozen(kw_only=True)
class Chart:
    """The general-ledger accounts the posting rules use (see the module table)."""

    name: str = attrs.field(validator=_checks.text)
    bank: str = attrs.field(validator=_checks.text)
    money_in_transit: str = attrs.field(validator=_checks.text)
    debtors: str = attrs.field(validator=_checks.text)
    creditors: str = attrs.field(validator=_checks.text)
    suspense: str = attrs.field(validator=_checks.text)
    fees: str = attrs.field(validator=_checks.text)
    cash_discount: str = attrs.field(validator=_checks.text)
    cash_discount_tax_key: str | None = attrs.field(validator=_checks.optional_text)
    small_differences_expense: str = attrs.field(validator=_checks.text)
    small_differences_income: str = attrs.field(validator=_checks.text)
    interest_income: str = attrs.field(validator=_checks.text)
    interest_expense: str = attrs.field(validator=_checks.text)

    def with_overrides(self, overrides: Mapping[str, str], *, where: str = "accounts") -> Chart:
        """This chart with some accounts replaced; an unknown rule name is refused by name."""
        known = {field.name for field in attrs.fields(Chart)} - {"name"}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise InvalidValueError(
                f"{where}.{unknown[0]}",
                f"no posting rule of that name; known: {', '.join(sorted(known))}",
            )
        return attrs.evolve(self, **overrides) if overrides else self


SKR03 = Chart(
    name="SKR03",
    bank="1200",
    money_in_transit="1360",
    debtors="1400",
    creditors="1600",
    suspense="1590",
    fees="4970",
    cash_discount="8730",
    cash_discount_tax_key="3",
    small_differences_expense="4900",
    small_differences_income="2700",
    interest_income="2650",
    interest_expense="2100",
)

SKR04 = Chart(
    name="SKR04",
    bank="1800",
    money_in_transit="1460",
    debtors="1200",
    creditors="3300",
    suspense="1370",
    fees="6855",
    cash_discount="4730",
    cash_discount_tax_key="3",
    small_differences_expense="6300",
    small_differences_income="4830",
    interest_income="7100",
    interest_expense="7300",
)

_PRESETS = {"SKR03": SKR03, "SKR04": SKR04}


def chart_preset(name: str) -> Chart:
    """The preset chart called ``name`` (``SKR03`` or ``SKR04``, any case)."""
    try:
        return _PRESETS[name.upper()]
    except KeyError:
        raise InvalidValueError(
            "chart", f"unknown chart {name!r}; presets: {', '.join(_PRESETS)}"
        ) from None


def account_table(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator of a table keyed by account or customer (account names, account numbers...).

    It must map strings to non-empty strings; anything else is an
    :class:`InvalidValueError` naming the field.
    """
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(item, str) and item.strip()
        for key, item in value.items()
    ):
        raise InvalidValueError(
            _checks.field_name(instance, attribute),
            f"must map texts to non-empty texts, got {value!r}",
        )
