"""A safe lxml setup for bank XML: no DTD, no entities, no XInclude, no network.

Bank files come from outside; an XML file can ask its parser to fetch URLs
(external entities, XInclude), to expand entities exponentially ("billion
laughs") or to read local files. The parsers here resolve no entities, load no
DTD, never touch the network and refuse huge trees; a document that declares a
DOCTYPE at all, or contains an XInclude element, is refused with
:class:`~paymatch.errors.UnsafeInputError` before any of its content is used
(OWASP XML External Entity Prevention Cheat Sheet, "lxml").

>>> safe_document(b"<Document><A>1</A></Document>").tag
'Document'
>>> safe_document(b'<!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>')
Traceback (most recent call last):
...
paymatch.errors.UnsafeInputError: <data>, line 1: the XML declares a DOCTYPE; ...
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from paymatch.errors import ParseError, UnsafeInputError

__all__ = ["XINCLUDE_NAMESPACE", "check_docinfo", "safe_document", "safe_iterparse"]

#: Elements in this namespace would make an XInclude processor fetch other documents.
XINCLUDE_NAMESPACE = "http://www.w3.org/2001/XInclude"

_DOCTYPE_REASON = (
    "the XML declares a DOCTYPE; bank statements never need one and a DTD can "
    "define entities or fetch files, so it is refused unread"
)

_SAFE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


#: How much of a stream is read ahead to look for a DOCTYPE before the root element.
_PROLOG_SIZE = 65536
_DOCTYPE = ("<!DOCTYPE", "<!doctype")
_ROOT_START = re.compile(r"<[A-Za-z_]")


def _reject_doctype(head: bytes, source: str | None) -> None:
    """Refuse a DOCTYPE in the prolog before libxml2 sees it (it may expand entities first)."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="ignore")
        root = _ROOT_START.search(text)
        prolog = text if root is None else text[: root.start()]
        if any(marker in prolog for marker in _DOCTYPE):
            raise UnsafeInputError(_DOCTYPE_REASON, source=source, line=1)


class _Prefixed(io.RawIOBase):
    """A stream that gives ``head`` first, then the rest of ``rest`` (for the read-ahead)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk = self._head if size < 0 else self._head[:size]
            self._head = self._head[len(chunk) :]
            return chunk
        return self._rest.read(size)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**_SAFE_OPTIONS)


def _syntax_error(error: etree.XMLSyntaxError, source: str | None) -> ParseError:
    line, column = error.position if error.position else (None, None)
    return ParseError(
        f"not well-formed XML: {error.msg or error}",
        source=source,
        line=line or None,
        column=(column + 1) if column else None,
    )


def check_docinfo(tree: etree._ElementTree, source: str | None) -> None:
    """Refuse a document that declares a DOCTYPE (the only way to declare entities or a DTD)."""
    docinfo = tree.docinfo
    # lxml-stubs lack system_url; lxml has had it since 2.0.
    system_url = docinfo.system_url  # type: ignore[attr-defined]
    declared = (docinfo.internalDTD, docinfo.externalDTD, system_url, docinfo.public_id)
    if any(part is not None for part in declared):
        raise UnsafeInputError(_DOCTYPE_REASON, source=source, line=1)


def _reject_xinclude(element: etree._Element, source: str | None) -> None:
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{" + XINCLUDE_NAMESPACE + "}"):
        line = element.sourceline
        raise UnsafeInputError(
            "the XML contains an XInclude element; nothing was included",
            source=source,
            line=line if isinstance(line, int) else None,
        )


def safe_document(data: bytes, source: str | None = None) -> etree._Element:
    """The root element of ``data``, parsed safely (see the module docstring)."""
    _reject_doctype(data[:_PROLOG_SIZE], source)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, source) from None
    if root is None:
        raise ParseError("expected an XML document, got nothing", source=source)
    check_docinfo(root.getroottree(), source)
    for element in root.iter("{" + XINCLUDE_NAMESPACE + "}*"):
        _reject_xinclude(element, source)
    return root


def safe_iterparse(
    stream: IO[bytes], source: str | None = None
) -> Iterator[tuple[str, etree._Element]]:
    """``("start"|"end", element)`` events of ``stream``, parsed safely, for streaming readers."""
    head = stream.read(_PROLOG_SIZE)
    _reject_doctype(head, source)
    events = etree.iterparse(_Prefixed(head, stream), events=("start", "end"), **_SAFE_OPTIONS)
    checked = False
    try:
        for event, element in events:
            if not checked:
                check_docinfo(element.getroottree(), source)
                checked = True
            if event == "start":
                _reject_xinclude(element, source)
            yield event, element
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, source) from None
