"""A local folder as a target (or a mounted share)."""

from __future__ import annotations

import os
from pathlib import Path

from paymatch.errors import DeliveryError
from paymatch.shell.targets.base import PROBE_NAME, ClosesOnExit, matching, part_name

__all__ = ["FolderTarget"]


class FolderTarget(ClosesOnExit):
    """Files in ``path``; uploads go through a temporary file, fsync and rename."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path

    def _fail(self, what: str, error: OSError) -> DeliveryError:
        return DeliveryError(
            f"target {self.name!r} ({self.path}): {what}: {error.strerror or error}"
        )

    def list(self, pattern: str) -> list[str]:
        """The matching files in the folder (sub-folders are not files)."""
        try:
            names = [entry.name for entry in os.scandir(self.path) if entry.is_file()]
        except OSError as error:
            raise self._fail("cannot list the folder", error) from None
        return matching(names, pattern)

    def read(self, name: str) -> bytes:
        """The file's bytes."""
        try:
            return (self.path / name).read_bytes()
        except OSError as error:
            raise self._fail(f"cannot read {name}", error) from None

    def move(self, name: str, folder: str) -> None:
        """Rename the file into the sub-folder (a file there of that name is replaced)."""
        try:
            (self.path / folder).mkdir(parents=True, exist_ok=True)
            os.replace(self.path / name, self.path / folder / name)
        except OSError as error:
            raise self._fail(f"cannot move {name} into {folder}", error) from None

    def upload(self, name: str, data: bytes) -> None:
        """Write ``.name.part`` in the folder, fsync, then rename it over ``name``.

        The temporary name is fixed, so a retry after a crash replaces what the
        crashed upload left instead of leaving one more stray file.
        """
        temporary = self.path / part_name(name)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                with temporary.open("wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(temporary, self.path / name)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        except OSError as error:
            raise self._fail(f"cannot write {name}", error) from None

    def test(self) -> str:
        """Write and remove a probe file."""
        self.upload(PROBE_NAME, b"paymatch write test\n")
        try:
            (self.path / PROBE_NAME).unlink()
        except OSError as error:
            raise self._fail("cannot remove the probe file", error) from None
        return f"folder {self.path}: writable"
