"""paymatch: payment reconciliation for ERP systems.

Read bank and payment-provider statements into one model of accounts and
movements, assign payments to open orders and invoices, keep the ledger of what
is assigned, and write accounting exports. See ``docs/index.md``.

The public names below are imported on first use, so that ``import paymatch``
(and the ``paymatch`` command) start fast; ``from paymatch import Ledger``
works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from paymatch._version import __version__

if TYPE_CHECKING:
    from paymatch.errors import (
        ConflictingItemError,
        ConflictingMovementError,
        CurrencyMismatchError,
        DuplicateAllocationError,
        ExportError,
        FormatDetectionError,
        InvalidValueError,
        LedgerError,
        ManualAllocationProtectedError,
        MatcherPluginError,
        NotAssignableError,
        NothingToUndoError,
        OverAllocationError,
        ParseError,
        ParserPluginError,
        PaymatchError,
        UnknownAllocationError,
        UnknownItemError,
        UnknownMovementError,
        UnsafeInputError,
    )
    from paymatch.ledger import (
        ActionKind,
        AllOf,
        AmountBetween,
        AssignmentState,
        BookedBetween,
        Criterion,
        Folder,
        InAccounts,
        Ledger,
        LedgerAction,
        LogEntry,
        LogLevel,
        NameContains,
        OfBookingTypes,
        PurposeContains,
        RefundInstruction,
        TransactionIdContains,
        WithStatus,
        where,
    )
    from paymatch.matching import (
        Assignment,
        Clue,
        ItemIndex,
        ItemWriteOff,
        MatchConfig,
        Matcher,
        MatchReport,
        MatchResult,
        MatchStatus,
        OpenItemColumns,
        OpenItemFormat,
        Plan,
        Weights,
        learn_payers,
        load_matchers,
        match,
        read_open_items,
    )
    from paymatch.model import (
        Account,
        AccountKind,
        Allocation,
        AllocationTarget,
        Balance,
        BookingType,
        CashDiscount,
        ChargebackTarget,
        Counterparty,
        Evidence,
        ItemTarget,
        Movement,
        OpenItem,
        OpenItemKind,
        Origin,
        RefundTarget,
        SourcePosition,
        Statement,
        Status,
        WriteOff,
        WriteOffReason,
        number_occurrences,
        to_money,
    )
    from paymatch.parsers import (
        Diagnostic,
        Parser,
        ParseResult,
        ParserRegistry,
        Severity,
        default_registry,
        parse,
    )
    from paymatch.wire import (
        allocation_from_json,
        allocation_to_json,
        converter,
        ledger_document,
        ledger_from_document,
        make_converter,
        movement_from_json,
        movement_to_json,
        open_item_from_json,
        open_item_to_json,
        statement_from_json,
        statement_to_json,
        statements_document,
        statements_from_document,
    )

#: The modules behind the public names, searched in this order on first use.
_PUBLIC_MODULES = (
    "paymatch.errors",
    "paymatch.model",
    "paymatch.ledger",
    "paymatch.parsers",
    "paymatch.matching",
    "paymatch.wire",
)

__all__ = [
    "Account",
    "AccountKind",
    "ActionKind",
    "AllOf",
    "Allocation",
    "AllocationTarget",
    "AmountBetween",
    "Assignment",
    "AssignmentState",
    "Balance",
    "BookedBetween",
    "BookingType",
    "CashDiscount",
    "ChargebackTarget",
    "Clue",
    "ConflictingItemError",
    "ConflictingMovementError",
    "Counterparty",
    "Criterion",
    "CurrencyMismatchError",
    "Diagnostic",
    "DuplicateAllocationError",
    "Evidence",
    "ExportError",
    "Folder",
    "FormatDetectionError",
    "InAccounts",
    "InvalidValueError",
    "ItemIndex",
    "ItemTarget",
    "ItemWriteOff",
    "Ledger",
    "LedgerAction",
    "LedgerError",
    "LogEntry",
    "LogLevel",
    "ManualAllocationProtectedError",
    "MatchConfig",
    "MatchReport",
    "MatchResult",
    "MatchStatus",
    "Matcher",
    "MatcherPluginError",
    "Movement",
    "NameContains",
    "NotAssignableError",
    "NothingToUndoError",
    "OfBookingTypes",
    "OpenItem",
    "OpenItemColumns",
    "OpenItemFormat",
    "OpenItemKind",
    "Origin",
    "OverAllocationError",
    "ParseError",
    "ParseResult",
    "Parser",
    "ParserPluginError",
    "ParserRegistry",
    "PaymatchError",
    "Plan",
    "PurposeContains",
    "RefundInstruction",
    "RefundTarget",
    "Severity",
    "SourcePosition",
    "Statement",
    "Status",
    "TransactionIdContains",
    "UnknownAllocationError",
    "UnknownItemError",
    "UnknownMovementError",
    "UnsafeInputError",
    "Weights",
    "WithStatus",
    "WriteOff",
    "WriteOffReason",
    "__version__",
    "allocation_from_json",
    "allocation_to_json",
    "converter",
    "default_registry",
    "learn_payers",
    "ledger_document",
    "ledger_from_document",
    "load_matchers",
    "make_converter",
    "match",
    "movement_from_json",
    "movement_to_json",
    "number_occurrences",
    "open_item_from_json",
    "open_item_to_json",
    "parse",
    "read_open_items",
    "statement_from_json",
    "statement_to_json",
    "statements_document",
    "statements_from_document",
    "to_money",
    "where",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module_name in _PUBLIC_MODULES:
            module = importlib.import_module(module_name)
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value  # later look-ups skip this function
                return value
    raise AttributeError(f"module 'paymatch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
