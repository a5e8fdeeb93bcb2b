"""Crash safety: a real ``paymatch`` process is killed (SIGKILL) during import, match and
export, many times; afterwards the store is consistent, nothing is lost and nothing doubled.

New overlapping statement files arrive between the kills, so the kills land in every
step. At the end two undisturbed runs finish the work; then every offered movement is
in the store once, every statement file is in ``done``, every booking of the ledger is
in exactly one delivered export file and no batch waits for delivery.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from paymatch.accounting.batch import export
from paymatch.shell.config import load_config
from paymatch.shell.runtime import open_store
from tests.shell_setup import write_shop

#: How many times a run is killed (CI runs the same seed every time).
KILLS = 30
#: Log lines that open each step, and how soon after one the kill lands (at most): in the
#: import, the match, the export, and between a batch's preparation and its delivery.
STEPS = (
    ("import from bank", 0.06),
    ("open items from", 0.06),
    ("match: ", 0.03),
    ("export (csv): batch", 0.005),
)
ITEMS = 120


def mt940(number: int, first: int, count: int) -> bytes:
    """MT940 statement ``number`` with the payments ``first`` to ``first + count - 1``."""
    lines = [
        f":20:CRASH{number:04d}",
        ":25:DE93370501981234567890",
        f":28C:{number:05d}/001",
        ":60F:C261101EUR0,00",
    ]
    total = 0
    for payment in range(first, first + count):
        cents = 1000 + payment
        total += cents
        day = 2 + payment % 27
        lines += [
            f":61:2611{day:02d}11{day:02d}CR{cents // 100},{cents % 100:02d}"
            f"NTRFNONREF//CRASH-{payment:05d}",
            f":86:166?00SEPA-GUTSCHRIFT?20EREF+RE-{30000 + payment}?21SVWZ+Rechnung RE-"
            f"{30000 + payment}?32Kunde {payment}",
        ]
    lines += [f":62F:C261130EUR{total // 100},{total % 100:02d}", "-"]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def open_items() -> bytes:
    items = [
        {"number": f"RE-{30000 + i}", "amount": f"{(1000 + i) / 100:.2f}", "currency": "EUR"}
        for i in range(ITEMS)
    ]
    return json.dumps(items).encode()


def _count(logs: Path, marker: str) -> int:
    """How often ``marker`` stands in the daily logs so far."""
    return sum(
        path.read_text(encoding="utf-8").count(marker) for path in logs.glob("paymatch 2*.log")
    )


def run_job(config: Path, kill: tuple[str, float] | None = None) -> int | None:
    """Run the daily job; with ``kill = (marker, seconds)``, SIGKILL it at most ``seconds``
    after its log shows ``marker`` (the step it is in), or wherever it is if it ends first."""
    logs = config.parent / "logs"
    marker = kill[0] if kill else ""
    before = _count(logs, marker) if kill and logs.exists() else 0
    process = subprocess.Popen(
        [sys.executable, "-m", "paymatch", "jobs", "run", "daily", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if kill is None:
        return process.wait(timeout=300)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if logs.exists() and _count(logs, marker) > before:
            break
        time.sleep(0.001)
    time.sleep(kill[1])
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return None


def test_killed_runs_lose_nothing_and_double_nothing(tmp_path: Path) -> None:
    config_path = write_shop(tmp_path, export_format="csv")
    bank = tmp_path / "bank"
    for stale in bank.iterdir():
        stale.unlink()  # only the crash statements here
    (tmp_path / "erp" / "open_items.json").write_bytes(open_items())
    offered: set[str] = set()
    chooser = random.Random(20261124)
    for kill in range(KILLS):
        first = (kill * 5) % (ITEMS - 10)
        (bank / f"statement.{kill:03d}.sta").write_bytes(mt940(kill, first, 10))
        offered |= {f"CRASH-{payment:05d}" for payment in range(first, first + 10)}
        marker, seconds = STEPS[kill % len(STEPS)]
        run_job(config_path, (marker, chooser.uniform(0, seconds)))
    assert run_job(config_path) == 0
    assert run_job(config_path) == 0

    config = load_config(config_path)
    store = open_store(config)
    ledger = store.load().ledger  # the ledger's checks hold for what was stored
    references = [m.bank_reference for m in ledger.movements]
    assert len(references) == len(set(references))
    assert set(references) == offered
    assert sorted(path.name for path in (bank / "done").iterdir()) == [
        f"statement.{kill:03d}.sta" for kill in range(KILLS)
    ]
    assert not (bank / "failed").exists()

    delivered: list[str] = []
    for path in sorted((tmp_path / "accounting").iterdir()):
        if path.name.startswith("."):
            continue  # an upload's temporary file, replaced by the next try
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        delivered.extend(row["booking_id"] for row in rows)
    assert len(delivered) == len(set(delivered)), "a booking was exported twice"
    moment = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    everything = export(ledger, generated_at=moment, settings=config.export, format="csv")
    assert set(delivered) == set(everything.booking_ids), "a booking was skipped"
    assert set(delivered) == store.exported_booking_ids()
    assert store.undelivered_batches("accounting") == ()
    runs = store.runs(limit=1000)
    assert {run.status for run in runs} <= {"succeeded", "failed"}
    killed = [run for run in runs if run.error and "interrupted" in run.error]
    assert len(killed) >= KILLS // 2, "kills should land inside runs"
    store.close()
