"""Plans: the ways a payment could be explained by open items, each with its score.

From the clues of the matchers and the payment's amount the engine builds every
plausible plan:

* one item, paid exactly (``amount.exact``);
* one item less its cash discount, paid within the item's terms at the booking
  date (``amount.cash_discount``: the discount becomes a write-off);
* one item short by no more than the fee tolerance (``amount.fee_difference``:
  the difference becomes a write-off);
* one item paid in part (``amount.partial``) or over-paid (``amount.over_payment``:
  the rest stays unassigned) — only for items a clue points at;
* several items of the references or of one identified customer whose open
  amounts add up to the payment (``amount.combined``; a bounded subset-sum), or,
  for referenced items, less than the payment (``amount.combined_over``).

Items no clue points at are considered only when their open amount (or their
amount less cash discount) equals the payment, so a plan always has a reason.

A plan's score combines how well its items are identified (for each item the
clues for it or its customer, combined; for the plan its weakest item) with the
amount evidence, then applies against-evidence (see
:mod:`paymatch.matching.config`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs
from moneyed import Money

from paymatch.matching.clues import Clue
from paymatch.matching.config import MatchConfig
from paymatch.matching.item_index import ItemIndex
from paymatch.matching.report import Assignment, ItemWriteOff, Plan
from paymatch.model import Evidence, Movement, WriteOffReason

__all__ = ["build_plans"]

_SCORE_PLACES = Decimal("0.001")
#: Amount rules that leave an item or the payment partly open.
_PART_PAYMENTS = frozenset({"amount.partial", "amount.over_payment"})
_ONE = Decimal(1)
_ZERO = Decimal(0)


@attrs.frozen
class _Shape:
    """How the money of a plan is spent, before scoring."""

    items: tuple[str, ...]
    paid: tuple[tuple[str, Decimal], ...]  # item -> money of the movement put on it
    written_off: tuple[tuple[str, Decimal, WriteOffReason], ...]
    rule: str  # the amount rule
    describe: Callable[[], str]  # what the amount rule saw, in words (built only when shown)


class _Planner:
    """Builds and scores the plans for one movement."""

    def __init__(
        self, movement: Movement, clues: Sequence[Clue], index: ItemIndex, config: MatchConfig
    ) -> None:
        self.movement = movement
        self.payment = movement.amount.amount
        self.currency = movement.currency
        self.index = index
        self.config = config
        weights = config.weights
        self.amount_weights = {
            "amount.exact": weights.amount_exact,
            "amount.cash_discount": weights.cash_discount,
            "amount.fee_difference": weights.fee_difference,
            "amount.combined": weights.amount_combined,
        }
        self.support: dict[str, list[Clue]] = {}
        self.direct: set[str] = set()
        self.customers: list[str] = []
        self.against = [clue for clue in clues if not clue.supports]
        for clue in clues:
            if clue.supports:
                self._note_support(clue)

    def _note_support(self, clue: Clue) -> None:
        for number in clue.items:
            if number in self.index and self._usable(number):
                self.support.setdefault(number, []).append(clue)
                self.direct.add(number)
        for customer in clue.customers:
            if customer not in self.customers:
                self.customers.append(customer)
            for number in self.index.items_of(customer):
                if self._usable(number):
                    self.support.setdefault(number, []).append(clue)

    def _usable(self, number: str) -> bool:
        return self.index.is_open(number) and self.index.item(number).currency == self.currency

    # -- shapes ------------------------------------------------------------------

    def shapes(self) -> list[_Shape]:
        found: dict[tuple[str, ...], _Shape] = {}
        for number in self._ordered(self.support):
            shape = self._single(number, supported=True)
            if shape is not None:
                found.setdefault(shape.items, shape)
        # items nothing points at but the amount: all score alike, so a few stand for all
        enough = self.config.max_suggestions + 1
        for look_up in (self.index.with_open_amount, self.index.with_discounted_amount):
            fitting = [n for n in look_up(self.currency, self.payment) if n not in self.support]
            for number in fitting[:enough]:
                shape = self._single(number, supported=False)
                if shape is not None:
                    found.setdefault(shape.items, shape)
        for shape in self._combined():
            found.setdefault(shape.items, shape)
        return list(found.values())

    def _ordered(self, numbers: Iterable[str]) -> list[str]:
        return sorted(dict.fromkeys(numbers), key=self.index.position)

    def _single(self, number: str, *, supported: bool) -> _Shape | None:
        """The one way ``number`` alone explains the payment, if any."""
        open_amount = self.index.open_amount(number)
        payment = self.payment
        if payment == open_amount:
            return _Shape(
                (number,),
                ((number, payment),),
                (),
                "amount.exact",
                lambda: f"the payment is exactly the open amount {open_amount} of {number}",
            )
        if payment < open_amount:
            discount = self._cash_discount(number, open_amount)
            if discount is not None:
                return discount
            short = open_amount - payment
            if short <= self.config.fee_tolerance:
                return _Shape(
                    (number,),
                    ((number, payment),),
                    ((number, short, WriteOffReason.FEE_DIFFERENCE),),
                    "amount.fee_difference",
                    lambda: (
                        f"{short} short of the open amount {open_amount} of {number}, within the "
                        f"fee tolerance {self.config.fee_tolerance}"
                    ),
                )
            if supported:
                return _Shape(
                    (number,),
                    ((number, payment),),
                    (),
                    "amount.partial",
                    lambda: f"a part payment of the open amount {open_amount} of {number}",
                )
            return None
        if supported:
            return _Shape(
                (number,),
                ((number, open_amount),),
                (),
                "amount.over_payment",
                lambda: (
                    f"{payment - open_amount} more than the open amount {open_amount} "
                    f"of {number}; the rest stays unassigned"
                ),
            )
        return None

    def _cash_discount(self, number: str, open_amount: Decimal) -> _Shape | None:
        item = self.index.item(number)
        terms = item.cash_discount
        if terms is None or item.date is None or open_amount != item.amount.amount:
            return None
        deadline = terms.deadline(item.date)
        if self.movement.booking_date > deadline:
            return None
        discount = open_amount - self.payment
        expected = open_amount * terms.percent / 100
        if abs(discount - expected) > self.config.discount_rounding:
            return None
        return _Shape(
            (number,),
            ((number, self.payment),),
            ((number, discount, WriteOffReason.CASH_DISCOUNT),),
            "amount.cash_discount",
            lambda: (
                f"{terms.percent} % cash discount ({discount}) of {number}, booked "
                f"{self.movement.booking_date.isoformat()} within the terms (until "
                f"{deadline.isoformat()})"
            ),
        )

    def _combined(self) -> list[_Shape]:
        """Several referenced items, or several items of one identified customer."""
        shapes: list[_Shape] = []
        referenced = self._ordered(self.direct)
        if len(referenced) >= 2:
            total = sum((self.index.open_amount(n) for n in referenced), Decimal(0))
            if total == self.payment:
                shapes.append(self._combination(referenced, "amount.combined"))
            elif total < self.payment:
                shapes.append(self._combination(referenced, "amount.combined_over"))
            else:
                shapes.extend(self._subsets(referenced))
        for customer in self.customers:
            numbers = [n for n in self.index.items_of(customer) if self._usable(n)]
            if 2 <= len(numbers) <= self.config.max_customer_items:
                shapes.extend(self._subsets(numbers))
        return shapes

    def _subsets(self, numbers: Sequence[str]) -> list[_Shape]:
        """Combinations of 2 to ``max_combined_items`` items adding up to the payment."""
        amounts = {n: self.index.open_amount(n) for n in numbers}
        found: list[_Shape] = []
        largest = min(self.config.max_combined_items, len(numbers))
        for size in range(2, largest + 1):
            for combination in itertools.combinations(numbers, size):
                if sum((amounts[n] for n in combination), Decimal(0)) == self.payment:
                    found.append(self._combination(combination, "amount.combined"))
                    if len(found) > 2:  # three ways to add up: ambiguous whatever is chosen
                        return found
        return found

    def _combination(self, numbers: Sequence[str], rule: str) -> _Shape:
        paid = tuple((n, self.index.open_amount(n)) for n in numbers)
        total = sum((amount for _, amount in paid), Decimal(0))
        rest = self.payment - total

        def describe() -> str:
            detail = f"{' + '.join(f'{a} ({n})' for n, a in paid)} = {total}"
            if rule == "amount.combined_over":
                detail += f"; {rest} more than that stays unassigned"
            return detail

        return _Shape(tuple(numbers), paid, (), rule, describe)

    # -- scores ------------------------------------------------------------------

    def score(self, shape: _Shape, ignoring: frozenset[Clue] = frozenset()) -> Decimal:
        """How well ``shape`` explains the payment (see the module docstring), to 0.001.

        ``ignoring``: clues left out, to compare two plans on what tells them apart.
        """
        identified = _ONE
        for number in shape.items:
            support = [c for c in self.support.get(number, ()) if c not in ignoring]
            if not support:
                identified = Decimal(0)
                break
            identified = min(identified, _combined(c.weight for c in support))
        score = _combined((identified, self._amount_weight(shape)))
        for doubt in self._against(shape):
            score *= _ONE + doubt.weight
        return score.quantize(_SCORE_PLACES)

    def _amount_weight(self, shape: _Shape) -> Decimal:
        return self.amount_weights.get(shape.rule, _ZERO)

    def _against(self, shape: _Shape) -> list[Evidence]:
        """The against-evidence that concerns ``shape``."""
        against = [c.evidence() for c in self.against if self._concerns(c, shape)]
        if shape.rule in _PART_PAYMENTS and not all(n in self.direct for n in shape.items):
            against.append(
                Evidence(
                    rule="amount.unnamed_part_payment",
                    detail="only the customer is known, not which item is paid in part",
                    weight=self.config.weights.unnamed_part_payment,
                )
            )
        return against

    def plan(self, shape: _Shape, score: Decimal) -> Plan:
        """The plan ``shape`` with its money, score and evidence."""
        clues: list[Clue] = []
        for number in shape.items:
            clues.extend(c for c in self.support.get(number, ()) if c not in clues)
        evidence = [c.evidence() for c in clues]
        amount = Evidence(
            rule=shape.rule, detail=shape.describe(), weight=self._amount_weight(shape)
        )
        evidence.append(amount)
        evidence.extend(self._against(shape))
        spent = sum((amount for _, amount in shape.paid), Decimal(0))
        currency = self.movement.amount.currency
        return Plan(
            items=shape.items,
            assignments=tuple(
                Assignment(item=n, amount=Money(a, currency), rule=self._rule(n, shape))
                for n, a in shape.paid
            ),
            write_offs=tuple(
                ItemWriteOff(item=n, amount=Money(a, currency), reason=reason)
                for n, a, reason in shape.written_off
            ),
            unassigned=Money(self.payment - spent, currency),
            score=score,
            evidence=tuple(evidence),
        )

    def _rule(self, number: str, shape: _Shape) -> str:
        """The strongest clue for the item, or the amount rule when nothing else points at it."""
        support = self.support.get(number)
        if not support:
            return shape.rule
        return max(support, key=lambda clue: clue.weight).rule

    def _concerns(self, clue: Clue, shape: _Shape) -> bool:
        """Whether against-evidence ``clue`` lowers the plan ``shape``."""
        if clue.items or clue.customers:
            return any(
                n in clue.items or self.index.customer_of(n) in clue.customers for n in shape.items
            )
        return not all(n in self.direct for n in shape.items)


def _combined(weights: Iterable[Decimal]) -> Decimal:
    """Independent evidence combined: ``1 - prod(1 - w)`` over the positive weights."""
    doubt = _ONE
    for weight in weights:
        if weight > 0:
            doubt *= _ONE - weight
    return _ONE - doubt


class Draft:
    """A scored plan whose money and evidence are built only when the decision shows it.

    A popular amount may fit hundreds of items; the decision looks at every
    draft's score and items but builds at most the best and a few suggestions.
    """

    __slots__ = ("_plan", "_planner", "_shape", "items", "score")

    def __init__(self, planner: _Planner, shape: _Shape) -> None:
        self._planner = planner
        self._shape = shape
        self._plan: Plan | None = None
        self.items = shape.items
        self.score = planner.score(shape)

    def clues(self) -> frozenset[Clue]:
        """The clues that support any of the draft's items."""
        support = self._planner.support
        return frozenset(clue for number in self.items for clue in support.get(number, ()))

    def score_without(self, clues: frozenset[Clue]) -> Decimal:
        """The score with ``clues`` left out (see :func:`lead`)."""
        return self._planner.score(self._shape, clues)

    def plan(self) -> Plan:
        """The full :class:`~paymatch.matching.report.Plan` (built once)."""
        if self._plan is None:
            self._plan = self._planner.plan(self._shape, self.score)
        return self._plan


def lead(best: Draft, rival: Draft) -> Decimal:
    """How far ``best`` is ahead of ``rival`` on the evidence that tells them apart.

    A clue that supports both (the payer's IBAN names the customer of both
    invoices) cannot decide between them, and near a score of 1 it would
    squeeze any lead below the margin: "RE-1 quoted, IBAN of the customer"
    against "IBAN of the customer" is 0.999 against 0.974 in full, but 0.988
    against 0.750 on what differs. Without shared clues it is the plain
    difference of the scores.
    """
    shared = best.clues() & rival.clues()
    if not shared:
        return best.score - rival.score
    return best.score_without(shared) - rival.score_without(shared)


def build_plans(
    movement: Movement, clues: Sequence[Clue], index: ItemIndex, config: MatchConfig
) -> list[Draft]:
    """Every plan for ``movement`` as a draft, best first (ties: fewer items, then input order)."""
    planner = _Planner(movement, clues, index, config)
    drafts = [Draft(planner, shape) for shape in planner.shapes()]
    if len(drafts) > 1:
        drafts.sort(key=lambda d: (-d.score, len(d.items), [index.position(n) for n in d.items]))
    return drafts
