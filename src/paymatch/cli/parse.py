"""``paymatch parse``: read statement files and print them as JSON (contract 1) or a table."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

__all__ = ["parse_command"]


@click.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "format_name",
    metavar="NAME",
    help="The format of every FILE (e.g. camt.053, mt940); detected per file when not given.",
)
@click.option(
    "--output",
    type=click.Choice(["json", "table"]),
    default="json",
    show_default=True,
    help="JSON as DESIGN.md contract 1, or a table for people.",
)
def parse_command(files: Sequence[Path], format_name: str | None, output: str) -> None:
    """Read bank or provider statements from FILES and print their movements.

    Exits with 1 and the error's position on stderr when a file cannot be read.
    """
    from paymatch.errors import ParseError
    from paymatch.parsers import parse
    from paymatch.wire import statements_document

    statements, diagnostics = [], []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise click.ClickException(f"{path}: cannot read: {error.strerror}") from None
        try:
            result = parse(data, format=format_name, filename=str(path))
        except ParseError as error:
            click.echo(f"paymatch parse: {error}", err=True)
            sys.exit(1)
        for index, statement in enumerate(result.statements):
            statements.append(statement)
            diagnostics.append([d.to_json() for d in result.diagnostics_of(index)])
    if output == "json":
        document = statements_document(statements, diagnostics)
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        from paymatch.cli.tables import statement_tables

        statement_tables(statements, diagnostics)
