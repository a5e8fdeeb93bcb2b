"""What every delivery target does: list, read and move statement files, upload export files.

A target is a folder: a local one, or one on an SFTP, FTP or FTPS server. Uploads are
atomic — the data goes to a temporary name in the same folder (``.name.part``) and is
then renamed — so a reader of the folder never sees half a file, and a run that dies
during an upload leaves at most a ``.part`` file that the next upload replaces.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from types import TracebackType
from typing import Protocol

__all__ = ["PROBE_NAME", "Target", "matching", "part_name"]

#: The file ``paymatch target test`` writes and removes to prove write permission.
PROBE_NAME = ".paymatch-write-test"


def part_name(name: str) -> str:
    """The temporary name an upload of ``name`` is written under before the rename."""
    return f".{name}.part"


def matching(names: Iterable[str], pattern: str) -> list[str]:
    """The plain file names among ``names`` that match the glob ``pattern``, sorted.

    Hidden and temporary files (leading dot) are never statement files.

    >>> matching(["b.xml", "a.xml", ".a.xml.part", "done", "c.txt"], "*.xml")
    ['a.xml', 'b.xml']
    """
    return sorted(
        name for name in names if not name.startswith(".") and fnmatch.fnmatchcase(name, pattern)
    )


class Target(Protocol):
    """A folder to fetch statements from and deliver exports to (see the module docstring).

    Every method raises :class:`~paymatch.errors.DeliveryError` naming the target
    and what failed; no message contains a password.
    """

    name: str

    def list(self, pattern: str) -> list[str]:
        """The names of the files in the folder matching ``pattern``, sorted."""
        ...

    def read(self, name: str) -> bytes:
        """The content of the file ``name`` in the folder."""
        ...

    def move(self, name: str, folder: str) -> None:
        """Move the file ``name`` into the sub-folder ``folder`` (made if missing)."""
        ...

    def upload(self, name: str, data: bytes) -> None:
        """Write ``data`` as ``name`` atomically, replacing a file of that name."""
        ...

    def test(self) -> str:
        """Connect, write and remove a probe file; a description of what was checked."""
        ...

    def close(self) -> None:
        """End the connection."""
        ...

    def __enter__(self) -> Target: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
