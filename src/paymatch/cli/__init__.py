"""The ``paymatch`` command (shell): a thin click front end over the core.

Commands import the parts of paymatch they need inside their function bodies,
so ``paymatch --help`` and ``paymatch --version`` stay fast (a start-up budget
of 0.25 s, measured by ``benchmarks/cli_startup.py``).
"""

from __future__ import annotations

import click

from paymatch._version import __version__
from paymatch.cli.automation import (
    config_group,
    jobs_group,
    mail_group,
    store_group,
    target_group,
    worker_command,
)
from paymatch.cli.export import export_command
from paymatch.cli.match import match_command
from paymatch.cli.parse import parse_command
from paymatch.cli.reconcile import reconcile_command

__all__ = ["main"]


@click.group(name="paymatch", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="paymatch")
def main() -> None:
    """paymatch: payment reconciliation for ERP systems.

    Reads bank and payment-provider statements, assigns payments to open
    orders and invoices, keeps the ledger of what is assigned and writes
    accounting exports.
    """


main.add_command(parse_command)
main.add_command(match_command)
main.add_command(reconcile_command)
main.add_command(export_command)
main.add_command(worker_command)
main.add_command(jobs_group)
main.add_command(target_group)
main.add_command(mail_group)
main.add_command(config_group)
main.add_command(store_group)
