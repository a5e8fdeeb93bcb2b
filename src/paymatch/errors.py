"""The errors paymatch raises, in one tree.

Every error a caller can cause by giving paymatch bad input is a ``ValueError``
(as in python-stdnum), so ``except ValueError`` catches all of them; the more
precise classes let a program react to one kind of failure::

    PaymatchError
     ├── InvalidValueError (ValueError)        a constructor refused a field
     │    └── CurrencyMismatchError            two amounts in different currencies
     ├── ParseError (ValueError)               a statement file could not be read
     │    ├── UnsafeInputError                 XML with a DTD, entities or network access
     │    └── FormatDetectionError             no parser, or two equally good ones, for the data
     ├── ParserPluginError                     a third-party parser failed its checks when loaded
     ├── MatcherPluginError                    a third-party matcher failed its checks when loaded
     ├── ExportError (ValueError)              bookings a format cannot carry (account, date, size)
     └── LedgerError (ValueError)              the ledger refused an action
          ├── UnknownMovementError (KeyError)  no movement with that id
          ├── UnknownItemError (KeyError)      no open item with that number
          ├── UnknownAllocationError (KeyError)
          ├── ConflictingMovementError         same movement id, different content
          ├── ConflictingItemError             same item number, different content
          ├── DuplicateAllocationError         the same allocation (movement, target, time) again
          ├── OverAllocationError              more than a movement has or an item is owed
          ├── NotAssignableError               not completed, or hidden for automatic work
          ├── ManualAllocationProtectedError   automatic work may not touch a manual allocation
          └── NothingToUndoError
     └── ShellError                            the automation shell could not do its work
          ├── SecretError                      a secret is missing or written in clear
          ├── StoreError                       the store is unreachable or not migrated
          ├── InstanceLockedError              another worker holds the single-instance lock
          ├── DeliveryError                    a target refused a connection, upload or listing
          ├── MailError                        the SMTP server refused the mail
          └── EventPluginError                 an event listener failed its checks when loaded

Each message says where (the field, the movement id, the item number) and what
was expected.
"""

from __future__ import annotations

__all__ = [
    "ConflictingItemError",
    "ConflictingMovementError",
    "CurrencyMismatchError",
    "DeliveryError",
    "DuplicateAllocationError",
    "EventPluginError",
    "ExportError",
    "FormatDetectionError",
    "InstanceLockedError",
    "InvalidValueError",
    "LedgerError",
    "MailError",
    "ManualAllocationProtectedError",
    "MatcherPluginError",
    "NotAssignableError",
    "NothingToUndoError",
    "OverAllocationError",
    "ParseError",
    "ParserPluginError",
    "PaymatchError",
    "SecretError",
    "ShellError",
    "StoreError",
    "UnknownAllocationError",
    "UnknownItemError",
    "UnknownMovementError",
    "UnsafeInputError",
]


class PaymatchError(Exception):
    """The root of every error paymatch raises on purpose."""


class InvalidValueError(PaymatchError, ValueError):
    """A value object refused one of its fields.

    ``field`` names the class and field (``"OpenItem.amount"``) and ``reason``
    says what was expected, so the message reads
    ``OpenItem.amount: must not be negative, got -5.00 EUR``.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class CurrencyMismatchError(InvalidValueError):
    """Two amounts that must share a currency do not."""


class ParseError(PaymatchError, ValueError):
    """A statement file could not be read; the message says where and what was expected.

    ``source`` names the file (or ``None`` for anonymous data), ``line`` and
    ``column`` (1-based) point into text formats, ``path`` is the XML path in
    XML formats. ``reason`` is the message without the position.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.line = line
        self.column = column
        self.path = path
        super().__init__(f"{self.position}: {reason}")

    @property
    def position(self) -> str:
        """``"march.sta, line 12, column 5"`` or ``"march.xml, /Document/.../Stmt[1]"``."""
        return describe_position(self.source, self.line, self.column, self.path)


def describe_position(
    source: str | None, line: int | None, column: int | None, path: str | None
) -> str:
    """Where something is, as errors and diagnostics say it: ``"a.sta, line 3, column 1"``.

    Shared with ``SourcePosition`` so both spell positions the same; not public API.

    >>> describe_position(None, None, None, "/Document/BkToCstmrStmt")
    '<data>, /Document/BkToCstmrStmt'
    """
    parts = [source or "<data>"]
    if line is not None:
        parts.append(f"line {line}")
    if column is not None:
        parts.append(f"column {column}")
    if path is not None:
        parts.append(path)
    return ", ".join(parts)


class UnsafeInputError(ParseError):
    """XML that declares a DTD or entities, or would reach the network; nothing was fetched."""


class FormatDetectionError(ParseError):
    """No parser recognised the data, or several did equally well; the message lists them."""


class ParserPluginError(PaymatchError):
    """A parser from the ``paymatch.parsers`` entry-point group failed to load or its checks."""


class MatcherPluginError(PaymatchError):
    """A matcher from the entry-point group ``paymatch.matchers`` could not be used."""


class ExportError(PaymatchError, ValueError):
    """Bookings that an export format cannot carry.

    The message names the booking (its id) and the format's rule it breaks: an
    account number DATEV cannot take, a date outside the fiscal year, a
    currency the file is not in.
    """


class LedgerError(PaymatchError, ValueError):
    """The ledger refused an action because it would break one of its invariants."""


class UnknownMovementError(LedgerError, KeyError):
    """No movement with the given id is in the ledger."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnknownItemError(LedgerError, KeyError):
    """No open item with the given number is in the ledger."""

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownAllocationError(LedgerError, KeyError):
    """No allocation with the given id is in the ledger."""

    def __str__(self) -> str:
        return str(self.args[0])


class ConflictingMovementError(LedgerError):
    """A movement arrived whose id is known but whose content differs.

    The same id means the same booking (see ``Movement.movement_id``); a
    different amount or date under that id is a corrupt or re-issued source
    that a person must look at, not something to overwrite silently.
    """


class ConflictingItemError(LedgerError):
    """An open item arrived whose number is known but whose content differs."""


class DuplicateAllocationError(LedgerError):
    """An allocation equal to one already made (same movement, target, amount, time)."""


class OverAllocationError(LedgerError):
    """An allocation would exceed what the movement has or what the item is owed."""


class NotAssignableError(LedgerError):
    """The movement cannot take this allocation (its status, or hidden for automatic work)."""


class ManualAllocationProtectedError(LedgerError):
    """Automatic work tried to remove or change an allocation a person made."""


class NothingToUndoError(LedgerError):
    """``Ledger.undo`` was called with no action left to undo."""


class ShellError(PaymatchError):
    """The automation shell (store, targets, mail, worker) could not do its work.

    The message names the configured thing (``target 'datev-sftp'``, ``job 'daily'``)
    and never contains a secret.
    """


class SecretError(ShellError):
    """A secret is missing from its environment variable or keyring, or was written in clear."""


class StoreError(ShellError):
    """The store cannot be opened, is at another schema version, or refused a write."""


class InstanceLockedError(ShellError):
    """Another worker holds the single-instance lock; ``holder`` says who (host, pid, since)."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class DeliveryError(ShellError):
    """A delivery target refused the connection, a listing, a download or an upload."""


class MailError(ShellError):
    """The SMTP server could not be reached or refused the mail."""


class EventPluginError(ShellError):
    """An ``paymatch.events`` entry point failed to load or lacks ``item_paid``."""
