"""Every built-in parser, fed random bytes: only ParseError escapes, and nothing hangs.

The format modules fuzz their own formats with mutated valid files; this test
covers what none of them owns: detection over all parsers at once, and each
parser given data of any other shape.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paymatch import ParseResult, parse
from paymatch.errors import ParseError
from paymatch.parsers.registry import ParserRegistry

BUILT_INS = sorted(ParserRegistry(plugins=False).parsers())

#: Heads that send detection towards each kind of format, so the parsers behind it get the bytes.
PREFIXES = [
    b"",
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">',
    b"{1:F01BANKDEFFXXXX0000000000}{2:O9401200}{4:\r\n:20:STARTUMS\r\n",
    b":20:STARTUMSE\r\n:25:37040044/0532013000\r\n:28C:00001/001\r\n",
    b'"Bezeichnung Auftragskonto";"IBAN Auftragskonto";"BIC Auftragskonto"\r\n',
]

FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def test_there_are_built_in_parsers() -> None:
    assert {"camt.052", "camt.053", "camt.054", "mt940", "mt942", "csv.sparkasse-camt"} <= set(
        BUILT_INS
    )


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000))
def test_detection_and_parsing_raise_only_parse_errors(prefix: bytes, body: bytes) -> None:
    with contextlib.suppress(ParseError):
        assert isinstance(parse(prefix + body, filename="fuzz.dat"), ParseResult)


@pytest.mark.parametrize("name", BUILT_INS)
@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000))
def test_each_parser_raises_only_parse_errors(name: str, prefix: bytes, body: bytes) -> None:
    with contextlib.suppress(ParseError):
        assert isinstance(parse(prefix + body, format=name, filename="fuzz.dat"), ParseResult)


@pytest.mark.parametrize("name", BUILT_INS)
@FUZZ
@given(head=st.binary(max_size=4096), filename=st.none() | st.text(max_size=30))
def test_detect_never_raises_and_stays_in_range(
    name: str, head: bytes, filename: str | None
) -> None:
    score = ParserRegistry(plugins=False).get(name).detect(head, filename)
    assert 0.0 <= score <= 1.0
