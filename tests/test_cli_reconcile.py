"""``paymatch reconcile`` and ``paymatch export``: the main job, files written whole, once."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from paymatch.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"
CAMT = str(EXAMPLES / "statement.camt053.xml")
MT940 = str(EXAMPLES / "statement.mt940")
ITEMS = str(EXAMPLES / "open_items.json")
CONFIG = str(EXAMPLES / "paymatch.toml")


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.stdout, result.stderr


def reconcile(out: Path, *extra: str) -> tuple[int, str, str]:
    return invoke(
        "reconcile",
        CAMT,
        MT940,
        "--open-items",
        ITEMS,
        "--as-of",
        "2026-03-31",
        "--config",
        CONFIG,
        "--out",
        str(out),
        *extra,
    )


def datev_rows(path: Path) -> list[list[str]]:
    """The booking rows of a DATEV file (after the header and the column names)."""
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    return [line.split(";") for line in lines[2:] if line]


def test_reconcile_writes_the_export_the_report_and_the_ledger(tmp_path: Path) -> None:
    code, out, err = reconcile(tmp_path)

    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "match-report.json" in names
    assert "ledger.json" in names
    stapel = [n for n in names if n.startswith("EXTF_Buchungsstapel_")]
    assert stapel == ["EXTF_Buchungsstapel_20260302_20260331.csv"]
    assert any(n.startswith("EXTF_Debitoren") for n in names)
    assert not [n for n in names if n.startswith(".")]  # no temporary file left behind
    report = json.loads((tmp_path / "match-report.json").read_text(encoding="utf-8"))
    matched = json.loads(
        invoke(
            "match", CAMT, MT940, "--open-items", ITEMS, "--as-of", "2026-03-31", "--config", CONFIG
        )[1]
    )
    assert report == matched  # the same contract-3 document `paymatch match` prints
    # The pending movement is not booked; every other movement is, in full.
    rows = datev_rows(tmp_path / stapel[0])
    assert len(rows) == 17  # 10 from the CAMT statement (two split, a discount), 7 from MT940
    assert "Reconciled as of 2026-03-31" in out
    assert "17 new bookings in datev format" in out


def test_reconcile_books_the_example_as_an_accountant_expects(tmp_path: Path) -> None:
    assert reconcile(tmp_path, "--format", "csv")[0] == 0
    (journal,) = tmp_path.glob("*.csv")
    rows = list(csv.DictReader(io.StringIO(journal.read_text(encoding="utf-8"), newline="")))
    seen = {(r["kind"], r["debit"], r["credit"], r["amount"]) for r in rows}
    assert ("payment", "1200", "10100", "119.00") in seen  # Müller: personal account from the map
    assert ("cash_discount", "8730", "1400", "2.00") in seen  # Bäcker: 2 % Skonto on 100.00
    assert ("payment", "1210", "10110", "300.00") in seen  # Hofmann, on the Sparkasse account
    assert ("payment", "1210", "10110", "200.00") in seen
    assert ("outgoing", "70001", "1210", "1250.00") in seen  # the known supplier
    assert ("fee", "4970", "1200", "4.90") in seen
    assert ("unassigned", "1210", "1590", "64.90") in seen  # nobody could tell whose it is
    assert ("unassigned", "1200", "1590", "5.00") in seen  # Öztürk paid 5.00 too much


def test_exported_bookings_are_not_exported_again(tmp_path: Path) -> None:
    record = tmp_path / "exported.txt"
    first, second = tmp_path / "first", tmp_path / "second"

    assert reconcile(first, "--exported", str(record))[0] == 0
    ids = record.read_text(encoding="utf-8").split()
    code, out, _ = reconcile(second, "--exported", str(record))

    assert code == 0
    assert len(ids) == 17
    assert sorted(record.read_text(encoding="utf-8").split()) == sorted(ids)
    assert "0 new bookings" in out
    assert "17 exported before" in out
    assert not list(second.glob("EXTF_Buchungsstapel_*"))


def test_export_from_the_ledger_dump_or_the_report_gives_the_same_journal(tmp_path: Path) -> None:
    assert reconcile(tmp_path / "run", "--format", "json")[0] == 0
    expected = json.loads(next((tmp_path / "run").glob("*journal*.json")).read_text())

    from_ledger = tmp_path / "from_ledger"
    code, _, err = invoke(
        "export",
        "--ledger",
        str(tmp_path / "run" / "ledger.json"),
        "--format",
        "json",
        "--config",
        CONFIG,
        "--out",
        str(from_ledger),
    )
    assert code == 0, err
    from_report = tmp_path / "from_report"
    code, _, err = invoke(
        "export",
        "--report",
        str(tmp_path / "run" / "match-report.json"),
        "--open-items",
        ITEMS,
        "--format",
        "json",
        "--config",
        CONFIG,
        "--out",
        str(from_report),
    )
    assert code == 0, err

    for folder in (from_ledger, from_report):
        assert json.loads(next(folder.glob("*journal*.json")).read_text()) == expected


def test_a_bad_setting_names_its_key_and_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[export.posting.accounts]\nfeez = "4971"\n', encoding="utf-8")
    out = tmp_path / "out"

    code, _, err = invoke(
        "reconcile", CAMT, "--open-items", ITEMS, "--config", str(config), "--out", str(out)
    )

    assert code == 1
    assert "accounts.feez: no posting rule of that name" in err
    assert not out.exists()


def test_datev_without_consultant_and_client_is_refused_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = invoke("reconcile", CAMT, "--open-items", ITEMS, "--out", str(out))
    assert code == 1
    assert "DATEV export needs an [export.datev] table" in err
    assert not out.exists()


def test_export_needs_exactly_one_source(tmp_path: Path) -> None:
    code, _, err = invoke("export", "--out", str(tmp_path))
    assert code == 2
    assert "give either --ledger or --report" in err
