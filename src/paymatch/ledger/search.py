"""The ledger's movements in row order, with columns for fast filtering.

Filtering a million movements attribute by attribute through Python objects is
too slow for an interactive view, so the index keeps, per attribute a filter
needs, one list with a value per row (a column) and, for booking dates, the
rows sorted by date for bisection. Columns are built the first time a filter
needs them and extended as movements are added, so a ledger that is never
searched pays nothing for them.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from paymatch.model import Movement

__all__ = ["SearchIndex", "booking_ordinal", "fold"]

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
    folded = value.casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.split())


class SearchIndex:
    """Movements in the order they were added (rows), plus lazily built columns.

    ``ids`` holds each row's movement id, so views need not derive it again.
    """

    def __init__(self) -> None:
        self.movements: list[Movement] = []
        self.ids: list[str] = []
        self._columns: dict[str, tuple[Callable[[Movement], Any], list[Any]]] = {}
        self._by_date: tuple[list[int], list[int]] | None = None

    def __len__(self) -> int:
        return len(self.movements)

    def append(self, movement_id: str, movement: Movement) -> int:
        """Add a movement as a new row and return the row number."""
        self.ids.append(movement_id)
        self.movements.append(movement)
        self._by_date = None
        return len(self.movements) - 1

    def replace(self, row: int, movement: Movement) -> None:
        """Put a changed movement (hidden, commented, completed) in place of its row."""
        old = self.movements[row]
        self.movements[row] = movement
        for compute, values in self._columns.values():
            if len(values) > row:
                values[row] = compute(movement)
        if old.booking_date != movement.booking_date:
            self._by_date = None

    def column(self, name: str, compute: Callable[[Movement], Any]) -> list[Any]:
        """The column ``name`` (``compute`` applied to every row), brought up to date."""
        entry = self._columns.get(name)
        if entry is None:
            entry = (compute, [])
            self._columns[name] = entry
        values = entry[1]
        if len(values) < len(self.movements):
            values.extend(compute(movement) for movement in self.movements[len(values) :])
        return values

    def rows_booked_between(self, first_ordinal: int, last_ordinal: int) -> list[int]:
        """Rows booked on a day between the two ordinals (inclusive), found by bisection."""
        if self._by_date is None:
            ordinals = self.column("booking_date", booking_ordinal)
            order = sorted(range(len(ordinals)), key=ordinals.__getitem__)
            self._by_date = (order, [ordinals[row] for row in order])
        order, keys = self._by_date
        return order[bisect_left(keys, first_ordinal) : bisect_right(keys, last_ordinal)]

    def rows(self, candidates: Iterable[int] | None) -> Iterable[int]:
        """``candidates``, or every row when there are none yet."""
        return range(len(self.movements)) if candidates is None else candidates


def booking_ordinal(movement: Movement) -> int:
    """The booking date as a day number, the date column's value."""
    return movement.booking_date.toordinal()
