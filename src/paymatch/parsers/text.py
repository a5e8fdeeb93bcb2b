"""Decoding the text formats (MT940, bank CSV) whose encoding the file does not declare.

German banks send UTF-8, Windows-1252 (ISO 8859-1 for practical purposes)
or, from old DOS-era software, code page 850. A byte-order mark decides at
once; otherwise UTF-8 is tried strictly (it rarely decodes anything else by
accident), and between the 8-bit code pages the one that yields more letters
of the languages our banks write (umlauts, ß, accents) and fewer box-drawing
or control characters wins.

>>> decode("Müller".encode("cp850"))
('Müller', 'cp850')
>>> decode("Müller".encode("cp1252"))
('Müller', 'cp1252')
"""

from __future__ import annotations

import codecs
import re

from paymatch.errors import ParseError

__all__ = ["decode", "position_of"]

_LETTERS = frozenset("äöüÄÖÜßéèêàáâçñøåæÉÈÀÅØÆ€")
_EIGHT_BIT = ("cp1252", "cp850")
#: Box drawings and control characters: what a wrong code page turns letters into.
_UNLIKELY = re.compile("[\u2500-\u25ff\x00-\x08\x0b\x0c\x0e-\x1f]")


def decode(data: bytes, *, source: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with.

    Raises :class:`ParseError` for binary data (a NUL byte outside UTF-16),
    pointing at the line and column of the first one.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", source), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source), "utf-16"
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = position_of(data, nul)
        raise ParseError(
            "binary data (a NUL byte) where text was expected",
            source=source,
            line=line,
            column=column,
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for encoding in _EIGHT_BIT:
        try:
            readings.append((_score(data.decode(encoding)), encoding))
        except UnicodeDecodeError:
            continue
    if not readings:  # cp850 decodes every byte, so this is only a safeguard
        return data.decode("latin-1"), "latin-1"
    best = max(readings, key=lambda reading: reading[0])[1]
    return data.decode(best), best


def position_of(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column of byte ``offset`` in ``data``."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _strict(data: bytes, encoding: str, source: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line, column = position_of(data, error.start)
        raise ParseError(
            f"not valid {encoding} although the file starts with its byte-order mark",
            source=source,
            line=line,
            column=column,
        ) from None


def _score(text: str) -> int:
    """Letters our banks write count for a reading, box drawings and controls against it.

    Counted with ``str.count`` and a regular expression rather than a loop over
    the characters: this runs on whole files of hundreds of megabytes.
    """
    letters = sum(text.count(letter) for letter in _LETTERS)
    return 2 * letters - 3 * len(_UNLIKELY.findall(text))
