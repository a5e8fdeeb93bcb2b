"""Matcher plugins: the example ``check_digit`` plugin through its entry point; broken plugins."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from paymatch.errors import MatcherPluginError
from paymatch.matching import ItemIndex, MatchConfig, MatchStatus, load_matchers, match
from paymatch.matching.report import MatchResult
from paymatch.model import BookingType, Movement, OpenItem, to_money
from tests.entry_points import install_entry_points

EXAMPLE_PLUGIN = Path(__file__).resolve().parent.parent / "examples" / "matcher_plugin" / "src"
ENTRY = "check_digit = paymatch_checkdigit:CheckDigitMatcher"
ORDER = "AU-2026-00017"
AS_OF = dt.date(2026, 3, 10)


def luhn_digit(digits: str) -> str:
    """The digit that makes ``digits + digit`` pass the Luhn check (independent of the plugin)."""

    def valid(number: str) -> bool:
        total = 0
        for place, char in enumerate(reversed(number)):
            doubled = int(char) * (2 if place % 2 else 1)
            total += doubled // 10 + doubled % 10
        return total % 10 == 0

    (digit,) = [d for d in "0123456789" if valid(digits + d)]
    return digit


RIGHT = luhn_digit("202600017")
WRONG = str((int(RIGHT) + 5) % 10)


def install_matchers(root: Path, monkeypatch: pytest.MonkeyPatch, *entries: str) -> None:
    """Make a distribution with ``paymatch.matchers`` entry points visible, as pip would."""
    install_entry_points(root, monkeypatch, "paymatch.matchers", *entries)


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example package on the path and registered under its entry point."""
    monkeypatch.syspath_prepend(str(EXAMPLE_PLUGIN))
    install_matchers(tmp_path, monkeypatch, ENTRY)


def items() -> list[OpenItem]:
    return [
        OpenItem(number=ORDER, amount=to_money("59.90", "EUR"), customer_number="K-17"),
        OpenItem(number="AU-2026-00018", amount=to_money("24.00", "EUR"), customer_number="K-18"),
    ]


def payment(text: str, amount: str = "59.90") -> Movement:
    return Movement(
        account="DE89370400440532013000",
        amount=to_money(amount, "EUR"),
        booking_date=dt.date(2026, 3, 2),
        booking_type=BookingType.INCOMING,
        remittance_info=text,
    )


def rules(result: MatchResult) -> list[str]:
    return [evidence.rule for evidence in result.evidence]


def test_the_helper_knows_the_luhn_digits() -> None:
    # known Luhn examples: 7992739871 -> 3, 4539 1488 0343 646 -> 7
    assert (luhn_digit("7992739871"), luhn_digit("453914880343646")) == ("3", "7")


def test_the_plugin_is_listed_after_the_built_in_matchers(plugin: None) -> None:
    assert [matcher.name for matcher in load_matchers()] == [
        "ids",
        "references",
        "party",
        "check_digit",
    ]
    assert [matcher.name for matcher in load_matchers(plugins=False)] == [
        "ids",
        "references",
        "party",
    ]


def test_a_right_check_digit_assigns_the_order(plugin: None) -> None:
    (result,) = match([payment(f"Bestellung {ORDER}-{RIGHT}")], items(), as_of=AS_OF)
    assert result.status is MatchStatus.ASSIGNED
    assert [(a.item, str(a.amount.amount), a.rule) for a in result.allocations] == [
        (ORDER, "59.90", "check_digit")
    ]
    (clue,) = [evidence for evidence in result.evidence if evidence.rule == "check_digit"]
    quoted = f"{ORDER}-{RIGHT}"
    assert clue.detail == f"{quoted} in remittance_info is {ORDER} with its check digit {RIGHT}"
    assert str(clue.weight) == "0.95"


def test_the_check_digit_is_read_in_any_case(plugin: None) -> None:
    (result,) = match([payment(f"au-2026-00017-{RIGHT} danke")], items(), as_of=AS_OF)
    assert [(a.item, a.rule) for a in result.allocations] == [(ORDER, "check_digit")]


def test_without_the_plugin_a_part_payment_quoting_it_is_not_assigned(plugin: None) -> None:
    text = f"Anzahlung {ORDER}-{RIGHT}"
    (with_plugin,) = match([payment(text, "20.00")], items(), as_of=AS_OF)
    assert with_plugin.status is MatchStatus.ASSIGNED
    assert [(a.item, str(a.amount.amount), a.rule) for a in with_plugin.allocations] == [
        (ORDER, "20.00", "check_digit")
    ]
    built_ins = load_matchers(plugins=False)
    (without,) = match([payment(text, "20.00")], items(), as_of=AS_OF, matchers=built_ins)
    assert without.status is MatchStatus.SUGGESTED
    assert without.allocations == ()
    assert "check_digit" not in rules(without)
    # the built-in references matcher takes the token for a number one typo away, no more
    assert [plan.items for plan in without.suggestions] == [(ORDER,)]
    assert rules(without)[0] == "reference.typo"


def test_without_the_plugin_an_exact_payment_rests_on_the_weaker_typo_rule(plugin: None) -> None:
    # a typo with the right amount clears the threshold by design (see paymatch.matching.config)
    text = f"Bestellung {ORDER}-{RIGHT}"
    (with_plugin,) = match([payment(text)], items(), as_of=AS_OF)
    built_ins = load_matchers(plugins=False)
    (without,) = match([payment(text)], items(), as_of=AS_OF, matchers=built_ins)
    assert [(a.item, a.rule) for a in without.allocations] == [(ORDER, "reference.typo")]
    assert "check_digit" not in rules(without)
    assert without.confidence < with_plugin.confidence


def test_a_wrong_check_digit_gives_no_clue_and_no_assignment(plugin: None) -> None:
    (check_digit,) = [m for m in load_matchers() if m.name == "check_digit"]
    index = ItemIndex(items())
    assert list(check_digit.clues(payment(f"{ORDER}-{WRONG}"), index)) == []
    assert len(list(check_digit.clues(payment(f"{ORDER}-{RIGHT}"), index))) == 1
    (result,) = match([payment(f"Anzahlung {ORDER}-{WRONG}", "20.00")], items(), as_of=AS_OF)
    assert result.status is not MatchStatus.ASSIGNED
    assert result.allocations == ()
    assert "check_digit" not in rules(result)


def test_a_paid_order_gives_no_clue(plugin: None) -> None:
    first = payment(f"{ORDER}-{RIGHT}")
    again = Movement(
        account="DE89370400440532013000",
        amount=to_money("59.90", "EUR"),
        booking_date=dt.date(2026, 3, 3),
        booking_type=BookingType.INCOMING,
        remittance_info=f"{ORDER}-{RIGHT}",
    )
    paid, twice = match([first, again], items(), as_of=AS_OF)
    assert paid.status is MatchStatus.ASSIGNED
    assert twice.status is not MatchStatus.ASSIGNED
    assert "check_digit" not in rules(twice)


def test_the_configuration_disables_the_plugin(plugin: None) -> None:
    config = MatchConfig(disabled_matchers=("check_digit",))
    assert [matcher.name for matcher in load_matchers(config)] == ["ids", "references", "party"]
    (result,) = match(
        [payment(f"Anzahlung {ORDER}-{RIGHT}", "20.00")], items(), as_of=AS_OF, config=config
    )
    assert result.status is MatchStatus.SUGGESTED
    assert "check_digit" not in rules(result)


BROKEN = textwrap.dedent(
    """\
    class NoClues:
        name = "no_clues"

    class Ids:
        name = "ids"

        def clues(self, movement, index):
            return ()

    class Failing:
        def __init__(self):
            raise RuntimeError("no licence key")
    """
)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "missing = paymatch_test_missing:Matcher",
            "plugin 'missing' (paymatch_test_missing:Matcher) in group 'paymatch.matchers' "
            "failed to import: ModuleNotFoundError(",
        ),
        (
            "no_clues = paymatch_test_broken:NoClues",
            "plugin 'no_clues' (paymatch_test_broken:NoClues) in group 'paymatch.matchers' "
            "is not a matcher: it lacks a clues() method",
        ),
        (
            "ids = paymatch_test_broken:Ids",
            "plugin matcher 'ids' has the name of another matcher",
        ),
        (
            "failing = paymatch_test_broken:Failing",
            "plugin 'failing' (paymatch_test_broken:Failing) in group 'paymatch.matchers' "
            "failed to create its matcher: RuntimeError('no licence key')",
        ),
    ],
)
def test_a_broken_plugin_is_named_in_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, message: str
) -> None:
    (tmp_path / "paymatch_test_broken.py").write_text(BROKEN, encoding="utf-8")
    install_matchers(tmp_path, monkeypatch, entry)
    with pytest.raises(MatcherPluginError) as caught:
        load_matchers()
    assert str(caught.value).startswith(message)
    with pytest.raises(MatcherPluginError):
        match([payment(f"{ORDER}-{RIGHT}")], items(), as_of=AS_OF)


CLASS_NAMED = textwrap.dedent(
    """\
    class Named:
        name = "named"

        def clues(self, movement, index):
            return ()
    """
)


def test_an_entry_point_naming_a_class_with_a_class_attribute_name_is_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "paymatch_test_named.py").write_text(CLASS_NAMED, encoding="utf-8")
    install_matchers(tmp_path, monkeypatch, "named = paymatch_test_named:Named")
    named = load_matchers()[-1]
    assert named.name == "named"
    assert not isinstance(named, type)


def test_a_broken_plugin_does_not_matter_without_plugins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_matchers(tmp_path, monkeypatch, "missing = paymatch_test_missing:Matcher")
    assert [matcher.name for matcher in load_matchers(plugins=False)] == [
        "ids",
        "references",
        "party",
    ]
