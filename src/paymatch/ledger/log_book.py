"""The log book: what failed and where, kept as data beside the ledger."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from paymatch.model import SourcePosition
from paymatch.model._checks import of_type, text

__all__ = ["LogEntry", "LogLevel"]


class LogLevel(enum.StrEnum):
    """How serious a log-book entry is."""

    INFO = "info"  # something worth knowing, nothing to do
    WARNING = "warning"  # something a person should look at
    ERROR = "error"  # something failed and was not done


@attrs.frozen(kw_only=True)
class LogEntry:
    """One entry of the log book (the seed's "Logbuch" of failed imports and assignments).

    ``at`` is passed in by the caller; the core reads no clock. ``movement_id``
    and ``source`` say what the entry is about, where known.
    """

    at: dt.datetime = attrs.field(validator=of_type(dt.datetime))
    level: LogLevel = attrs.field(validator=of_type(LogLevel))
    message: str = attrs.field(validator=text)
    movement_id: str | None = attrs.field(default=None, validator=of_type(str, optional=True))
    source: SourcePosition | None = attrs.field(
        default=None, validator=of_type(SourcePosition, optional=True)
    )
