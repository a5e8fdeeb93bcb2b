"""The store: SQLite by default, PostgreSQL for several users; Alembic migrations."""

from paymatch.shell.store.store import (
    ImportCounts,
    ItemCounts,
    JobRun,
    LoadedLedger,
    PreparedBatch,
    SaveCounts,
    Store,
)

__all__ = [
    "ImportCounts",
    "ItemCounts",
    "JobRun",
    "LoadedLedger",
    "PreparedBatch",
    "SaveCounts",
    "Store",
]
