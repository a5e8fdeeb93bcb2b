"""An example paymatch parser plugin: a till's cash book.

The format (invented for this example, simple on purpose)::

    # cashbook TILL-1 EUR
    2026-03-02<TAB>19.90<TAB>AU-2001 paid in cash
    2026-03-02<TAB>-5.00<TAB>coffee for the shop

A header line names the till and its currency; each further line is a
booking date, a signed amount and a text. Every line becomes a completed
movement on a ``pos`` account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from paymatch import (
    Account,
    AccountKind,
    BookingType,
    Movement,
    ParseError,
    ParseResult,
    SourcePosition,
    Statement,
    number_occurrences,
    to_money,
)

__all__ = ["CashbookParser", "parsers"]

MAGIC = b"# cashbook "


class CashbookParser:
    """Reads cash books (see the module docstring)."""

    name = "cashbook"
    description = "a till's cash book (example plugin)"

    def detect(self, head: bytes, filename: str | None) -> float:
        """Certain when the data starts with the header line."""
        return 1.0 if head.startswith(MAGIC) else 0.0

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        """The cash book as one statement of the till's account."""
        content = data if isinstance(data, bytes) else data.read()
        lines = content.decode("utf-8").splitlines()
        account = self._account(lines[0] if lines else "", source)
        movements = [
            self._movement(account, line, number, source)
            for number, line in enumerate(lines[1:], start=2)
            if line.strip()
        ]
        statement = Statement(
            account=account,
            movements=number_occurrences(movements),
            format=self.name,
            source=source,
        )
        return ParseResult.checked(self.name, [statement])

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        """The movements one by one (a cash book is small; this reads it whole)."""
        yield from self.parse(stream, source=source).statements[0].movements

    def _account(self, header: str, source: str | None) -> Account:
        parts = header.split()
        if len(parts) != 4 or parts[:2] != ["#", "cashbook"]:
            raise ParseError("expected '# cashbook TILL CURRENCY'", source=source, line=1, column=1)
        return Account(kind=AccountKind.POS, identifier=parts[2], currency=parts[3])

    def _movement(self, account: Account, line: str, number: int, source: str | None) -> Movement:
        cells = line.split("\t")
        if len(cells) != 3:
            raise ParseError(
                f"expected 3 tab-separated cells, got {len(cells)}", source=source, line=number
            )
        try:
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            raise ParseError(
                f"expected a date YYYY-MM-DD, got {cells[0]!r}",
                source=source,
                line=number,
                column=1,
            ) from None
        try:
            amount = Decimal(cells[1])
        except InvalidOperation:
            raise ParseError(
                f"expected an amount like -5.00, got {cells[1]!r}",
                source=source,
                line=number,
                column=len(cells[0]) + 2,
            ) from None
        return Movement(
            account=account.key,
            amount=to_money(amount, account.currency),
            booking_date=day,
            booking_type=BookingType.INCOMING if amount > 0 else BookingType.OUTGOING,
            remittance_info=cells[2].strip() or None,
            source=SourcePosition(source=source, line=number),
        )


def parsers() -> tuple[CashbookParser, ...]:
    """The entry point: the parsers this plugin provides."""
    return (CashbookParser(),)
