"""What the commands write: files replaced atomically, and the record of exported bookings.

A file is written under a temporary name in its directory, flushed to disk and
then renamed over the target, so a reader (or an accountant's import) never
sees half a file, and a failure leaves the old file or none — never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import click

__all__ = ["read_exported", "record_exported", "write_atomically"]


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def read_exported(path: Path | None) -> frozenset[str]:
    """The booking ids recorded as exported in ``path`` (one per line); none if it is missing."""
    if path is None or not path.exists():
        return frozenset()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read: {error.strerror}") from None
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def record_exported(path: Path, before: frozenset[str], new: Iterable[str]) -> None:
    """Add the ``new`` booking ids to the record at ``path``, atomically."""
    ids = sorted(before | set(new))
    write_atomically(path, "".join(f"{booking_id}\n" for booking_id in ids).encode("utf-8"))
