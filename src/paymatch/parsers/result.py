"""What a parser returns: statements, and the non-fatal findings about them as data.

A parser raises :class:`~paymatch.errors.ParseError` only when it cannot read
the data. Everything else it notices — a missing closing balance, balances
that do not add up, a transaction code it does not know — is a
:class:`Diagnostic` returned beside the statements (as beancount returns its
errors), so a caller can show, log or ignore it, but never misses it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs
from moneyed import Money

from paymatch.model import SourcePosition, Statement, Status
from paymatch.model._checks import of_type, text
from paymatch.model.money import decimal_text

__all__ = ["Diagnostic", "ParseResult", "Severity", "balance_diagnostics"]


class Severity(enum.StrEnum):
    """How much a diagnostic matters to whoever uses the statement."""

    INFO = "info"  # worth knowing; nothing is wrong with the data
    WARNING = "warning"  # the data is incomplete or doubtful; the movements are still right
    ERROR = "error"  # the statement contradicts itself (balances off); check before booking


@attrs.frozen(kw_only=True)
class Diagnostic:
    """A non-fatal finding about a statement or the file.

    ``code`` is stable and meant for programs (``"balance_mismatch"``);
    ``message`` is for people. ``statement`` is the index of the statement
    in the result it is about, or ``None`` for the file as a whole.
    """

    severity: Severity = attrs.field(validator=of_type(Severity))
    code: str = attrs.field(validator=text)
    message: str = attrs.field(validator=text)
    statement: int | None = attrs.field(default=None, validator=of_type(int, optional=True))
    position: SourcePosition | None = attrs.field(
        default=None, validator=of_type(SourcePosition, optional=True)
    )

    def to_json(self) -> dict[str, object]:
        """The diagnostic in the ``diagnostics`` list of DESIGN.md contract 1."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "position": None if self.position is None else str(self.position),
        }


@attrs.frozen(kw_only=True)
class ParseResult:
    """The statements one file holds, in file order, and what the parser noticed."""

    format: str = attrs.field(validator=text)
    statements: tuple[Statement, ...] = attrs.field(default=())
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=())

    def diagnostics_of(self, index: int) -> tuple[Diagnostic, ...]:
        """The diagnostics about statement ``index`` (file-wide ones go with the first)."""
        return tuple(
            diagnostic
            for diagnostic in self.diagnostics
            if diagnostic.statement == index or (diagnostic.statement is None and index == 0)
        )

    @classmethod
    def checked(
        cls, format: str, statements: Iterable[Statement], diagnostics: Iterable[Diagnostic] = ()
    ) -> ParseResult:
        """A result whose statements' balances are checked (see :func:`balance_diagnostics`)."""
        statements = tuple(statements)
        found = list(diagnostics)
        for index, statement in enumerate(statements):
            found.extend(balance_diagnostics(statement, index))
        return cls(format=format, statements=statements, diagnostics=tuple(found))


def balance_diagnostics(statement: Statement, index: int) -> list[Diagnostic]:
    """Check opening balance + Σ booked movements = closing balance, and say what is missing.

    Pending, failed and cancelled movements are not booked and do not count.
    A mismatch is an ``error`` diagnostic naming the difference; a missing
    balance a ``warning`` (the identity cannot be checked), never a silent pass.
    """
    position = None if statement.source is None else SourcePosition(source=statement.source)
    opening_balance, closing_balance = statement.opening_balance, statement.closing_balance
    if opening_balance is None or closing_balance is None:
        missing = [
            name
            for name, balance in (("opening", opening_balance), ("closing", closing_balance))
            if balance is None
        ]
        return [
            Diagnostic(
                severity=Severity.WARNING,
                code=f"no_{'_or_'.join(missing)}_balance",
                message=f"the statement has no {' or '.join(missing)} balance; "
                "its movements cannot be checked against balances",
                statement=index,
                position=position,
            )
        ]
    opening = opening_balance.amount
    total = sum(
        (m.amount for m in statement.movements if m.status is Status.COMPLETED),
        Money(0, opening.currency),
    )
    difference = closing_balance.amount - (opening + total)
    if difference.amount == 0:
        return []
    currency = opening.currency.code
    return [
        Diagnostic(
            severity=Severity.ERROR,
            code="balance_mismatch",
            message=(
                f"opening balance {decimal_text(opening.amount)} + movements "
                f"{decimal_text(total.amount)} = {decimal_text((opening + total).amount)} "
                f"{currency}, but the closing balance is "
                f"{decimal_text(closing_balance.amount.amount)} {currency} "
                f"(difference {decimal_text(difference.amount)} {currency})"
            ),
            statement=index,
            position=position,
        )
    ]
