"""Compare a payer's name with customer names, tolerant of how names are written.

The bank gives the payer's name as the payer's bank has it: ``MUELLER, HANS``,
``Hans Müller``, ``Dr. Hans Müller``, ``Müller GmbH & Co. KG``. Both sides are
reduced by :func:`normalise_name` (case, umlauts and accents, punctuation, legal
forms, titles, word order) and then compared by :func:`name_similarity`; a
:class:`NameIndex` finds the customers a payer's name fits best without
comparing it to every customer.

>>> normalise_name("Müller GmbH & Co. KG")
'mueller'
>>> normalise_name("Herrn Dr. Hans-Peter Müller")
'hans mueller peter'
>>> name_similarity("Hans Müller", "MUELLER, HANS")
1.0
>>> index = NameIndex()
>>> index.add("Müller GmbH", "K-1")
>>> index.add("Hans Mueller", "K-2")
>>> index.best("Hans Müller")
[('K-2', 1.0), ('K-1', 0.736...)]

The score
---------
:func:`name_similarity` is the Indel similarity of the two normalised names
(``rapidfuzz.fuzz.ratio`` / 100; on token-sorted names this is
``token_sort_ratio``): the share of characters the names have in common, in
order. It was chosen over ``WRatio``, ``token_set_ratio`` and
``partial_ratio``, which score a name contained in another as a full match:
``Müller GmbH`` would fit the payer ``Hans Müller`` as well as ``Hans Müller``
does, and the engine would pay the wrong Müller. With the plain ratio the
missing first name costs what its letters are worth (0.74 here), and one typo
in a name of twelve letters still scores 0.96.

Initials get a rule of their own: a single letter that the other name has as a
word's first letter stands for that word but caps the score at 0.8 (``H.
Müller`` and ``Hans Müller`` may be two people), and one that stands for no
word of the other name caps it at 0.7; the costs of several initials add up.
Without the rule ``H. Müller`` would score 0.86 against ``Hans Müller`` and 0.88
against ``Müller GmbH``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from typing import Final

import attrs
from rapidfuzz import process
from rapidfuzz.distance import Indel

__all__ = [
    "JOINING_WORDS",
    "LEGAL_FORMS",
    "MAX_POSTINGS",
    "TITLES",
    "NameIndex",
    "name_similarity",
    "normalise_name",
]

#: Legal forms, removed wherever they stand. Written as :func:`normalise_name`
#: leaves them; abbreviations written with dots (``e.K.``, ``S.A.``, ``B.V.``)
#: are joined into one word first, so they are single words here too. Some are
#: words as well (``as``, ``ab``, ``spa``, ``co``): in a customer name they are
#: far more often the legal form.
LEGAL_FORMS: Final[tuple[str, ...]] = (
    # German, Austrian, Swiss
    "gmbh",
    "mbh",
    "ggmbh",
    "gesmbh",
    "ag",
    "kg",
    "kgaa",
    "ohg",
    "gbr",
    "ug",
    "haftungsbeschraenkt",
    "ek",
    "ekfm",
    "kfm",
    "ev",
    "eg",
    "se",
    "partg",
    "co",
    # other
    "ltd",
    "limited",
    "plc",
    "llp",
    "inc",
    "llc",
    "corp",
    "corporation",
    "company",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "as",
    "asa",
    "aps",
    "oy",
    "oyj",
)

#: Salutations and titles, removed: ``Herrn Dr. Hans Müller`` is ``Hans
#: Müller``. ``Firma``/``Fa.`` is the salutation of a company.
TITLES: Final[tuple[str, ...]] = (
    "herr",
    "herrn",
    "frau",
    "dr",
    "prof",
    "mr",
    "mrs",
    "ms",
    "firma",
    "fa",
)

#: Words that join names, removed: ``Hans und Erika Müller`` is the people
#: ``Erika Hans Müller`` (``&`` and ``+`` go as punctuation).
JOINING_WORDS: Final[tuple[str, ...]] = ("und", "and")

#: A word on more names than this is too common to find candidates by (see
#: :class:`NameIndex`); it bounds how many names one word of a query brings in.
MAX_POSTINGS: Final = 1000

#: What an initial costs that stands for a word of the other name, and one that does not.
_ABBREVIATION = 0.2
_UNEXPLAINED_INITIAL = 0.3

_NOISE = frozenset(LEGAL_FORMS + TITLES + JOINING_WORDS)
#: German legal forms written with spaced letters (``e. K.``, ``e. V.``,
#: ``e. G.``): the letter ``e`` with one of these is a legal form.
_SPACED_FORM_LETTERS = frozenset({"k", "v", "g", "kfm"})
#: Letters that Unicode decomposition does not reduce to a base letter.
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d"})
#: Single letters joined by dots or slashes: ``e.K.``, ``S.A.``, ``A/S``, ``H.P.``.
_ABBREVIATED = re.compile(r"(?:[^\W\d_][./])+[^\W\d_]\.?")
_TOKEN = re.compile(r"[^\W_]+")
_INITIAL = re.compile(r"(?:^| )[^\W\d_](?: |$)")


def _fold(name: str) -> str:
    """Lower case, umlauts transliterated (ä -> ae), other marks dropped (é -> e)."""
    if name.isascii():
        return name.lower()
    text = unicodedata.normalize("NFKD", name).casefold()
    if "\u0308" in text:  # umlauts, decomposed: a, o, u and the diaeresis
        text = text.replace("a\u0308", "ae").replace("o\u0308", "oe").replace("u\u0308", "ue")
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    if text.isascii():
        return text
    return "".join(char for char in text if not unicodedata.combining(char))


def _word_tokens(word: str) -> list[str]:
    """The tokens of one folded word.

    Letters joined by dots or slashes are a legal form if they spell one
    (``e.k.`` -> ``ek``, ``a/s`` -> ``as``), otherwise initials (``h.p.`` -> ``h
    p``); other punctuation separates (``hans-peter`` -> ``hans peter``).
    """
    if word.isalnum():
        return [word]
    if _ABBREVIATED.fullmatch(word):
        letters = word.replace(".", "").replace("/", "")
        return [letters] if letters in _NOISE else list(letters)
    return _TOKEN.findall(word)


def _without_spaced_forms(tokens: list[str]) -> list[str]:
    """``tokens`` without a legal form written with spaced letters (``e. K.``)."""
    if "e" not in tokens or _SPACED_FORM_LETTERS.isdisjoint(tokens):
        return tokens
    return [token for token in tokens if token != "e" and token not in _SPACED_FORM_LETTERS]


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """The name's words, folded, without legal forms, titles and joining words, sorted.

    Returns ``""`` when nothing is left. Cached: payers and customers come back
    (the engine reads a customer's name once per item, and a payer's per payment).

    >>> normalise_name("Müller, Hans") == normalise_name("Hans Mueller")
    True
    >>> normalise_name("Ørsted Café A/S")
    'cafe orsted'
    >>> normalise_name("Blumen Schulz e. K.")
    'blumen schulz'
    """
    tokens: list[str] = []
    for word in _fold(name).split():
        tokens += _word_tokens(word)
    return " ".join(sorted(t for t in _without_spaced_forms(tokens) if t not in _NOISE))


def _initials_cost(words: list[str], other: list[str]) -> float:
    """What the initials of ``words`` that ``other`` does not have cost (see the module)."""
    initials = Counter(word for word in words if len(word) == 1 and word.isalpha())
    if not initials:
        return 0.0
    initials.subtract(word for word in other if len(word) == 1)
    first_letters = Counter(word[0] for word in other if len(word) > 1)
    cost = 0.0
    for letter, count in initials.items():
        if count > 0:
            abbreviated = min(count, first_letters[letter])
            cost += abbreviated * _ABBREVIATION + (count - abbreviated) * _UNEXPLAINED_INITIAL
    return cost


def _similarity(a: str, b: str, raw: float) -> float:
    """The score of normalised names ``a`` and ``b`` whose Indel similarity is ``raw``."""
    if not (_INITIAL.search(a) or _INITIAL.search(b)):
        return raw
    words_a, words_b = a.split(), b.split()
    cost = _initials_cost(words_a, words_b) + _initials_cost(words_b, words_a)
    return min(raw, max(0.0, 1.0 - cost))


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, from 0.0 to 1.0 (see the module docstring).

    ``0.0`` when either has nothing left after :func:`normalise_name`.

    >>> name_similarity("Hans Müller", "Müller GmbH") < name_similarity("Hans Müller", "H. Müller")
    True
    >>> name_similarity("H. Müller", "Hans Müller")
    0.8
    """
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return 0.0
    return _similarity(a, b, Indel.normalized_similarity(a, b))


def _initials(name: str) -> str:
    """The single letters of a normalised name, in order: ``"h mueller p"`` -> ``"hp"``."""
    return "".join(word for word in name.split() if len(word) == 1 and word.isalpha())


def _length_window(length: int, cutoff: float) -> tuple[float, float]:
    """The lengths a name needs to score ``cutoff`` against a name of ``length`` characters.

    The Indel similarity of strings of lengths m <= n is at most 2m / (m + n).
    """
    if cutoff <= 0:
        return 0.0, math.inf
    return length * cutoff / (2 - cutoff) - 1e-9, length * (2 - cutoff) / cutoff + 1e-9


@attrs.frozen
class _Shelf:
    """Names of one common word and one set of initials, shortest first."""

    lengths: list[int]
    names: list[str]

    def within(self, low: float, high: float) -> slice:
        """The positions of the names whose length lies between ``low`` and ``high``."""
        return slice(bisect_left(self.lengths, low), bisect_right(self.lengths, high))


class NameIndex:
    """Customer names -> values (customer keys), searched by a payer's name.

    A query is scored only against names that share a word with it (of two
    letters or more, so not initials):

    * if some of its words are on at most :data:`MAX_POSTINGS` names, the names
      of those words (a name sharing only the common words is not compared);
    * else, if it has several words, the names having all of them;
    * else the names of its one word whose length and initials let them reach
      ``cutoff``, unless there are more than :data:`MAX_POSTINGS` of them.

    A name whose every word is misspelt is therefore not found; an identical
    normalised name always is.
    """

    def __init__(self) -> None:
        #: normalised name -> its value, or its values once there are several
        self._values: dict[str, str | tuple[str, ...]] = {}
        #: word -> the names that have it (single letters are not indexed)
        self._postings: dict[str, list[str]] = {}
        #: the postings of common words as sets and as shelves by initials,
        #: made when first needed
        self._sets: dict[str, frozenset[str]] = {}
        self._shelves: dict[str, dict[str, _Shelf]] = {}

    def add(self, name: str, value: str) -> None:
        """Index ``name`` as naming ``value``; a name with nothing left is ignored."""
        normalised = normalise_name(name)
        if not normalised:
            return
        known = self._values.get(normalised)
        if known is None:
            self._values[normalised] = value
            self._post(normalised)
        elif isinstance(known, str):
            if known != value:
                self._values[normalised] = (known, value)
        elif value not in known:
            self._values[normalised] = (*known, value)

    def _post(self, normalised: str) -> None:
        """Add a new name to the postings of its words."""
        postings = self._postings
        cached = self._sets or self._shelves
        for word in set(normalised.split()):
            if len(word) > 1:
                names = postings.get(word)
                if names is None:
                    postings[word] = [normalised]
                else:
                    names.append(normalised)
                if cached:  # the word's cached forms no longer hold all its names
                    self._sets.pop(word, None)
                    self._shelves.pop(word, None)

    def _named(self, normalised: str) -> tuple[str, ...]:
        known = self._values[normalised]
        return (known,) if isinstance(known, str) else known

    def best(self, name: str, *, limit: int = 3, cutoff: float = 0.0) -> list[tuple[str, float]]:
        """The values whose names fit ``name`` best, with their best scores, highest first.

        At most ``limit`` values scoring at least ``cutoff``; equal scores are
        ordered by value. ``[]`` when no name shares a word with ``name``.

        >>> index = NameIndex()
        >>> index.add("Hans Müller", "K-2")
        >>> index.add("Müller, Hans", "K-1")
        >>> index.best("HANS MUELLER", limit=2)
        [('K-1', 1.0), ('K-2', 1.0)]
        """
        query = normalise_name(name)
        if not query or limit < 1:
            return []
        if query in self._values and len(self._named(query)) >= limit:
            return [(value, 1.0) for value in sorted(self._named(query))[:limit]]
        choices = self._candidates(query, cutoff)
        if not choices:
            return []
        scores: dict[str, float] = {}
        floor = -1.0  # the limit-th best score so far; a lower raw score cannot beat it
        for choice, raw, _ in process.extract(
            query, choices, scorer=Indel.normalized_similarity, limit=None, score_cutoff=cutoff
        ):
            if raw < floor:
                break
            score = _similarity(query, choice, raw)
            if score < cutoff:
                continue
            for value in self._named(choice):
                scores[value] = max(score, scores.get(value, score))
            if len(scores) >= limit:
                floor = sorted(scores.values(), reverse=True)[limit - 1]
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def _candidates(self, query: str, cutoff: float) -> list[str]:
        """The names to score ``query`` against (see the class docstring), not to be changed.

        In no particular order: :meth:`best` does not depend on it.
        """
        postings = self._postings
        words = [word for word in set(query.split()) if len(word) > 1 and word in postings]
        rare = [postings[word] for word in words if len(postings[word]) <= MAX_POSTINGS]
        if len(rare) == 1:
            names = rare[0]
        elif rare:
            names = list(set().union(*rare))
        elif len(words) > 1:
            common = sorted((self._set(word) for word in words), key=len)
            names = list(common[0].intersection(*common[1:]))
        elif words:
            found = self._near_in_length(words[0], query, cutoff)
            if found is not None:
                return found
            names = []  # the word is too common to tell the names apart by
        else:
            names = []
        if not names and query in self._values:
            names = [query]
        return names

    def _near_in_length(self, word: str, query: str, cutoff: float) -> list[str] | None:
        """The names of common ``word`` that can reach ``cutoff`` against ``query``.

        Only names of a length within the Indel bound can, and above ``1 -
        _ABBREVIATION`` only names with the query's initials. ``None`` if more
        than :data:`MAX_POSTINGS` names can.
        """
        shelves = self._shelf(word)
        if cutoff > 1 - _ABBREVIATION:
            shelf = shelves.get(_initials(query))
            chosen = [] if shelf is None else [shelf]
        else:
            chosen = list(shelves.values())
        low, high = _length_window(len(query), cutoff)
        spans = [(shelf, shelf.within(low, high)) for shelf in chosen]
        if sum(span.stop - span.start for _, span in spans) > MAX_POSTINGS:
            return None
        names: list[str] = []
        for shelf, span in spans:
            names += shelf.names[span]
        return names

    def _set(self, word: str) -> frozenset[str]:
        names = self._sets.get(word)
        if names is None:
            names = self._sets[word] = frozenset(self._postings[word])
        return names

    def _shelf(self, word: str) -> dict[str, _Shelf]:
        shelves = self._shelves.get(word)
        if shelves is None:
            rows: dict[str, list[tuple[int, str]]] = {}
            for name in self._postings[word]:
                rows.setdefault(_initials(name), []).append((len(name), name))
            shelves = self._shelves[word] = {
                initials: _Shelf(
                    lengths=[length for length, _ in group], names=[name for _, name in group]
                )
                for initials, group in ((key, sorted(rows[key])) for key in rows)
            }
        return shelves
