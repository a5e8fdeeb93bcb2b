"""Clues and matchers: what a rule saw in a movement, and the rules that look.

A *matcher* looks at one movement and the open items and reports *clues*: "the
text quotes invoice RE-1001", "the payer's IBAN is customer K-7's". A clue
points at items or customers and carries a weight from the configuration. The
matchers do not decide anything: the engine combines the clues with what the
amount says (see :mod:`paymatch.matching.decision`) and decides.

A clue with a positive weight supports the items it names and every open item
of the customers it names. A clue with a negative weight is evidence against:
against the items or customers it names, or, naming none, against every
explanation that does not rest on a direct reference to the items themselves
(the payer quotes an order number we do not know, so an IBAN + amount fit is no
longer convincing).

Third-party matchers are found under the entry-point group
``paymatch.matchers`` (see ``docs/matching.md``); anything with a ``name`` and a
``clues(movement, index)`` method is a matcher:

>>> class ShopOrderMatcher:
...     name = "shop_order"
...     def clues(self, movement, index):
...         return ()
>>> isinstance(ShopOrderMatcher(), Matcher)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from paymatch.errors import InvalidValueError
from paymatch.model import Evidence, Movement
from paymatch.model._checks import text
from paymatch.model.money import to_decimal

if TYPE_CHECKING:
    from paymatch.matching.item_index import ItemIndex

__all__ = ["Clue", "Matcher"]


def _weight(value: Decimal | int | str) -> Decimal:
    weight = to_decimal(value, field="Clue.weight")
    if not -1 <= weight <= 1 or weight == 0:
        raise InvalidValueError("Clue.weight", f"must be between -1 and 1 and not 0, got {weight}")
    return weight


def _names(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidValueError("Clue", f"items and customers are tuples of names, got {value!r}")
    return tuple(dict.fromkeys(value))


@attrs.frozen(kw_only=True)
class Clue:
    """One thing a matcher saw: ``rule`` (its name), ``detail`` (what it saw), ``weight``.

    ``items`` are open item numbers, ``customers`` customer keys (see
    :meth:`~paymatch.matching.item_index.ItemIndex.customer_of`); ``direct``
    marks a clue that names the items themselves (a reference, an id), which
    against-evidence without a target cannot outweigh.
    """

    rule: str = attrs.field(validator=text)
    detail: str = attrs.field(validator=text)
    weight: Decimal = attrs.field(converter=_weight)
    items: tuple[str, ...] = attrs.field(default=(), converter=_names)
    customers: tuple[str, ...] = attrs.field(default=(), converter=_names)

    @property
    def supports(self) -> bool:
        """Whether the clue speaks for (not against) what it names."""
        return self.weight > 0

    @property
    def direct(self) -> bool:
        """Whether the clue supports items by name rather than through their customer."""
        return self.weight > 0 and bool(self.items)

    def evidence(self) -> Evidence:
        """The clue as the model's :class:`~paymatch.model.Evidence`."""
        return Evidence(rule=self.rule, detail=self.detail, weight=self.weight)


@runtime_checkable
class Matcher(Protocol):
    """A rule that finds clues in a movement (see the module docstring)."""

    name: str

    def clues(self, movement: Movement, index: ItemIndex) -> Iterable[Clue]:
        """The clues ``movement`` gives about the open items in ``index``."""
        ...
