"""``paymatch parse``: JSON as DESIGN.md contract 1, a table for people, errors with positions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from paymatch.cli import main
from paymatch.parsers import registry as registry_module
from paymatch.parsers.registry import ParserRegistry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples" / "plugin" / "src"))
from paymatch_cashbook import CashbookParser

MOVEMENT_KEYS = {
    "transaction_id",
    "bank_reference",
    "end_to_end_id",
    "mandate_id",
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "booking_type",
    "status",
    "reversal",
    "counterparty",
    "remittance_info",
    "bank_transaction_code",
    "reference_transaction_id",
}


@pytest.fixture
def cashbook_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's default registry, holding just the example cash-book parser."""
    only = ParserRegistry(built_ins=False, plugins=False)
    only.register(CashbookParser())
    monkeypatch.setattr(registry_module, "_DEFAULT", only)


@pytest.fixture
def till(tmp_path: Path) -> Path:
    path = tmp_path / "till.txt"
    path.write_bytes(
        b"# cashbook TILL-1 EUR\n2026-03-02\t19.90\tAU-2001 paid in cash\n"
        b"2026-03-03\t-5.00\tcoffee\n"
    )
    return path


@pytest.mark.usefixtures("cashbook_only")
def test_json_output_follows_contract_1(till: Path) -> None:
    result = CliRunner().invoke(main, ["parse", str(till)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    (statement,) = document["statements"]
    assert statement["format"] == "cashbook"
    assert statement["source"] == str(till)
    assert statement["account"]["currency"] == "EUR"
    assert statement["opening_balance"] is None
    first, second = statement["movements"]
    assert set(first) >= MOVEMENT_KEYS
    assert first["amount"] == "19.90"
    assert second["amount"] == "-5.00"
    assert first["booking_date"] == "2026-03-02"
    assert first["counterparty"] == {
        "name": None,
        "iban": None,
        "bic": None,
        "account_number": None,
        "ultimate_name": None,
    }
    assert first["end_to_end_id"] is None
    assert [d["code"] for d in statement["diagnostics"]] == ["no_opening_or_closing_balance"]
    assert statement["diagnostics"][0]["severity"] == "warning"


@pytest.mark.usefixtures("cashbook_only")
def test_several_files_give_one_document(till: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_bytes(b"# cashbook TILL-2 EUR\n2026-03-04\t1.00\tx\n")
    result = CliRunner().invoke(main, ["parse", str(till), str(other), "--format", "cashbook"])
    assert result.exit_code == 0, result.output
    keys = [s["account"]["key"] for s in json.loads(result.output)["statements"]]
    assert keys == ["pos:TILL-1", "pos:TILL-2"]


@pytest.mark.usefixtures("cashbook_only")
def test_table_output_shows_the_movements(till: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["parse", "--output", "table", str(till)]
    )
    assert result.exit_code == 0, result.output
    assert "pos:TILL-1 EUR" in result.output
    assert "AU-2001 paid in cash" in result.output
    assert "-5.00" in result.output
    assert "[warning] the statement has no opening or closing balance" in result.output


@pytest.mark.usefixtures("cashbook_only")
def test_a_parse_error_exits_1_with_the_position_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"# cashbook TILL-1 EUR\n2026-02-30\t1.00\tx\n")
    result = CliRunner().invoke(main, ["parse", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"paymatch parse: {bad}, line 2, column 1: expected a date YYYY-MM-DD, got '2026-02-30'\n"
    )


@pytest.mark.usefixtures("cashbook_only")
def test_an_unknown_format_is_a_parse_error_naming_the_known_ones(till: Path) -> None:
    result = CliRunner().invoke(main, ["parse", "--format", "mt941", str(till)])
    assert result.exit_code == 1
    assert "unknown format 'mt941'; known formats: cashbook" in result.stderr


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "nope.xml")])
    assert result.exit_code == 1
    assert "nope.xml: cannot read: No such file or directory" in result.stderr


DATA = Path(__file__).resolve().parent / "data"


def test_a_real_camt_statement_through_the_default_registry() -> None:
    result = CliRunner().invoke(main, ["parse", str(DATA / "camt" / "camt053_de_v08.xml")])
    assert result.exit_code == 0, result.output
    (statement,) = json.loads(result.output)["statements"]
    assert statement["format"] == "camt.053"
    assert statement["account"]["iban"] == "DE89370400440532013000"
    assert statement["opening_balance"] == {
        "amount": "1000.00",
        "currency": "EUR",
        "date": "2026-03-01",
    }
    first = statement["movements"][0]
    assert (first["transaction_id"], first["end_to_end_id"], first["amount"]) == (
        "TX-A",
        "E2E-A",
        "100.00",
    )
    assert first["counterparty"]["name"] == "Anna Kundin"


def test_hostile_xml_is_refused_with_exit_1() -> None:
    path = DATA / "camt" / "hostile_external_entity.xml"
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"paymatch parse: {path}, line 1: the XML declares a DOCTYPE")


def test_mt940_in_cp850_reads_its_umlauts() -> None:
    path = DATA / "mt940" / "german_sepa_cp850.sta"
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    names = [
        movement["counterparty"]["name"]
        for statement in json.loads(result.output)["statements"]
        for movement in statement["movements"]
    ]
    assert "Stadtwerke Überlingen" in names
    assert "Hans Weiß" in names
