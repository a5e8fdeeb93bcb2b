"""SEPA keys inside a purpose text (DK specification, annex 7, "SEPA-Verwendungszweck").

German banks write the fields of a SEPA payment into the purpose of MT940
``:86:`` and of their CSV exports as keys: ``EREF+`` end-to-end id, ``KREF+``
customer reference, ``MREF+`` mandate id, ``CRED+`` creditor id, ``DEBT+``
originator id, ``COAM+``/``OAMT+`` compensation and original amount, ``SVWZ+``
the free purpose, ``ABWA+``/``ABWE+`` the ultimate debtor/creditor, and some
banks ``IBAN+``/``BIC+`` of the counterparty.

>>> split_sepa_keys(["EREF+RE-1001 MREF+M-7 SVWZ+Rechnung 1001"])
(None, {'EREF': 'RE-1001', 'MREF': 'M-7', 'SVWZ': 'Rechnung 1001'})
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import accumulate

__all__ = ["SEPA_KEYS", "split_sepa_keys"]

#: The SEPA keys of DK annex 7 that may open a part of the purpose.
SEPA_KEYS = ("EREF", "KREF", "MREF", "CRED", "DEBT", "COAM", "OAMT", "SVWZ", "ABWA", "ABWE")

_KEY = re.compile(rf"({'|'.join((*SEPA_KEYS, 'IBAN', 'BIC'))})\+")


def split_sepa_keys(parts: Sequence[str]) -> tuple[str | None, dict[str, str]]:
    """The purpose text before the first SEPA key, and each key's value (stripped).

    ``parts`` are the pieces the purpose came in (MT940 sub-fields ``?20``..
    ``?29``, CSV cells), joined without blanks because banks cut keys and
    values anywhere (``?24... S?25VWZ+``). A key opens a value at the start of
    a piece or after a blank; a key given twice has its values joined.
    """
    purpose = "".join(parts)
    piece_starts = set(accumulate(map(len, parts), initial=0))
    sepa: dict[str, str] = {}
    before, key, value_start = purpose, "", 0
    for match in _KEY.finditer(purpose):
        start = match.start()
        if start not in piece_starts and purpose[start - 1] != " ":
            continue  # inside a word: "...DEBT+" in a free text is no key
        if key:
            _add(sepa, key, purpose[value_start:start])
        else:
            before = purpose[:start]
        key, value_start = match.group(1), match.end()
    if key:
        _add(sepa, key, purpose[value_start:])
    return before.strip() or None, sepa


def _add(sepa: dict[str, str], key: str, value: str) -> None:
    """Add the ``value`` of ``key`` to ``sepa``: stripped, after any earlier one, unless empty."""
    value = value.strip()
    if value:
        sepa[key] = f"{sepa[key]} {value}" if key in sepa else value
