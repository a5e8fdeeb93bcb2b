"""MT940 benchmark: paymatch against a bare regular expression and against ``mt-940``.

Generates German MT940 (structured ``:86:`` with SEPA keys, sub-fields split
over lines, cp1252 umlauts) in memory and times, best of several runs:

* paymatch ``MT940_PARSER.parse`` (full model: validated IBAN/BIC, SEPA keys,
  balance check);
* a minimal regular-expression extraction of ``:61:`` and ``:86:`` (value date,
  mark, amount as Decimal, raw ``:86:`` text) — the floor any parser pays;
* ``mt-940`` from PyPI (``mt940.models.Transactions`` with its German ``:86:``
  post-processor, so both sides split the sub-fields).

Targets (mt940 issue): paymatch within 2x the regular expression and at least
4x faster than ``mt-940``. Prints the figures and exits non-zero when a target
is missed. Not a test: ``pip install mt-940`` first.

    python benchmarks/parse_mt940.py [--movements N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from paymatch.parsers.mt940 import MT940_PARSER

REGEX_TARGET = 2.0  # paymatch may take at most this many times the regex's time
MT940_TARGET = 4.0  # paymatch must be at least this many times faster than mt-940
PER_STATEMENT = 100
NAMES = ["Jürgen Müller", "Anna Weiß", "Sören Bäcker", "Özlem Öztürk", "Stadtwerke Überlingen"]
IBANS = ["DE89370400440532013000", "GB82WEST12345698765432", "NL91ABNA0417164300"]
GVCS = [("166", "C", "NTRF"), ("105", "D", "NDDT"), ("171", "C", "NDDT"), ("805", "D", "NCHG")]


def statement_text(movements: int, seed: int = 7) -> bytes:
    """``movements`` movements in statements of 100, as a German bank writes them (cp1252)."""
    rng = random.Random(seed)
    lines: list[str] = []
    balance = Decimal("10000.00")
    for number in range(0, movements, PER_STATEMENT):
        lines += [
            ":20:STARTUMS",
            ":25:10020030/1234567",
            f":28C:{number // PER_STATEMENT + 1}/1",
            balance_field("60F", "251230", balance),
        ]
        for index in range(number, min(number + PER_STATEMENT, movements)):
            gvc, mark, code = rng.choice(GVCS)
            amount = Decimal(rng.randint(100, 99999)) / 100
            balance += amount if mark == "C" else -amount
            name = rng.choice(NAMES)
            purpose = f"SVWZ+Rechnung {index} {name} Bestellung {rng.randint(1000, 9999)}"
            structured = (
                f"{gvc}?00SEPA-BUCHUNG?100815?20EREF+E2E-{index}?21MREF+M-{index % 97}"
                f"?22{purpose[:27]}?23{purpose[27:54]}?24{purpose[54:]}"
                f"?30COBADEFFXXX?31{rng.choice(IBANS)}?32{name}"
            )
            lines.append(f":61:2512311231{mark}{amount},{code}NONREF//B{index}".replace(".", ""))
            lines.append(":86:" + structured[:61])
            lines += [structured[i : i + 65] for i in range(61, len(structured), 65)]
        lines += [balance_field("62F", "251231", balance), "-"]
    return "\r\n".join(lines).encode("cp1252")


def balance_field(tag: str, date: str, balance: Decimal) -> str:
    mark = "C" if balance >= 0 else "D"
    return f":{tag}:{mark}{date}EUR{abs(balance):.2f}".replace(".", ",")


_LINE_61 = re.compile(r"^:61:(\d{6})(\d{4})?(R?[CD])[A-Z]?(\d+,\d*)", re.MULTILINE)
_FIELD_86 = re.compile(r"^:86:(.*(?:\r\n(?!:|-).*)*)", re.MULTILINE)


def regex_extract(data: bytes) -> list[tuple[str, str, Decimal, str]]:
    """The floor: decode, find every :61: and :86:, read the amount as Decimal."""
    text = data.decode("cp1252")
    details = [m.group(1).replace("\r\n", "") for m in _FIELD_86.finditer(text)]
    return [
        (m.group(1), m.group(3), Decimal(m.group(4).replace(",", ".")), info)
        for m, info in zip(_LINE_61.finditer(text), details, strict=True)
    ]


def paymatch_parse(data: bytes) -> int:
    result = MT940_PARSER.parse(data, source="bench.sta")
    return sum(len(statement.movements) for statement in result.statements)


def mt940_parse(data: bytes) -> int:
    import mt940  # type: ignore[import-untyped]  # optional: imported only when compared

    transactions = mt940.models.Transactions(
        processors={
            "post_transaction_details": [mt940.processors.transaction_details_post_processor]
        }
    )
    transactions.parse(data.decode("cp1252"))
    return len(transactions.transactions)


def best_of(repeat: int, function: Callable[[bytes], object], data: bytes) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--movements", type=int, default=10_000)
    arguments.add_argument("--repeat", type=int, default=3)
    options = arguments.parse_args()
    data = statement_text(options.movements)
    assert paymatch_parse(data) == len(regex_extract(data)) == options.movements
    print(f"{options.movements} movements, {len(data) / 1e6:.1f} MB of German MT940 (cp1252)")
    ours = best_of(options.repeat, paymatch_parse, data)
    floor = best_of(options.repeat, regex_extract, data)
    print(f"paymatch parse        {ours:8.3f} s  {options.movements / ours:10,.0f} movements/s")
    print(f"regex :61:/:86:       {floor:8.3f} s  paymatch takes {ours / floor:.1f}x")
    missed = ours / floor > REGEX_TARGET
    try:
        import mt940
    except ImportError:
        print("mt-940                not installed (pip install mt-940)")
        return int(missed)
    assert mt940_parse(data) == options.movements
    theirs = best_of(options.repeat, mt940_parse, data)
    version = f"mt-940 {mt940.__version__}"
    print(f"{version:<21} {theirs:8.3f} s  paymatch is {theirs / ours:.1f}x faster")
    missed = missed or theirs / ours < MT940_TARGET
    print("targets: regex within 2x, mt-940 at least 4x slower:", "missed" if missed else "met")
    return int(missed)


if __name__ == "__main__":
    sys.exit(main())
