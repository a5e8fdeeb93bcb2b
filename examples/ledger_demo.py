"""The example job: a bank statement and open items in, the payment management's folders out.

Reads ``examples/data/statement.json`` (the JSON of ``paymatch parse``) and
``examples/data/open_items.json``, assigns the payments the way a person
working through "Zahlungsverwaltung > Kontobewegungen" would — in full, split
over two invoices, a down payment, a collective payment in part, with a cash
discount, refunding an over-payment, hiding the bank's fee — and prints every
folder and the open items.

    python examples/ledger_demo.py [STATEMENT_JSON] [OPEN_ITEMS_JSON]

The assignments are made here by hand (``Origin.MANUAL``), as a person would;
``paymatch reconcile`` (``make demo``) lets the matching engine make them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

from paymatch import (
    Folder,
    ItemTarget,
    Ledger,
    Movement,
    WriteOff,
    WriteOffReason,
    where,
)
from paymatch.model.money import decimal_text
from paymatch.wire import open_item_from_json, statements_from_document

DATA = Path(__file__).resolve().parent / "data"
#: When the person worked through the statement; the core reads no clock, we pass it in.
WORKED_AT = dt.datetime(2026, 3, 6, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def load(statement_path: Path, items_path: Path) -> Ledger:
    """A ledger with the statement's movements and the open items."""
    statements = statements_from_document(json.loads(statement_path.read_text(encoding="utf-8")))
    items_document = json.loads(items_path.read_text(encoding="utf-8"))
    items = [open_item_from_json(item) for item in items_document["open_items"]]
    ledger = Ledger(open_items=items)
    for statement in statements:
        ledger.add_movements(statement.movements)
    return ledger


def only(ledger: Ledger, purpose: str) -> Movement:
    """The one movement whose remittance information contains ``purpose``."""
    (movement,) = ledger.find(where(purpose=purpose))
    return movement


def work_through(ledger: Ledger) -> None:
    """Assign the statement's payments as a person would."""
    at = WORKED_AT
    # RE-1001 paid in full.
    ledger.assign(only(ledger, "RE-1001").movement_id, ItemTarget(number="RE-1001"), at=at)
    # One transfer for two invoices: split it.
    both = only(ledger, "RE-1002 und RE-1003").movement_id
    ledger.assign(both, ItemTarget(number="RE-1002"), at=at)
    ledger.assign(both, ItemTarget(number="RE-1003"), at=at)
    # A down payment on an order: the order stays partly open.
    ledger.assign(only(ledger, "AU-2001").movement_id, ItemTarget(number="AU-2001"), at=at)
    # 2 % cash discount within the terms: pay 98.00, write off 2.00 on the invoice.
    discounted = only(ledger, "RE-1004").movement_id
    ledger.assign(discounted, ItemTarget(number="RE-1004"), at=at)
    ledger.assign(discounted, WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1004"), at=at)
    # Over-paid by 5.00: assign what is owed, refund the rest to the payer's IBAN.
    overpaid = only(ledger, "RE-1005").movement_id
    ledger.assign(overpaid, ItemTarget(number="RE-1005"), at=at)
    refund = ledger.refund_rest(overpaid, at=at)
    print(
        f"Refund instruction: {decimal_text(refund.amount.amount)} {refund.amount.currency.code} "
        f"to {refund.creditor_name} ({refund.creditor_iban}), {refund.end_to_end_id}"
    )
    # The bank's fee is the accountant's business, not an order's.
    fee = only(ledger, "Kontoführung").movement_id
    ledger.comment(fee, "account fee, booked by the accountant")
    ledger.hide(fee)
    # A collective payment: one invoice found, the rest not yet placed.
    collective = only(ledger, "Sammelzahlung").movement_id
    ledger.assign(collective, ItemTarget(number="RE-1007"), Decimal("210.00"), at=at)
    ledger.comment(collective, "asked the customer what the other 100.00 are for")


def amount(value: Movement) -> str:
    """A movement's signed amount as text."""
    return f"{decimal_text(value.amount.amount)} {value.currency}"


def print_folders(ledger: Ledger, console: Console) -> None:
    """One table per folder, then the open items."""
    for folder in Folder:
        movements = ledger.folder(folder)
        table = Table(
            title=f"{folder.value.replace('_', ' ')} ({len(movements)})", title_justify="left"
        )
        for column in ("booked", "amount", "unassigned", "counterparty", "purpose", "comment"):
            table.add_column(
                column, justify="right" if column in ("amount", "unassigned") else "left"
            )
        for movement in movements:
            rest = ledger.unassigned_amount(movement.movement_id)
            table.add_row(
                movement.booking_date.isoformat(),
                amount(movement),
                decimal_text(rest.amount),
                movement.counterparty.name or "",
                movement.remittance_info or "",
                movement.internal_comment or "",
            )
        console.print(table)
    items = Table(title="open items", title_justify="left")
    for column in ("number", "customer", "amount", "open", "allocations"):
        items.add_column(column, justify="left" if column in ("number", "customer") else "right")
    for item in ledger.open_items:
        items.add_row(
            item.number,
            item.customer_name or "",
            decimal_text(item.amount.amount),
            decimal_text(ledger.open_amount(item.number).amount),
            str(len(ledger.allocations_to(item.number))),
        )
    console.print(items)


def main(arguments: list[str]) -> int:
    statement_path = Path(arguments[0]) if arguments else DATA / "statement.json"
    items_path = Path(arguments[1]) if len(arguments) > 1 else DATA / "open_items.json"
    ledger = load(statement_path, items_path)
    work_through(ledger)
    print_folders(ledger, Console(width=140))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
