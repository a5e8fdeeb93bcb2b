"""``paymatch.match``: movements x open items -> one decision per movement.

For each movement, in input order: is it a payment for open items at all
(:mod:`~paymatch.matching.applicability`)? If so, every matcher reports its
clues, the plans are built and scored (:mod:`~paymatch.matching.plans`) and the
decision is taken (:mod:`~paymatch.matching.decision`). What is assigned lowers
the items' open amounts for the movements after it, so two payments never
fill one item twice. The result is a deterministic function of the inputs: no
clock (``as_of`` is given), no randomness, ties broken by input order.

With a ``ledger`` the engine respects its state: items' open amounts come from
it, movements it holds allocations for are left alone, and the IBANs of
payments assigned by hand teach it who pays for which customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import cast

from paymatch.errors import InvalidValueError, MatcherPluginError, UnknownItemError
from paymatch.ledger import Ledger
from paymatch.matching.applicability import PaymentLinks, not_applicable_reason
from paymatch.matching.clues import Clue, Matcher
from paymatch.matching.config import MatchConfig
from paymatch.matching.decision import decide
from paymatch.matching.item_index import ItemIndex, customer_key
from paymatch.matching.plans import build_plans
from paymatch.matching.report import MatchReport, MatchResult, MatchStatus
from paymatch.matching.rules import built_in_matchers
from paymatch.model import ItemTarget, Movement, OpenItem, Origin
from paymatch.plugins import load_plugins

__all__ = ["ENTRY_POINT_GROUP", "learn_payers", "load_matchers", "match"]

#: The entry-point group third-party matchers register under.
ENTRY_POINT_GROUP = "paymatch.matchers"


def _check(matcher: object, origin: str) -> None:
    """Raise :class:`MatcherPluginError` unless ``matcher`` has a name and a ``clues`` method."""
    name = getattr(matcher, "name", None)
    if not isinstance(name, str) or not name.strip():
        raise MatcherPluginError(f"{origin} has no usable name: {name!r}")
    if not callable(getattr(matcher, "clues", None)):
        raise MatcherPluginError(f"{origin} is not a matcher: it lacks a clues() method")


def load_matchers(
    config: MatchConfig | None = None, *, plugins: bool = True
) -> tuple[Matcher, ...]:
    """The built-in matchers and the installed plugins, without the disabled ones.

    Plugins come after the built-ins, in entry-point order; a plugin named like
    a built-in is refused (it would make the evidence unreadable).
    """
    config = config or MatchConfig()
    found: list[Matcher] = list(built_in_matchers(config))
    if plugins:
        for plugin in load_plugins(
            ENTRY_POINT_GROUP,
            kind="matcher",
            is_plugin=lambda candidate: isinstance(candidate, Matcher),
            check=_check,
            error=MatcherPluginError,
        ):
            matcher = cast(Matcher, plugin)  # _check has passed
            if any(known.name == matcher.name for known in found):
                raise MatcherPluginError(
                    f"plugin matcher {matcher.name!r} has the name of another matcher"
                )
            found.append(matcher)
    return tuple(m for m in found if m.name not in config.disabled_matchers)


def learn_payers(ledger: Ledger) -> dict[str, str]:
    """Payer IBAN -> customer key, from the ledger's manual assignments to items.

    An IBAN that paid items of two customers by hand teaches nothing (it is
    left out), so a shared family or company account cannot mislead the engine.
    """
    seen: dict[str, set[str]] = {}
    for allocation in ledger.allocations:
        target = allocation.target
        if allocation.origin is not Origin.MANUAL or not isinstance(target, ItemTarget):
            continue
        iban = ledger.movement(allocation.movement_id).counterparty.iban
        customer = customer_key(ledger.item(target.number))
        if iban and customer:
            seen.setdefault(iban, set()).add(customer)
    return {iban: next(iter(c)) for iban, c in seen.items() if len(c) == 1}


def _open_amounts(items: Sequence[OpenItem], ledger: Ledger | None) -> dict[str, Decimal]:
    if ledger is None:
        return {}
    amounts: dict[str, Decimal] = {}
    for item in items:
        try:
            amounts[item.number] = ledger.open_amount(item.number).amount
        except UnknownItemError:
            continue
    return amounts


def match(
    movements: Iterable[Movement],
    open_items: Iterable[OpenItem],
    *,
    as_of: dt.date,
    config: MatchConfig | None = None,
    ledger: Ledger | None = None,
    payers: Mapping[str, str] | None = None,
    matchers: Sequence[Matcher] | None = None,
) -> MatchReport:
    """Decide for each movement what to assign, suggest or leave (DESIGN.md contract 0).

    ``payers`` maps payer IBANs to customer keys (customer numbers), learned
    from earlier manual assignments; with a ``ledger`` its manual assignments
    are learned too (:func:`learn_payers`; ``payers`` wins). ``matchers``
    replaces the built-ins and plugins (see :func:`load_matchers`).
    """
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise InvalidValueError("as_of", f"must be a date, got {as_of!r}")
    config = config or MatchConfig()
    movements = tuple(movements)
    items = tuple(open_items)
    known_payers = learn_payers(ledger) if ledger is not None else {}
    known_payers.update(payers or {})
    try:
        index = ItemIndex(items, open_amounts=_open_amounts(items, ledger), payers=known_payers)
    except ValueError as error:
        raise InvalidValueError("open_items", str(error)) from None
    rules = tuple(matchers) if matchers is not None else load_matchers(config)
    links = PaymentLinks([*movements, *(ledger.movements if ledger is not None else ())])
    results = [_result(m, index, rules, links, as_of, config, ledger) for m in movements]
    return MatchReport(as_of=as_of, results=tuple(results))


def _result(
    movement: Movement,
    index: ItemIndex,
    rules: Sequence[Matcher],
    links: PaymentLinks,
    as_of: dt.date,
    config: MatchConfig,
    ledger: Ledger | None,
) -> MatchResult:
    reason = not_applicable_reason(movement, as_of=as_of, ledger=ledger)
    if reason is not None:
        link = links.payment_of(movement)
        return MatchResult(
            movement=movement,
            status=MatchStatus.NOT_APPLICABLE,
            unassigned_amount=abs(movement.amount),
            evidence=(link[1],) if link else (),
            related_movement=link[0] if link else None,
            reason=reason,
        )
    clues: list[Clue] = []
    for rule in rules:
        clues.extend(rule.clues(movement, index))
    result = decide(movement, build_plans(movement, clues, index, config), config, clues)
    for assignment in result.allocations:
        index.settle(assignment.item, assignment.amount.amount)
    for write_off in result.write_offs:
        index.settle(write_off.item, write_off.amount.amount)
    return result
