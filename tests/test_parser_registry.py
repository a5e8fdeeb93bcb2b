"""The parser registry: detection, names, plugins from entry points, and the shared checks."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from paymatch import (
    Account,
    AccountKind,
    Balance,
    BookingType,
    Movement,
    ParseResult,
    ParserRegistry,
    Statement,
    Status,
    to_money,
)
from paymatch.errors import FormatDetectionError, ParseError, ParserPluginError
from paymatch.parsers.result import Severity, balance_diagnostics
from paymatch.parsers.text import decode

EXAMPLE_PLUGIN = Path(__file__).resolve().parent.parent / "examples" / "plugin" / "src"


class Scored:
    """A parser that scores every head the same: enough to test detection."""

    description = "test parser"

    def __init__(self, name: str, score: float) -> None:
        self.name = name
        self.score = score

    def detect(self, head: bytes, filename: str | None) -> float:
        return self.score

    def parse(self, data: bytes | BinaryIO, *, source: str | None = None) -> ParseResult:
        return ParseResult(format=self.name)

    def iter_movements(self, stream: BinaryIO, *, source: str | None = None) -> Iterator[Movement]:
        return iter(())


def registry(*parsers: Scored) -> ParserRegistry:
    found = ParserRegistry(built_ins=False, plugins=False)
    for parser in parsers:
        found.register(parser)
    return found


def test_a_certain_score_wins_at_once() -> None:
    assert registry(Scored("a", 0.9), Scored("b", 1.0)).detect(b"x").name == "b"


def test_the_highest_score_wins_when_alone() -> None:
    assert registry(Scored("a", 0.4), Scored("b", 0.7), Scored("c", 0.0)).detect(b"x").name == "b"


def test_a_tie_at_the_top_names_the_candidates() -> None:
    with pytest.raises(FormatDetectionError) as caught:
        registry(Scored("a", 0.5), Scored("b", 0.5), Scored("c", 0.2)).detect(b"x", "f.txt")
    message = str(caught.value)
    assert message.startswith(
        "f.txt: the data fits several formats equally well (a, b, score 0.50)"
    )


def test_no_score_lists_the_known_formats() -> None:
    with pytest.raises(FormatDetectionError, match=r"no parser recognises .* known formats: a, b"):
        registry(Scored("a", 0.0), Scored("b", 0.0)).detect(b"x")


def test_an_unknown_format_name_lists_the_known_ones() -> None:
    with pytest.raises(FormatDetectionError, match=r"unknown format 'mt941'; known formats: a"):
        registry(Scored("a", 0.0)).get("mt941")


def test_a_name_is_registered_once_unless_replaced() -> None:
    found = registry(Scored("a", 0.1))
    with pytest.raises(ValueError, match="already registered"):
        found.register(Scored("a", 0.9))
    found.register(Scored("a", 0.9), replace=True)
    assert found.get("a").detect(b"", None) == 0.9


def test_parse_with_a_named_format_skips_detection() -> None:
    assert registry(Scored("a", 0.0), Scored("b", 1.0)).parse(b"x", format="a").format == "a"


def test_registering_something_that_is_no_parser_is_refused() -> None:
    with pytest.raises(
        ParserPluginError, match="lacks name, description, detect, parse, iter_movements"
    ):
        registry().register(object())  # type: ignore[arg-type]


def install_plugin(root: Path, monkeypatch: pytest.MonkeyPatch, entry: str) -> None:
    """Make a distribution with one ``paymatch.parsers`` entry point visible, as pip would."""
    info = root / "paymatch_test_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: paymatch-test-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[paymatch.parsers]\n{entry}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))


CASHBOOK = textwrap.dedent(
    """\
    # cashbook TILL-1 EUR
    2026-03-02\t19.90\tAU-2001 paid in cash
    2026-03-02\t-5.00\tcoffee for the shop
    """
).encode()


def test_the_example_plugin_is_found_through_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE_PLUGIN))
    install_plugin(tmp_path, monkeypatch, "cashbook = paymatch_cashbook:parsers")
    plugins = ParserRegistry(built_ins=False)
    assert list(plugins.parsers()) == ["cashbook"]
    result = plugins.parse(CASHBOOK, filename="till.txt")
    (statement,) = result.statements
    assert statement.account.key == "pos:TILL-1"
    assert [(m.amount.amount, m.remittance_info) for m in statement.movements] == [
        (to_money("19.90", "EUR").amount, "AU-2001 paid in cash"),
        (to_money("-5.00", "EUR").amount, "coffee for the shop"),
    ]
    assert [d.code for d in result.diagnostics] == ["no_opening_or_closing_balance"]


def test_the_example_plugin_reports_where_its_input_is_bad(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE_PLUGIN))
    install_plugin(tmp_path, monkeypatch, "cashbook = paymatch_cashbook:parsers")
    bad = CASHBOOK.replace(b"-5.00", b"-5,00")
    with pytest.raises(ParseError) as caught:
        ParserRegistry(built_ins=False).parse(bad, filename="till.txt")
    assert str(caught.value) == (
        "till.txt, line 3, column 12: expected an amount like -5.00, got '-5,00'"
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("missing = paymatch_no_such_module:parsers", "failed to import: ModuleNotFoundError"),
        ("plain = json:dumps", "failed to create its parser"),
        ("nothing = json:JSONDecodeError", "failed to create its parser"),
        ("thing = decimal:Context", "is not a parser: it lacks name, description, detect"),
    ],
)
def test_a_broken_plugin_is_named_in_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, message: str
) -> None:
    install_plugin(tmp_path, monkeypatch, entry)
    name, value = (part.strip() for part in entry.split("="))
    with pytest.raises(ParserPluginError) as caught:
        ParserRegistry(built_ins=False).parsers()
    text = str(caught.value)
    assert text.startswith(f"plugin {name!r} ({value}) in group 'paymatch.parsers'")
    assert message in text


ACCOUNT = Account(kind=AccountKind.BANK, iban="DE89370400440532013000", currency="EUR")


def booked(amount: str, status: Status = Status.COMPLETED, tx: str = "T") -> Movement:
    return Movement(
        account=ACCOUNT.key,
        amount=to_money(amount, "EUR"),
        booking_date=dt.date(2026, 3, 2),
        booking_type=BookingType.INCOMING,
        status=status,
        transaction_id=tx,
    )


def statement(opening: str | None, closing: str | None, *movements: Movement) -> Statement:
    def balance(amount: str | None) -> Balance | None:
        if amount is None:
            return None
        return Balance(amount=to_money(amount, "EUR"), date=dt.date(2026, 3, 2))

    return Statement(
        account=ACCOUNT,
        movements=movements,
        opening_balance=balance(opening),
        closing_balance=balance(closing),
        source="march.xml",
    )


def test_balances_that_add_up_give_no_diagnostic() -> None:
    pending = booked("99.00", Status.PENDING, tx="P")
    assert balance_diagnostics(statement("10.00", "15.50", booked("5.50"), pending), 0) == []


def test_a_balance_mismatch_names_the_difference() -> None:
    (found,) = balance_diagnostics(statement("10.00", "16.00", booked("5.50")), 3)
    assert found.severity is Severity.ERROR
    assert found.code == "balance_mismatch"
    assert found.statement == 3
    assert found.message == (
        "opening balance 10.00 + movements 5.50 = 15.50 EUR, but the closing balance is "
        "16.00 EUR (difference 0.50 EUR)"
    )
    assert str(found.position) == "march.xml"


def test_a_missing_balance_is_a_warning_not_a_pass() -> None:
    (found,) = balance_diagnostics(statement("10.00", None, booked("5.50")), 0)
    assert (found.severity, found.code) == (Severity.WARNING, "no_closing_balance")


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Grüße".encode(), "Grüße", "utf-8"),
        (b"\xef\xbb\xbf" + "Grüße".encode(), "Grüße", "utf-8-sig"),
        ("Grüße aus Köln".encode("cp1252"), "Grüße aus Köln", "cp1252"),
        ("Grüße aus Köln".encode("cp850"), "Grüße aus Köln", "cp850"),
        ("€ 12,50".encode("cp1252"), "€ 12,50", "cp1252"),
    ],
)
def test_decode_finds_the_encoding(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


def test_decode_refuses_binary_data_where_it_starts() -> None:
    with pytest.raises(ParseError) as caught:
        decode(b":20:STARTUMS\r\n:25:12\x00345", source="x.sta")
    assert str(caught.value) == (
        "x.sta, line 2, column 7: binary data (a NUL byte) where text was expected"
    )
