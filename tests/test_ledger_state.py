"""The ledger under random sequences of actions (a Hypothesis state machine).

The machine adds movements and open items, assigns manually and automatically
(to items, item write-offs, write-offs and chargebacks, with the default or a
chosen amount), unassigns, undoes, hides and unhides, comments, refunds the
rest, re-imports and completes pending movements — and after every step checks
the ledger's invariants.

Beside the ledger it keeps a *model*: the movements as the ledger should hold
them, the open items, the allocations and the stack of undoable actions. Before
each action the model says what must happen — which allocation with which
amount, or which error — and after it the ledger must agree. The invariants are
computed here from ``ledger.allocations``, ``ledger.movements`` and
``ledger.open_items``, not taken from the ledger's own derived answers, which
are checked against them. A refused action must raise the expected
:class:`~paymatch.errors.LedgerError` and leave every observable part of the
ledger as it was.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from moneyed import Money

from paymatch.errors import (
    ConflictingMovementError,
    CurrencyMismatchError,
    LedgerError,
    ManualAllocationProtectedError,
    NotAssignableError,
    NothingToUndoError,
    OverAllocationError,
    UnknownAllocationError,
)
from paymatch.ledger import ActionKind, AssignmentState, Folder, Ledger
from paymatch.model import (
    Allocation,
    AllocationTarget,
    BookingType,
    ChargebackTarget,
    Counterparty,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    RefundTarget,
    Status,
    WriteOff,
    WriteOffReason,
)

BANK = "DE89370400440532013000"
PAYER_IBANS = ["DE02120300000000202051", "AT611904300234573201", "NL91ABNA0417164300"]
START = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
CET = dt.timezone(dt.timedelta(hours=1))
CENT = Decimal("0.01")
DOLLAR_ITEM = "US-1"  # an item in another currency: assigning EUR to it must fail

# -- strategies ------------------------------------------------------------------------------

magnitudes = st.sampled_from(
    [Decimal(v) for v in ("0", "0.01", "5.00", "19.99", "50", "100.00", "120.50")]
) | st.decimals(min_value=Decimal("0.01"), max_value=Decimal("250"), places=2)
signs = st.sampled_from([1, 1, 1, -1])
statuses = st.sampled_from(
    [Status.COMPLETED] * 7 + [Status.PENDING, Status.PENDING, Status.FAILED, Status.CANCELLED]
)
movement_specs = st.fixed_dictionaries(
    {
        "magnitude": magnitudes,
        "sign": signs,
        "status": statuses,
        "negative_type": st.sampled_from(
            [BookingType.OUTGOING, BookingType.REFUND, BookingType.CHARGEBACK, BookingType.FEE]
        ),
        "iban": st.none() | st.sampled_from(PAYER_IBANS),
        "name": st.none() | st.sampled_from(["Hans Müller", "MUELLER GmbH", "Anna Schmidt"]),
    }
)
item_amounts = st.sampled_from(
    [Decimal(v) for v in ("0.00", "10.00", "50", "99.99", "100.00", "120.50")]
) | st.decimals(min_value=Decimal("0"), max_value=Decimal("250"), places=2)
picks = st.integers(min_value=0, max_value=10_000)
sometimes = st.sampled_from([False, False, False, True])  # a quarter of the time
rarely = st.sampled_from([False] * 7 + [True])  # an eighth of the time
amount_modes = st.sampled_from(["default", "default", "exact", "half", "over", "random"])
random_amounts = st.decimals(min_value=CENT, max_value=Decimal("260"), places=2)
reasons = st.sampled_from(WriteOffReason)


# -- what the test knows independently of the ledger -----------------------------------------


def spends_movement_money(target: AllocationTarget) -> bool:
    """Every target spends the movement's money except a write-off on an item."""
    return not (isinstance(target, WriteOff) and target.item is not None)


def item_of(target: AllocationTarget) -> str | None:
    if isinstance(target, ItemTarget):
        return target.number
    if isinstance(target, WriteOff):
        return target.item
    return None


def effect_on_item(allocation: Allocation, movement: Movement) -> Decimal:
    """How an allocation changes its item's open amount (negative lowers it)."""
    amount: Decimal = allocation.amount.amount
    if isinstance(allocation.target, ItemTarget) and movement.amount.amount < 0:
        return amount  # a refund or chargeback assigned to the item reopens it
    return -amount


def expected_folders(movement: Movement, used: Decimal) -> frozenset[Folder]:
    if movement.hidden:
        return frozenset({Folder.HIDDEN})
    if movement.status is Status.PENDING:
        return frozenset({Folder.PENDING})
    if movement.status is not Status.COMPLETED:
        return frozenset({Folder.FAILED})
    if used == 0:
        return frozenset({Folder.NOT_ASSIGNED})
    if used == abs(movement.amount.amount):
        return frozenset({Folder.FULLY_ASSIGNED})
    return frozenset({Folder.NOT_ASSIGNED, Folder.PARTLY_ASSIGNED})


def expected_state(movement: Movement, used: Decimal) -> AssignmentState:
    if used == 0:
        return AssignmentState.UNASSIGNED
    if used == abs(movement.amount.amount):
        return AssignmentState.FULLY_ASSIGNED
    return AssignmentState.PARTLY_ASSIGNED


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger([], [OpenItem(number=DOLLAR_ITEM, amount=Money(Decimal(50), "USD"))])
        self.clock = 0
        self.serial = 0
        # the model
        self.movements: dict[str, Movement] = {}  # as the ledger must hold them, in order added
        self.given: dict[str, Movement] = {}  # as a source last delivered them (no notes)
        self.delivered: list[Movement] = []  # every version a source ever delivered
        self.items: dict[str, OpenItem] = {DOLLAR_ITEM: self.ledger.item(DOLLAR_ITEM)}
        self.allocations: dict[str, Allocation] = {}
        self.hidden_when_made: dict[str, bool] = {}
        self.undo_stack: list[tuple[ActionKind, Any]] = []

    # -- helpers ---------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """A later moment on every call; every other one written in CET (same instant order)."""
        self.clock += 1
        moment = START + dt.timedelta(minutes=self.clock)
        return moment.astimezone(CET) if self.clock % 2 else moment

    def pick(self, keys: list[str], index: int) -> str:
        return keys[index % len(keys)]

    def pick_movement(self, index: int, *, any_status: bool) -> str:
        """A completed movement (others are only ever refused), or with ``any_status`` any."""
        every = list(self.movements)
        booked = [i for i in every if self.movements[i].status is Status.COMPLETED]
        return self.pick(every if any_status or not booked else booked, index)

    def used(self, movement_id: str) -> Decimal:
        return sum(
            (
                a.amount.amount
                for a in self.allocations.values()
                if a.movement_id == movement_id and spends_movement_money(a.target)
            ),
            Decimal(0),
        )

    def open_amount(self, number: str) -> Decimal:
        item = self.items[number]
        total: Decimal = item.amount.amount
        for a in self.allocations.values():
            if item_of(a.target) == number:
                total += effect_on_item(a, self.movements[a.movement_id])
        return total

    def observable(self) -> tuple[object, ...]:
        ledger = self.ledger
        return (
            ledger.movements,
            ledger.open_items,
            sorted(ledger.allocations, key=lambda a: a.allocation_id),
            [ledger.open_amount(number) for number in self.items],
            ledger.history,
        )

    def refused(self, expected: set[type[Exception]], action: Any) -> None:
        """``action`` must raise one of ``expected`` and change nothing."""
        before = self.observable()
        with pytest.raises((LedgerError, CurrencyMismatchError)) as raised:
            action()
        assert type(raised.value) in expected, (
            f"expected {sorted(e.__name__ for e in expected)}, got {raised.value!r}"
        )
        assert self.observable() == before

    def new_movement(self, spec: dict[str, Any]) -> Movement:
        self.serial += 1
        amount = spec["magnitude"] * spec["sign"]
        if amount > 0:
            booking_type = BookingType.INCOMING
        elif amount < 0:
            booking_type = spec["negative_type"]
        else:
            booking_type = BookingType.OTHER
        return Movement(
            account=BANK,
            amount=Money(amount, "EUR"),
            booking_date=dt.date(2026, 3, 1) + dt.timedelta(days=self.serial % 28),
            booking_type=booking_type,
            status=spec["status"],
            counterparty=Counterparty(name=spec["name"], iban=spec["iban"]),
            remittance_info=f"Order {self.serial}",
            transaction_id=f"TX-{self.serial}",
        )

    def room(self, movement: Movement, target: AllocationTarget) -> Decimal:
        """The most ``target`` can take from ``movement`` (its status and currency aside)."""
        rooms = []
        if spends_movement_money(target):
            rooms.append(abs(movement.amount.amount) - self.used(movement.movement_id))
        number = item_of(target)
        if number is not None:
            open_amount = self.open_amount(number)
            reopening = isinstance(target, ItemTarget) and movement.amount.amount < 0
            item_amount: Decimal = self.items[number].amount.amount
            rooms.append(item_amount - open_amount if reopening else open_amount)
        return min(rooms)

    def expect_allocation(
        self, movement: Movement, target: AllocationTarget, amount: Decimal | None, origin: Origin
    ) -> tuple[Decimal | None, set[type[Exception]]]:
        """The amount the ledger must allocate, or the errors it may raise instead."""
        if movement.status is not Status.COMPLETED:
            return None, {NotAssignableError}  # the status is the reason, whatever the amounts
        if movement.hidden and origin is Origin.AUTOMATIC:
            return None, {NotAssignableError}
        errors: set[type[Exception]] = set()
        number = item_of(target)
        if number is not None and self.items[number].currency != movement.currency:
            errors.add(CurrencyMismatchError)
        room = self.room(movement, target)
        if amount is None:
            amount = room
            if room <= 0:
                errors.add(OverAllocationError)
        elif amount > room:
            errors.add(OverAllocationError)
        return (None, errors) if errors else (amount, errors)

    def choose_amount(self, mode: str, room: Decimal, random_amount: Decimal) -> Decimal | None:
        if mode == "default":
            return None
        if mode == "exact":
            return max(room, CENT)
        if mode == "half":
            return max((room / 2).quantize(CENT), CENT)
        if mode == "over":
            return max(room, Decimal(0)) + CENT
        return random_amount

    def target(
        self, kind: str, index: int, reason: WriteOffReason, *, dollar: bool
    ) -> AllocationTarget:
        # the item in dollars only now and then, so that most attempts can succeed
        numbers = [DOLLAR_ITEM] if dollar else list(self.items)[1:] or [DOLLAR_ITEM]
        if kind == "item":
            return ItemTarget(number=self.pick(numbers, index))
        if kind == "item_write_off":
            return WriteOff(reason=reason, item=self.pick(numbers, index))
        if kind == "write_off":
            return WriteOff(reason=reason)
        ids = list(self.movements)
        return ChargebackTarget(payment=self.pick(ids, index) if index % 3 else None)

    def do_assign(
        self,
        origin: Origin,
        movement_pick: int,
        any_status: bool,
        kind: str,
        target_pick: int,
        dollar: bool,
        reason: WriteOffReason,
        mode: str,
        random_amount: Decimal,
    ) -> None:
        movement_id = self.pick_movement(movement_pick, any_status=any_status)
        movement = self.movements[movement_id]
        target = self.target(kind, target_pick, reason, dollar=dollar)
        amount = self.choose_amount(mode, self.room(movement, target), random_amount)
        expected, errors = self.expect_allocation(movement, target, amount, origin)
        at = self.now()
        if errors:
            self.refused(
                errors,
                lambda: self.ledger.assign(movement_id, target, amount, at=at, origin=origin),
            )
            return
        allocation = self.ledger.assign(movement_id, target, amount, at=at, origin=origin)
        assert allocation.movement_id == movement_id
        assert allocation.target == target
        assert allocation.amount == Money(expected, "EUR")
        assert allocation.origin is origin
        assert allocation.made_at == at
        self.remember(allocation)

    def remember(self, allocation: Allocation) -> None:
        self.allocations[allocation.allocation_id] = allocation
        self.hidden_when_made[allocation.allocation_id] = self.movements[
            allocation.movement_id
        ].hidden
        self.undo_stack.append((ActionKind.ASSIGN, allocation))

    # -- rules: what comes in --------------------------------------------------------------

    @initialize(
        specs=st.lists(movement_specs, min_size=1, max_size=4),
        amounts=st.lists(item_amounts, min_size=1, max_size=4),
    )
    def start_with_some_movements_and_items(
        self, specs: list[dict[str, Any]], amounts: list[Decimal]
    ) -> None:
        self.add_movements(specs)
        for amount in amounts:
            self.add_open_item(amount)

    @rule(specs=st.lists(movement_specs, min_size=1, max_size=3))
    def add_movements(self, specs: list[dict[str, Any]]) -> None:
        batch = [self.new_movement(spec) for spec in specs]
        assert self.ledger.add_movements(batch) == tuple(batch)
        for movement in batch:
            self.movements[movement.movement_id] = movement
            self.given[movement.movement_id] = movement
        self.delivered += batch

    @rule(amount=item_amounts)
    def add_open_item(self, amount: Decimal) -> None:
        item = OpenItem(number=f"RE-{len(self.items)}", amount=Money(amount, "EUR"))
        assert self.ledger.add_open_items([item]) == (item,)
        self.items[item.number] = item

    @precondition(lambda self: any(m.status is Status.PENDING for m in self.movements.values()))
    @rule(index=picks, outcome=st.sampled_from([Status.COMPLETED] * 3 + [Status.FAILED]))
    def pending_movement_settles(self, index: int, outcome: Status) -> None:
        pending = [i for i, m in self.movements.items() if m.status is Status.PENDING]
        movement_id = self.pick(pending, index)
        known = self.movements[movement_id]
        settled = attrs.evolve(self.given[movement_id], status=outcome)
        expected = attrs.evolve(
            settled, hidden=known.hidden, internal_comment=known.internal_comment
        )
        assert self.ledger.add_movements([settled]) == (expected,)
        self.movements[movement_id] = expected
        self.given[movement_id] = settled
        self.delivered.append(settled)

    @precondition(lambda self: self.movements)
    @rule(index=picks, spec=movement_specs, conflicting=st.booleans())
    def deliver_again(self, index: int, spec: dict[str, Any], conflicting: bool) -> None:
        booked = [i for i, m in self.movements.items() if m.status is not Status.PENDING]
        if conflicting and booked:
            # a known booked id with other content: refused, and nothing of the batch is added
            known = self.given[self.pick(booked, index)]
            changed = attrs.evolve(known, amount=known.amount + Money(CENT, "EUR"))
            fresh = self.new_movement(spec)
            self.refused(
                {ConflictingMovementError}, lambda: self.ledger.add_movements([fresh, changed])
            )
            return
        before = self.observable()
        # every delivery again (pending ones also in their old status), and the ledger's
        # own copies with their notes: all known, nothing to add
        assert self.ledger.add_movements(self.delivered) == ()
        assert self.ledger.add_movements(self.ledger.movements) == ()
        assert self.observable() == before

    # -- rules: assigning and unassigning --------------------------------------------------

    @precondition(lambda self: self.movements)
    @rule(
        movement_pick=picks,
        any_status=sometimes,
        target_pick=picks,
        dollar=rarely,
        mode=amount_modes,
        random_amount=random_amounts,
    )
    def assign_manually_to_an_item(self, **arguments: Any) -> None:
        self.do_assign(Origin.MANUAL, kind="item", reason=WriteOffReason.OTHER, **arguments)

    @precondition(lambda self: self.movements)
    @rule(
        movement_pick=picks,
        any_status=sometimes,
        dollar=rarely,
        kind=st.sampled_from(["item", "item_write_off", "write_off", "chargeback"]),
        target_pick=picks,
        reason=reasons,
        mode=amount_modes,
        random_amount=random_amounts,
    )
    def assign_manually(self, **arguments: Any) -> None:
        self.do_assign(Origin.MANUAL, **arguments)

    @precondition(lambda self: self.movements)
    @rule(
        movement_pick=picks,
        any_status=sometimes,
        dollar=rarely,
        kind=st.sampled_from(["item", "item", "item", "item_write_off", "write_off"]),
        target_pick=picks,
        reason=reasons,
        mode=amount_modes,
        random_amount=random_amounts,
    )
    def assign_automatically(self, **arguments: Any) -> None:
        self.do_assign(Origin.AUTOMATIC, **arguments)

    @precondition(lambda self: self.allocations)
    @rule(index=picks, origin=st.sampled_from(Origin), unknown=rarely)
    def unassign(self, index: int, origin: Origin, unknown: bool) -> None:
        if unknown:  # now and then an allocation that is not there
            unknown = "f" * 16
            self.refused(
                {UnknownAllocationError}, lambda: self.ledger.unassign(unknown, origin=origin)
            )
            return
        # small picks are the latest allocations, so undo and unassign meet often
        allocation_id = self.pick(list(reversed(self.allocations)), index)
        allocation = self.allocations[allocation_id]
        errors: set[type[Exception]] = set()
        if origin is Origin.AUTOMATIC and allocation.origin is Origin.MANUAL:
            errors.add(ManualAllocationProtectedError)
        else:
            number = item_of(allocation.target)
            if number is not None:
                movement = self.movements[allocation.movement_id]
                after = self.open_amount(number) - effect_on_item(allocation, movement)
                if not 0 <= after <= self.items[number].amount.amount:
                    errors.add(OverAllocationError)
        if errors:
            self.refused(errors, lambda: self.ledger.unassign(allocation_id, origin=origin))
            return
        assert self.ledger.unassign(allocation_id, origin=origin) == allocation
        del self.allocations[allocation_id]
        self.undo_stack.append((ActionKind.UNASSIGN, allocation))

    @precondition(lambda self: self.movements)
    @rule(index=picks, any_status=sometimes, mode=st.sampled_from(["rest", "rest", "part", "over"]))
    def refund_rest(self, index: int, any_status: bool, mode: str) -> None:
        movement_id = self.pick_movement(index, any_status=any_status)
        movement = self.movements[movement_id]
        rest = abs(movement.amount.amount) - self.used(movement_id)
        amount = {"rest": None, "part": max((rest / 2).quantize(CENT), CENT), "over": rest + CENT}[
            mode
        ]
        at = self.now()
        errors: set[type[Exception]] = set()
        if movement.status is not Status.COMPLETED or movement.amount.amount < 0:
            errors = {NotAssignableError}  # only a booked payment can be refunded
        elif movement.amount.amount == 0:
            errors = {NotAssignableError, OverAllocationError}
        elif rest == 0 or (amount is not None and amount > rest):
            errors = {OverAllocationError}
        if errors:
            self.refused(errors, lambda: self.ledger.refund_rest(movement_id, at=at, amount=amount))
            return
        instruction = self.ledger.refund_rest(movement_id, at=at, amount=amount)
        refunded = rest if amount is None else amount
        assert instruction.movement_id == movement_id
        assert instruction.amount == Money(refunded, "EUR")
        assert instruction.creditor_iban == movement.counterparty.iban
        assert instruction.creditor_name == movement.counterparty.name
        allocation = Allocation(
            movement_id=movement_id,
            target=RefundTarget(end_to_end_id=instruction.end_to_end_id),
            amount=Money(refunded, "EUR"),
            origin=Origin.MANUAL,
            made_at=at,
        )
        assert self.ledger.allocations_of(movement_id)[-1] == allocation
        self.remember(allocation)

    # -- rules: notes, views and undo ------------------------------------------------------

    @precondition(lambda self: self.movements)
    @rule(index=picks, hidden=st.booleans(), recent=st.booleans())
    def hide_or_unhide(self, index: int, hidden: bool, recent: bool) -> None:
        # often a movement that was just assigned: hiding must not disturb its allocations
        assigned = list(dict.fromkeys(a.movement_id for a in reversed(self.allocations.values())))
        movement_id = self.pick(assigned if assigned and recent else list(self.movements), index)
        movement = self.movements[movement_id]
        if hidden:
            self.ledger.hide(movement_id)
        else:
            self.ledger.unhide(movement_id)
        if movement.hidden is not hidden:  # hiding a hidden movement records nothing
            self.movements[movement_id] = attrs.evolve(movement, hidden=hidden)
            kind = ActionKind.HIDE if hidden else ActionKind.UNHIDE
            self.undo_stack.append((kind, movement_id))

    @precondition(lambda self: self.movements)
    @rule(index=picks, text=st.sampled_from([None, "Kunde fragen", "Rest erstatten"]))
    def comment(self, index: int, text: str | None) -> None:
        movement_id = self.pick(list(self.movements), index)
        movement = self.movements[movement_id]
        self.ledger.comment(movement_id, text)
        self.movements[movement_id] = attrs.evolve(movement, internal_comment=text)
        self.undo_stack.append((ActionKind.COMMENT, (movement_id, movement.internal_comment)))

    @rule(times=st.integers(min_value=1, max_value=3))
    def undo(self, times: int) -> None:
        for _ in range(times):
            if not self.undo_stack:
                self.refused({NothingToUndoError}, self.ledger.undo)
                return
            self.undo_once()

    def undo_once(self) -> None:
        # undoing always works: it restores a state the ledger was in before
        action = self.ledger.undo()
        kind, subject = self.undo_stack.pop()
        assert action.kind is kind
        if kind is ActionKind.ASSIGN:
            assert action.allocation == subject
            del self.allocations[subject.allocation_id]
        elif kind is ActionKind.UNASSIGN:
            assert action.allocation == subject
            self.allocations[subject.allocation_id] = subject
        elif kind is ActionKind.COMMENT:
            movement_id, previous = subject
            assert action.movement_id == movement_id
            self.movements[movement_id] = attrs.evolve(
                self.movements[movement_id], internal_comment=previous
            )
        else:
            assert action.movement_id == subject
            self.movements[subject] = attrs.evolve(
                self.movements[subject], hidden=kind is ActionKind.UNHIDE
            )

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def ledger_agrees_with_the_model(self) -> None:
        ledger = self.ledger
        assert ledger.movements == tuple(self.movements.values())
        assert ledger.open_items == tuple(self.items.values())
        assert len(ledger.allocations) == len(self.allocations)
        assert {a.allocation_id: a for a in ledger.allocations} == self.allocations
        # in the order they were made (every action here happens at a later moment)
        made = sorted(ledger.allocations, key=lambda a: a.made_at)
        assert list(ledger.allocations) == made
        for movement_id in self.movements:
            assert list(ledger.allocations_of(movement_id)) == [
                a for a in made if a.movement_id == movement_id
            ]
        assert [action.kind for action in ledger.history] == [k for k, _ in self.undo_stack]

    @invariant()
    def invariants_hold(self) -> None:
        ledger = self.ledger
        movements = {m.movement_id: m for m in ledger.movements}
        items = {i.number: i for i in ledger.open_items}
        used: defaultdict[str, Decimal] = defaultdict(Decimal)
        open_amounts = {number: i.amount.amount for number, i in items.items()}
        for allocation in ledger.allocations:
            movement = movements[allocation.movement_id]
            # only completed movements hold allocations, in their own currency
            assert movement.status is Status.COMPLETED
            assert allocation.amount.currency == movement.amount.currency
            assert allocation.amount.amount > 0
            # no automatic allocation on a movement that was hidden when it was made
            if allocation.origin is Origin.AUTOMATIC:
                assert not self.hidden_when_made[allocation.allocation_id]
            if spends_movement_money(allocation.target):
                used[allocation.movement_id] += allocation.amount.amount
            number = item_of(allocation.target)
            if number is not None:
                assert items[number].currency == movement.currency
                open_amounts[number] += effect_on_item(allocation, movement)
        # Σ money-using allocations of a movement ≤ |amount|; derived amounts, state, folders
        folders = {}
        for movement_id, movement in movements.items():
            total = used[movement_id]
            magnitude = abs(movement.amount.amount)
            assert total <= magnitude
            assert ledger.assigned_amount(movement_id) == Money(total, movement.currency)
            assert ledger.unassigned_amount(movement_id) == Money(
                magnitude - total, movement.currency
            )
            assert ledger.state(movement_id) is expected_state(movement, total)
            folders[movement_id] = expected_folders(movement, total)
            assert ledger.folders_of(movement_id) == folders[movement_id]
        for folder in Folder:
            assert ledger.folder(folder) == [
                m for m in ledger.movements if folder in folders[m.movement_id]
            ]
        # 0 ≤ open amount ≤ the item's amount
        for number, item in items.items():
            assert 0 <= open_amounts[number] <= item.amount.amount
            assert ledger.open_amount(number) == Money(open_amounts[number], item.currency)


MACHINE_SETTINGS = settings(max_examples=500, stateful_step_count=30, deadline=None)


def test_ledger_state_machine() -> None:
    run_state_machine_as_test(LedgerMachine, settings=MACHINE_SETTINGS)
