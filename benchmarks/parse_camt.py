"""How fast paymatch reads camt.053, and how much memory streaming a huge file takes.

Run: ``python benchmarks/parse_camt.py [entries] [streamed-entries]`` (defaults 10,000 and
1,000,000). It prints

* the time ``CamtParser.parse`` takes for a generated camt.053.001.08 with ``entries`` entries,
  next to a minimal lxml ``iterparse`` that extracts six fields per entry (amount, sign, booking
  date, Ustrd, name, AcctSvcrRef) — the floor any lxml-based reader stands on;
* the time of each CAMT parser from PyPI that is installed (``camt053``,
  ``bankstatementparser``) on the same data, and paymatch's time relative to it; these are
  benchmark-only tools, not dependencies of paymatch (``pip install camt053
  bankstatementparser`` to compare);
* the peak RSS of a child process that streams a generated file with ``streamed-entries`` entries
  from a temporary file through ``iter_movements``.

Not a test: figures depend on the machine.
"""

from __future__ import annotations

import importlib.util
import io
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from paymatch.parsers.camt import CamtParser

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId>
<CreDtTm>2026-03-02T18:00:00</CreDtTm></GrpHdr><Stmt><Id>BENCH-1</Id>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-01</Dt></Dt></Bal>
"""
ENTRY = """<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-03-02</Dt></BookgDt><ValDt><Dt>2026-03-02</Dt></ValDt>
<AcctSvcrRef>REF-{n}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>
<Prtry><Cd>NTRF+166</Cd><Issr>DK</Issr></Prtry></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E-{n}</EndToEndId><TxId>TX-{n}</TxId></Refs>
<RltdPties><Dbtr><Pty><Nm>Kunde {n}</Nm></Pty></Dbtr>
<DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>Rechnung {n}</Ustrd><Ustrd>Kundennummer {n}</Ustrd></RmtInf></TxDtls></NtryDtls>
</Ntry>
"""


def chunks(entries: int) -> Iterator[str]:
    """The generated statement in pieces; the closing balance is the sum of the entries."""
    yield HEAD
    total = 0
    for n in range(entries):
        cents = 100 + n % 9900
        total += cents
        yield ENTRY.format(amount=f"{cents // 100}.{cents % 100:02d}", n=n)
    yield (
        '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">'
        f"{total // 100}.{total % 100:02d}</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
        "<Dt><Dt>2026-03-02</Dt></Dt></Bal></Stmt></BkToCstmrStmt></Document>\n"
    )


def minimal_lxml(data: bytes) -> int:
    """Six fields per entry with a bare iterparse: the yardstick."""
    q = "{" + NS + "}"
    found = 0
    for _, entry in etree.iterparse(io.BytesIO(data), tag=q + "Ntry"):
        fields = (
            entry.findtext(q + "Amt"),
            entry.findtext(q + "CdtDbtInd"),
            entry.findtext(f"{q}BookgDt/{q}Dt"),
            " ".join(t.text or "" for t in entry.iterfind(f".//{q}RmtInf/{q}Ustrd")),
            entry.findtext(f".//{q}RltdPties/{q}Dbtr/{q}Pty/{q}Nm"),
            entry.findtext(q + "AcctSvcrRef"),
        )
        found += len(fields) == 6
        entry.clear()
        while entry.getprevious() is not None:
            del entry.getparent()[0]
    return found


def camt053_parse(data: bytes) -> int:
    """PyPI ``camt053``: ``parse_document`` takes the XML as a string, gives typed entries."""
    import camt053  # type: ignore[import-not-found,unused-ignore]

    document = camt053.parse_document(data.decode("utf-8"))
    return sum(len(statement.entries) for statement in document.statements)


def bankstatementparser_parse(data: bytes) -> int:
    """PyPI ``bankstatementparser``: ``CamtParser.from_bytes(...).parse()`` gives a DataFrame."""
    from bankstatementparser import CamtParser as Parser  # type: ignore[import-not-found,unused-ignore]

    return len(Parser.from_bytes(data).parse())


#: PyPI CAMT parsers compared when installed: (distribution = module name, one parse).
OTHERS: tuple[tuple[str, Callable[[bytes], int]], ...] = (
    ("camt053", camt053_parse),
    ("bankstatementparser", bankstatementparser_parse),
)


def compare_others(data: bytes, entries: int, ours: float) -> None:
    """Time each installed PyPI CAMT parser on ``data``; say how to install a missing one."""
    for name, parse in OTHERS:
        label = f"  {name} (PyPI):"
        if importlib.util.find_spec(name) is None:
            print(f"{label:28s}not installed (benchmark only: pip install {name})")
            continue
        count = parse(data)
        if count != entries:
            print(f"{label:28s}read {count:,} entries instead of {entries:,}; not timed")
            continue
        theirs = best_of(3, lambda parse=parse: parse(data))
        print(f"{label:28s}{theirs * 1000:8.0f} ms   paymatch takes {ours / theirs:.2f}x its time")


def best_of(runs: int, work: object) -> float:
    assert callable(work)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mb() -> float:
    """Peak RSS of this process; VmHWM, because ru_maxrss of a child counts its parent's pages."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_child(path: str) -> None:
    """Runs in a child process: stream the file, print movements and peak RSS."""
    parser = CamtParser("camt.053")
    start = time.perf_counter()
    with open(path, "rb") as stream:  # the benchmark opens the file; the parser never does
        count = sum(1 for _ in parser.iter_movements(stream, source=path))
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    print(f"iter_movements: {count:,} movements in {seconds:.1f} s, peak RSS {peak_mb:.0f} MB")


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    streamed = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    data = "".join(chunks(entries)).encode()
    parser = CamtParser("camt.053")
    result = parser.parse(data)
    assert len(result.statements[0].movements) == entries, "generated file misread"
    assert not result.diagnostics, result.diagnostics
    ours = best_of(3, lambda: parser.parse(data))
    floor = best_of(3, lambda: minimal_lxml(data))
    print(f"camt.053 with {entries:,} entries ({len(data) / 1e6:.1f} MB)")
    print(f"  paymatch parse:           {ours * 1000:8.0f} ms")
    print(f"  minimal lxml (6 fields):  {floor * 1000:8.0f} ms   ratio {ours / floor:.2f}x")
    compare_others(data, entries, ours)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "huge.xml"
        with path.open("w", encoding="utf-8") as out:
            for chunk in chunks(streamed):
                out.write(chunk)
        print(f"camt.053 with {streamed:,} entries ({path.stat().st_size / 1e6:.0f} MB on disk)")
        subprocess.run([sys.executable, __file__, "--stream", str(path)], check=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--stream":
        stream_child(sys.argv[2])
    else:
        main()
