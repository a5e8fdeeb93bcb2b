"""Matching quality on a labelled test bed: precision and coverage per case kind.

Generates open items and a CAMT.053 with the right answer per entry
(``benchmarks/match_cases.py``), runs them through ``paymatch.parse``,
``read_open_items`` and ``paymatch.match`` exactly as a user would, and prints
per case kind: cases, how many should be assigned automatically, how many were,
how many of those exactly right, precision and coverage.

Targets (matching issue): precision >= 99.9 % (share of automatic assignments
that are exactly right), coverage >= 97 % (share of should-be-automatic
movements assigned exactly right), and no automatic assignment on a designed-
ambiguous case. Exits non-zero when one is missed.

    python benchmarks/match_quality.py [--cases-per-kind N] [--seed S] [--show-errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_cases import AS_OF, evaluate, generate

from paymatch import parse
from paymatch.matching import match, read_open_items

PRECISION_TARGET = Decimal("0.999")
COVERAGE_TARGET = Decimal("0.97")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f} %" if whole else "     - "


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--cases-per-kind", type=int, default=200)
    arguments.add_argument("--seed", type=int, default=2026)
    arguments.add_argument("--show-errors", action="store_true")
    options = arguments.parse_args()
    bed = generate(options.cases_per_kind, options.seed)
    start = time.perf_counter()
    items = read_open_items(bed.open_items_csv, source="open_items.csv")
    movements = [
        m for s in parse(bed.statement, filename="bench.xml").statements for m in s.movements
    ]
    report = match(movements, items, as_of=AS_OF)
    elapsed = time.perf_counter() - start
    scores = evaluate(list(report.results), bed.cases)
    print(f"{len(movements)} movements, {len(items)} open items, {elapsed:.2f} s")
    print(
        f"{'case kind':40} {'cases':>6} {'auto?':>6} {'auto':>6} {'right':>6} "
        f"{'precision':>9} {'coverage':>9}"
    )
    totals = [0, 0, 0, 0]
    ambiguous_assigned = 0
    problems = []
    for kind, score in scores.items():
        print(
            f"{kind:40} {score.cases:6} {score.should_assign:6} {score.assigned:6} {score.right:6} "
            f"{_share(score.right, score.assigned):>9} "
            f"{_share(score.right, score.should_assign):>9}"
        )
        for index, value in enumerate(
            (score.cases, score.should_assign, score.assigned, score.right)
        ):
            totals[index] += value
        if kind.startswith("decoy"):
            ambiguous_assigned += score.assigned
        problems += [f"{kind}: wrong {ref}" for ref in score.wrong]
        problems += [f"{kind}: missed {ref}" for ref in score.missed]
        problems += [f"{kind}: {text}" for text in score.other_errors]
    cases, should, assigned, right = totals
    precision = Decimal(right) / assigned if assigned else Decimal(1)
    coverage = Decimal(right) / should if should else Decimal(1)
    print(
        f"{'all':40} {cases:6} {should:6} {assigned:6} {right:6} "
        f"{_share(right, assigned):>9} {_share(right, should):>9}"
    )
    print(f"designed-ambiguous cases assigned automatically: {ambiguous_assigned}")
    if options.show_errors:
        by_reference = {r.movement.bank_reference: r for r in report.results}
        for problem in problems:
            reference = problem.split()[-1].rstrip(":")
            result = by_reference.get(reference)
            print(
                problem,
                "->",
                result.status.value if result else "?",
                result.reason if result else "",
            )
    met = precision >= PRECISION_TARGET and coverage >= COVERAGE_TARGET and ambiguous_assigned == 0
    print(
        "targets: precision >= 99.9 %, coverage >= 97 %, no decoy assigned:",
        "met" if met else "missed",
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
