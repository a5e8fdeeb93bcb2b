"""Statement parsers: bytes from a bank or payment provider -> statements of movements.

One module per format, a registry that finds parsers by name (built-ins,
parsers registered in code, plugins from the ``paymatch.parsers`` entry-point
group) and detects the format of data it is given. Parsers take bytes or a
stream the caller opened and return data; they open no files.

>>> from paymatch.parsers import ParserRegistry
>>> ParserRegistry(built_ins=False, plugins=False).parsers()
{}
"""

from paymatch.parsers.base import Parser
from paymatch.parsers.registry import ParserRegistry, default_registry, parse
from paymatch.parsers.result import Diagnostic, ParseResult, Severity

__all__ = [
    "Diagnostic",
    "ParseResult",
    "Parser",
    "ParserRegistry",
    "Severity",
    "default_registry",
    "parse",
]
