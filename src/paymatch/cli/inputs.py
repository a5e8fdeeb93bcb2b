"""What the commands read: statement files, open items and the TOML settings file.

One settings file serves ``match``, ``reconcile`` and ``export``: the matching
thresholds and weights at its top level, the open-items layout in
``[open_items]`` and the export (format, posting rules, selection, the
formats' settings) in ``[export]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import click
from click.decorators import FC

if TYPE_CHECKING:
    from paymatch.accounting.batch import ExportSettings
    from paymatch.matching import MatchConfig, OpenItemFormat
    from paymatch.model import Movement, OpenItem

__all__ = [
    "Settings",
    "as_of_option",
    "config_option",
    "open_items_option",
    "out_option",
    "read_bytes",
    "read_items",
    "read_movements",
    "read_settings",
    "statements_argument",
]

#: A file that must exist when read (checked then, with the reason on failure).
_FILE = click.Path(dir_okay=False, path_type=Path)

#: ``STATEMENT...``: one or more statement files.
statements_argument = click.argument("statements", nargs=-1, required=True, type=_FILE)

#: ``--as-of DATE``: the day matching is done as of.
as_of_option = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Match as of this date (YYYY-MM-DD); today when not given.",
)

#: ``--config FILE``: the settings file (see the module docstring).
config_option = click.option(
    "--config",
    "config_path",
    type=_FILE,
    help="TOML settings: matching at the top, [open_items] layout, [export] format and rules.",
)

#: ``--out DIR``: where the files go.
out_option = click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the files (created if needed).",
)


def open_items_option(*, required: bool, help: str) -> Callable[[FC], FC]:
    """``--open-items FILE``: the open orders and invoices (contract 2)."""
    return click.option("--open-items", "open_items", required=required, type=_FILE, help=help)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a file that cannot be read ends the command with its reason."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read: {error.strerror}") from None


@attrs.frozen
class Settings:
    """The three parts of a settings file."""

    matching: MatchConfig
    open_items: OpenItemFormat | None
    export: ExportSettings


def read_settings(path: Path | None) -> Settings:
    """The settings of a TOML file, or the defaults without one; errors name the key path."""
    from paymatch.accounting.batch import ExportSettings
    from paymatch.matching import MatchConfig, OpenItemFormat
    from paymatch.settings import read_toml, settings_from_mapping

    if path is None:
        return Settings(MatchConfig(), None, ExportSettings())
    document = read_toml(read_bytes(path).decode("utf-8"))
    layout = document.pop("open_items", None)
    export = document.pop("export", {})
    for name, table in (("open_items", layout), ("export", export)):
        if table is not None and not isinstance(table, dict):
            raise click.ClickException(f"{path}: {name} must be a table")
    return Settings(
        MatchConfig.from_mapping(document),
        None
        if layout is None
        else settings_from_mapping(layout, OpenItemFormat, prefix="open_items"),
        ExportSettings.from_mapping(export),
    )


def read_movements(files: Sequence[Path], format_name: str | None) -> list[Movement]:
    """The movements of every statement file, in order; JSON from ``paymatch parse`` too."""
    from paymatch.parsers import parse
    from paymatch.wire import statements_from_document

    movements: list[Movement] = []
    for path in files:
        data = read_bytes(path)
        if format_name is None and data.lstrip()[:1] == b"{":
            statements = statements_from_document(json.loads(data))
        else:
            statements = parse(data, format=format_name, filename=str(path)).statements
        for statement in statements:
            movements.extend(statement.movements)
    return movements


def read_items(path: Path, layout: OpenItemFormat | None) -> tuple[OpenItem, ...]:
    """The open items of a contract-2 CSV or JSON file."""
    from paymatch.matching import read_open_items

    return read_open_items(read_bytes(path), source=str(path), format=layout)
