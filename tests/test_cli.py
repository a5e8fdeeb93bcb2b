"""The ``paymatch`` command's own options (commands come with their issues)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import paymatch
from paymatch.cli import main


def test_version_option_prints_the_package_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"paymatch, version {paymatch.__version__}\n"


def test_help_describes_the_program() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: paymatch [OPTIONS] COMMAND [ARGS]...")
    assert "payment reconciliation for ERP systems" in result.output


def test_unknown_command_fails_with_usage_error() -> None:
    result = CliRunner().invoke(main, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.output


def test_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("paymatch")
    completed = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == f"paymatch, version {paymatch.__version__}"


def test_help_does_not_import_the_core() -> None:
    """``paymatch --help`` stays fast because it loads neither the model nor the ledger."""
    code = (
        "import sys; from paymatch.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('paymatch.model', "
        "'paymatch.ledger', 'moneyed', 'schwifty'))))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip().splitlines()[-1] == "[]"
