"""The decision: assign alone, suggest, call it ambiguous, or leave it.

The engine assigns automatically only when the best plan scores at least the
threshold **and** beats its best rival by the margin. A rival is a plan that
pays an item the best plan does not touch; a plan that pays a part of the best
plan's items (a partial payment of one of two referenced invoices) explains the
same thing less well and is no rival. The lead is measured on the evidence that
tells the two apart (:func:`~paymatch.matching.plans.lead`): a clue supporting
both cannot decide between them. When it does not assign, the result says why
in words and lists the best plans as suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence

from paymatch.matching.clues import Clue
from paymatch.matching.config import MatchConfig
from paymatch.matching.plans import Draft, lead
from paymatch.matching.report import MatchResult, MatchStatus
from paymatch.model import Movement

__all__ = ["decide"]


def _rival(best: Draft, plans: Sequence[Draft]) -> Draft | None:
    """The best plan that pays an item ``best`` does not."""
    touched = set(best.items)
    for plan in plans:
        if plan is not best and not set(plan.items) <= touched:
            return plan
    return None


def _names(plan: Draft) -> str:
    return " + ".join(plan.items)


def decide(
    movement: Movement, plans: Sequence[Draft], config: MatchConfig, clues: Sequence[Clue] = ()
) -> MatchResult:
    """The result for ``movement`` given its plans, best first (see the module docstring).

    Without any plan, the against-evidence among ``clues`` is the result's
    evidence and reason: a payment quoting an item already paid may be paid twice.
    """
    unassigned = abs(movement.amount)
    if not plans:
        doubts = [clue for clue in clues if not clue.supports]
        reason = "no open item fits: no reference, known payer or matching amount"
        if doubts:
            reason = "no open item fits: " + "; ".join(clue.detail for clue in doubts)
        return MatchResult(
            movement=movement,
            status=MatchStatus.UNMATCHED,
            unassigned_amount=unassigned,
            evidence=tuple(clue.evidence() for clue in doubts),
            reason=reason,
        )
    best = plans[0]
    rival = _rival(best, plans)
    ahead = lead(best, rival) if rival is not None else best.score
    if best.score >= config.threshold and ahead >= config.margin:
        chosen = best.plan()
        rest = chosen.unassigned
        return MatchResult(
            movement=movement,
            status=MatchStatus.ASSIGNED if rest.amount == 0 else MatchStatus.PARTIALLY_ASSIGNED,
            allocations=chosen.assignments,
            write_offs=chosen.write_offs,
            unassigned_amount=rest,
            confidence=best.score,
            evidence=chosen.evidence,
        )
    likely = [draft for draft in plans if draft.score >= config.suggest_from]
    suggestions = tuple(draft.plan() for draft in likely[: config.max_suggestions])
    if best.score < config.suggest_from:
        return MatchResult(
            movement=movement,
            status=MatchStatus.UNMATCHED,
            unassigned_amount=unassigned,
            confidence=best.score,
            evidence=best.plan().evidence,
            reason=f"the best plan ({_names(best)}) scores {best.score}, below "
            f"{config.suggest_from}",
        )
    close = rival is not None and ahead < config.margin and rival.score >= config.suggest_from
    if close:
        assert rival is not None
        reason = (
            f"{_names(best)} ({best.score}) and {_names(rival)} ({rival.score}) fit about "
            f"equally well: the best leads by {ahead} on what tells them apart, "
            f"{config.margin} is needed"
        )
    else:
        reason = f"the best plan ({_names(best)}) scores {best.score}, below {config.threshold}"
    return MatchResult(
        movement=movement,
        status=MatchStatus.AMBIGUOUS if close else MatchStatus.SUGGESTED,
        unassigned_amount=unassigned,
        confidence=best.score,
        evidence=best.plan().evidence,
        suggestions=suggestions,
        reason=reason,
    )
