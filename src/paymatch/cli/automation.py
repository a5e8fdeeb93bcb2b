"""The automation commands: ``worker``, ``jobs``, ``target``, ``mail``, ``config``, ``store``.

Each reads the automation file (``--config``, default ``paymatch-jobs.toml`` or the
``PAYMATCH_CONFIG`` environment variable; see docs/automation.md). Commands that change
the store take the single-instance lock first; a second one says who holds it and exits
with 3. Errors exit with 1 (2 for a bad command line), and every message passes through
the secret redaction.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from paymatch.shell.config import AutomationConfig
    from paymatch.shell.jobs import JobRunner
    from paymatch.shell.schedule import Schedule
    from paymatch.shell.store import JobRun, Store

__all__ = [
    "config_group",
    "jobs_group",
    "mail_group",
    "store_group",
    "target_group",
    "worker_command",
]

#: Exit status when another process holds the single-instance lock.
EXIT_LOCKED = 3


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def automation_config_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--config FILE``: the automation file."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="PAYMATCH_CONFIG",
        default="paymatch-jobs.toml",
        show_default=True,
        help="The automation file (store, targets, sources, jobs, mail, export settings).",
    )(function)


def _fail(command: str, error: BaseException, status: int = 1) -> NoReturn:
    from paymatch.shell.secrets import redact

    click.echo(f"paymatch {command}: {redact(str(error))}", err=True)
    sys.exit(status)


def _load(command: str, path: Path) -> AutomationConfig:
    from paymatch.shell.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as error:
        click.echo(f"paymatch {command}: {path}: the automation file has problems:", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)


@contextmanager
def _session(command: str, config: AutomationConfig) -> Iterator[tuple[Store, JobRunner]]:
    """The migrated store under the single-instance lock, and a job runner on it."""
    from paymatch.errors import InstanceLockedError, PaymatchError
    from paymatch.shell.events import load_listeners
    from paymatch.shell.jobs import JobRunner
    from paymatch.shell.runtime import daily_log, instance_lock, open_store

    try:
        with open_store(config) as store, instance_lock(config, store, now=_now()):
            store.migrate()
            runner = JobRunner(
                config, store, clock=_now, log=daily_log(config, _now), listeners=load_listeners()
            )
            yield store, runner
    except InstanceLockedError as error:
        _fail(command, error, EXIT_LOCKED)
    except PaymatchError as error:
        _fail(command, error)


# -- worker -------------------------------------------------------------------------------


@click.command("worker")
@automation_config_option
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then exit.")
def worker_command(config_path: Path, once: bool) -> None:
    """Run scheduled jobs when they are due, until stopped (SIGTERM or Ctrl-C).

    Only one worker runs per store; a second one says who holds the lock and
    exits with status 3. The job that runs when the signal comes finishes first.
    """
    from paymatch.shell.worker import Worker

    config = _load("worker", config_path)
    with _session("worker", config) as (store, runner):
        worker = Worker(config, store, runner, clock=_now)

        def stop(signum: int, _: object) -> None:
            click.echo(f"paymatch worker: {signal.Signals(signum).name}: stopping", err=True)
            worker.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if once:
            worker.start()
            results = worker.run_due()
            failed = [result.job for result in results if not result.succeeded]
            click.echo(f"paymatch worker: {len(results)} job(s) run, {len(failed)} failed")
            sys.exit(1 if failed else 0)
        click.echo(f"paymatch worker: {len(config.jobs)} job(s); waiting for the next due one")
        worker.run_forever()
        click.echo("paymatch worker: stopped")


# -- jobs ---------------------------------------------------------------------------------


@click.group("jobs")
def jobs_group() -> None:
    """List, run and show the history of the automation file's jobs."""


@jobs_group.command("list")
@automation_config_option
@click.option("--output", type=click.Choice(["table", "json"]), default="table", show_default=True)
def jobs_list(config_path: Path, output: str) -> None:
    """Each job with its schedule, next run and last run (the worker's status tab)."""
    from paymatch.cli.shell_tables import jobs_table
    from paymatch.errors import PaymatchError
    from paymatch.shell.runtime import open_store

    config = _load("jobs list", config_path)
    try:
        with open_store(config) as store:
            store.check_revision()
            planned = store.planned_runs()
            rows = []
            for name, job in sorted(config.jobs.items()):
                last = store.runs(name, limit=1)
                rows.append(
                    {
                        "job": name,
                        "kind": job.kind.value,
                        "schedule": None if job.schedule is None else _schedule_text(job.schedule),
                        "next_run": _next_run(job.schedule, planned.get(name), last),
                        "last_run": last[0].to_json() if last else None,
                    }
                )
    except PaymatchError as error:
        _fail("jobs list", error)
    if output == "json":
        click.echo(json.dumps({"jobs": rows}, indent=2))
    else:
        jobs_table(rows)


@jobs_group.command("run")
@click.argument("name")
@automation_config_option
def jobs_run(name: str, config_path: Path) -> None:
    """Run job NAME now; exit 1 if it failed."""
    config = _load("jobs run", config_path)
    if name not in config.jobs:
        _fail("jobs run", KeyError(f"no job {name!r} (jobs: {', '.join(sorted(config.jobs))})"))
    with _session("jobs run", config) as (store, runner):
        store.interrupt_stale_runs(at=_now())
        result = runner.run(name)
    click.echo(
        f"paymatch jobs run: {name} {result.status} (run {result.run_id}): "
        + (", ".join(f"{k} {v}" for k, v in sorted(result.counts.items())) or "nothing done")
    )
    sys.exit(0 if result.succeeded else 1)


@jobs_group.command("history")
@click.argument("name", required=False)
@automation_config_option
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--output", type=click.Choice(["table", "json"]), default="table", show_default=True)
def jobs_history(name: str | None, config_path: Path, limit: int, output: str) -> None:
    """The latest runs (of job NAME, or of all jobs), newest first."""
    from paymatch.cli.shell_tables import history_table
    from paymatch.errors import PaymatchError
    from paymatch.shell.runtime import open_store

    config = _load("jobs history", config_path)
    try:
        with open_store(config) as store:
            store.check_revision()
            runs = [run.to_json() for run in store.runs(name, limit=limit)]
    except PaymatchError as error:
        _fail("jobs history", error)
    if output == "json":
        click.echo(json.dumps({"runs": runs}, indent=2))
    else:
        history_table(runs)


def _next_run(
    schedule: Schedule | None, plan: tuple[str, dt.datetime] | None, last: Sequence[JobRun]
) -> str | None:
    """When the worker runs the job next: its stored plan, or as a starting worker plans it."""
    from paymatch.shell.worker import first_run, planned_run

    if schedule is None:
        return None
    due = planned_run(schedule, plan) or first_run(schedule, last, _now())
    return due.astimezone(schedule.zone).isoformat()


def _schedule_text(schedule: Schedule) -> str:
    from paymatch.shell.schedule import Frequency

    every = schedule.every
    parts = {
        Frequency.MINUTES: f"every {schedule.interval} minutes",
        Frequency.HOURLY: "hourly",
        Frequency.DAILY: "daily",
        Frequency.WEEKLY: "weekly on " + ", ".join(day.value for day in schedule.weekdays),
        Frequency.MONTHLY: f"monthly on day {schedule.day}",
    }[every]
    if schedule.at is not None:
        parts += (
            f" at {schedule.at:%H:%M}"
            if schedule.until is None
            else (f" {schedule.at:%H:%M}-{schedule.until:%H:%M}")
        )
    if schedule.weekdays and every is not Frequency.WEEKLY:
        parts += " on " + ", ".join(day.value for day in schedule.weekdays)
    return f"{parts} ({schedule.timezone})"


# -- targets, mail, config, store -----------------------------------------------------------


@click.group("target")
def target_group() -> None:
    """Check the delivery targets of the automation file."""


@target_group.command("test")
@click.argument("name")
@automation_config_option
def target_test(name: str, config_path: Path) -> None:
    """Connect to target NAME, write and remove a probe file (the seed's "Verbindung testen")."""
    from paymatch.errors import PaymatchError
    from paymatch.shell.targets import open_target

    config = _load("target test", config_path)
    if name not in config.targets:
        _fail("target test", KeyError(f"no target {name!r} ({', '.join(sorted(config.targets))})"))
    try:
        with open_target(name, config) as target:
            checked = target.test()
    except PaymatchError as error:
        _fail("target test", error)
    click.echo(f"paymatch target test: {name}: {checked}")


@click.group("mail")
def mail_group() -> None:
    """Check the failure mail of the automation file."""


@mail_group.command("test")
@automation_config_option
def mail_test(config_path: Path) -> None:
    """Send a test mail to the configured recipients."""
    from paymatch.errors import PaymatchError
    from paymatch.shell.mail import compose, send

    config = _load("mail test", config_path)
    if config.mail is None:
        _fail("mail test", ValueError("the automation file has no [mail] table"))
    message = compose(
        config.mail,
        subject="paymatch: test mail",
        body="This is a test mail from paymatch. Failure mails will look like this one, "
        "with the run's log attached.\n",
    )
    try:
        send(config.mail, message, base=config.base)
    except PaymatchError as error:
        _fail("mail test", error)
    click.echo(f"paymatch mail test: sent to {', '.join(config.mail.to)}")


@click.group("config")
def config_group() -> None:
    """Check the automation file."""


@config_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def config_check(path: Path) -> None:
    """Report every problem of the automation file PATH with its key path; exit 1 if any."""
    from paymatch.shell.config import check_config

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _fail("config check", error)
    config, problems = check_config(text, base=path.resolve().parent)
    for problem in problems:
        click.echo(f"{path}: {problem}", err=True)
    if config is None:
        sys.exit(1)
    click.echo(
        f"{path}: ok: {len(config.jobs)} job(s), {len(config.targets)} target(s), "
        f"{len(config.sources)} source(s)"
    )


@click.group("store")
def store_group() -> None:
    """Manage the store's schema."""


@store_group.command("migrate")
@automation_config_option
def store_migrate(config_path: Path) -> None:
    """Bring the store's schema to the newest revision (creates an empty store)."""
    config = _load("store migrate", config_path)
    with _session("store migrate", config) as (store, _):
        revision = store.revision()
    click.echo(f"paymatch store migrate: at revision {revision}")
