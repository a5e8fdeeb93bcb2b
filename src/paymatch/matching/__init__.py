"""The matching engine: movements x open items -> decisions with allocations and evidence.

:func:`match` takes movements and open items (read them with
:func:`read_open_items`) and returns a :class:`MatchReport` with exactly one
:class:`MatchResult` per movement: assigned automatically, suggested,
ambiguous, unmatched or not applicable, with the evidence for it. It is
deterministic and reads no clock (the date to match as of is passed in).
Matchers are pluggable (entry-point group ``paymatch.matchers``); see
``docs/matching.md``.
"""

from paymatch.matching.clues import Clue, Matcher
from paymatch.matching.config import MatchConfig, Weights
from paymatch.matching.engine import learn_payers, load_matchers, match
from paymatch.matching.item_index import ItemIndex
from paymatch.matching.open_items import OpenItemColumns, OpenItemFormat, read_open_items
from paymatch.matching.report import (
    Assignment,
    ItemWriteOff,
    MatchReport,
    MatchResult,
    MatchStatus,
    Plan,
)

__all__ = [
    "Assignment",
    "Clue",
    "ItemIndex",
    "ItemWriteOff",
    "MatchConfig",
    "MatchReport",
    "MatchResult",
    "MatchStatus",
    "Matcher",
    "OpenItemColumns",
    "OpenItemFormat",
    "Plan",
    "Weights",
    "learn_payers",
    "load_matchers",
    "match",
    "read_open_items",
]
