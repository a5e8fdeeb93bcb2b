"""The parser protocol: what every statement format implements.

A parser is an object with a ``name``, a ``description`` and three methods
(compare pygments' lexers: each scores a sample; h11: bytes in, data out):

* ``detect(head, filename)`` scores the first bytes of the data (at most
  :data:`HEAD_SIZE`) from 0 (certainly not this format) to 1 (certainly this
  format); it must be cheap and never raise on any bytes.
* ``parse(data, source=...)`` reads a whole file, given as bytes or a binary
  stream, into a :class:`~paymatch.parsers.result.ParseResult`, or raises
  :class:`~paymatch.errors.ParseError` saying where and what was expected.
* ``iter_movements(stream, source=...)`` yields the movements of a large file
  one by one, keeping memory flat.

Parsers open no files: the caller passes bytes or a stream it opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol, runtime_checkable

from paymatch.model import Movement
from paymatch.parsers.result import ParseResult

__all__ = ["HEAD_SIZE", "Parser", "ReadWhole", "read_all"]

#: How many bytes of the data ``detect`` is shown.
HEAD_SIZE = 4096


@runtime_checkable
class Parser(Protocol):
    """A statement format (see the module docstring)."""

    #: The format's name, as ``--format`` takes it (``"camt.053"``, ``"mt940"``).
    name: str
    #: One line for ``paymatch parse --help`` and error messages.
    description: str

    def detect(self, head: bytes, filename: str | None) -> float:
        """How sure the parser is, from 0 to 1, that ``head`` starts data in its format."""
        ...

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every statement in ``data``; raises ``ParseError`` where the data is unreadable."""
        ...

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream`` one by one, for files too large to hold at once."""
        ...


def read_all(data: bytes | BinaryIO) -> bytes:
    """The bytes of ``data``, reading a stream the caller opened to its end."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    return data.read()


class ReadWhole:
    """For formats whose files are read whole: ``iter_movements`` parses, then yields.

    Fixed-width bank files (BAI2, CODA, Norma 43), OFX responses and reports
    whose rows are summed per transaction (Amazon) are small or cannot be cut
    row by row; their parsers take ``iter_movements`` from here and say so.
    """

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """Every statement in ``data`` (the format's parser implements it)."""
        raise NotImplementedError

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements of ``stream``, read whole."""
        for statement in self.parse(stream, source=source).statements:
            yield from statement.movements
