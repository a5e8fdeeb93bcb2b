"""Find open item numbers in payment texts, tolerant of how payers write them.

Payers quote our order, invoice and customer numbers with every kind of noise:
invoice ``RE-2026-0017`` arrives as ``Re. 2026-0017``, ``re20260017``,
``Rechnung RE 2026 0017`` or split over two lines by the bank. Both sides are
therefore reduced to a :func:`reference_key`, and a :class:`ReferenceIndex`
answers three questions about a text, each with dictionary look-ups only, never
a scan of the index (a million indexed numbers cost the same per text as ten):

* :meth:`~ReferenceIndex.find`: which indexed numbers does the text quote?
* :meth:`~ReferenceIndex.near`: which indexed numbers are one typo away from a
  number in it?
* :meth:`~ReferenceIndex.unknown`: which numbers in it have the shape of ours
  but are not indexed?

>>> index = ReferenceIndex()
>>> index.add("RE-2026-0017", "RE-2026-0017")
>>> [hit.seen for hit in index.find("Rechnung RE 2026/0017, danke", field="purpose")]
['Rechnung RE 2026/0017']
>>> [(hit.seen, hit.values) for hit in index.near("re-2026-0071", field="purpose")]
[('re-2026-0071', ('RE-2026-0017',))]
>>> index.unknown("RE-2026-4711 und RE-2026-0017")
['RE-2026-4711']

Keys
----
A key is the reference in upper case (after ``casefold``, with ä, ö, ü written
AE, OE, UE, ß written SS and other accents dropped), without white space and
:data:`SEPARATORS`, and without the leading zeros of each digit run of what is
left, so ``"RE-2026-0017"`` and ``"re 20260017"`` are ``"RE20260017"`` and
``"AU-000123"`` is ``"AU123"``. Zeros are stripped *after* the separators are
gone, so a payer who leaves out the dashes still matches; a payer who leaves out
padding zeros *inside* a number (``RE-2026-17``) does not. Stripping per
written run instead would make ``AB-01-0017`` and ``AB-11-0007`` one key
(``AB117``): zeros stripped from the compact form never merge two numbers of one
fixed-width format.

Different references that share a key collide: ``A-12`` and ``A1-2``,
``0001001`` and ``1001``, ``RE-1-001`` and ``RE-1001``. Such a key simply names
all their values; a hit then lists them all and the engine refuses to pick one.

Words and windows
-----------------
A text is split into words at white space and at ``,;()[]{}<>"'`` and similar
marks; separators stay inside words, so ``RE-2026-0017`` is one word. Every
word and every run of two or three words written with only blanks or separators
between them (a number written with spaces, or wrapped onto the next line by the
bank) is a *window*. Each window is tried as it is, then with
:data:`PREFIXES` stripped from its front in every way they fit, the longest
rest first, as long as a digit is left (``Best.-Nr.:1001`` and ``Rechnung Nr.
1001`` find ``1001``; ``Rechnung RE-1001`` finds ``RE-1001`` before ``1001``;
``KDNR12`` finds ``NR12`` before ``12``); the first reading that is indexed is
the window's hit. A hit always covers whole words: ``12345`` is not found in
``123456`` or ``ABC12345``. A hit whose words all lie within a longer hit is
dropped (``AU1234 5`` finds ``AU12345``, not ``AU1234``), and each key is
reported once, in the order of the text.

Typos and unknown numbers
-------------------------
Both look at the windows of one or two words that share no word with an exact
hit, read as above. A typo is one substitution, insertion, deletion or swap of
neighbouring characters; its candidates are generated over the characters the
indexed keys use and looked up one by one, so a typo costs a few hundred
look-ups. Keys under four characters are never typo hits (every short number
has many accidental neighbours), and a window needs three digits to be looked
at. A number is *unknown* when its shape (the key with every digit written 9) is
the shape of an indexed key but the key itself is not indexed.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

import attrs

__all__ = ["PREFIXES", "SEPARATORS", "ReferenceHit", "ReferenceIndex", "reference_key"]

#: Characters that only format a reference: removed from keys, kept inside words.
#: White space is removed from keys too, but separates words.
SEPARATORS: Final = "-/._#:\u2010\u2011\u2012\u2013\u2014\u2212"

#: Words (as keys) that payers write before a number: ``Re.``, ``Rechnung Nr.``,
#: ``Best.-Nr.:``, ``Kd.-Nr.``, ``Invoice No.``; stripped from the front of a
#: window (see the module docstring).
PREFIXES: Final[tuple[str, ...]] = (
    "RE",
    "RG",
    "RECHNUNG",
    "RECHNUNGSNR",
    "RECHNUNGSNUMMER",
    "RECHNR",
    "INVOICE",
    "INV",
    "AUFTRAG",
    "AUFTRAGSNR",
    "AUFTRAGSNUMMER",
    "AU",
    "ORDER",
    "BEST",
    "BESTNR",
    "BESTELLUNG",
    "BESTELLNR",
    "BESTELLNUMMER",
    "NR",
    "NO",
    "NUMMER",
    "REF",
    "KD",
    "KDNR",
    "KUNDENNR",
    "KUNDENNUMMER",
    "KUNDE",
)

#: A window joins at most this many words by default.
_MAX_WORDS = 3
#: Typos are looked for in windows of at most this many words.
_MAX_TYPO_WORDS = 2
#: Indexed keys shorter than this are never typo hits: a short number has too
#: many accidental neighbours (every 3-digit number is one edit from dozens).
_MIN_TYPO_KEY = 4
#: A window is looked at for typos only with at least this many digits.
_MIN_TYPO_DIGITS = 3

_DIGITS: Final = "0123456789"
#: How one edit changes a key's (length, non-digits): deleting, swapping,
#: substituting or inserting a digit or another character.
_ONE_EDIT_SIZES = ((-1, 0), (-1, -1), (0, 0), (0, -1), (0, 1), (1, 0), (1, 1))
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"} | dict.fromkeys(SEPARATORS))
_SHAPE = str.maketrans(dict.fromkeys(_DIGITS, "9"))
_NO_DIGITS = str.maketrans(dict.fromkeys(_DIGITS))
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")
_ANY_DIGIT = re.compile(r"[0-9]")
_PREFIX_INITIALS = frozenset(prefix[0] for prefix in PREFIXES)
#: Marks that end a word (besides white space): punctuation, brackets, quotes.
_WORD_ENDS = ",;()[]{}<>\"'`|!?*+=&~^\\\u00b4\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb"
_WORD = re.compile(rf"[^\s{re.escape(_WORD_ENDS)}]+")
_JOINING_GAP = re.compile(rf"[\s{re.escape(SEPARATORS)}]*")

#: A word of a text: where it starts and ends, its key without zero stripping,
#: whether it may be joined to the word before it, how many digits it has and
#: its :func:`_tail`.
_Word = tuple[int, int, str, bool, int, str]
#: A window of words ``[first, last)``, its key without zero stripping and how
#: many digits it has.
_Window = tuple[int, int, str, int]
#: The tails (see :func:`_tail`) of keys with a digit and of keys without one.
_Tails = tuple[set[str], set[str]]
#: A window of words ``[first, last)`` and what was found for it.
_Span = tuple[int, int, str]


def _compact(text: str) -> str:
    """Upper case, umlauts transliterated, other marks dropped, separators and blanks removed."""
    if text.isascii():
        return text.translate(_FOLD).upper()
    text = unicodedata.normalize("NFKD", text).casefold()
    if "\u0308" in text:  # umlauts, decomposed: a, o, u and the diaeresis
        text = text.replace("a\u0308", "ae").replace("o\u0308", "oe").replace("u\u0308", "ue")
    text = unicodedata.normalize("NFKD", text)
    if not text.isascii():  # drop the marks left: é -> e
        text = "".join(char for char in text if not unicodedata.combining(char))
    return "".join(text.translate(_FOLD).upper().split())


def _strip_zeros(compact: str) -> str:
    """``compact`` without the leading zeros of its digit runs (a lone ``0`` stays)."""
    return _LEADING_ZEROS.sub("", compact) if "0" in compact else compact


def reference_key(text: str) -> str:
    """The form a reference is compared in (see the module docstring); ``""`` if nothing is left.

    >>> reference_key("RE-2026-0017")
    'RE20260017'
    >>> reference_key("re 2026/0017")
    'RE20260017'
    >>> reference_key("Bestell-Nr. 000123 Müller")
    'BESTELLNR123MUELLER'
    """
    return _strip_zeros(_compact("".join(text.split())))


def _shape(key: str) -> str:
    """The key with every digit written 9: ``RE20260017`` -> ``RE99999999``."""
    return key.translate(_SHAPE)


@lru_cache(maxsize=4096)
def _prefix_ends(letters: str) -> tuple[int, ...]:
    """Where the readings of a key that starts with ``letters`` start, in order.

    At 0, and after every chain of prefix words that ``letters`` begins with.
    """
    starts = [0]
    for start in starts:
        for prefix in PREFIXES:
            end = start + len(prefix)
            if letters.startswith(prefix, start) and end not in starts:
                starts.append(end)
    return tuple(sorted(starts))


def _size(shape: str) -> tuple[int, int]:
    """The length of a key (given by its shape) and how many of its characters are no digits."""
    return len(shape), len(shape) - shape.count("9")


def _tail(key: str) -> str:
    """The key's last character, a digit written 9.

    Every reading of a window (see :func:`_readings`) has the window's tail and
    has a digit if and only if the window has one: zeros and prefix words are
    only stripped in front of a digit, and prefixes only from keys with a
    digit. So an index only looks up a window if an indexed key has its tail
    and, like it, a digit or none (``RE1234 VIELEN`` ends in ``N``: no item
    number does).
    """
    return "9" if key[-1] in _DIGITS else key[-1]


@lru_cache(maxsize=4096)
def _readings(compact: str) -> tuple[str, ...]:
    """The key of a window, given without zero stripping, and it without prefix words.

    Every way of stripping prefix words, longest reading first. Only a key with
    a digit loses prefixes; the prefixes are letters before the first digit, so
    a digit is left in every reading. Cached: the engine asks several indexes
    about one text.
    """
    key = _strip_zeros(compact)
    if key[:1] not in _PREFIX_INITIALS or not _ANY_DIGIT.search(key):
        return (key,)
    letters = key[: len(key) - len(key.lstrip(string.ascii_uppercase))]
    return tuple([key[start:] for start in _prefix_ends(letters)])


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[_Word, ...]:
    """The words of ``text`` that have a key, in order.

    Cached: the engine asks several indexes several questions about one text.
    """
    words: list[_Word] = []
    previous_end = 0
    upper = text.upper() if text.isascii() else None  # then a word's key is its slice, folded
    for match in _WORD.finditer(text):
        start, end = match.span()
        if upper is None:
            compact = _compact(match.group())
        else:
            compact = upper[start:end]
            if not compact.isalnum():  # else there is nothing to fold
                compact = compact.translate(_FOLD)
        if not compact:
            continue
        joins = bool(words) and (
            text[previous_end:start] == " "
            or _JOINING_GAP.fullmatch(text, previous_end, start) is not None
        )
        if compact.isalpha():
            words.append((start, end, compact, joins, 0, compact[-1]))
        else:
            digits = len(compact) - len(compact.translate(_NO_DIGITS))
            words.append((start, end, compact, joins, digits, _tail(compact)))
        previous_end = end
    return tuple(words)


def _windows(words: Sequence[_Word], max_words: int, tails: _Tails | None) -> list[_Window]:
    """The runs of up to ``max_words`` joinable words that may be keys with these ``tails``.

    A run may be such a key if its tail is among the tails of keys with a digit
    (``tails[0]``) or without one (``tails[1]``), as the run has a digit or
    not; all runs may be if ``tails`` is ``None``. Ordered by their last word,
    as runs are only made for a last word whose tail is in ``tails``.
    """
    windows: list[_Window] = []
    for last, (_, _, compact, _, digits, tail) in enumerate(words):
        if tails is not None and tail not in tails[0] and tail not in tails[1]:
            continue
        first = last
        while True:
            if tails is None or tail in (tails[0] if digits else tails[1]):
                windows.append((first, last + 1, compact, digits))
            if last - first + 1 == max_words or not words[first][3]:
                break
            first -= 1
            compact = words[first][2] + compact
            digits += words[first][4]
    return windows


def _outermost(spans: Sequence[_Span]) -> list[_Span]:
    """The spans not lying within a longer one, one per found key, in order of the text."""
    if len(spans) < 2:
        return list(spans)
    kept: list[_Span] = []
    reported: set[str] = set()
    for span in sorted(spans, key=lambda span: (span[0], -span[1])):
        first, last, found = span
        if found in reported:
            continue
        width = last - first
        if not any(
            other[0] <= first and last <= other[1] and other[1] - other[0] > width
            for other in spans
        ):
            reported.add(found)
            kept.append(span)
    return kept


def _seen(text: str, words: Sequence[_Word], first: int, last: int) -> str:
    """The window as written, white space runs (line breaks) shown as one blank."""
    return " ".join(text[words[first][0] : words[last - 1][1]].split())


@attrs.frozen
class ReferenceHit:
    """A reference found in a movement's text.

    ``values`` are the indexed values (item numbers) its key names, in the order
    they were added; more than one means the reference is ambiguous. ``seen`` is
    the text as written (``"Re. 2026-0017"``), ``field`` the movement field it
    was found in, and ``typo`` says it is one edit away from the indexed key
    rather than equal to it.
    """

    values: tuple[str, ...]
    seen: str
    field: str
    typo: bool = False


class ReferenceIndex:
    """References -> values (item numbers), searched in texts (see the module docstring).

    ``max_words`` is the longest run of words joined into one window: raise it
    for long references that payers write in groups (``RF18 5390 0754 7034``).
    """

    def __init__(self, *, max_words: int = _MAX_WORDS) -> None:
        if max_words < 1:
            raise ValueError(f"max_words must be at least 1, got {max_words}")
        self._max_words = max_words
        #: key -> its value, or its values once there are several
        self._values: dict[str, str | tuple[str, ...]] = {}
        #: the shapes of the indexed keys, and their (length, non-digits) sizes
        self._shapes: set[str] = set()
        self._sizes: set[tuple[int, int]] = set()
        #: (key length, position) -> the non-digits indexed keys have there
        self._others_at: dict[tuple[int, int], set[str]] = {}
        #: the tails (see :func:`_tail`) of the indexed keys with a digit and without
        self._tails: _Tails = (set(), set())
        #: the words last looked up exactly and what was found, as find, unknown
        #: and near are asked about one text in turn; None after an add
        self._last_exact: tuple[tuple[_Word, ...], list[_Span]] | None = None

    def __len__(self) -> int:
        """How many distinct keys are indexed."""
        return len(self._values)

    def add(self, reference: str, value: str) -> None:
        """Index ``reference`` as naming ``value``; a reference without a key is ignored."""
        key = reference_key(reference)
        if not key:
            return
        known = self._values.get(key)
        if known is None:
            self._values[key] = value
            self._add_shape(_shape(key))
            self._last_exact = None
        elif isinstance(known, str):
            if known != value:
                self._values[key] = (known, value)
        elif value not in known:
            self._values[key] = (*known, value)

    def _add_shape(self, shape: str) -> None:
        if shape in self._shapes:
            return
        self._shapes.add(shape)
        self._tails[0 if "9" in shape else 1].add(_tail(shape))
        length = len(shape)
        self._sizes.add(_size(shape))
        for position, char in enumerate(shape):
            if char != "9":
                self._others_at.setdefault((length, position), set()).add(char)

    def _named(self, key: str) -> tuple[str, ...]:
        known = self._values[key]
        return (known,) if isinstance(known, str) else known

    # -- exact ---------------------------------------------------------------------

    def find(self, text: str, *, field: str) -> list[ReferenceHit]:
        """The indexed references ``text`` quotes, exactly up to format noise.

        >>> index = ReferenceIndex()
        >>> index.add("1001", "A-1")
        >>> [hit.seen for hit in index.find("Best.-Nr.:1001, 123-1001", field="purpose")]
        ['Best.-Nr.:1001']
        """
        words = _words(text)
        return [
            ReferenceHit(self._named(key), _seen(text, words, first, last), field)
            for first, last, key in self._exact(words)
        ]

    def _exact(self, words: tuple[_Word, ...]) -> list[_Span]:
        """The outermost windows that name an indexed key, with the key."""
        last_exact = self._last_exact
        if last_exact is not None and last_exact[0] is words:
            return last_exact[1]
        values = self._values
        spans: list[_Span] = []
        for first, last, compact, _ in _windows(words, self._max_words, self._tails):
            for reading in _readings(compact):
                if reading in values:
                    spans.append((first, last, reading))
                    break
        spans = _outermost(spans)
        self._last_exact = (words, spans)
        return spans

    def _free_windows(self, words: tuple[_Word, ...], tails: _Tails | None) -> list[_Window]:
        """The windows of up to two words that share no word with an exact hit.

        Only those ``tails`` allow (see :func:`_windows`).
        """
        covered = {i for first, last, _ in self._exact(words) for i in range(first, last)}
        return [
            window
            for window in _windows(words, min(self._max_words, _MAX_TYPO_WORDS), tails)
            if covered.isdisjoint(range(window[0], window[1]))
        ]

    # -- typos ---------------------------------------------------------------------

    def near(self, text: str, *, field: str) -> list[ReferenceHit]:
        """References one edit away from a number in ``text`` that is no exact hit.

        An edit is one substitution, insertion, deletion or swap of neighbours
        (Damerau-Levenshtein distance 1). Only windows of one or two words with
        at least three digits are looked at, and only indexed keys of at least
        four characters are reported. A hit lists the values of *every* key
        within one edit; more than one value means the typo is ambiguous.

        >>> index = ReferenceIndex()
        >>> index.add("48213", "A-1")
        >>> [(hit.seen, hit.values, hit.typo) for hit in index.near("Auftrag 48231", field="f")]
        [('Auftrag 48231', ('A-1',), True)]
        """
        words = _words(text)
        spans: list[_Span] = []
        found: dict[str, tuple[str, ...]] = {}
        neighbours: dict[str, list[str]] = {}
        for first, last, compact, digits in self._free_windows(words, None):
            if digits < _MIN_TYPO_DIGITS:  # zero stripping only takes digits away
                continue
            readings = _readings(compact)
            if len(_ANY_DIGIT.findall(readings[0])) < _MIN_TYPO_DIGITS:
                continue
            for reading in readings:
                if reading not in neighbours:
                    neighbours[reading] = self._neighbours(reading)
                keys = neighbours[reading]
                if keys:
                    joined = " ".join(keys)  # one span per set of keys
                    found[joined] = tuple(
                        dict.fromkeys(value for key in keys for value in self._named(key))
                    )
                    spans.append((first, last, joined))
                    break
        return [
            ReferenceHit(found[joined], _seen(text, words, first, last), field, typo=True)
            for first, last, joined in _outermost(spans)
        ]

    def _neighbours(self, key: str) -> list[str]:
        """The indexed keys one edit from ``key`` (of at least four characters), sorted.

        The edits are generated and looked up, never the index scanned. An edit
        that gives a size or shape no indexed key has cannot hit: a key is only
        edited if some indexed key has a size one edit can reach, digits are only
        tried where the edited shape is indexed, and other characters only where
        an indexed key of that length has them.
        """
        shape = _shape(key)
        length, others = _size(shape)
        if self._sizes.isdisjoint(
            (length + longer, others + more) for longer, more in _ONE_EDIT_SIZES
        ):
            return []
        shapes, others_at = self._shapes, self._others_at
        edits: list[str] = []
        if length - 1 >= _MIN_TYPO_KEY:
            edits += [key[:i] + key[i + 1 :] for i in range(length)]
        if length >= _MIN_TYPO_KEY:
            edits += [
                key[:i] + key[i + 1] + key[i] + key[i + 2 :]
                for i in range(length - 1)
                if key[i] != key[i + 1]
            ]
            for i in range(length):
                head, tail = key[:i], key[i + 1 :]
                if shape[:i] + "9" + shape[i + 1 :] in shapes:
                    edits += [head + digit + tail for digit in _DIGITS]
                edits += [head + char + tail for char in others_at.get((length, i), ())]
        if length + 1 >= _MIN_TYPO_KEY:
            for i in range(length + 1):
                head, tail = key[:i], key[i:]
                if shape[:i] + "9" + shape[i:] in shapes:
                    edits += [head + digit + tail for digit in _DIGITS]
                edits += [head + char + tail for char in others_at.get((length + 1, i), ())]
        found = set(filter(self._values.__contains__, edits))
        found.discard(key)
        return sorted(found)

    # -- unknown -------------------------------------------------------------------

    def unknown(self, text: str) -> list[str]:
        """Numbers in ``text`` (as written) with the shape of an indexed key but not indexed.

        The shape is the key with every digit written 9 (``RE20260017`` ->
        ``RE99999999``); windows of one or two words that share no word with an
        exact hit are looked at, with prefix words stripped as in :meth:`find`.

        >>> index = ReferenceIndex()
        >>> index.add("AU-10001", "A-1")
        >>> index.unknown("Auftrag AU10002, PLZ 12345, AU10001")
        ['Auftrag AU10002']
        """
        words = _words(text)
        spans: list[_Span] = []
        for first, last, compact, _ in self._free_windows(words, self._tails):
            for reading in _readings(compact):
                if _shape(reading) in self._shapes:
                    spans.append((first, last, reading))
                    break
        return [_seen(text, words, first, last) for first, last, _ in _outermost(spans)]
