"""Rich tables for people: the human output of the commands."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from paymatch.accounting.batch import ExportBatch
from paymatch.matching import MatchReport, MatchStatus
from paymatch.model import Statement
from paymatch.model.money import decimal_text

__all__ = ["match_table", "reconcile_summary", "stage_progress", "statement_tables"]


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


@contextlib.contextmanager
def stage_progress(stages: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr over ``stages`` steps; ``advance(text)`` starts the next one.

    The bar shows only on a terminal and disappears when done, so redirected
    output and logs stay clean.
    """
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("starting", total=stages)
        started = False

        def advance(description: str) -> None:
            nonlocal started
            if started:
                progress.advance(task)
            started = True
            progress.update(task, description=description)

        yield advance
        progress.update(task, completed=stages)


def reconcile_summary(report: MatchReport, batch: ExportBatch, out: Path) -> None:
    """Print what became of the movements (count and money per status) and the files written."""
    console = Console()
    counts: defaultdict[MatchStatus, int] = defaultdict(int)
    money: defaultdict[tuple[MatchStatus, str], Decimal] = defaultdict(Decimal)
    for result in report:
        counts[result.status] += 1
        movement = result.movement
        money[result.status, movement.currency] += abs(movement.amount.amount)
    table = Table(title=f"Reconciled as of {report.as_of.isoformat()}", title_justify="left")
    table.add_column("movements")
    table.add_column("count", justify="right")
    table.add_column("amount", justify="right")
    for status in MatchStatus:
        amounts = [
            f"{decimal_text(total)} {code}"
            for (kind, code), total in sorted(money.items())
            if kind is status
        ]
        table.add_row(status.value.replace("_", " "), str(counts[status]), ", ".join(amounts))
    table.add_row("all", str(len(report)), "", style="bold")
    console.print(table)
    skipped = f", {batch.already_exported} exported before" if batch.already_exported else ""
    console.print(
        f"{len(batch.booking_ids)} new bookings in {batch.format} format{skipped}; "
        f"written to {out}:",
        markup=False,
    )
    for file in batch.files:
        console.print(f"  {file.name}", markup=False)
    for name in ("match-report.json", "ledger.json"):
        console.print(f"  {name}", markup=False)
