"""``paymatch export``: the accounting export alone, from a ledger dump or a match report."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from paymatch.cli.inputs import (
    config_option,
    open_items_option,
    out_option,
    read_bytes,
    read_items,
    read_settings,
)
from paymatch.cli.output import read_exported
from paymatch.cli.reconcile import FORMAT_CHOICE, exported_option, write_batch

__all__ = ["export_command"]


def _json(path: Path) -> object:
    try:
        return json.loads(read_bytes(path))
    except ValueError as error:
        raise click.ClickException(f"{path}: not JSON: {error}") from None


@click.command("export")
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A ledger dump (ledger.json of paymatch reconcile).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A match report (contract 3); needs --open-items.",
)
@open_items_option(required=False, help="The open items the report was matched against.")
@out_option
@click.option("--format", "export_format", type=FORMAT_CHOICE, help="The export format.")
@config_option
@exported_option
def export_command(
    ledger_path: Path | None,
    report_path: Path | None,
    open_items: Path | None,
    out: Path,
    export_format: str | None,
    config_path: Path | None,
    exported_path: Path | None,
) -> None:
    """Write the accounting export of a ledger dump (--ledger) or a match report (--report).

    Bookings recorded in --exported are left out and the new ones added to it,
    so running the same export twice sends nothing twice.
    """
    from paymatch.accounting.batch import export
    from paymatch.errors import PaymatchError
    from paymatch.matching.report_reading import ledger_from_report
    from paymatch.wire import ledger_from_document

    if (ledger_path is None) == (report_path is None):
        raise click.UsageError("give either --ledger or --report")
    if report_path is not None and open_items is None:
        raise click.UsageError("--report needs --open-items")
    now = dt.datetime.now(dt.UTC)
    try:
        settings = read_settings(config_path)
        already = read_exported(exported_path)
        if ledger_path is not None:
            ledger = ledger_from_document(_json(ledger_path))
        else:
            assert report_path is not None
            assert open_items is not None
            items = read_items(open_items, settings.open_items)
            ledger = ledger_from_report(_json(report_path), items, at=now)
        batch = export(
            ledger,
            generated_at=now,
            settings=settings.export,
            format=export_format,
            already_exported=already,
        )
    except (PaymatchError, ValueError) as error:
        click.echo(f"paymatch export: {error}", err=True)
        sys.exit(1)
    out.mkdir(parents=True, exist_ok=True)
    write_batch(out, batch, exported_path, already)
    skipped = f", {batch.already_exported} exported before" if batch.already_exported else ""
    click.echo(f"{len(batch.booking_ids)} new bookings in {batch.format} format{skipped}")
    for file in batch.files:
        click.echo(f"  {out / file.name}")
