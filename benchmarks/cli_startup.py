"""Start-up benchmark: how long ``paymatch --help`` takes, as a user at a terminal waits for it.

Target (foundation issue): at most 0.25 s. Runs the installed ``paymatch``
command (the one next to this Python) several times, prints the best and the
median, and exits non-zero when the median misses the target.

    python benchmarks/cli_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 0.25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    command = Path(sys.executable).with_name("paymatch")
    if not command.exists():
        found = shutil.which("paymatch")
        if found is None:
            print("the paymatch command is not installed next to this Python", file=sys.stderr)
            return 2
        command = Path(found)
    durations = []
    for _ in range(arguments.runs):
        started = time.perf_counter()
        subprocess.run([str(command), "--help"], check=True, capture_output=True)
        durations.append(time.perf_counter() - started)
    median = statistics.median(durations)
    print(
        f"paymatch --help, {arguments.runs} runs: "
        f"best {min(durations):.3f} s, median {median:.3f} s"
    )
    print(
        f"target: median <= {TARGET_SECONDS} s: "
        + ("met" if median <= TARGET_SECONDS else "MISSED")
    )
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
