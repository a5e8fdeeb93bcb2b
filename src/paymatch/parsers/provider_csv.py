"""What the payment providers' CSV reports share: a header line, rows by column name, amounts.

PayPal, Stripe, Mollie and the others export one header line and one row per
transaction, with column names that differ by provider and language. A
provider parser names the columns it reads (each field with its accepted
header names) and gets the rows as :class:`Row` values: the cells by field
and the line each row starts on, so every error can point at it.

>>> columns = {"id": ("id", "ID"), "amount": ("Amount", "Betrag")}
>>> names, rows = read_rows(["ID,Betrag\\n", "tx_1,\\"1.234,50\\"\\n"], columns, ("id",), None)
>>> [(row.line, row.get("id"), amount_of(row.get("amount") or "", decimal_comma=True))
...  for row in rows]
[(2, 'tx_1', Decimal('1234.50'))]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import BinaryIO

import attrs

from paymatch.errors import ParseError
from paymatch.model import (
    Account,
    AccountKind,
    Balance,
    Movement,
    SourcePosition,
    Statement,
    number_occurrences,
)
from paymatch.parsers.result import Diagnostic, ParseResult, Severity
from paymatch.parsers.text import CHUNK_SIZE, decode, stream_lines

__all__ = [
    "Findings",
    "PayoutCheck",
    "Row",
    "amount_of",
    "currency_statements",
    "read_rows",
    "streamed_lines",
]

#: Amounts as reports write them: thousands in groups of three (or none), then the decimals.
_POINT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_COMMA = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")


@attrs.frozen
class Row:
    """One data row: the line it starts on and its non-empty cells by field.

    A record read from JSON has its JSON path instead of a line.
    """

    line: int | None
    cells: dict[str, str]
    path: str | None = None

    def get(self, field: str) -> str | None:
        """The cell of ``field``, or ``None`` when the column is absent or the cell empty."""
        return self.cells.get(field) or None


def amount_of(text: str, *, decimal_comma: bool) -> Decimal | None:
    """The amount ``text`` writes (``1,234.56`` or, with ``decimal_comma``, ``1.234,56``).

    ``None`` when it is no amount: the caller raises the error with its position.
    """
    plain = text.replace("\xa0", "").replace(" ", "")
    if not (_COMMA if decimal_comma else _POINT).fullmatch(plain):
        return None
    if decimal_comma:
        return Decimal(plain.replace(".", "").replace(",", "."))
    return Decimal(plain.replace(",", ""))


def read_rows(
    lines: Iterable[str],
    columns: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    source: str | None,
    *,
    report: str = "the report",
) -> tuple[list[str], Iterator[Row]]:
    """The header's column names and the data rows, by the fields of ``columns``.

    A missing required column is a :class:`ParseError` on line 1 that names it;
    blank lines are skipped; a broken CSV line is an error on its line.
    """
    reader = csv.reader(lines)
    try:
        names = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        raise ParseError(
            f"expected {report}'s header line; the file is empty", source=source
        ) from None
    except csv.Error as error:
        raise ParseError(f"not a CSV line: {error}", source=source, line=1) from None
    header: dict[str, int] = {}
    for field, aliases in columns.items():
        for index, name in enumerate(names):
            if name in aliases:
                header.setdefault(field, index)
                break
    missing = [columns[field][0] for field in required if field not in header]
    if missing:
        raise ParseError(
            f"expected {report}'s columns {', '.join(missing)} in the header line",
            source=source,
            line=1,
        )

    def rows() -> Iterator[Row]:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ParseError(f"not a CSV line: {error}", source=source, line=line) from None
            if not any(cell.strip() for cell in cells):
                continue
            yield Row(
                line,
                {
                    field: cells[index].strip()
                    for field, index in header.items()
                    if index < len(cells) and cells[index].strip()
                },
            )

    return names, rows()


def streamed_lines(stream: BinaryIO, source: str | None) -> Iterator[str]:
    """The text lines of ``stream``, its encoding sniffed from the first chunk; memory flat."""
    head = stream.read(CHUNK_SIZE)
    complete = head[: head.rfind(b"\n") + 1] or head  # a cut character is no evidence
    _, encoding = decode(complete, source=source)  # a byte-order mark gives utf-8-sig
    return stream_lines(head, stream, encoding, source)


def _unique(movements: tuple[Movement, ...], source: str | None) -> tuple[Movement, ...]:
    """The movements, refusing a transaction id that two rows give (one booking twice)."""
    lines: dict[str, int | None] = {}
    for movement in movements:
        line = movement.source.line if movement.source else None
        earlier = lines.setdefault(movement.movement_id, line)
        if earlier != line:
            raise ParseError(
                f"the row has the transaction id of the row in line {earlier} "
                f"({movement.movement_id!r}); ids must be unique in a report",
                source=source,
                line=line,
            )
    return movements


class Findings:
    """A provider file's diagnostics, kept by currency until its statements are made."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.found: list[tuple[str, Diagnostic]] = []

    def note(
        self,
        line: int | None,
        currency: str,
        severity: Severity,
        code: str,
        message: str,
        *,
        path: str | None = None,
    ) -> None:
        """A finding about line ``line`` (or JSON ``path``) of the statement in ``currency``."""
        position = SourcePosition(source=self.source, line=line, path=path)
        self.found.append(
            (currency, Diagnostic(severity=severity, code=code, message=message, position=position))
        )


@attrs.define
class _Payout:
    amount: Decimal | None = None
    line: int | None = None
    paid: Decimal = Decimal(0)
    currency: str = ""


class PayoutCheck:
    """The report totals of a provider file: each payout against the rows it pays out.

    Providers pay their balance out in batches (a Stripe payout, an Adyen
    settlement batch); the rows of a batch name it. The net amounts of a
    batch's rows must add up to its payout, or rows are missing or doubled.
    """

    def __init__(self) -> None:
        self._payouts: dict[str, _Payout] = {}

    def payout(self, batch: str, amount: Decimal, line: int | None, currency: str) -> None:
        """The payout of ``batch``: ``amount`` as the file books it (negative: money out)."""
        payout = self._payouts.setdefault(batch, _Payout())
        payout.amount, payout.line, payout.currency = amount, line, currency

    def paid(self, batch: str, net: Decimal) -> None:
        """A row of ``batch`` with its net amount."""
        self._payouts.setdefault(batch, _Payout()).paid += net

    def clear(self) -> None:
        """Forget what was seen (streaming keeps no state)."""
        self._payouts.clear()

    def report(self, findings: Findings) -> None:
        """A ``payout_mismatch`` warning for each payout its rows do not add up to."""
        for batch, payout in self._payouts.items():
            if payout.amount is not None and payout.paid + payout.amount != 0:
                findings.note(
                    payout.line,
                    payout.currency,
                    Severity.WARNING,
                    "payout_mismatch",
                    f"payout {batch} of {-payout.amount} does not match the {payout.paid} net "
                    "of the rows it names: rows are missing or doubled",
                )


def currency_statements(
    movements: Iterable[Movement],
    findings: Findings,
    *,
    kind: AccountKind,
    format: str,
    balances: Mapping[str, tuple[Balance, Balance]] | None = None,
) -> ParseResult:
    """One statement per account and currency of ``movements`` (a provider balance per currency).

    The account's identifier is the part of the movements' account key after
    ``<kind>:``. ``balances`` gives a currency's opening and closing balance
    where the file has them; the result's balance identity is checked as for
    every format.
    """
    groups: dict[tuple[str, str], list[Movement]] = {}
    for movement in movements:
        groups.setdefault((movement.account, movement.currency), []).append(movement)
    statements = []
    for (key, currency), members in groups.items():
        opening, closing = (balances or {}).get(currency, (None, None))
        dates = [movement.booking_date for movement in members]
        statements.append(
            Statement(
                account=Account(kind=kind, identifier=key.partition(":")[2], currency=currency),
                movements=_unique(number_occurrences(members), findings.source),
                period_start=min(dates),
                period_end=max(dates),
                opening_balance=opening,
                closing_balance=closing,
                format=format,
                source=findings.source,
            )
        )
    index: dict[str, int] = {}
    for n, (_, currency) in enumerate(groups):
        index.setdefault(currency, n)
    diagnostics = [
        attrs.evolve(diagnostic, statement=index.get(currency))
        for currency, diagnostic in findings.found
    ]
    return ParseResult.checked(format, statements, diagnostics)
