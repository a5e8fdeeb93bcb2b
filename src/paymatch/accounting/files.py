"""Export files: what a format hands back — a name, the bytes, and the bookings inside.

The core writes no files: a format returns :class:`ExportFile` values and the
shell (or the embedding program) stores or uploads them. ``booking_ids`` say
which bookings the file carries, so the caller can record them as exported in
the same step that stores the file.
"""

from __future__ import annotations

import attrs

from paymatch.model import _checks

__all__ = ["ExportFile"]


@attrs.frozen(kw_only=True)
class ExportFile:
    """One file of an export: ``name`` (no directory), its ``data`` and the bookings it carries."""

    name: str = attrs.field(validator=_checks.text)
    data: bytes = attrs.field(validator=_checks.of_type(bytes), repr=False)
    booking_ids: tuple[str, ...] = attrs.field(default=(), validator=_checks.tuple_of(str))
