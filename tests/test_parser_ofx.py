"""OFX/QFX 1.x (SGML) and 2.x (XML): a file written from the specification, and the
conformance files of another project."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.errors import ParseError
from paymatch.model import BookingType
from paymatch.parsers import parse
from paymatch.parsers.ofx import OfxParser, booking_type_of
from tests.mutations import mutated, only_parse_errors

V1 = (Path(__file__).parent / "data" / "ofx" / "checking_v1.ofx").read_bytes()
CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "jseutter-ofxparse"
OFX = OfxParser()


def v2(body: bytes = V1) -> bytes:
    """The same statement as OFX 2 XML: every leaf closed, an XML prolog and OFX PI."""
    lines = body.split(b"\n\n", 1)[1].splitlines()
    closed = []
    for line in lines:
        if line.startswith(b"<") and not line.startswith(b"</") and b">" in line:
            name, _, value = line[1:].partition(b">")
            if value and b"<" not in value:
                line = line + b"</" + name + b">"
        closed.append(line)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n'
        + b"\n".join(closed)
    )


@pytest.mark.parametrize("data", [V1, v2()], ids=["sgml", "xml"])
def test_bank_statement_in_both_versions(data: bytes) -> None:
    result = OFX.parse(data, source="checking.ofx")
    (statement,) = result.statements
    assert statement.account.key == "bank:121000248/555000111"
    assert statement.account.currency == "USD"
    assert statement.period_start == dt.date(2026, 3, 1)
    assert statement.closing_balance is not None
    assert statement.closing_balance.amount.amount == Decimal("2427.50")
    assert [
        (
            str(m.amount.amount),
            m.booking_type,
            m.transaction_id,
            m.counterparty.name,
            m.remittance_info,
            m.bank_reference,
        )
        for m in statement.movements
    ] == [
        ("1190.00", BookingType.INCOMING, "2026030201", "ACME CORP", "Invoice RE-1001", None),
        ("-12.50", BookingType.FEE, "2026031501", "MONTHLY SERVICE FEE", None, None),
        ("-250.00", BookingType.OUTGOING, "2026032001", "Paper Supply Inc", None, "1042"),
    ]
    first = statement.movements[0]
    assert first.booking_date == dt.date(2026, 3, 2)
    assert first.value_date == dt.date(2026, 3, 1)
    assert {d.code for d in result.diagnostics} == {"no_opening_balance"}  # OFX states none


def test_detected_and_streamed() -> None:
    assert parse(V1).format == "ofx"
    assert parse(v2()).format == "ofx"
    parsed = [m for s in OFX.parse(V1).statements for m in s.movements]
    assert list(OFX.iter_movements(io.BytesIO(V1))) == parsed


def test_transaction_types() -> None:
    assert booking_type_of("INT", Decimal("1")) is BookingType.INTEREST
    assert booking_type_of("DIRECTDEBIT", Decimal("-1")) is BookingType.SEPA_DIRECT_DEBIT
    assert booking_type_of("POS", Decimal("-1")) is BookingType.OUTGOING
    assert booking_type_of("DEP", Decimal("1")) is BookingType.INCOMING


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b"<TRNAMT>-12.50", b"<TRNAMT>$12.50"), r"line 39: <TRNAMT>: expected an amount"),
        ((b"<DTPOSTED>20260315", b"<DTPOSTED>20260231"), r"line 38: <DTPOSTED>: expected a date"),
        ((b"<ACCTID>555000111", b""), r"<ACCTID>: expected the account"),
        ((b"<OFX>", b"<XFO>"), r"expected the <OFX> element"),
        ((b"<FITID>2026032001", b"<FITID>2026031501"), r"has the id"),
    ],
)
def test_bad_values_say_which_element_and_line(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(ParseError, match=message):
        OFX.parse(V1.replace(*change, 1), source="bad.ofx")


def test_a_refused_sign_on_is_an_error_diagnostic() -> None:
    refused = V1.replace(
        b"<CODE>0<SEVERITY>INFO</STATUS><DTSERVER>",
        b"<CODE>15500<SEVERITY>ERROR<MESSAGE>Wrong password</STATUS><DTSERVER>",
    )
    result = OFX.parse(refused)
    assert [(d.code, d.message) for d in result.diagnostics if d.code == "ofx_status"] == [
        ("ofx_status", "the server answered with status 15500: Wrong password")
    ]


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fuzz_only_parse_errors_escape(data: st.DataObject) -> None:
    only_parse_errors(OFX, mutated(data, [V1, v2()]))


#: The upstream fixtures that are broken on purpose, and what is wrong with each.
BROKEN = {
    "fail_nice/date_missing.ofx": "<DTPOSTED>: expected a date",
    "fail_nice/decimal_error.ofx": "<TRNAMT>: expected an amount",
    "fail_nice/empty_balance.ofx": "<BALAMT>: expected an amount",
}


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="the conformance corpus is not present")
def test_conformance_jseutter_ofxparse(capsys: pytest.CaptureFixture[str]) -> None:
    root = CONFORMANCE / "tests" / "fixtures"
    files = sorted(root.rglob("*.ofx"))
    statements = movements = refused = 0
    for path in files:
        relative = path.relative_to(root).as_posix()
        data = path.read_bytes()
        if relative in BROKEN:
            with pytest.raises(ParseError, match=BROKEN[relative]):
                OFX.parse(data, source=relative)
            refused += 1
            continue
        result = OFX.parse(data, source=relative)
        statements += len(result.statements)
        movements += sum(len(s.movements) for s in result.statements)
    checking = OFX.parse((root / "checking.ofx").read_bytes())
    (statement,) = checking.statements
    assert [str(m.amount.amount) for m in statement.movements] == ["0.01", "-34.51", "-25.00"]
    assert statement.closing_balance is not None
    assert statement.closing_balance.amount.amount == Decimal("100.99")
    assert refused == len(BROKEN)
    with capsys.disabled():
        print(
            f"\nofx conformance: {len(files)} files, {refused} refused as upstream breaks them, "
            f"{statements} statements, {movements} movements"
        )
