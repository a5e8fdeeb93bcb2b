"""The ledger's movements in row order, with columns for fast filtering.

Filtering a million movements attribute by attribute through Python objects is
too slow for an interactive view, so the index keeps, per attribute a filter
looks at, one list with a value per row (a column: folded names, amounts,
statuses...) and the rows sorted by booking date for bisection. The columns
are brought up to date once per batch of added movements (:meth:`refresh`),
so every filter finds them ready.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from paymatch.model import Movement

__all__ = ["COLUMNS", "SearchIndex", "fold"]

# German umlauts are written "ae", "oe", "ue" where a keyboard or a bank lacks them;
# both spellings must find each other. casefold() already turns "ß" into "ss".
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@lru_cache(maxsize=1 << 16)
def fold(value: str | None) -> str:
    """Text as filters compare it: case-folded, umlauts spelt out, no accents or extra blanks.

    Statements repeat the same names over and over; the cache makes the
    folded copies one shared string each.

    >>> fold("  Müller   GmbH "), fold("MUELLER gmbh"), fold("Société Générale")
    ('mueller gmbh', 'mueller gmbh', 'societe generale')
    """
    if not value:
        return ""
    # Composed first, so that an umlaut written as "u" + combining diaeresis is spelt out too.
    folded = unicodedata.normalize("NFC", value).casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.split())


def _amount(movement: Movement) -> Decimal:
    amount: Decimal = movement.amount.amount
    return amount


#: The columns, by name, and how each row's value is computed from its movement.
COLUMNS: dict[str, Callable[[Movement], Any]] = {
    "name": lambda movement: fold(movement.counterparty.name),
    "purpose": lambda movement: fold(movement.remittance_info),
    "transaction_id": lambda movement: (movement.transaction_id or "").casefold(),
    "amount": _amount,
    "account": lambda movement: movement.account,
    "booking_type": lambda movement: movement.booking_type,
    "status": lambda movement: movement.status,
    "booking_date": lambda movement: movement.booking_date.toordinal(),
}


class SearchIndex:
    """Movements in the order they were added (rows), their ids, and the columns.

    Call :meth:`refresh` after appending a batch of rows; until then the
    columns and the date order do not cover the new rows.
    """

    def __init__(self) -> None:
        self.movements: list[Movement] = []
        self.ids: list[str] = []
        self._columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        self._by_date: tuple[list[int], list[int]] = ([], [])
        self._dates_sorted = True

    def __len__(self) -> int:
        return len(self.movements)

    def append(self, movement_id: str, movement: Movement) -> int:
        """Add a movement as a new row and return the row number."""
        self.ids.append(movement_id)
        self.movements.append(movement)
        return len(self.movements) - 1

    def replace(self, row: int, movement: Movement) -> None:
        """Put a changed movement (hidden, commented, completed) in place of its row."""
        date_changed = self.movements[row].booking_date != movement.booking_date
        self.movements[row] = movement
        for name, compute in COLUMNS.items():
            values = self._columns[name]
            if row < len(values):
                values[row] = compute(movement)
        if date_changed:
            self._dates_sorted = False

    def refresh(self) -> None:
        """Compute the columns for rows appended since the last refresh."""
        done = len(self._columns["booking_date"])
        if done == len(self.movements):
            return
        new = self.movements[done:]
        for name, compute in COLUMNS.items():
            self._columns[name].extend(map(compute, new))
        self._sort_by_date()

    def column(self, name: str) -> list[Any]:
        """The column ``name`` (a key of :data:`COLUMNS`)."""
        return self._columns[name]

    def rows_booked_between(self, first_ordinal: int, last_ordinal: int) -> list[int]:
        """Rows booked on a day between the two ordinals (inclusive), found by bisection."""
        if not self._dates_sorted:
            self._sort_by_date()
        order, keys = self._by_date
        return order[bisect_left(keys, first_ordinal) : bisect_right(keys, last_ordinal)]

    def rows(self, candidates: Iterable[int] | None) -> Iterable[int]:
        """``candidates``, or every row when there are none yet."""
        return range(len(self.movements)) if candidates is None else candidates

    def _sort_by_date(self) -> None:
        ordinals = self._columns["booking_date"]
        order = sorted(range(len(ordinals)), key=ordinals.__getitem__)
        self._by_date = (order, [ordinals[row] for row in order])
        self._dates_sorted = True
