"""``paymatch match``: assign the payments of statement files to open items (contract 3)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from paymatch.cli.inputs import (
    as_of_option,
    config_option,
    open_items_option,
    read_items,
    read_movements,
    read_settings,
    statements_argument,
)

__all__ = ["match_command"]


@click.command("match")
@statements_argument
@open_items_option(
    required=True, help="CSV or JSON of open orders and invoices (DESIGN.md contract 2)."
)
@as_of_option
@config_option
@click.option("--format", "format_name", metavar="NAME", help="The format of every STATEMENT.")
@click.option(
    "--output",
    type=click.Choice(["json", "table"]),
    default="json",
    show_default=True,
    help="JSON as DESIGN.md contract 3, or a summary table for people.",
)
def match_command(
    statements: Sequence[Path],
    open_items: Path,
    as_of: dt.datetime | None,
    config_path: Path | None,
    format_name: str | None,
    output: str,
) -> None:
    """Assign the payments in STATEMENTS to the open items of --open-items.

    Prints one result per movement. Exits with 1 and the position of the
    problem on stderr when a file or the configuration cannot be read.
    """
    from paymatch._collector import collector_paused
    from paymatch.errors import PaymatchError
    from paymatch.matching import match

    try:
        settings = read_settings(config_path)
        movements = read_movements(statements, format_name)
        items = read_items(open_items, settings.open_items)
        day = as_of.date() if as_of is not None else dt.date.today()
        with collector_paused():
            report = match(movements, items, as_of=day, config=settings.matching)
    except (PaymatchError, ValueError) as error:
        click.echo(f"paymatch match: {error}", err=True)
        sys.exit(1)
    if output == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        from paymatch.cli.tables import match_table

        match_table(report)
