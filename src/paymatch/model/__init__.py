"""The domain model: accounts, statements, movements, open items and allocations.

Frozen, slotted, keyword-only value objects (attrs) that validate every field
on construction and know nothing of files, formats or storage. Money is
``moneyed.Money``; amounts in different currencies never mix.
"""

from paymatch.model.account import Account, AccountKind
from paymatch.model.allocation import (
    Allocation,
    AllocationTarget,
    ChargebackTarget,
    Evidence,
    ItemTarget,
    Origin,
    RefundTarget,
    WriteOff,
    WriteOffReason,
)
from paymatch.model.money import to_money
from paymatch.model.movement import (
    BookingType,
    Counterparty,
    Movement,
    SourcePosition,
    Status,
    number_occurrences,
)
from paymatch.model.open_item import CashDiscount, OpenItem, OpenItemKind
from paymatch.model.statement import Balance, Statement

__all__ = [
    "Account",
    "AccountKind",
    "Allocation",
    "AllocationTarget",
    "Balance",
    "BookingType",
    "CashDiscount",
    "ChargebackTarget",
    "Counterparty",
    "Evidence",
    "ItemTarget",
    "Movement",
    "OpenItem",
    "OpenItemKind",
    "Origin",
    "RefundTarget",
    "SourcePosition",
    "Statement",
    "Status",
    "WriteOff",
    "WriteOffReason",
    "number_occurrences",
    "to_money",
]
