"""The built-in matchers: exact ids, references in the text, and the paying party.

Each is a :class:`~paymatch.matching.clues.Matcher` whose clue weights come
from the :class:`~paymatch.matching.config.Weights` it is made with:

``ids``
    the provider transaction id stored with an item, the movement's structured
    creditor reference (ISO 11649 ``RF``) or an item's stored payment reference
    quoted in the text.
``references``
    order and invoice numbers in the remittance information and the end-to-end
    id, tolerant of format noise; one typo only when a single open number is
    that close; against-evidence when the payer quotes a number of the shape of
    ours that is not open (unknown, or already paid).
``party``
    the payer's IBAN (items' known IBANs and the learned payer map), a customer
    number in the text, and the payer's name against customer names.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from paymatch.matching.clues import Clue
from paymatch.matching.config import MatchConfig
from paymatch.matching.item_index import ItemIndex
from paymatch.model import Movement

__all__ = ["IdMatcher", "PartyMatcher", "ReferenceMatcher", "built_in_matchers"]

#: Two customers whose names score within this of each other are a tie.
_NAME_TIE = 0.02


def _texts(movement: Movement) -> list[tuple[str, str]]:
    """The movement's free-text fields a reference may hide in, with their names."""
    fields = (
        ("remittance_info", movement.remittance_info),
        ("end_to_end_id", movement.end_to_end_id),
    )
    return [(name, value) for name, value in fields if value]


def _listed(numbers: tuple[str, ...] | list[str]) -> str:
    return ", ".join(numbers)


class IdMatcher:
    """Exact ids: provider transaction id, RF creditor reference, stored payment reference."""

    name = "ids"

    def __init__(self, config: MatchConfig) -> None:
        self._weights = config.weights

    def clues(self, movement: Movement, index: ItemIndex) -> Iterator[Clue]:
        """Clues for items whose stored id or payment reference the movement carries."""
        weights = self._weights
        if movement.transaction_id:
            found = index.with_transaction_id(movement.transaction_id)
            if found:
                yield Clue(
                    rule="transaction_id",
                    detail=f"transaction id {movement.transaction_id} is stored with "
                    f"{_listed(found)}",
                    weight=weights.transaction_id,
                    items=found,
                )
        if movement.creditor_reference:
            for hit in index.payment_references.find(
                movement.creditor_reference, field="creditor_reference"
            ):
                yield Clue(
                    rule="creditor_reference",
                    detail=f"creditor reference {movement.creditor_reference} is the payment "
                    f"reference of {_listed(hit.values)}",
                    weight=weights.creditor_reference,
                    items=hit.values,
                )
        if not index.payment_references:
            return  # no item has a payment reference: nothing to look for in the text
        for field, text in _texts(movement):
            for hit in index.payment_references.find(text, field=field):
                yield Clue(
                    rule="payment_reference",
                    detail=f"{hit.seen!r} in {field} is the payment reference of "
                    f"{_listed(hit.values)}",
                    weight=weights.payment_reference,
                    items=hit.values,
                )


class ReferenceMatcher:
    """Order and invoice numbers in the remittance information and end-to-end id."""

    name = "references"

    def __init__(self, config: MatchConfig) -> None:
        self._weights = config.weights

    def clues(self, movement: Movement, index: ItemIndex) -> Iterator[Clue]:
        """Exact references, else a unique one-typo reference; against: unknown or paid ones."""
        weights = self._weights
        found_open = False
        for field, text in _texts(movement):
            for hit in index.references.find(text, field=field):
                open_items = tuple(n for n in hit.values if index.is_open(n))
                if open_items:
                    found_open = True
                    yield Clue(
                        rule="reference",
                        detail=f"{hit.seen!r} in {field} is {_listed(open_items)}",
                        weight=weights.reference,
                        items=open_items,
                    )
                else:
                    yield Clue(
                        rule="reference.paid",
                        detail=f"{hit.seen!r} in {field} is {_listed(hit.values)}, "
                        "which is no longer open",
                        weight=weights.unknown_reference,
                    )
        if not found_open:
            for field, text in _texts(movement):
                for hit in index.references.near(text, field=field):
                    if len(hit.values) == 1 and index.is_open(hit.values[0]):
                        yield Clue(
                            rule="reference.typo",
                            detail=f"{hit.seen!r} in {field} is one character off {hit.values[0]}",
                            weight=weights.reference_typo,
                            items=hit.values,
                        )
        for field, text in _texts(movement):
            for token in index.references.unknown(text):
                if index.customer_numbers.find(token, field=field):
                    continue
                yield Clue(
                    rule="reference.unknown",
                    detail=f"{token!r} in {field} looks like one of our numbers but is not open",
                    weight=weights.unknown_reference,
                )


class PartyMatcher:
    """Who paid: the IBAN, the learned payer map, a customer number, the name."""

    name = "party"

    def __init__(self, config: MatchConfig) -> None:
        self._weights = config.weights
        self._cutoff = float(config.name_cutoff)

    def clues(self, movement: Movement, index: ItemIndex) -> Iterator[Clue]:
        """Clues for customers the payer is known as, by account, number or name."""
        weights = self._weights
        iban = movement.counterparty.iban
        if iban:
            customers = index.customers_with_iban(iban)
            if customers:
                yield Clue(
                    rule="iban",
                    detail=f"IBAN {iban} is known for customer {_listed(customers)}",
                    weight=weights.iban,
                    customers=customers,
                )
            payer = index.payer(iban)
            if payer is not None:
                yield Clue(
                    rule="payer",
                    detail=f"IBAN {iban} paid customer {payer} before",
                    weight=weights.payer,
                    customers=(payer,),
                )
        if movement.remittance_info:
            for hit in index.customer_numbers.find(
                movement.remittance_info, field="remittance_info"
            ):
                yield Clue(
                    rule="customer_number",
                    detail=f"{hit.seen!r} in remittance_info is customer {_listed(hit.values)}",
                    weight=weights.customer_number,
                    customers=hit.values,
                )
        for name in dict.fromkeys(
            (movement.counterparty.name, movement.counterparty.ultimate_name)
        ):
            if name:
                clue = self._name_clue(name, index)
                if clue is not None:
                    yield clue

    def _name_clue(self, name: str, index: ItemIndex) -> Clue | None:
        """The one customer the name fits best, unless another fits as well (a tie)."""
        best = index.names.best(name, limit=2, cutoff=self._cutoff)
        if not best:
            return None
        customer, score = best[0]
        if len(best) > 1 and score - best[1][1] < _NAME_TIE:
            return None
        similarity = Decimal(str(round(score, 3)))
        return Clue(
            rule="name",
            detail=f"payer {name!r} is customer {customer} (similarity {similarity})",
            weight=(self._weights.name * similarity).quantize(Decimal("0.001")),
            customers=(customer,),
        )


def built_in_matchers(config: MatchConfig) -> tuple[IdMatcher, ReferenceMatcher, PartyMatcher]:
    """The built-in matchers, configured."""
    return IdMatcher(config), ReferenceMatcher(config), PartyMatcher(config)
