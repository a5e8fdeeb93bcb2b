"""Provider reports of N rows streamed through ``iter_movements``: time and peak memory.

For each provider parser (PayPal activity download, Stripe balance export) a
file of N rows (default 1,000,000; payments with fees, refunds, payouts) is
written to a temporary directory, and a child process streams it through
``iter_movements``, printing the movements read, the time and its peak RSS.
Target (provider issue): 1,000,000 rows with at most 100 MB.

    python benchmarks/parse_providers.py [N]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = 1_000_000
TARGET_MB = 100
PAYPAL_HEADER = (
    '"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net",'
    '"From Email Address","To Email Address","Transaction ID","Reference Txn ID",'
    '"Invoice Number","Balance"\n'
)
STRIPE_HEADER = "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Description,Transfer\n"


def write_paypal(path: Path, size: int) -> None:
    balance = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(PAYPAL_HEADER)
        for n in range(size):
            day = 1 + n % 28
            cents = 1000 + n % 50000
            if n % 10 == 9:  # a refund of the row before
                gross, fee, kind, ref = -cents, 0, "Payment Refund", f"TX{n - 1:015d}"
            else:
                gross, fee, kind, ref = cents, -(35 + cents // 40), "Express Checkout Payment", ""
            balance += gross + fee
            out.write(
                f'"{day:02d}/03/2026","10:00:00","CET","Kunde {n % 5000}","{kind}","Completed",'
                f'"EUR","{gross / 100:.2f}","{fee / 100:.2f}","{(gross + fee) / 100:.2f}",'
                f'"k{n % 5000}@example.com","shop@example.com","TX{n:015d}","{ref}",'
                f'"AU-{n:07d}","{balance / 100:.2f}"\n'
            )


def write_stripe(path: Path, size: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(STRIPE_HEADER)
        for n in range(size):
            cents = 1000 + n % 50000
            fee = 25 + cents * 14 // 1000
            out.write(
                f"txn_{n},charge,ch_{n},{cents / 100:.2f},{-fee / 100:.2f},"
                f"{(cents - fee) / 100:.2f},eur,2026-03-{1 + n % 28:02d} 10:00,"
                f"Order AU-{n:07d},\n"
            )


def child(parser_name: str, path: str) -> None:
    from paymatch.parsers import default_registry

    parser = default_registry().get(parser_name)
    start = time.perf_counter()
    count = 0
    with open(path, "rb") as stream:
        for _ in parser.iter_movements(stream, source=path):
            count += 1
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"movements": count, "seconds": seconds, "peak_mb": peak}))


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return 0
    size = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    met = True
    with tempfile.TemporaryDirectory() as folder:
        for name, write in (("paypal", write_paypal), ("stripe", write_stripe)):
            path = Path(folder) / f"{name}.csv"
            write(path, size)
            result = subprocess.run(
                [sys.executable, __file__, "--child", name, str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(result.stdout)
            mb = path.stat().st_size / 1e6
            print(
                f"{name}: {size:,} rows ({mb:,.0f} MB) -> {figures['movements']:,} movements "
                f"in {figures['seconds']:.1f} s, peak RSS {figures['peak_mb']:.0f} MB"
            )
            met = met and figures["peak_mb"] <= TARGET_MB
    print(f"target: <= {TARGET_MB} MB peak RSS while streaming:", "met" if met else "missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
