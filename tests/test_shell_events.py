"""Event listeners from the entry-point group ``paymatch.events``, checked when loaded."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from paymatch.errors import EventPluginError
from paymatch.model import OpenItem, to_money
from paymatch.shell.events import ItemPaid, load_listeners, tell
from tests.entry_points import install_entry_points

MODULE = '''
TOLD = []


class Push:
    """Pushes the paid status to the shops (here: remembers it)."""

    def item_paid(self, event):
        TOLD.append(event.item.number)


class Broken:
    def item_paid(self, event):
        raise ConnectionError("shop API down")


class Mute:
    pass
'''


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "paymatch_test_events.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "paymatch_test_events", raising=False)
    return tmp_path


def event() -> ItemPaid:
    item = OpenItem(number="RE-1008", amount=to_money("238.00", "EUR"))
    return ItemPaid(item, dt.datetime(2026, 11, 24, 5, 30, tzinfo=dt.UTC))


def test_installed_listeners_are_told(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_entry_points(
        module,
        monkeypatch,
        "paymatch.events",
        "push = paymatch_test_events:Push",
        "broken = paymatch_test_events:Broken",
    )
    listeners = load_listeners()
    assert [type(listener).__name__ for listener in listeners] == ["Push", "Broken"]
    failures = tell(listeners, event())
    assert failures == ["Broken: shop API down"]  # the others are told all the same
    told = sys.modules["paymatch_test_events"].TOLD
    assert told == ["RE-1008"]
    assert event().to_json()["number"] == "RE-1008"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("mute = paymatch_test_events:Mute", "has no item_paid"),
        ("gone = paymatch_test_events:Gone", "failed to import"),
    ],
)
def test_a_broken_listener_is_named(
    module: Path, monkeypatch: pytest.MonkeyPatch, entry: str, message: str
) -> None:
    install_entry_points(module, monkeypatch, "paymatch.events", entry)
    with pytest.raises(EventPluginError, match=message) as refused:
        load_listeners()
    assert entry.split(" = ")[0] in str(refused.value)
