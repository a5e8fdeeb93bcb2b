"""What the commands and the worker open from a configuration: store, lock, daily log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from paymatch.shell.config import AutomationConfig
from paymatch.shell.daily_log import DailyLog
from paymatch.shell.lock import AdvisoryLock, FileInstanceLock, InstanceLock
from paymatch.shell.store import Store

__all__ = ["daily_log", "instance_lock", "open_store", "store_url"]


def store_url(config: AutomationConfig) -> sa.URL:
    """The store's URL: an SQLite file relative to the configuration's folder; the password read."""
    url = sa.make_url(config.store.url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        url = url.set(database=str(config.path(url.database or "")))
    if config.store.password is not None:
        url = url.set(password=config.store.password.reveal("store password"))
    return url


def open_store(config: AutomationConfig) -> Store:
    """The configured store, not migrated (see :meth:`Store.migrate`)."""
    url = store_url(config)
    if url.get_backend_name() == "sqlite" and url.database:
        # payers' names and IBANs are personal data: a new folder is the owner's alone
        Path(url.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return Store.connect(url)


def instance_lock(config: AutomationConfig, store: Store, *, now: dt.datetime) -> InstanceLock:
    """The single-instance lock of the store: a file lock for SQLite, advisory for PostgreSQL."""
    url = store_url(config)
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(store.engine, now=now)
    database = url.database or ":memory:"
    if database == ":memory:":
        return FileInstanceLock(config.path(".paymatch-memory.lock"), now=now)
    return FileInstanceLock(Path(database + ".lock"), now=now)


def daily_log(config: AutomationConfig, clock: Callable[[], dt.datetime]) -> DailyLog:
    """The daily log files of the configuration."""
    settings = config.logs
    return DailyLog(
        config.path(settings.folder), program=settings.program, header=settings.header, clock=clock
    )
