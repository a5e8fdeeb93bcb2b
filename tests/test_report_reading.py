"""Reading a match report back into a ledger: what the engine decided, booked again."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from paymatch.errors import InvalidValueError
from paymatch.ledger import Ledger
from paymatch.matching import match, read_open_items
from paymatch.matching.report_reading import ledger_from_report
from paymatch.model import ItemTarget, Origin, WriteOff
from paymatch.parsers import parse

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"
AT = dt.datetime(2026, 3, 31, 18, 0, tzinfo=dt.UTC)


def _example() -> tuple[dict[str, object], tuple[object, ...], Ledger]:
    movements = [
        movement
        for name in ("statement.camt053.xml", "statement.mt940")
        for statement in parse((EXAMPLES / name).read_bytes(), filename=name).statements
        for movement in statement.movements
    ]
    items = read_open_items((EXAMPLES / "open_items.json").read_bytes(), source="open_items.json")
    report = match(movements, items, as_of=dt.date(2026, 3, 31))
    applied = Ledger(movements, items)
    report.apply(applied, at=AT)
    document = json.loads(json.dumps(report.to_json()))
    return document, items, applied


def test_the_report_books_the_same_allocations_as_applying_the_report() -> None:
    document, items, applied = _example()

    restored = ledger_from_report(document, items, at=AT)

    assert restored.movements == applied.movements
    assert restored.allocations == applied.allocations  # same targets, amounts, origin, evidence
    kinds = {type(a.target) for a in restored.allocations}
    assert kinds == {ItemTarget, WriteOff}  # the example has a cash discount
    assert {a.origin for a in restored.allocations} == {Origin.AUTOMATIC}


def test_suggestions_are_not_booked() -> None:
    document, items, _ = _example()
    restored = ledger_from_report(document, items, at=AT)
    suggested = [r for r in document["results"] if r["status"] == "suggested"]  # type: ignore[index,union-attr]
    assert suggested
    for result in suggested:
        assert restored.allocations_of(result["movement"]["movement_id"]) == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("results"), r"^\$\.results: is required but missing"),
        (
            lambda d: d["results"][0]["allocations"][0].update(amount=119),
            r"^\$\.results\[0\]\.allocations\[0\]\.amount: must be a string",
        ),
        (
            lambda d: d["results"][0]["allocations"][0].pop("item"),
            r"^\$\.results\[0\]\.allocations\[0\]\.item: is required",
        ),
        (
            lambda d: d["results"][3]["write_offs"][0].update(reason="gift"),
            r"^\$\.results\[3\]\.write_offs\[0\]\.reason: must be one of",
        ),
        (
            lambda d: d["results"][1]["movement"].update(amount=2.5),
            r"^\$\.results\[1\]\.movement\.amount: ",
        ),
        (
            lambda d: d["results"][2].update(evidence={}),
            r"^\$\.results\[2\]\.evidence: must be a list",
        ),
    ],
)
def test_a_bad_report_names_the_json_path(change: object, message: str) -> None:
    document, items, _ = _example()
    broken = copy.deepcopy(document)
    change(broken)  # type: ignore[operator]
    with pytest.raises(InvalidValueError, match=message):
        ledger_from_report(broken, items, at=AT)
