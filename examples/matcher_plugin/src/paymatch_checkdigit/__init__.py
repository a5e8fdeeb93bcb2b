"""An example paymatch matcher plugin: order numbers printed with a check digit.

A shop prints its order numbers on invoices and payment slips with a trailing
check digit, ``AU-2026-00017-0``: the last digit is the Luhn (mod 10) check
digit of the digits of the order number ``AU-2026-00017``. The ERP only knows
``AU-2026-00017``, so the built-in ``references`` matcher does not recognise the
whole token; at best it takes it for a number one typo away (``reference.typo``,
a weak clue that cannot tell a right check digit from a wrong one).

:class:`CheckDigitMatcher` reads such tokens in the remittance information,
verifies the check digit and, for a right one, points at the open item with a
strong clue (``check_digit``, weight 0.95, as strong as a plain reference). A
wrong check digit means the payer mistyped something: the matcher then says
nothing, and the built-in rules decide as they would without it.

>>> luhn_check_digit("202600017")
0
>>> [(number, digit) for number, digit in quoted_numbers("Bestellung au-2026-00017-0, danke")]
[('AU-2026-00017', '0')]
>>> CheckDigitMatcher().name
'check_digit'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from paymatch.matching import Clue, ItemIndex
from paymatch.model import Movement

__all__ = ["CheckDigitMatcher", "is_verified", "luhn_check_digit", "quoted_numbers"]

#: An order number of the shop followed by its check digit, as a word of its own.
_QUOTED = re.compile(r"\b([A-Z]{2}-\d{4}-\d{5})-(\d)\b", re.IGNORECASE | re.ASCII)
#: The clue's weight: a verified number identifies the order as well as a plain reference.
WEIGHT = Decimal("0.95")


def luhn_check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit of a string of digits.

    From the right, every second digit (starting with the last) is doubled, and
    9 is subtracted from a double over 9; the check digit brings the sum to a
    multiple of 10.
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def quoted_numbers(text: str) -> Iterator[tuple[str, str]]:
    """Each ``(order number, check digit)`` written in ``text``, the number in upper case."""
    for found in _QUOTED.finditer(text):
        yield found.group(1).upper(), found.group(2)


def is_verified(number: str, digit: str) -> bool:
    """Whether ``digit`` is the check digit of the order ``number``."""
    return luhn_check_digit("".join(c for c in number if c.isdigit())) == int(digit)


class CheckDigitMatcher:
    """Clues for open orders quoted with a right check digit (see the module docstring).

    The entry point names this class; paymatch calls it without arguments.
    """

    name = "check_digit"

    def clues(self, movement: Movement, index: ItemIndex) -> Iterator[Clue]:
        """A ``check_digit`` clue for each open item quoted with its right check digit."""
        if not movement.remittance_info:
            return
        for number, digit in quoted_numbers(movement.remittance_info):
            if not is_verified(number, digit):
                continue  # a mistyped number: no evidence either way
            # the reference index finds the number as the ERP wrote it (case, dashes, zeros)
            for hit in index.references.find(number, field="remittance_info"):
                open_items = tuple(n for n in hit.values if index.is_open(n))
                if open_items:
                    yield Clue(
                        rule=self.name,
                        detail=f"{number}-{digit} in remittance_info is {', '.join(open_items)} "
                        f"with its check digit {digit}",
                        weight=WEIGHT,
                        items=open_items,
                    )
