"""Rich tables for people: the human output of the commands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table

from paymatch.model import Statement
from paymatch.model.money import decimal_text

__all__ = ["statement_tables"]


def statement_tables(
    statements: Sequence[Statement],
    diagnostics: Sequence[Sequence[Mapping[str, object]]],
    console: Console | None = None,
) -> None:
    """Print each statement as a table of its movements, then its diagnostics."""
    console = console or Console()
    for statement, found in zip(statements, diagnostics, strict=True):
        account = statement.account
        title = f"{account.key} {account.currency}"
        if statement.statement_id:
            title += f" — statement {statement.statement_id}"
        if statement.source:
            title += f" — {statement.source}"
        table = Table(title=title, title_justify="left")
        for column in ("booked", "amount", "type", "status", "counterparty", "purpose"):
            table.add_column(column, justify="right" if column == "amount" else "left")
        for movement in statement.movements:
            table.add_row(
                movement.booking_date.isoformat(),
                decimal_text(movement.amount.amount),
                movement.booking_type.value,
                movement.status.value,
                movement.counterparty.name or "",
                movement.remittance_info or "",
            )
        table.caption = "  ".join(
            f"{label} {decimal_text(balance.amount.amount)} on {balance.date}"
            for label, balance in (
                ("opening", statement.opening_balance),
                ("closing", statement.closing_balance),
            )
            if balance is not None
        )
        console.print(table)
        for diagnostic in found:
            # markup=False: "[warning]" is text here, and messages quote data from the file.
            console.print(f"[{diagnostic['severity']}] {diagnostic['message']}", markup=False)
