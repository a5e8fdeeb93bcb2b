"""``paymatch match``: contract 3 as JSON, a table for people, errors that say where."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from paymatch.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"
STATEMENT = str(EXAMPLES / "statement.camt053.xml")
ITEMS = str(EXAMPLES / "open_items.json")
RESULT_KEYS = {
    "movement",
    "status",
    "allocations",
    "write_offs",
    "unassigned_amount",
    "confidence",
    "evidence",
    "suggestions",
    "related_movement",
}


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["match", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_json_output_is_contract_3_with_one_result_per_movement_in_order() -> None:
    code, out, _ = run(STATEMENT, "--open-items", ITEMS, "--as-of", "2026-03-31")
    assert code == 0
    document = json.loads(out)
    results = document["results"]
    assert all(set(r) >= RESULT_KEYS for r in results)
    parsed = json.loads(CliRunner().invoke(main, ["parse", STATEMENT]).stdout)
    assert [r["movement"] for r in results] == parsed["statements"][0]["movements"]
    first = results[0]
    assert first["status"] == "assigned"
    assert first["allocations"] == [
        {"item": "RE-1001", "amount": "119.00", "currency": "EUR", "rule": "reference"}
    ]
    statuses = [r["status"] for r in results]
    assert statuses[-1] == "not_applicable"  # the pending movement
    assert document["summary"]["movements"] == len(results)
    assert document["summary"]["as_of"] == "2026-03-31"


def test_statements_from_paymatch_parse_json_are_read_too(tmp_path: Path) -> None:
    parsed = CliRunner().invoke(main, ["parse", STATEMENT]).stdout
    (tmp_path / "statement.json").write_text(parsed, encoding="utf-8")
    direct = run(STATEMENT, "--open-items", ITEMS, "--as-of", "2026-03-31")[1]
    via_json = run(str(tmp_path / "statement.json"), "--open-items", ITEMS, "--as-of", "2026-03-31")
    assert via_json[0] == 0
    assert json.loads(via_json[1]) == json.loads(direct)


def test_the_table_names_status_and_items() -> None:
    code, out, _ = run(
        STATEMENT, "--open-items", ITEMS, "--as-of", "2026-03-31", "--output", "table"
    )
    assert code == 0
    assert "RE-1001" in out
    assert "assigned" in out


def test_a_bad_open_items_row_is_reported_with_line_and_column(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text("number,amount,currency\nRE-1,12.00,EUR\nRE-2,zwölf,EUR\n", encoding="utf-8")
    code, out, err = run(STATEMENT, "--open-items", str(items), "--as-of", "2026-03-31")
    assert code == 1
    assert out == ""
    assert "line 3" in err
    assert "column 2" in err
    assert "amount" in err


def test_the_config_moves_the_threshold_and_names_a_bad_key(tmp_path: Path) -> None:
    config = tmp_path / "match.toml"
    config.write_text("threshold = 1.0\n[weights]\nreference = 0.5\n", encoding="utf-8")
    code, out, _ = run(
        STATEMENT, "--open-items", ITEMS, "--as-of", "2026-03-31", "--config", str(config)
    )
    assert code == 0
    assert all(r["status"] != "assigned" for r in json.loads(out)["results"])
    config.write_text("[weights]\nrefrence = 0.5\n", encoding="utf-8")
    code, _, err = run(STATEMENT, "--open-items", ITEMS, "--config", str(config))
    assert code == 1
    assert "weights: unknown key(s) refrence" in err


def test_the_config_can_map_the_open_items_columns(tmp_path: Path) -> None:
    items = tmp_path / "auftraege.csv"
    items.write_text("Auftrag;Betrag;Waehrung\nRE-1001;119,00;EUR\n", encoding="utf-8")
    config = tmp_path / "match.toml"
    config.write_text(
        '[open_items.columns]\nnumber = "Auftrag"\namount = "Betrag"\ncurrency = "Waehrung"\n',
        encoding="utf-8",
    )
    code, out, err = run(
        STATEMENT, "--open-items", str(items), "--as-of", "2026-03-31", "--config", str(config)
    )
    assert code == 0, err
    assert json.loads(out)["results"][0]["allocations"][0]["item"] == "RE-1001"
