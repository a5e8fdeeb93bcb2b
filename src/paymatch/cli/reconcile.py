"""``paymatch reconcile``: the main job — parse, match, post and export in one go.

Statements and open items in; the accounting export (DATEV by default), the
match report (contract 3) and a ledger dump out, each written atomically into
``--out``; a summary for people on the terminal. Everything is computed before
the first file is written, so an error leaves ``--out`` as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from paymatch.cli.inputs import (
    as_of_option,
    config_option,
    open_items_option,
    out_option,
    read_items,
    read_movements,
    read_settings,
    statements_argument,
)
from paymatch.cli.output import read_exported, record_exported, write_atomically

if TYPE_CHECKING:
    from paymatch.accounting.batch import ExportBatch

__all__ = ["FORMAT_CHOICE", "exported_option", "reconcile_command", "write_batch"]

FORMAT_CHOICE = click.Choice(["datev", "sie", "fec", "csv", "json"])


def exported_option(function: click.decorators.FC) -> click.decorators.FC:
    """``--exported FILE``: the record of booking ids already exported, updated after the run."""
    return click.option(
        "--exported",
        "exported_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Record of exported booking ids (one per line): those are left out, new ones added.",
    )(function)


def write_batch(
    out: Path, batch: ExportBatch, exported_path: Path | None, before: frozenset[str]
) -> None:
    """Write the batch's files into ``out`` and then record their booking ids as exported."""
    for file in batch.files:
        write_atomically(out / file.name, file.data)
    if exported_path is not None:
        record_exported(exported_path, before, batch.booking_ids)


@click.command("reconcile")
@statements_argument
@open_items_option(
    required=True, help="CSV or JSON of open orders and invoices (DESIGN.md contract 2)."
)
@out_option
@as_of_option
@click.option(
    "--format",
    "export_format",
    type=FORMAT_CHOICE,
    help="The export format; the settings' [export] format (datev by default) when not given.",
)
@config_option
@click.option(
    "--statement-format", "statement_format", metavar="NAME", help="The format of every STATEMENT."
)
@exported_option
def reconcile_command(
    statements: Sequence[Path],
    open_items: Path,
    out: Path,
    as_of: dt.datetime | None,
    export_format: str | None,
    config_path: Path | None,
    statement_format: str | None,
    exported_path: Path | None,
) -> None:
    """Reconcile STATEMENTS against --open-items and write the accounting export to --out.

    Parses the statements, assigns the payments that are certain, books
    movements and allocations with the posting rules and writes the export
    files, match-report.json (DESIGN.md contract 3) and ledger.json. Exits with
    1 and the position of the problem on stderr when an input cannot be read
    or the export cannot carry a booking; nothing is written then.
    """
    from paymatch._collector import collector_paused
    from paymatch.accounting.batch import export
    from paymatch.cli.tables import reconcile_summary, stage_progress
    from paymatch.errors import PaymatchError
    from paymatch.ledger import Ledger
    from paymatch.matching import match
    from paymatch.wire import ledger_document

    now = dt.datetime.now(dt.UTC)
    try:
        settings = read_settings(config_path)
        already = read_exported(exported_path)
        with stage_progress(len(statements) + 3) as advance:
            movements = []
            for path in statements:
                advance(f"reading {path.name}")
                movements.extend(read_movements([path], statement_format))
            items = read_items(open_items, settings.open_items)
            advance(f"matching {len(movements)} movements against {len(items)} open items")
            day = as_of.date() if as_of is not None else now.date()
            with collector_paused():
                report = match(movements, items, as_of=day, config=settings.matching)
            advance("posting and exporting")
            ledger = Ledger(movements, items)
            report.apply(ledger, at=now)
            batch = export(
                ledger,
                generated_at=now,
                settings=settings.export,
                format=export_format,
                already_exported=already,
            )
            advance("writing")
            documents = {
                "match-report.json": report.to_json(),
                "ledger.json": ledger_document(ledger),
            }
            encoded = {
                name: (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
                for name, document in documents.items()
            }
    except (PaymatchError, ValueError) as error:
        click.echo(f"paymatch reconcile: {error}", err=True)
        sys.exit(1)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in encoded.items():
        write_atomically(out / name, data)
    write_batch(out, batch, exported_path, already)
    reconcile_summary(report, batch, out)
