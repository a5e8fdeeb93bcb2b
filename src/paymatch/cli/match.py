"""``paymatch match``: assign the payments of statement files to open items (contract 3)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from paymatch.matching import MatchConfig, OpenItemFormat
    from paymatch.model import Movement, OpenItem

__all__ = ["match_command"]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read: {error.strerror}") from None


def _settings(path: Path | None) -> tuple[MatchConfig, OpenItemFormat | None]:
    """The matching settings and the open-items layout (table ``[open_items]``) of a TOML file."""
    from paymatch.matching import MatchConfig, OpenItemFormat
    from paymatch.settings import read_toml, settings_from_mapping

    if path is None:
        return MatchConfig(), None
    document = read_toml(_read(path).decode("utf-8"))
    layout = document.pop("open_items", None)
    config = MatchConfig.from_mapping(document)
    if layout is None:
        return config, None
    if not isinstance(layout, dict):
        raise click.ClickException(f"{path}: open_items must be a table")
    return config, settings_from_mapping(layout, OpenItemFormat, prefix="open_items")


def _movements(files: Sequence[Path], format_name: str | None) -> list[Movement]:
    """The movements of every statement file, in order; JSON from ``paymatch parse`` too."""
    from paymatch.parsers import parse
    from paymatch.wire import statements_from_document

    movements: list[Movement] = []
    for path in files:
        data = _read(path)
        if format_name is None and data.lstrip()[:1] == b"{":
            statements = statements_from_document(json.loads(data))
        else:
            statements = parse(data, format=format_name, filename=str(path)).statements
        for statement in statements:
            movements.extend(statement.movements)
    return movements


def _items(path: Path, layout: OpenItemFormat | None) -> tuple[OpenItem, ...]:
    from paymatch.matching import read_open_items

    return read_open_items(_read(path), source=str(path), format=layout)


@click.command("match")
@click.argument(
    "statements", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--open-items",
    "open_items",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSON of open orders and invoices (DESIGN.md contract 2).",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Match as of this date (YYYY-MM-DD); today when not given.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML with thresholds and weights, and an [open_items] table for other layouts.",
)
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
    from paymatch.errors import PaymatchError
    from paymatch.matching import match

    try:
        config, layout = _settings(config_path)
        movements = _movements(statements, format_name)
        items = _items(open_items, layout)
        day = as_of.date() if as_of is not None else dt.date.today()
        report = match(movements, items, as_of=day, config=config)
    except (PaymatchError, ValueError) as error:
        click.echo(f"paymatch match: {error}", err=True)
        sys.exit(1)
    if output == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        from paymatch.cli.tables import match_table

        match_table(report)
