"""The open items of one matching run, indexed for the matchers.

Every look-up a matcher needs is a dictionary access: by number and reference
(through a :class:`~paymatch.matching.references.ReferenceIndex` that tolerates
format noise), by customer, by the IBANs a customer is known by, by payer (a
learned IBAN -> customer map), by provider transaction id and by open amount.
Nothing here loops over all items per movement, so a million items cost the
same per movement as ten.

The index also keeps what is still open: the engine lowers an item's open
amount when it assigns a payment, so a later movement of the same run sees the
item as paid.

*Customers* are keyed by their customer number; an item without one but with a
customer name is keyed ``name:<normalised name>``, so items of one customer
still group together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from paymatch.matching.names import NameIndex, normalise_name
from paymatch.matching.references import ReferenceIndex
from paymatch.model import OpenItem

__all__ = ["ItemIndex", "customer_key"]

_CENT = Decimal("0.01")


def customer_key(item: OpenItem) -> str | None:
    """The key the item's customer is grouped under (see the module docstring)."""
    if item.customer_number:
        return item.customer_number
    if item.customer_name:
        name = normalise_name(item.customer_name)
        return f"name:{name}" if name else None
    return None


def discounted(item: OpenItem) -> Decimal | None:
    """The item's amount less its cash discount, to the cent; ``None`` without terms."""
    if item.cash_discount is None:
        return None
    factor = 1 - item.cash_discount.percent / 100
    return (item.amount.amount * factor).quantize(_CENT)


class ItemIndex:
    """Open items by every key a matcher looks them up by (see the module docstring)."""

    def __init__(
        self,
        items: Iterable[OpenItem],
        *,
        open_amounts: Mapping[str, Decimal] | None = None,
        payers: Mapping[str, str] | None = None,
    ) -> None:
        self._items: dict[str, OpenItem] = {}
        self._order: dict[str, int] = {}
        self._open: dict[str, Decimal] = {}
        self._customer: dict[str, str] = {}
        self._of_customer: dict[str, list[str]] = {}
        self._customers_by_iban: dict[str, list[str]] = {}
        self._by_transaction_id: dict[str, list[str]] = {}
        self._by_amount: dict[tuple[str, Decimal], list[str]] = {}
        self._by_discounted: dict[tuple[str, Decimal], list[str]] = {}
        self._payers = dict(payers or {})
        #: order and invoice numbers -> item numbers
        self.references = ReferenceIndex()
        #: stored payment references (RF or the bank's format) -> item numbers
        self.payment_references = ReferenceIndex(max_words=6)  # RF in groups of four
        #: customer numbers -> customer keys
        self.customer_numbers = ReferenceIndex()
        #: customer names -> customer keys
        self.names = NameIndex()
        for item in items:
            self._add(item, (open_amounts or {}).get(item.number, item.amount.amount))

    def _add(self, item: OpenItem, open_amount: Decimal) -> None:
        number = item.number
        if number in self._items:
            raise ValueError(f"open item {number!r} is given twice")
        self._items[number] = item
        self._order[number] = len(self._order)
        self._open[number] = open_amount
        self.references.add(number, number)
        if item.invoice_number:
            self.references.add(item.invoice_number, number)
        if item.payment_reference:
            self.payment_references.add(item.payment_reference, number)
        if item.transaction_id:
            self._by_transaction_id.setdefault(item.transaction_id, []).append(number)
        currency = item.currency
        self._by_amount.setdefault((currency, item.amount.amount), []).append(number)
        reduced = discounted(item)
        if reduced is not None:
            self._by_discounted.setdefault((currency, reduced), []).append(number)
        customer = customer_key(item)
        if customer is None:
            return
        self._customer[number] = customer
        self._of_customer.setdefault(customer, []).append(number)
        if item.customer_number:
            self.customer_numbers.add(item.customer_number, customer)
        if item.customer_name:
            self.names.add(item.customer_name, customer)
        for iban in item.ibans:
            known = self._customers_by_iban.setdefault(iban, [])
            if customer not in known:
                known.append(customer)

    # -- items -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, number: object) -> bool:
        return number in self._items

    def item(self, number: str) -> OpenItem:
        """The item numbered ``number`` (``KeyError`` if unknown)."""
        return self._items[number]

    def position(self, number: str) -> int:
        """The item's place in the input, for a deterministic order."""
        return self._order[number]

    def open_amount(self, number: str) -> Decimal:
        """What is still open on the item in this run."""
        return self._open[number]

    def is_open(self, number: str) -> bool:
        """Whether anything is still owed on the item."""
        return self._open[number] > 0

    def settle(self, number: str, amount: Decimal) -> None:
        """Lower the item's open amount by ``amount`` (paid or written off in this run)."""
        rest = self._open[number] - amount
        if rest < 0:
            raise ValueError(f"item {number!r} cannot take {amount}: {self._open[number]} open")
        self._open[number] = rest

    # -- look-ups --------------------------------------------------------------

    def customer_of(self, number: str) -> str | None:
        """The customer key of the item, if it names a customer."""
        return self._customer.get(number)

    def items_of(self, customer: str) -> tuple[str, ...]:
        """The customer's items that are still open, in input order."""
        return tuple(n for n in self._of_customer.get(customer, ()) if self._open[n] > 0)

    def customers_with_iban(self, iban: str) -> tuple[str, ...]:
        """The customers whose items name ``iban`` as theirs."""
        return tuple(self._customers_by_iban.get(iban, ()))

    def payer(self, iban: str) -> str | None:
        """The customer an earlier payment from ``iban`` was assigned to by hand, if any."""
        return self._payers.get(iban)

    def with_transaction_id(self, transaction_id: str) -> tuple[str, ...]:
        """The items a provider transaction id is stored with."""
        return tuple(self._by_transaction_id.get(transaction_id, ()))

    def with_open_amount(self, currency: str, amount: Decimal) -> tuple[str, ...]:
        """The items whose full amount is ``amount`` and still entirely open."""
        return tuple(
            n for n in self._by_amount.get((currency, amount), ()) if self._open[n] == amount
        )

    def with_discounted_amount(self, currency: str, amount: Decimal) -> tuple[str, ...]:
        """The unpaid items whose amount less cash discount is within a cent of ``amount``."""
        if not self._by_discounted:
            return ()
        found: list[str] = []
        for key in (amount - _CENT, amount, amount + _CENT):
            for number in self._by_discounted.get((currency, key), ()):
                if self._open[number] == self._items[number].amount.amount:
                    found.append(number)
        return tuple(found)
