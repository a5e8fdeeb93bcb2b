"""The main job end to end: time per stage of reconciling N movements against N open items.

Writes a camt.053 statement with N entries and an open-items CSV with N items of
N/2 customers to a temporary directory (most payments quote the invoice number,
some only come with the customer's name, a few quote nothing or are outgoing),
then runs the stages ``paymatch reconcile`` runs, timing each: parse, read open
items, match, book the decisions into a ledger, post, export (DATEV) and write
the files. Prints seconds per stage, the total and the peak RSS.

    python benchmarks/reconcile.py [N]        (default 100,000)

Not a test: figures depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
SIZE = 100_000
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
FIRST = ["Hans", "Anna", "Jürgen", "Sören", "Özlem", "Marie", "Lukas", "Sophie", "Jonas", "Lea"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Meyer", "Wagner", "Becker"]
ENTRY = (
    '<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
    "<BookgDt><Dt>2026-03-10</Dt></BookgDt><ValDt><Dt>2026-03-10</Dt></ValDt>"
    "<AcctSvcrRef>B{n}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd>"
    "<SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><RltdPties>"
    "<{party}><Pty><Nm>{name}</Nm></Pty></{party}></RltdPties><RmtInf><Ustrd>{text}</Ustrd>"
    "</RmtInf></TxDtls></NtryDtls></Ntry>\n"
)


def write_inputs(directory: Path, size: int) -> tuple[Path, Path]:
    """The statement and the open items (see the module docstring)."""
    rng = random.Random(size)
    customers = max(1, size // 2)
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}" for n in range(customers)]
    amounts = [rng.randrange(500, 200000) for _ in range(size)]
    items = directory / "open_items.csv"
    with items.open("w", encoding="utf-8") as out:
        out.write("number,invoice_number,customer_number,customer_name,amount,currency\n")
        for n, cents in enumerate(amounts):
            customer = n % customers
            out.write(
                f"AU-{n:07d},RE-{n:07d},K{customer:07d},{names[customer]},"
                f"{cents // 100}.{cents % 100:02d},EUR\n"
            )
    statement = directory / "statement.camt053.xml"
    total = 0
    with statement.open("w", encoding="utf-8") as out:
        out.write(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NS}"><BkToCstmrStmt>'
            "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-03-31T18:00:00</CreDtTm></GrpHdr>"
            "<Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id>"
            "<Ccy>EUR</Ccy></Acct>\n"
        )
        for n in range(size):
            pick = rng.randrange(size)
            cents = amounts[pick]
            kind = rng.random()
            text, name = f"Rechnung RE-{pick:07d} vielen Dank", "Zahler"
            if kind > 0.6:
                text = "Ueberweisung"
                name = names[pick % customers] if kind < 0.8 else "Zahler"
            outgoing = kind > 0.97
            total += -cents if outgoing else cents
            out.write(
                ENTRY.format(
                    n=n,
                    amount=f"{cents // 100}.{cents % 100:02d}",
                    sign="DBIT" if outgoing else "CRDT",
                    family="ICDT" if outgoing else "RCDT",
                    party="Cdtr" if outgoing else "Dbtr",
                    name=name,
                    text=text,
                )
            )
        out.write("</Stmt></BkToCstmrStmt></Document>\n")
    return statement, items


def main() -> None:
    from paymatch.accounting.batch import ExportSettings, export
    from paymatch.accounting.datev import DatevSettings
    from paymatch.accounting.posting import post
    from paymatch.ledger import Ledger
    from paymatch.matching import match, read_open_items
    from paymatch.parsers import parse

    size = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    stages: list[tuple[str, float]] = []

    def timed(stage: str, work: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = work()
        stages.append((stage, time.perf_counter() - start))
        return result

    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        statement_path, items_path = write_inputs(directory, size)
        data = statement_path.read_bytes()
        result = timed("parse camt.053", lambda: parse(data, filename=statement_path.name))
        movements = [m for s in result.statements for m in s.movements]
        items = timed(
            "read open items",
            lambda: read_open_items(items_path.read_bytes(), source=str(items_path)),
        )
        as_of = dt.date(2026, 3, 31)
        report = timed("match", lambda: match(movements, items, as_of=as_of))
        at = dt.datetime(2026, 3, 31, 18, 0, tzinfo=dt.UTC)
        ledger = timed("ledger + apply", lambda: _applied(Ledger(movements, items), report, at))
        bookings = timed("post", lambda: post(ledger))
        settings = ExportSettings(datev=DatevSettings(consultant_number=1001, client_number=1))
        batch = timed(
            "export DATEV", lambda: export(bookings, generated_at=at, settings=settings).files
        )
        timed("write files", lambda: [(directory / f.name).write_bytes(f.data) for f in batch])
    print(f"paymatch reconcile, {size:,} movements x {size:,} open items")
    for stage, seconds in stages:
        print(f"  {stage:<18} {seconds:8.2f} s")
    print(f"  {'total':<18} {sum(s for _, s in stages):8.2f} s")
    statuses = report.summary()["statuses"]
    print(f"  statuses: {statuses}; bookings {len(bookings):,} in {len(batch)} file(s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:,.0f} MB")


def _applied(ledger: object, report: object, at: dt.datetime) -> object:
    report.apply(ledger, at=at)  # type: ignore[attr-defined]
    return ledger


if __name__ == "__main__":
    main()
