"""The ledger: movements, open items and the allocations between them.

The ledger is the in-memory heart of the payment management ("Zahlungsverwaltung >
Kontobewegungen"): it takes movements and open items, records allocations made
by people or by the matching engine, and answers what is assigned, what is
still open, which folder a movement is in and which movements belong together.

Everything that can be derived is derived, never stored twice: a movement's
unassigned amount and assignment state and an item's open amount are computed
from the allocations. Every change passes the same checks, so these invariants
hold after any sequence of actions:

* the money allocated from a movement never exceeds the magnitude of its amount;
* an item's open amount stays between zero and the amount it was handed in with
  (money in lowers it, a refund or chargeback assigned to it raises it again);
* only completed movements take allocations, and automatic work neither
  assigns hidden movements nor removes a manual allocation.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs
from moneyed import Money

from paymatch.errors import (
    ConflictingItemError,
    ConflictingMovementError,
    DuplicateAllocationError,
    ManualAllocationProtectedError,
    NotAssignableError,
    NothingToUndoError,
    OverAllocationError,
    UnknownAllocationError,
    UnknownItemError,
    UnknownMovementError,
)
from paymatch.ledger.filters import Criterion
from paymatch.ledger.folders import AssignmentState, Folder
from paymatch.ledger.log_book import LogEntry
from paymatch.ledger.refund import RefundInstruction
from paymatch.ledger.search import SearchIndex
from paymatch.model import (
    Allocation,
    AllocationTarget,
    Evidence,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    RefundTarget,
    Status,
)
from paymatch.model.money import decimal_text, require_same_currency, to_money

__all__ = ["ActionKind", "Ledger", "LedgerAction"]


class ActionKind(enum.StrEnum):
    """What a person or the engine did to the ledger; each can be undone."""

    ASSIGN = "assign"  # an allocation was added
    UNASSIGN = "unassign"  # an allocation was removed
    HIDE = "hide"  # a movement was hidden
    UNHIDE = "unhide"  # a movement was shown again
    COMMENT = "comment"  # a movement's internal comment was set or cleared


@attrs.frozen(kw_only=True)
class LedgerAction:
    """One step in the ledger's history, as ``Ledger.undo`` reverses it.

    ``allocation`` is the allocation added or removed; ``previous_comment``
    the comment a ``COMMENT`` action replaced.
    """

    kind: ActionKind
    movement_id: str
    allocation: Allocation | None = None
    previous_comment: str | None = None


class Ledger:
    """Movements, open items and allocations, with the payment management's views.

    >>> import datetime as dt
    >>> from paymatch.model import BookingType, ItemTarget, Movement, OpenItem, to_money
    >>> payment = Movement(account="DE89370400440532013000", amount=to_money("80.00", "EUR"),
    ...                    booking_date=dt.date(2026, 3, 2), booking_type=BookingType.INCOMING,
    ...                    transaction_id="TX-1")
    >>> ledger = Ledger([payment], [OpenItem(number="RE-1001", amount=to_money("100.00", "EUR"))])
    >>> at = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
    >>> ledger.assign(payment.movement_id, ItemTarget(number="RE-1001"), at=at).amount
    Money('80.00', 'EUR')
    >>> ledger.open_amount("RE-1001"), ledger.state(payment.movement_id).value
    (Money('20.00', 'EUR'), 'fully_assigned')
    """

    def __init__(
        self, movements: Iterable[Movement] = (), open_items: Iterable[OpenItem] = ()
    ) -> None:
        self._index = SearchIndex()
        self._rows: dict[str, int] = {}
        self._items: dict[str, OpenItem] = {}
        self._allocations: dict[str, Allocation] = {}
        self._of_movement: dict[str, dict[str, Allocation]] = {}
        self._to_item: dict[str, dict[str, Allocation]] = {}
        self._by_transaction_id: dict[str, set[str]] = {}
        self._by_reference: dict[str, set[str]] = {}
        self._history: list[LedgerAction] = []
        self._log: list[LogEntry] = []
        self.add_movements(movements)
        self.add_open_items(open_items)

    # -- movements and items -------------------------------------------------

    def add_movements(self, movements: Iterable[Movement]) -> tuple[Movement, ...]:
        """Add movements; return those that were new or completed a pending one.

        A movement whose id is already known is the same booking read again
        (an overlapping statement): it is skipped. A pending movement is
        replaced when the same id arrives in another status (the booking
        completed or failed), and a booked one when only its classification
        differs (booking type, transaction code: a newer parser knows better);
        comment and hidden flag are kept. The same id with other content raises
        :class:`ConflictingMovementError` before anything is added.
        """
        planned: dict[str, Movement] = {}
        for movement in movements:
            movement_id = movement.movement_id
            known = planned.get(movement_id) or self._known(movement_id)
            if known is None:
                planned[movement_id] = movement
                continue
            update = attrs.evolve(
                movement, hidden=known.hidden, internal_comment=known.internal_comment
            )
            if attrs.evolve(update, source=known.source) == known:
                continue  # the same booking read again
            differing = {
                field.name
                for field in attrs.fields(Movement)
                if field.name != "source"
                and getattr(update, field.name) != getattr(known, field.name)
            }
            if known.status is Status.PENDING or differing <= _CLASSIFICATION:
                # The booking completed, failed or changed; or a newer parser classifies it
                # better. Allocations stay: they depend on the money, which is the same.
                planned[movement_id] = update
            elif movement.status is not Status.PENDING:  # else: an older view of a booked one
                raise ConflictingMovementError(
                    f"movement {movement_id!r} is already in the ledger with other content "
                    f"({', '.join(sorted(differing))} differ); the source must not re-use its ids"
                )
        for movement_id, movement in planned.items():
            row = self._rows.get(movement_id)
            if row is None:
                self._rows[movement_id] = self._index.append(movement_id, movement)
            else:
                self._unlink(movement_id, self._index.movements[row])
                self._index.replace(row, movement)
            self._link(movement_id, movement)
        self._index.refresh()
        return tuple(planned.values())

    def add_open_items(self, items: Iterable[OpenItem]) -> tuple[OpenItem, ...]:
        """Add open items; return the new ones. A known number with other content is refused."""
        planned: dict[str, OpenItem] = {}
        for item in items:
            known = planned.get(item.number) or self._items.get(item.number)
            if known is None:
                planned[item.number] = item
            elif known != item:
                raise ConflictingItemError(
                    f"open item {item.number!r} is already in the ledger with other content"
                )
        self._items.update(planned)
        return tuple(planned.values())

    def movement(self, movement_id: str) -> Movement:
        """The movement with this id, as the ledger has it now (comment, hidden flag)."""
        known = self._known(movement_id)
        if known is None:
            raise UnknownMovementError(f"no movement {movement_id!r} in the ledger")
        return known

    def item(self, number: str) -> OpenItem:
        """The open item with this number."""
        try:
            return self._items[number]
        except KeyError:
            raise UnknownItemError(f"no open item {number!r} in the ledger") from None

    @property
    def movements(self) -> tuple[Movement, ...]:
        """Every movement, in the order it was added."""
        return tuple(self._index.movements)

    @property
    def open_items(self) -> tuple[OpenItem, ...]:
        """Every open item, in the order it was added (fully paid ones included)."""
        return tuple(self._items.values())

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        """Every allocation, in the order it was made (``made_at``; ties as added)."""
        return _in_order(self._allocations.values())

    def allocations_of(self, movement_id: str) -> tuple[Allocation, ...]:
        """The allocations of one movement's money (and write-offs it caused), in order made."""
        self.movement(movement_id)
        return _in_order(self._of_movement.get(movement_id, {}).values())

    def allocations_to(self, number: str) -> tuple[Allocation, ...]:
        """The allocations and write-offs touching one open item, in the order made."""
        self.item(number)
        return _in_order(self._to_item.get(number, {}).values())

    # -- derived amounts and states ------------------------------------------

    def assigned_amount(self, movement_id: str) -> Money:
        """How much of the movement's money is allocated (positive)."""
        movement = self.movement(movement_id)
        total = Money(0, movement.currency)
        for allocation in self._of_movement.get(movement_id, {}).values():
            if allocation.target.uses_movement_money:
                total += allocation.amount
        return total

    def unassigned_amount(self, movement_id: str) -> Money:
        """How much of the movement's money is not yet allocated (positive, or zero)."""
        movement = self.movement(movement_id)
        return abs(movement.amount) - self.assigned_amount(movement_id)

    def open_amount(self, number: str) -> Money:
        """What is still owed on the item after every allocation and write-off."""
        item = self.item(number)
        total = item.amount
        for allocation in self._to_item.get(number, {}).values():
            total += self._effect_on_item(allocation)
        return total

    def state(self, movement_id: str) -> AssignmentState:
        """Whether the movement is unassigned, partly or fully assigned."""
        assigned = self.assigned_amount(movement_id)
        if assigned.amount == 0:
            return AssignmentState.UNASSIGNED
        if assigned == abs(self.movement(movement_id).amount):
            return AssignmentState.FULLY_ASSIGNED
        return AssignmentState.PARTLY_ASSIGNED

    def folders_of(self, movement_id: str) -> frozenset[Folder]:
        """The folders the movement appears in (see :class:`Folder`)."""
        movement = self.movement(movement_id)
        if movement.hidden:
            return frozenset({Folder.HIDDEN})
        if movement.status is Status.PENDING:
            return frozenset({Folder.PENDING})
        if movement.status is not Status.COMPLETED:
            return frozenset({Folder.FAILED})
        state = self.state(movement_id)
        if state is AssignmentState.FULLY_ASSIGNED:
            return frozenset({Folder.FULLY_ASSIGNED})
        if state is AssignmentState.PARTLY_ASSIGNED:
            return frozenset({Folder.NOT_ASSIGNED, Folder.PARTLY_ASSIGNED})
        return frozenset({Folder.NOT_ASSIGNED})

    def folder(self, folder: Folder, criterion: Criterion | None = None) -> list[Movement]:
        """The movements in one folder, optionally narrowed by a filter, in the order added."""
        rows = self._select(criterion)
        ids, movements = self._index.ids, self._index.movements
        return [
            movements[row]
            for row in rows
            if folder in self._folders_of_row(ids[row], movements[row])
        ]

    def find(self, criterion: Criterion) -> list[Movement]:
        """The movements that meet ``criterion``, in the order they were added."""
        movements = self._index.movements
        return [movements[row] for row in self._select(criterion)]

    def related(self, movement_id: str) -> tuple[Movement, ...]:
        """The movements that belong with this one ("Zusammenhängende Bewegungen").

        Fees, refunds and chargebacks name the movement they belong to in
        ``reference_transaction_id``; links are followed in both directions and
        along chains (a chargeback's fee belongs to the payment too). The
        movement itself is not included.
        """
        start = self.movement(movement_id)
        seen = {movement_id}
        queue = deque([start])
        found: list[str] = []
        while queue:
            movement = queue.popleft()
            neighbours: set[str] = set()
            if movement.reference_transaction_id is not None:
                neighbours |= self._by_transaction_id.get(movement.reference_transaction_id, set())
            if movement.transaction_id is not None:
                neighbours |= self._by_reference.get(movement.transaction_id, set())
            for neighbour in sorted(neighbours - seen, key=self._rows.__getitem__):
                seen.add(neighbour)
                found.append(neighbour)
                queue.append(self.movement(neighbour))
        return tuple(
            self.movement(found_id) for found_id in sorted(found, key=self._rows.__getitem__)
        )

    # -- actions -------------------------------------------------------------

    def assign(
        self,
        movement_id: str,
        target: AllocationTarget,
        amount: Money | Decimal | int | str | None = None,
        *,
        at: dt.datetime,
        origin: Origin = Origin.MANUAL,
        evidence: Iterable[Evidence] = (),
    ) -> Allocation:
        """Allocate ``amount`` of a movement to ``target`` and return the allocation.

        Without ``amount``, as much as fits: the movement's unassigned money,
        limited by what the item can take. ``at`` is when the allocation is
        made (the core reads no clock). Raises a :class:`LedgerError` and
        changes nothing if the allocation would break an invariant.
        """
        movement = self.movement(movement_id)
        self._check_assignable(movement_id, movement, origin)
        if amount is None:
            money = self._room(movement_id, movement, target)
        else:
            money = self._as_money(movement, amount)
        allocation = Allocation(
            movement_id=movement_id,
            target=target,
            amount=money,
            origin=origin,
            made_at=at,
            evidence=tuple(evidence),
        )
        self._admit(allocation)
        self._store(allocation)
        self._history.append(
            LedgerAction(kind=ActionKind.ASSIGN, movement_id=movement_id, allocation=allocation)
        )
        return allocation

    def unassign(self, allocation_id: str, *, origin: Origin = Origin.MANUAL) -> Allocation:
        """Remove an allocation and return it; automatic work may not remove a manual one."""
        allocation = self._allocations.get(allocation_id)
        if allocation is None:
            raise UnknownAllocationError(f"no allocation {allocation_id!r} in the ledger")
        if origin is Origin.AUTOMATIC and allocation.origin is Origin.MANUAL:
            raise ManualAllocationProtectedError(
                f"allocation {allocation_id!r} ({allocation.target}) was made by a person; "
                "automatic work may not remove it"
            )
        self._check_removal(allocation)
        self._discard(allocation)
        self._history.append(
            LedgerAction(
                kind=ActionKind.UNASSIGN, movement_id=allocation.movement_id, allocation=allocation
            )
        )
        return allocation

    def hide(self, movement_id: str) -> None:
        """Hide a movement: it moves to ``HIDDEN`` and is never assigned automatically."""
        self._set_hidden(movement_id, hidden=True)

    def unhide(self, movement_id: str) -> None:
        """Show a hidden movement again in its folder."""
        self._set_hidden(movement_id, hidden=False)

    def comment(self, movement_id: str, text: str | None) -> None:
        """Set (or with ``None`` clear) the movement's internal comment."""
        movement = self.movement(movement_id)
        self._replace(movement_id, attrs.evolve(movement, internal_comment=text))
        self._history.append(
            LedgerAction(
                kind=ActionKind.COMMENT,
                movement_id=movement_id,
                previous_comment=movement.internal_comment,
            )
        )

    def undo(self) -> LedgerAction:
        """Reverse the last action (assign, unassign, hide, unhide, comment) and return it.

        Raises :class:`NothingToUndoError` when there is none. If reversing it
        would break an invariant (an item paid again since), it raises and the
        action stays the last one.
        """
        if not self._history:
            raise NothingToUndoError("there is no action to undo")
        action = self._history[-1]
        if action.kind is ActionKind.ASSIGN:
            assert action.allocation is not None
            self._check_removal(action.allocation)
            self._discard(action.allocation)
        elif action.kind is ActionKind.UNASSIGN:
            assert action.allocation is not None
            self._admit(action.allocation, restoring=True)
            self._store(action.allocation)
        elif action.kind is ActionKind.COMMENT:
            movement = self.movement(action.movement_id)
            self._replace(
                action.movement_id, attrs.evolve(movement, internal_comment=action.previous_comment)
            )
        else:
            movement = self.movement(action.movement_id)
            hidden = action.kind is ActionKind.UNHIDE
            self._replace(action.movement_id, attrs.evolve(movement, hidden=hidden))
        self._history.pop()
        return action

    @property
    def history(self) -> tuple[LedgerAction, ...]:
        """The actions that can still be undone, oldest first."""
        return tuple(self._history)

    def refund_rest(
        self,
        movement_id: str,
        *,
        at: dt.datetime,
        amount: Money | Decimal | int | str | None = None,
    ) -> RefundInstruction:
        """Refund the unassigned rest of an incoming payment (or ``amount`` of it).

        The refunded money is recorded as allocated to the refund, so the
        movement becomes fully assigned and the rest cannot be refunded twice;
        ``undo`` takes it back. Raises :class:`OverAllocationError` for more
        than what is left and :class:`NotAssignableError` for anything but a
        completed incoming payment.
        """
        movement = self.movement(movement_id)
        self._check_assignable(movement_id, movement, Origin.MANUAL)
        _check_refundable(movement_id, movement)
        rest = self.unassigned_amount(movement_id)
        money = rest if amount is None else self._as_money(movement, amount)
        if money.amount <= 0 or money > rest:
            raise OverAllocationError(
                f"movement {movement_id!r} has {_shown(rest)} unassigned; "
                f"cannot refund {_shown(money)}"
            )
        digest = hashlib.sha256(
            "\x1f".join((movement_id, format(money.amount, "f"), at.isoformat())).encode()
        ).hexdigest()[:16]
        end_to_end_id = f"REFUND-{digest.upper()}"
        self.assign(
            movement_id,
            RefundTarget(end_to_end_id=end_to_end_id),
            money,
            at=at,
            origin=Origin.MANUAL,
        )
        purpose = f"Refund of payment of {movement.booking_date.isoformat()}"
        if movement.remittance_info:
            purpose = f"{purpose}: {movement.remittance_info}"
        return RefundInstruction(
            movement_id=movement_id,
            amount=money,
            end_to_end_id=end_to_end_id,
            remittance_info=purpose[:140],  # SEPA unstructured remittance: at most 140 characters
            creditor_name=movement.counterparty.name,
            creditor_iban=movement.counterparty.iban,
            creditor_bic=movement.counterparty.bic,
        )

    # -- log book ------------------------------------------------------------

    def record(self, entry: LogEntry) -> None:
        """Add an entry to the log book."""
        self._log.append(entry)

    @property
    def log_book(self) -> tuple[LogEntry, ...]:
        """The log book, oldest entry first."""
        return tuple(self._log)

    # -- internals -----------------------------------------------------------

    def _known(self, movement_id: str) -> Movement | None:
        row = self._rows.get(movement_id)
        return None if row is None else self._index.movements[row]

    def _replace(self, movement_id: str, movement: Movement) -> None:
        self._index.replace(self._rows[movement_id], movement)

    def _link(self, movement_id: str, movement: Movement) -> None:
        if movement.transaction_id is not None:
            self._by_transaction_id.setdefault(movement.transaction_id, set()).add(movement_id)
        if movement.reference_transaction_id is not None:
            self._by_reference.setdefault(movement.reference_transaction_id, set()).add(movement_id)

    def _unlink(self, movement_id: str, movement: Movement) -> None:
        if movement.transaction_id is not None:
            self._by_transaction_id[movement.transaction_id].discard(movement_id)
        if movement.reference_transaction_id is not None:
            self._by_reference[movement.reference_transaction_id].discard(movement_id)

    def _set_hidden(self, movement_id: str, *, hidden: bool) -> None:
        movement = self.movement(movement_id)
        if movement.hidden is hidden:
            return
        self._replace(movement_id, attrs.evolve(movement, hidden=hidden))
        kind = ActionKind.HIDE if hidden else ActionKind.UNHIDE
        self._history.append(LedgerAction(kind=kind, movement_id=movement_id))

    def _select(self, criterion: Criterion | None) -> Iterable[int]:
        if criterion is None:
            return range(len(self._index))
        return criterion.narrow(self._index, None)

    def _folders_of_row(self, movement_id: str, movement: Movement) -> frozenset[Folder]:
        if (
            movement.hidden
            or movement.status is not Status.COMPLETED
            or (movement_id in self._of_movement)
        ):
            return self.folders_of(movement_id)
        return _UNASSIGNED  # the common case, without summing allocations

    def _as_money(self, movement: Movement, amount: Money | Decimal | int | str) -> Money:
        if isinstance(amount, Money):
            require_same_currency("amount", movement.amount, amount)
            return amount
        return to_money(amount, movement.currency)

    def _effect_on_item(self, allocation: Allocation) -> Money:
        """How the allocation changes its item's open amount (negative: lowers it)."""
        target = allocation.target
        if (
            isinstance(target, ItemTarget)
            and self.movement(allocation.movement_id).amount.amount < 0
        ):
            return allocation.amount  # a refund or chargeback assigned to the item reopens it
        return -allocation.amount

    def _room(self, movement_id: str, movement: Movement, target: AllocationTarget) -> Money:
        """The largest amount ``target`` can take from the movement."""
        candidates = []
        if target.uses_movement_money:
            candidates.append(self.unassigned_amount(movement_id))
        if target.item is not None:
            open_amount = self.open_amount(target.item)
            require_same_currency(f"item {target.item!r}", movement.amount, open_amount)
            reopening = isinstance(target, ItemTarget) and movement.amount.amount < 0
            candidates.append(
                self.item(target.item).amount - open_amount if reopening else open_amount
            )
        room = min(candidates, key=lambda money: money.amount)
        if room.amount <= 0:
            raise OverAllocationError(
                f"nothing left to allocate from movement {movement_id!r} to {target}"
            )
        return room

    def _check_assignable(
        self, movement_id: str, movement: Movement, origin: Origin, *, restoring: bool = False
    ) -> None:
        """Raise unless the movement may take an allocation at all (its status, hidden flag).

        Restoring an allocation by ``undo`` is a person's act, not automatic
        work, so it may put an automatic allocation back on a hidden movement.
        """
        if movement.status is not Status.COMPLETED:
            raise NotAssignableError(
                f"movement {movement_id!r} is {movement.status.value}; "
                "only completed movements can be assigned"
            )
        if movement.hidden and origin is Origin.AUTOMATIC and not restoring:
            raise NotAssignableError(
                f"movement {movement_id!r} is hidden; hidden movements are never assigned "
                "automatically"
            )

    def _admit(self, allocation: Allocation, *, restoring: bool = False) -> None:
        """Raise unless ``allocation`` can be added without breaking an invariant."""
        movement_id = allocation.movement_id
        movement = self.movement(movement_id)
        self._check_assignable(movement_id, movement, allocation.origin, restoring=restoring)
        require_same_currency("Allocation.amount", movement.amount, allocation.amount)
        if allocation.allocation_id in self._allocations:
            raise DuplicateAllocationError(
                f"allocation {allocation.allocation_id!r} is already in the ledger "
                "(same movement, target, amount and time)"
            )
        target = allocation.target
        if isinstance(target, RefundTarget):
            _check_refundable(movement_id, movement)
        if target.uses_movement_money:
            rest = self.unassigned_amount(movement_id)
            if allocation.amount > rest:
                raise OverAllocationError(
                    f"movement {movement_id!r} has {_shown(rest)} unassigned; cannot allocate "
                    f"{_shown(allocation.amount)} to {target}"
                )
        if target.item is not None:
            item = self.item(target.item)
            require_same_currency(f"item {item.number!r}", movement.amount, item.amount)
            self._check_item_bounds(item, self._effect_on_item(allocation))

    def _check_removal(self, allocation: Allocation) -> None:
        """Raise unless removing ``allocation`` keeps its item's open amount in bounds."""
        item = allocation.target.item
        if item is not None:
            self._check_item_bounds(self.item(item), -self._effect_on_item(allocation))

    def _check_item_bounds(self, item: OpenItem, change: Money) -> None:
        after = self.open_amount(item.number) + change
        if after.amount < 0:
            raise OverAllocationError(
                f"item {item.number!r} has {_shown(self.open_amount(item.number))} open; "
                f"cannot take {_shown(-change)} more"
            )
        if after > item.amount:
            raise OverAllocationError(
                f"item {item.number!r} would be open for {_shown(after)}, more than its amount "
                f"{_shown(item.amount)}: a refund or chargeback cannot reopen more than was paid"
            )

    def _store(self, allocation: Allocation) -> None:
        allocation_id = allocation.allocation_id
        self._allocations[allocation_id] = allocation
        self._of_movement.setdefault(allocation.movement_id, {})[allocation_id] = allocation
        item = allocation.target.item
        if item is not None:
            self._to_item.setdefault(item, {})[allocation_id] = allocation

    def _discard(self, allocation: Allocation) -> None:
        allocation_id = allocation.allocation_id
        del self._allocations[allocation_id]
        _remove_from(self._of_movement, allocation.movement_id, allocation_id)
        item = allocation.target.item
        if item is not None:
            _remove_from(self._to_item, item, allocation_id)

    def __iter__(self) -> Iterator[Movement]:
        return iter(self._index.movements)

    def __len__(self) -> int:
        return len(self._index)


_UNASSIGNED = frozenset({Folder.NOT_ASSIGNED})

#: What a parser derives rather than reads: a booked movement may arrive again with these changed.
_CLASSIFICATION = frozenset({"booking_type", "bank_transaction_code"})


def _shown(money: Money) -> str:
    """An amount as messages show it: ``60.00 EUR``, the same in every locale."""
    return f"{decimal_text(money.amount)} {money.currency.code}"


def _in_order(allocations: Iterable[Allocation]) -> tuple[Allocation, ...]:
    # An allocation restored by undo is added again last; its time puts it back in its place.
    return tuple(sorted(allocations, key=lambda allocation: allocation.made_at))


def _check_refundable(movement_id: str, movement: Movement) -> None:
    if movement.amount.amount <= 0:
        raise NotAssignableError(
            f"movement {movement_id!r} is not incoming money; only payments can be refunded"
        )


def _remove_from(index: dict[str, dict[str, Allocation]], key: str, allocation_id: str) -> None:
    entries = index[key]
    del entries[allocation_id]
    if not entries:
        del index[key]
