"""Fuzzing provider and bank parsers: real files, mutated; only ParseError may escape."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence

from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.parsers import Parser


def mutated(data: st.DataObject, sources: Sequence[bytes]) -> bytes:
    """One of ``sources`` with a few bytes replaced by up to eight random ones."""
    source = data.draw(st.sampled_from(list(sources)))
    position = data.draw(st.integers(0, len(source) - 1))
    junk = data.draw(st.binary(min_size=0, max_size=8))
    return source[:position] + junk + source[position + data.draw(st.integers(0, 4)) :]


def only_parse_errors(parser: Parser, data: bytes) -> None:
    """Parse and stream ``data``: a ParseError is fine, any other exception fails the test."""
    with contextlib.suppress(ParseError):
        parser.parse(data)
    with contextlib.suppress(ParseError):
        list(parser.iter_movements(io.BytesIO(data)))
