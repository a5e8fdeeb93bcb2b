"""Reading a match report back: contract 3 JSON and the open items -> the ledger it describes.

``paymatch export --report`` exports from a report written earlier
(``paymatch match --output json`` or ``reconcile``'s ``match-report.json``): its
movements go into a ledger with the open items, and every automatic
assignment and write-off in it is booked again, so the posting rules see what
the engine decided. Suggestions are proposals and are not booked.

A value that is missing or of the wrong type is an
:class:`~paymatch.errors.InvalidValueError` naming its JSON path
(``$.results[3].allocations[0].amount``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from moneyed import Money

from paymatch.errors import InvalidValueError
from paymatch.ledger import Ledger
from paymatch.model import (
    Evidence,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    WriteOff,
    WriteOffReason,
)
from paymatch.model.money import to_money
from paymatch.wire import movement_from_json

__all__ = ["ledger_from_report"]


def ledger_from_report(
    document: object, open_items: Iterable[OpenItem], *, at: dt.datetime
) -> Ledger:
    """A ledger with the report's movements and ``open_items``, its decisions booked at ``at``."""
    results = _list(_field(_mapping(document, "$"), "results", "$"), "$.results")
    entries = [_mapping(entry, f"$.results[{n}]") for n, entry in enumerate(results)]
    movements = [_movement(entry, f"$.results[{n}]") for n, entry in enumerate(entries)]
    ledger = Ledger(movements, open_items)
    for n, (entry, movement) in enumerate(zip(entries, movements, strict=True)):
        where = f"$.results[{n}]"
        evidence = tuple(_evidence(entry, where))
        for target, amount in _decisions(entry, where):
            ledger.assign(
                movement.movement_id,
                target,
                amount,
                at=at,
                origin=Origin.AUTOMATIC,
                evidence=evidence,
            )
    return ledger


def _movement(entry: Mapping[str, object], where: str) -> Movement:
    try:
        return movement_from_json(_field(entry, "movement", where))
    except InvalidValueError as error:
        raise InvalidValueError(f"{where}.movement{error.field[1:]}", error.reason) from None


def _decisions(
    entry: Mapping[str, object], where: str
) -> Iterable[tuple[ItemTarget | WriteOff, Money]]:
    for n, value in enumerate(_list(entry.get("allocations", []), f"{where}.allocations")):
        path = f"{where}.allocations[{n}]"
        assignment = _mapping(value, path)
        yield ItemTarget(number=_text(assignment, "item", path)), _amount(assignment, path)
    for n, value in enumerate(_list(entry.get("write_offs", []), f"{where}.write_offs")):
        path = f"{where}.write_offs[{n}]"
        write_off = _mapping(value, path)
        reason = _text(write_off, "reason", path)
        try:
            target = WriteOff(reason=WriteOffReason(reason), item=_text(write_off, "item", path))
        except ValueError:
            allowed = ", ".join(member.value for member in WriteOffReason)
            raise InvalidValueError(
                f"{path}.reason", f"must be one of {allowed}, got {reason!r}"
            ) from None
        yield target, _amount(write_off, path)


def _evidence(entry: Mapping[str, object], where: str) -> Iterable[Evidence]:
    for n, value in enumerate(_list(entry.get("evidence", []), f"{where}.evidence")):
        path = f"{where}.evidence[{n}]"
        item = _mapping(value, path)
        try:
            yield Evidence(
                rule=_text(item, "rule", path),
                detail=_text(item, "detail", path),
                weight=_text(item, "weight", path),
            )
        except InvalidValueError as error:
            raise InvalidValueError(f"{path}.weight", error.reason) from None


def _amount(value: Mapping[str, object], path: str) -> Money:
    try:
        return to_money(_text(value, "amount", path), _text(value, "currency", path))
    except InvalidValueError as error:
        raise InvalidValueError(f"{path}.amount", error.reason) from None


def _field(value: Mapping[str, object], key: str, path: str) -> object:
    if key not in value:
        raise InvalidValueError(f"{path}.{key}", "is required but missing")
    return value[key]


def _text(value: Mapping[str, object], key: str, path: str) -> str:
    text = _field(value, key, path)
    if not isinstance(text, str):
        raise InvalidValueError(f"{path}.{key}", f"must be a string, got {text!r}")
    return text


def _mapping(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InvalidValueError(path, f"must be an object, got {type(value).__name__}")
    return value


def _list(value: object, path: str) -> Sequence[object]:
    if not isinstance(value, list):
        raise InvalidValueError(path, f"must be a list, got {type(value).__name__}")
    return value
