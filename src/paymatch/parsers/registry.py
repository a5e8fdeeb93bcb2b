"""The parser registry: built-in formats, parsers registered in code, and plugins.

Look-up follows SQLAlchemy's plugin loader: a name is found among the parsers
registered in code, then the built-ins, then the entry-point group
``paymatch.parsers``. A plugin is checked when it is loaded (it must provide a
``name``, a ``description`` and the three methods of
:class:`~paymatch.parsers.base.Parser`), and a broken one is named, with its
entry point, in a :class:`~paymatch.errors.ParserPluginError`.

Detection scores every parser on the head of the data; a score of 1 wins at
once, the highest score wins if it is alone, and no score or a tie at the top
is a :class:`~paymatch.errors.FormatDetectionError` listing the candidates.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import BinaryIO, cast

from paymatch.errors import FormatDetectionError, ParserPluginError
from paymatch.parsers.base import HEAD_SIZE, Parser, read_all
from paymatch.parsers.result import ParseResult
from paymatch.plugins import load_plugins

__all__ = ["ENTRY_POINT_GROUP", "ParserRegistry", "default_registry", "parse"]

#: The entry-point group third-party parsers register under.
ENTRY_POINT_GROUP = "paymatch.parsers"

#: The built-in parsers: module and the name of the callable that returns its parsers.
_BUILT_INS: tuple[tuple[str, str], ...] = (
    ("paymatch.parsers.camt", "parsers"),
    ("paymatch.parsers.mt940", "parsers"),
    ("paymatch.parsers.bank_csv", "parsers"),
    ("paymatch.parsers.adyen", "parsers"),
    ("paymatch.parsers.amazon", "parsers"),
    ("paymatch.parsers.bai2", "parsers"),
    ("paymatch.parsers.coda", "parsers"),
    ("paymatch.parsers.klarna", "parsers"),
    ("paymatch.parsers.mollie", "parsers"),
    ("paymatch.parsers.norma43", "parsers"),
    ("paymatch.parsers.ofx", "parsers"),
    ("paymatch.parsers.paypal", "parsers"),
    ("paymatch.parsers.paypal_stl", "parsers"),
    ("paymatch.parsers.pos", "parsers"),
    ("paymatch.parsers.stripe", "parsers"),
)


class ParserRegistry:
    """Parsers by name, with detection. Make your own to isolate a service's plugins."""

    def __init__(self, *, built_ins: bool = True, plugins: bool = True) -> None:
        self._registered: dict[str, Parser] = {}
        self._built_ins: dict[str, Parser] | None = None if built_ins else {}
        self._plugins: dict[str, Parser] | None = None if plugins else {}

    def register(self, parser: Parser, *, replace: bool = False) -> None:
        """Add a parser made in code; it wins over a built-in or plugin of the same name."""
        _check(parser, f"registered parser {parser!r}")
        if parser.name in self._registered and not replace:
            raise ValueError(f"a parser named {parser.name!r} is already registered")
        self._registered[parser.name] = parser

    def parsers(self) -> dict[str, Parser]:
        """Every parser by name, registered ones first, then built-ins, then plugins."""
        found: dict[str, Parser] = {}
        for group in (self._plugin_parsers(), self._built_in_parsers(), self._registered):
            found.update(group)
        return dict(sorted(found.items()))

    def get(self, name: str) -> Parser:
        """The parser called ``name``; an unknown name lists the known ones."""
        parsers = self.parsers()
        try:
            return parsers[name]
        except KeyError:
            raise FormatDetectionError(
                f"unknown format {name!r}; known formats: {', '.join(parsers) or 'none'}"
            ) from None

    def detect(self, head: bytes, filename: str | None = None) -> Parser:
        """The one parser that recognises ``head`` best (see the module docstring)."""
        head = head[:HEAD_SIZE]
        scores: list[tuple[float, str, Parser]] = []
        for name, parser in self.parsers().items():
            score = float(parser.detect(head, filename))
            if score >= 1.0:
                return parser
            if score > 0:
                scores.append((score, name, parser))
        if not scores:
            raise FormatDetectionError(
                "no parser recognises this data; known formats: "
                f"{', '.join(self.parsers()) or 'none'} (name one with format=...)",
                source=filename,
            )
        scores.sort(key=lambda entry: (-entry[0], entry[1]))
        best = scores[0][0]
        tied = [name for score, name, _ in scores if score == best]
        if len(tied) > 1:
            raise FormatDetectionError(
                f"the data fits several formats equally well ({', '.join(tied)}, "
                f"score {best:.2f}); name one with format=...",
                source=filename,
            )
        return scores[0][2]

    def parse(
        self, data: bytes | BinaryIO, *, format: str | None = None, filename: str | None = None
    ) -> ParseResult:
        """Parse ``data`` with the parser called ``format``, or the one detected."""
        content = read_all(data)
        parser = self.get(format) if format is not None else self.detect(content, filename)
        return parser.parse(content, source=filename)

    def _built_in_parsers(self) -> dict[str, Parser]:
        if self._built_ins is None:
            self._built_ins = {}
            for module_name, factory_name in _BUILT_INS:
                factory: Callable[[], Iterable[Parser]] = getattr(
                    importlib.import_module(module_name), factory_name
                )
                for parser in factory():
                    self._built_ins[parser.name] = parser
        return self._built_ins

    def _plugin_parsers(self) -> dict[str, Parser]:
        if self._plugins is None:
            self._plugins = {}
            for plugin in load_plugins(
                ENTRY_POINT_GROUP,
                kind="parser",
                is_plugin=lambda candidate: isinstance(candidate, Parser),
                check=_check,
                error=ParserPluginError,
            ):
                parser = cast(Parser, plugin)
                self._plugins[parser.name] = parser
        return self._plugins


def _check(parser: object, origin: str) -> None:
    """Raise :class:`ParserPluginError` unless ``parser`` has what a parser must have."""
    missing = [
        attribute
        for attribute in ("name", "description", "detect", "parse", "iter_movements")
        if not hasattr(parser, attribute)
    ]
    if missing:
        raise ParserPluginError(f"{origin} is not a parser: it lacks {', '.join(missing)}")
    name = getattr(parser, "name", None)
    if not isinstance(name, str) or not name.strip():
        raise ParserPluginError(f"{origin} has no usable name: {name!r}")
    for method in ("detect", "parse", "iter_movements"):
        if not callable(getattr(parser, method)):
            raise ParserPluginError(f"{origin}: {method} is not callable")


_DEFAULT: ParserRegistry | None = None


def default_registry() -> ParserRegistry:
    """The registry ``paymatch.parse`` uses: built-ins and installed plugins."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ParserRegistry()
    return _DEFAULT


def parse(
    data: bytes | BinaryIO, *, format: str | None = None, filename: str | None = None
) -> ParseResult:
    """Read statements from ``data`` (DESIGN.md contract 0).

    ``format`` names the parser (``"camt.053"``, ``"mt940"``...); without it the
    format is detected from the first bytes and ``filename``. ``filename`` also
    names the source in errors and diagnostics; nothing is opened by name.
    """
    return default_registry().parse(data, format=format, filename=filename)
