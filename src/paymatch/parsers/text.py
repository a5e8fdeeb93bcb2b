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
from collections.abc import Iterator
from typing import BinaryIO

from paymatch.errors import ParseError

__all__ = ["CHUNK_SIZE", "decode", "position_of", "stream_lines", "text_lines"]

#: How much of a stream is read and decoded at a time.
CHUNK_SIZE = 64 * 1024

_LETTERS = frozenset("äöüÄÖÜßéèêàáâçñøåæÉÈÀÅØÆ€")
_EIGHT_BIT = ("cp1252", "cp850")
#: Box drawings and control characters: what a wrong code page turns letters into.
_UNLIKELY = re.compile("[\u2500-\u25ff\x00-\x08\x0b\x0c\x0e-\x1f]")
_ASCII = bytes(range(128))


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
    high = data.translate(None, _ASCII)  # the bytes above 127, in C
    best = _likeliest_code_page({byte: high.count(byte) for byte in set(high)})
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


def _likeliest_code_page(high_bytes: dict[int, int]) -> str:
    """The 8-bit code page in which the bytes above 127 read most like our banks' text.

    Only those bytes differ between the code pages, so they alone are scored:
    ``high_bytes`` maps each to its count (taken in C, not in a loop over the
    file), and each distinct byte is decoded once. Letters count
    for a reading, box drawings and control characters against it, and a byte
    a code page does not define rules it out.
    """
    best, best_score = _EIGHT_BIT[-1], None
    for encoding in _EIGHT_BIT:
        score = 0
        try:
            for byte, count in high_bytes.items():
                char = bytes((byte,)).decode(encoding)
                if char in _LETTERS:
                    score += 2 * count
                elif _UNLIKELY.match(char):
                    score -= 3 * count
        except UnicodeDecodeError:
            continue
        if best_score is None or score > best_score:
            best, best_score = encoding, score
    return best


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends; only ``\\n`` ends a line, as RFC 4180 counts them."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def stream_lines(head: bytes, stream: BinaryIO, encoding: str, source: str | None) -> Iterator[str]:
    """The lines of ``head`` and then the rest of ``stream``, decoded chunk by chunk.

    Memory stays flat whatever the size of the stream; a byte sequence that is
    not ``encoding`` is a :class:`ParseError` naming its line.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    lines = 0
    chunk = head
    while True:
        final = not chunk
        try:
            pending += decoder.decode(chunk, final=final)
        except UnicodeDecodeError as error:
            # error.start counts into the chunk (after at most a few bytes the decoder held back)
            at = lines + pending.count("\n") + chunk.count(b"\n", 0, error.start) + 1
            raise ParseError(f"not valid {encoding} text", source=source, line=at) from None
        cut = pending.rfind("\n") + 1
        if final:
            cut = len(pending)
        for line in text_lines(pending[:cut]):
            lines += 1
            yield line
        pending = pending[cut:]
        if final:
            return
        chunk = stream.read(CHUNK_SIZE)
