"""The ledger of allocations: what is assigned, what is open, and the payment management's views.

A pure, in-memory book of movements, open items and allocations (see
:class:`Ledger`), with the seed's folders, composable filters, related
movements, refunds of the rest, internal comments, undo and a log book.
"""

from paymatch.ledger.book import ActionKind, Ledger, LedgerAction
from paymatch.ledger.filters import (
    AllOf,
    AmountBetween,
    BookedBetween,
    Criterion,
    InAccounts,
    NameContains,
    OfBookingTypes,
    PurposeContains,
    TransactionIdContains,
    WithStatus,
    where,
)
from paymatch.ledger.folders import AssignmentState, Folder
from paymatch.ledger.log_book import LogEntry, LogLevel
from paymatch.ledger.refund import RefundInstruction

__all__ = [
    "ActionKind",
    "AllOf",
    "AmountBetween",
    "AssignmentState",
    "BookedBetween",
    "Criterion",
    "Folder",
    "InAccounts",
    "Ledger",
    "LedgerAction",
    "LogEntry",
    "LogLevel",
    "NameContains",
    "OfBookingTypes",
    "PurposeContains",
    "RefundInstruction",
    "TransactionIdContains",
    "WithStatus",
    "where",
]
