"""Single instance: only one worker (or job run) works on a store at a time.

For an SQLite store the lock is a file lock (filelock) beside the database file;
the operating system releases it when the process ends, however it ends. For
PostgreSQL it is a session advisory lock, so it holds across machines. Either way a
second process is told who holds the lock (host, process, since when) and stops with
:class:`~paymatch.errors.InstanceLockedError`.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path
from types import TracebackType
from typing import Protocol

import filelock
import sqlalchemy as sa

from paymatch.errors import InstanceLockedError, StoreError

__all__ = ["ADVISORY_LOCK_KEY", "AdvisoryLock", "FileInstanceLock", "InstanceLock", "holder_text"]

#: The key of paymatch's PostgreSQL advisory lock (a fixed 64-bit number: "paymatch").
ADVISORY_LOCK_KEY = int.from_bytes(b"paymatch", "big") & 0x7FFF_FFFF_FFFF_FFFF


def holder_text(now: dt.datetime) -> str:
    """Who this process is: ``host builder, process 4242, since 2026-11-24T06:30:00+00:00``."""
    return f"host {socket.gethostname()}, process {os.getpid()}, since {now.isoformat()}"


class InstanceLock(Protocol):
    """A lock held while entered; entering raises InstanceLockedError if another holds it."""

    def __enter__(self) -> InstanceLock: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class FileInstanceLock:
    """A file lock at ``path``; who holds it is written to ``path`` + ``.holder``."""

    def __init__(self, path: Path, *, now: dt.datetime) -> None:
        self.path = path
        self.holder_path = path.with_name(path.name + ".holder")
        self._lock = filelock.FileLock(str(path), timeout=0)
        self._now = now

    def __enter__(self) -> FileInstanceLock:
        try:
            self._lock.acquire()
        except filelock.Timeout:
            try:
                holder = self.holder_path.read_text(encoding="utf-8").strip()
            except OSError:
                holder = "unknown"
            raise InstanceLockedError(
                f"another paymatch works on this store ({holder}); lock file {self.path}", holder
            ) from None
        self.holder_path.write_text(holder_text(self._now) + "\n", encoding="utf-8")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.holder_path.unlink(missing_ok=True)
        self._lock.release()


class AdvisoryLock:
    """PostgreSQL's session advisory lock on its own connection, held while entered.

    The connection's ``application_name`` says who holds it; a second process
    reads it from ``pg_stat_activity``.
    """

    def __init__(self, engine: sa.Engine, *, now: dt.datetime) -> None:
        self.engine = engine
        self._now = now
        self._connection: sa.Connection | None = None

    def __enter__(self) -> AdvisoryLock:
        try:
            connection = self.engine.connect()
        except sa.exc.OperationalError as error:
            raise StoreError(f"store: cannot connect: {error.orig}") from None
        me = f"paymatch worker: {holder_text(self._now)}"[:63]
        connection.execute(sa.text("SELECT set_config('application_name', :me, false)"), {"me": me})
        got = connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
        ).scalar_one()
        connection.commit()
        if not got:
            holder = connection.execute(
                sa.text(
                    "SELECT a.application_name FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted "
                    "AND (l.classid::bigint << 32 | l.objid::bigint) = :key"
                ),
                {"key": ADVISORY_LOCK_KEY},
            ).scalar()
            connection.close()
            who = str(holder or "unknown")
            raise InstanceLockedError(f"another paymatch works on this store ({who})", who)
        self._connection = connection
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            self._connection.execute(
                sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
            self._connection.close()
            self._connection = None
