"""Export files: what a format hands back — a name, the bytes, and the bookings inside.

The core writes no files: a format returns :class:`ExportFile` values and the
shell (or the embedding program) stores or uploads them. ``booking_ids`` say
which bookings the file carries, so the caller can record them as exported in
the same step that stores the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import BinaryIO

import attrs

from paymatch.accounting.journal import Booking
from paymatch.model import _checks

__all__ = ["ExportFile", "file_of"]


@attrs.frozen(kw_only=True)
class ExportFile:
    """One file of an export: ``name`` (no directory), its ``data`` and the bookings it carries."""

    name: str = attrs.field(validator=_checks.text)
    data: bytes = attrs.field(validator=_checks.of_type(bytes), repr=False)
    booking_ids: tuple[str, ...] = attrs.field(default=(), validator=_checks.tuple_of(str))


def file_of(
    name: str,
    bookings: Iterable[Booking],
    write: Callable[[Iterable[Booking], BinaryIO], object],
) -> ExportFile:
    """The file ``write`` makes of ``bookings`` in memory, named ``name``, with their ids."""
    bookings = tuple(bookings)
    stream = io.BytesIO()
    write(bookings, stream)
    return ExportFile(
        name=name, data=stream.getvalue(), booking_ids=tuple(b.booking_id for b in bookings)
    )
