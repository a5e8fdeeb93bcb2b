"""The README's example and the demo job do what they say."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_example_prints_what_its_comment_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    expected = code.rstrip().splitlines()[-1].split("# ", 1)[1]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "README.md", "exec"), {})
    assert output.getvalue() == expected + "\n"


def test_demo_job_prints_the_folders_of_the_bundled_statement() -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "ledger_demo.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    out = completed.stdout
    assert "Refund instruction: 5.00 EUR to Öztürk Handel (DE02370502990000684712)" in out
    counts = dict(re.findall(r"^(\w[\w ]*?) \((\d+)\)", out, flags=re.MULTILINE))
    assert counts == {
        "not assigned": "1",
        "partly assigned": "1",
        "fully assigned": "5",
        "pending": "1",
        "failed": "1",
        "hidden": "1",
    }
    open_amounts = dict(re.findall(r"│ ((?:RE|AU)-\d+) .*?│\s+[\d.]+ │\s+([\d.]+) │", out))
    assert open_amounts == {
        "RE-1001": "0.00",
        "RE-1002": "0.00",
        "RE-1003": "0.00",
        "AU-2001": "100.00",
        "RE-1004": "0.00",
        "RE-1005": "0.00",
        "RE-1006": "75.00",
        "AU-2002": "25.00",
        "RE-1007": "0.00",
        # paid by the MT940 statement of the second account, which the ledger demo does not read
        "RE-1008": "238.00",
        "AU-2003": "89.25",
        "RE-1009": "300.00",
        "RE-1010": "200.00",
    }


def test_the_bundled_camt_statement_parses_and_balances() -> None:
    import paymatch

    path = ROOT / "examples" / "data" / "statement.camt053.xml"
    result = paymatch.parse(path.read_bytes(), filename=path.name)
    assert result.format == "camt.053"
    assert result.diagnostics == ()  # opening 1000.00 + booked movements = closing 1832.10
    (statement,) = result.statements
    assert [
        (str(m.amount.amount), m.booking_type.value, m.status.value) for m in statement.movements
    ] == [
        ("119.00", "incoming", "completed"),
        ("200.00", "incoming", "completed"),
        ("50.00", "incoming", "completed"),
        ("98.00", "incoming", "completed"),
        ("60.00", "incoming", "completed"),
        ("-4.90", "fee", "completed"),
        ("310.00", "incoming", "completed"),
        ("75.00", "incoming", "pending"),
    ]


def test_the_automation_example_runs_as_docs_automation_says(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from paymatch.cli import main

    shop = tmp_path / "shop"
    shutil.copytree(ROOT / "examples" / "automation", shop)
    (shop / "bank").mkdir()
    (shop / "erp").mkdir()
    for name in ("statement.camt053.xml", "statement.mt940"):
        shutil.copy(ROOT / "examples" / "data" / name, shop / "bank")
    shutil.copy(ROOT / "examples" / "data" / "open_items.json", shop / "erp")
    config = str(shop / "paymatch-jobs.toml")
    runner = CliRunner()
    checked = runner.invoke(main, ["config", "check", config])
    assert checked.exit_code == 0, checked.output
    ran = runner.invoke(main, ["jobs", "run", "daily", "--config", config])
    assert ran.exit_code == 0, ran.output
    delivered = sorted(path.name for path in (shop / "accounting").iterdir())
    assert [name[:20] for name in delivered] == ["EXTF_Buchungsstapel_", "EXTF_Debitoren_Kredi"]
    assert sorted(path.name for path in (shop / "bank" / "done").iterdir()) == [
        "statement.camt053.xml",
        "statement.mt940",
    ]
