"""Rich tables for people: the human output of the commands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from paymatch.matching import MatchReport
from paymatch.model import Statement
from paymatch.model.money import decimal_text

__all__ = ["match_table", "statement_tables"]


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


def match_table(report: MatchReport, console: Console | None = None) -> None:
    """Print one row per movement (what became of it and why), then the counts per status."""
    console = console or Console()
    table = Table(title=f"Matched as of {report.as_of.isoformat()}", title_justify="left")
    for column in ("booked", "amount", "counterparty", "status", "items", "confidence", "why"):
        table.add_column(column, justify="right" if column in ("amount", "confidence") else "left")
    for result in report:
        movement = result.movement
        if result.allocations or result.write_offs:
            items = ", ".join(dict.fromkeys(a.item for a in result.allocations))
        else:
            items = " | ".join(" + ".join(plan.items) for plan in result.suggestions)
        table.add_row(
            movement.booking_date.isoformat(),
            decimal_text(movement.amount.amount),
            Text(movement.counterparty.name or ""),
            result.status.value,
            Text(items),
            decimal_text(result.confidence),
            Text(result.reason or ", ".join(e.rule for e in result.evidence)),
        )
    console.print(table)
    statuses = report.summary()["statuses"]
    assert isinstance(statuses, dict)
    console.print("  ".join(f"{status}: {count}" for status, count in statuses.items() if count))
