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
    boundaries = {0}
    for part in parts:
        boundaries.add(max(boundaries) + len(part))
    starts = [
        match
        for match in _KEY.finditer(purpose)
        if match.start() in boundaries or purpose[match.start() - 1] == " "
    ]
    sepa: dict[str, str] = {}
    ends = [match.start() for match in starts[1:]] + ([len(purpose)] if starts else [])
    for match, end in zip(starts, ends, strict=True):
        key = match.group(1)
        value = purpose[match.end() : end].strip()
        if value:
            sepa[key] = f"{sepa[key]} {value}" if key in sepa else value
    before = (purpose[: starts[0].start()] if starts else purpose).strip()
    return before or None, sepa
