"""Hypothesis: whatever the input, the engine never breaks a ledger invariant."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from paymatch.ledger import Ledger
from paymatch.matching import MatchStatus, match
from paymatch.model import (
    BookingType,
    CashDiscount,
    Counterparty,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    to_money,
)

BANK = "DE89370400440532013000"
IBANS = ["DE02120300000000202051", "DE75512108001245126199", None]
AMOUNTS = ["10.00", "20.00", "30.00", "49.00", "50.00", "100.00", "98.00"]
AT = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 3, 31)


@st.composite
def open_items(draw: st.DrawFn) -> list[OpenItem]:
    count = draw(st.integers(1, 6))
    items = []
    for n in range(count):
        discount = draw(st.booleans())
        items.append(
            OpenItem(
                number=f"RE-{n + 1}",
                amount=to_money(draw(st.sampled_from(AMOUNTS)), "EUR"),
                customer_number=draw(st.sampled_from(["K1", "K2", None])),
                ibans=tuple(i for i in [draw(st.sampled_from(IBANS))] if i),
                date=dt.date(2026, 3, 1),
                cash_discount=CashDiscount(percent="2", days=30) if discount else None,
            )
        )
    return items


@st.composite
def movements(draw: st.DrawFn) -> list[Movement]:
    count = draw(st.integers(1, 8))
    found = []
    for n in range(count):
        amount = Decimal(draw(st.sampled_from(AMOUNTS))) * draw(st.sampled_from([1, 1, 1, -1]))
        references = draw(st.lists(st.integers(1, 7), max_size=3))
        text = " ".join(f"RE-{r}" for r in references) or draw(st.sampled_from(["Danke", "x"]))
        found.append(
            Movement(
                account=BANK,
                amount=to_money(amount + draw(st.sampled_from([0, 0, Decimal("0.50")])), "EUR"),
                booking_date=dt.date(2026, 3, 10),
                booking_type=BookingType.INCOMING if amount > 0 else BookingType.OUTGOING,
                counterparty=Counterparty(iban=draw(st.sampled_from(IBANS))),
                remittance_info=text,
                bank_reference=f"B-{n}",
            )
        )
    return found


@settings(max_examples=300)
@given(open_items(), movements(), st.data())
def test_the_engine_keeps_every_ledger_invariant(
    items: list[OpenItem], payments: list[Movement], data: st.DataObject
) -> None:
    ledger = Ledger(payments, items)
    manual = data.draw(st.sampled_from([None, *payments]))
    if manual is not None and manual.amount.amount > 0:
        ledger.assign(manual.movement_id, ItemTarget(number=items[0].number), at=AT)
    before = list(ledger.allocations)
    open_before = {i.number: ledger.open_amount(i.number).amount for i in items}
    report = match(payments, items, as_of=AS_OF, ledger=ledger)
    assert [r.movement for r in report.results] == payments
    taken: dict[str, Decimal] = defaultdict(Decimal)
    for result in report.results:
        spent = sum((a.amount.amount for a in result.allocations), Decimal(0))
        if result.status in (MatchStatus.ASSIGNED, MatchStatus.PARTIALLY_ASSIGNED):
            assert spent + result.unassigned_amount.amount == abs(result.movement.amount.amount)
            assert result.movement.amount.amount > 0
        else:
            assert result.allocations == ()
            assert result.write_offs == ()
        for part in (*result.allocations, *result.write_offs):
            assert part.amount.amount > 0
            taken[part.item] += part.amount.amount
    for number, amount in taken.items():
        assert amount <= open_before[number], number  # never more than is open
    booked = report.apply(ledger, at=AT)  # the ledger refuses anything that breaks an invariant
    assert all(a.origin is Origin.AUTOMATIC for a in booked)
    assert [a for a in ledger.allocations if a.origin is Origin.MANUAL] == [
        a for a in before if a.origin is Origin.MANUAL
    ]
    # a second run leaves every movement with allocations alone (it may decide others,
    # now that some items are paid), and its decisions fit the ledger too
    again = match(payments, items, as_of=AS_OF, ledger=ledger)
    for result in again.results:
        if ledger.allocations_of(result.movement.movement_id):
            assert result.status is MatchStatus.NOT_APPLICABLE
    again.apply(ledger, at=AT + dt.timedelta(hours=1))
