"""Parser benchmarks, side by side: CAMT and MT940 (prints figures; not a test).

Runs ``parse_camt.py`` (paymatch vs a minimal lxml extraction and, when
installed, PyPI CAMT parsers; then a streamed file through ``iter_movements``
with its peak RSS) and ``parse_mt940.py`` (paymatch vs a minimal regex
extraction and ``mt-940`` from PyPI). Targets, from the bank-parser issue:
CAMT within 1.5x of the minimal extraction and faster than PyPI's fastest;
MT940 within 2x of the regex and at least 4x faster than ``mt-940``; 1,000,000
CAMT entries streamed in at most 100 MB peak RSS.

    python benchmarks/parse.py [--entries 10000] [--streamed 1000000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--streamed", type=int, default=1_000_000)
    arguments = parser.parse_args()
    runs = [
        [
            sys.executable,
            str(HERE / "parse_camt.py"),
            str(arguments.entries),
            str(arguments.streamed),
        ],
        [sys.executable, str(HERE / "parse_mt940.py"), "--movements", str(arguments.entries)],
    ]
    failed = 0
    for command in runs:
        print(f"$ {' '.join(Path(part).name for part in command[1:2])} {' '.join(command[2:])}")
        failed |= subprocess.run(command, check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
