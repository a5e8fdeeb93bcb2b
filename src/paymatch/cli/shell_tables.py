"""Rich tables of the automation commands: the worker's status tab and the run history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

__all__ = ["history_table", "jobs_table"]

_STYLES = {"succeeded": "green", "failed": "bold red", "running": "yellow"}


def _status(run: Mapping[str, Any] | None) -> str:
    if run is None:
        return "never run"
    style = _STYLES.get(str(run["status"]), "")
    return f"[{style}]{run['status']}[/]" if style else str(run["status"])


def _counts(run: Mapping[str, Any]) -> str:
    """The run's counts that are not zero."""
    return ", ".join(f"{key} {value}" for key, value in sorted(run["counts"].items()) if value)


def _moment(text: str | None) -> str:
    """An ISO time as people read it: ``2026-11-24 06:30:02 +0100``, in its own zone."""
    if not text:
        return ""
    return dt.datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M:%S %z")


def _local(text: str | None) -> str:
    """An ISO time in this machine's zone, as people read it."""
    if not text:
        return ""
    return dt.datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _duration(run: Mapping[str, Any]) -> str:
    seconds = run["duration_seconds"]
    return "" if seconds is None else f"{seconds:.1f} s"


def jobs_table(rows: Sequence[Mapping[str, Any]], console: Console | None = None) -> None:
    """One row per job: kind, schedule, next run, last run's status, time, duration, counts."""
    table = Table(title="paymatch jobs", title_justify="left")
    for column in ("job", "kind", "schedule", "next run", "last run", "started", "took", "counts"):
        table.add_column(column)
    for row in rows:
        last = row["last_run"]
        table.add_row(
            row["job"],
            row["kind"],
            row["schedule"] or "by hand",
            _moment(row["next_run"]),
            _status(last),
            "" if last is None else _local(last["started_at"]),
            "" if last is None else _duration(last),
            "" if last is None else _counts(last),
        )
    (console or Console()).print(table)


def history_table(runs: Sequence[Mapping[str, Any]], console: Console | None = None) -> None:
    """One row per run, newest first, with its error if it failed."""
    table = Table(title="paymatch job runs", title_justify="left")
    for column in ("run", "job", "status", "started", "took", "counts", "error"):
        table.add_column(column)
    for run in runs:
        table.add_row(
            str(run["run"]),
            run["job"],
            _status(run),
            _local(run["started_at"]),
            _duration(run),
            _counts(run),
            escape(run["error"] or ""),
        )
    (console or Console()).print(table)
