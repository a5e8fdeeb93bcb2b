"""What every delivery target does: list, read and move statement files, upload export files.

A target is a folder: a local one, or one on an SFTP, FTP or FTPS server. Uploads are
atomic — the data goes to a temporary name in the same folder (``.name.part``) and is
then renamed — so a reader of the folder never sees half a file, and a run that dies
during an upload leaves at most a ``.part`` file that the next upload replaces.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable
from types import TracebackType
from typing import Protocol, Self

from paymatch.errors import DeliveryError

__all__ = ["PROBE_NAME", "ClosesOnExit", "ServerFolder", "Target", "matching", "part_name"]

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


class ClosesOnExit:
    """The ``with`` plumbing of the targets: entering gives the target, leaving closes it."""

    def close(self) -> None:
        """End the connection (each target says how)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class ServerFolder(ClosesOnExit):
    """What the SFTP and FTP targets share: where they are, messages, the write test."""

    scheme = ""

    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        user: str | None,
        folder: str,
        password: str | None,
        timeout: float,
    ) -> None:
        self.name = name
        self.host = host
        self.port = port
        self.user = user
        self.folder = folder
        self._password = password
        self._timeout = timeout

    def _url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{self.folder}"

    def _where(self) -> str:
        """``target 'bank' (sftp://host:22/outgoing)``: how messages name the target."""
        return f"target {self.name!r} ({self._url()})"

    def _absolute(self, name: str) -> str:
        return posixpath.join(self.folder, name) if name else self.folder

    def _not_connected(self) -> DeliveryError:
        return DeliveryError(f"{self._where()}: not connected (use the target in a with block)")

    def upload(self, name: str, data: bytes) -> None:
        """Write ``data`` as ``name`` atomically (each protocol says how)."""
        raise NotImplementedError

    def _remove(self, name: str) -> None:
        """Delete the file ``name`` in the folder; DeliveryError if that fails."""
        raise NotImplementedError

    def _checked(self) -> str:
        """What the connection proved besides write access (host key, certificate)."""
        raise NotImplementedError

    def test(self) -> str:
        """Log in, write and remove a probe file in the folder."""
        self.upload(PROBE_NAME, b"paymatch write test\n")
        self._remove(PROBE_NAME)
        return f"{self._url()}: {self._checked()}, writable"
