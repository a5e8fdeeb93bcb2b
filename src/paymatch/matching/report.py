"""What the engine decided: one result per movement, and the report that holds them.

A :class:`MatchResult` says what became of one movement (its
:class:`MatchStatus`), the money it put on open items (``allocations``: only
what was assigned automatically), the write-offs that close items without
money (cash discount, a tolerated fee), what stays unassigned, how sure the
engine is, the evidence, ranked suggestions when it did not decide alone, and
for chargebacks, refunds and fees the payment they belong to.

:meth:`MatchReport.to_json` is DESIGN.md contract 3 (``paymatch match --output
json``); :meth:`MatchReport.apply` books the automatic decisions into a
:class:`~paymatch.ledger.Ledger`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import attrs
from moneyed import Money

from paymatch.errors import LedgerError
from paymatch.ledger import Ledger
from paymatch.model import (
    Allocation,
    Evidence,
    ItemTarget,
    Movement,
    Origin,
    WriteOff,
    WriteOffReason,
)
from paymatch.model.money import decimal_text
from paymatch.wire import movement_to_json

__all__ = ["Assignment", "ItemWriteOff", "MatchReport", "MatchResult", "MatchStatus", "Plan"]


class MatchStatus(enum.StrEnum):
    """What the engine did with a movement."""

    ASSIGNED = "assigned"  # all of its money put on open items (and write-offs) automatically
    PARTIALLY_ASSIGNED = "partially_assigned"  # assigned, with a rest left unassigned
    SUGGESTED = "suggested"  # a likely plan, not sure enough to assign alone
    AMBIGUOUS = "ambiguous"  # two plans fit about equally well; a person must choose
    UNMATCHED = "unmatched"  # nothing fits well enough to suggest
    NOT_APPLICABLE = "not_applicable"  # not a payment for open items (or not to be touched)


@attrs.frozen(kw_only=True)
class Assignment:
    """Money of the movement put on an open item; ``rule`` names the strongest evidence."""

    item: str
    amount: Money
    rule: str

    def to_json(self) -> dict[str, object]:
        """``{"item", "amount", "currency", "rule"}``."""
        return {
            "item": self.item,
            "amount": decimal_text(self.amount.amount),
            "currency": str(self.amount.currency.code),
            "rule": self.rule,
        }


@attrs.frozen(kw_only=True)
class ItemWriteOff:
    """Part of an item's open amount closed without money, with the reason."""

    item: str
    amount: Money
    reason: WriteOffReason

    def to_json(self) -> dict[str, object]:
        """``{"item", "amount", "currency", "reason"}``."""
        return {
            "item": self.item,
            "amount": decimal_text(self.amount.amount),
            "currency": str(self.amount.currency.code),
            "reason": self.reason.value,
        }


def _evidence_json(evidence: tuple[Evidence, ...]) -> list[dict[str, object]]:
    return [
        {"rule": e.rule, "detail": e.detail, "weight": decimal_text(e.weight)} for e in evidence
    ]


@attrs.frozen(kw_only=True)
class Plan:
    """One way to explain a payment: which items it pays, how, and how well that fits.

    ``score`` is from 0 to 1 (see :mod:`paymatch.matching.config`);
    ``unassigned`` is the money the plan leaves on the movement.
    """

    items: tuple[str, ...]
    assignments: tuple[Assignment, ...]
    write_offs: tuple[ItemWriteOff, ...]
    unassigned: Money
    score: Decimal
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, object]:
        """A suggestion: ``{"items", "score", "allocations", "write_offs", ...}``."""
        return {
            "items": list(self.items),
            "score": decimal_text(self.score),
            "allocations": [a.to_json() for a in self.assignments],
            "write_offs": [w.to_json() for w in self.write_offs],
            "unassigned_amount": decimal_text(self.unassigned.amount),
            "evidence": _evidence_json(self.evidence),
        }


@attrs.frozen(kw_only=True)
class MatchResult:
    """The engine's decision about one movement (see the module docstring).

    ``reason`` says in words why the movement was not assigned (``None`` when
    it was); ``related_movement`` is the id of the payment a chargeback, refund
    or fee belongs to, where the engine found it.
    """

    movement: Movement
    status: MatchStatus
    allocations: tuple[Assignment, ...] = ()
    write_offs: tuple[ItemWriteOff, ...] = ()
    unassigned_amount: Money
    confidence: Decimal = Decimal(0)
    evidence: tuple[Evidence, ...] = ()
    suggestions: tuple[Plan, ...] = ()
    related_movement: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, object]:
        """One entry of contract 3's ``results``."""
        return {
            "movement": movement_to_json(self.movement),
            "status": self.status.value,
            "allocations": [a.to_json() for a in self.allocations],
            "write_offs": [w.to_json() for w in self.write_offs],
            "unassigned_amount": decimal_text(self.unassigned_amount.amount),
            "confidence": decimal_text(self.confidence),
            "evidence": _evidence_json(self.evidence),
            "suggestions": [plan.to_json() for plan in self.suggestions],
            "related_movement": self.related_movement,
            "reason": self.reason,
        }


@attrs.frozen(kw_only=True)
class MatchReport:
    """One :class:`MatchResult` per movement, in input order, and the date matched as of."""

    as_of: dt.date
    results: tuple[MatchResult, ...]

    def __iter__(self) -> Iterator[MatchResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def summary(self) -> dict[str, object]:
        """Counts per status and the money assigned, per currency."""
        counts = Counter(result.status.value for result in self.results)
        assigned: dict[str, Decimal] = {}
        for result in self.results:
            for allocation in result.allocations:
                code = str(allocation.amount.currency.code)
                assigned[code] = assigned.get(code, Decimal(0)) + allocation.amount.amount
        return {
            "as_of": self.as_of.isoformat(),
            "movements": len(self.results),
            "statuses": {status.value: counts.get(status.value, 0) for status in MatchStatus},
            "assigned_amount": {
                code: decimal_text(total) for code, total in sorted(assigned.items())
            },
        }

    def to_json(self) -> dict[str, object]:
        """DESIGN.md contract 3: ``{"results": [...], "summary": {...}}``."""
        return {"results": [r.to_json() for r in self.results], "summary": self.summary()}

    def apply(self, ledger: Ledger, *, at: dt.datetime) -> tuple[Allocation, ...]:
        """Book every automatic decision into ``ledger`` and return the new allocations.

        Each assignment becomes an automatic allocation to its item, each
        write-off a :class:`~paymatch.model.WriteOff` on its item, both with the
        result's evidence. The movements and items must be in the ledger. All or
        nothing: if the ledger refuses one (it changed since matching), the ones
        booked before it are undone and the :class:`~paymatch.errors.LedgerError`
        is raised.
        """
        booked: list[Allocation] = []
        try:
            for result in self.results:
                for target, amount in _targets(result):
                    booked.append(
                        ledger.assign(
                            result.movement.movement_id,
                            target,
                            amount,
                            at=at,
                            origin=Origin.AUTOMATIC,
                            evidence=result.evidence,
                        )
                    )
        except LedgerError:
            for _ in booked:
                ledger.undo()
            raise
        return tuple(booked)


def _targets(result: MatchResult) -> Iterator[tuple[ItemTarget | WriteOff, Money]]:
    """What ``result`` books: its assignments to items, then its write-offs on items."""
    for assignment in result.allocations:
        yield ItemTarget(number=assignment.item), assignment.amount
    for write_off in result.write_offs:
        yield WriteOff(reason=write_off.reason, item=write_off.item), write_off.amount
