"""The worker: due runs, missed runs made up once, one instance, clean stop on SIGTERM,
daily logs pruned by age."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from paymatch.errors import InstanceLockedError
from paymatch.shell.config import AutomationConfig, load_config
from paymatch.shell.daily_log import DailyLog
from paymatch.shell.jobs import JobRunner
from paymatch.shell.lock import FileInstanceLock
from paymatch.shell.runtime import open_store
from paymatch.shell.store import Store
from paymatch.shell.worker import Worker
from tests.shell_setup import write_shop


@attrs.define
class Clock:
    """A clock the test moves by hand."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now


@attrs.define
class Setup:
    config: AutomationConfig
    store: Store
    clock: Clock
    worker: Worker


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    config = load_config(write_shop(tmp_path, export_format="csv"))
    store = open_store(config)
    store.migrate()
    clock = Clock(dt.datetime(2026, 11, 24, 5, 0, tzinfo=dt.UTC))  # 06:00 in Berlin
    runner = JobRunner(config, store, clock=clock, log=DailyLog(tmp_path / "logs", clock=clock))
    yield Setup(config, store, clock, Worker(config, store, runner, clock=clock))
    store.close()


def test_a_job_runs_when_due_and_then_at_its_next_time(setup: Setup) -> None:
    setup.worker.start()
    assert setup.worker.next_due == {"daily": dt.datetime(2026, 11, 24, 5, 30, tzinfo=dt.UTC)}
    assert setup.worker.run_due() == []
    setup.clock.now = dt.datetime(2026, 11, 24, 5, 31, tzinfo=dt.UTC)
    (result,) = setup.worker.run_due()
    assert (result.job, result.status) == ("daily", "succeeded")
    assert setup.worker.run_due() == []  # not twice
    assert setup.worker.next_due["daily"] == dt.datetime(2026, 11, 25, 5, 30, tzinfo=dt.UTC)
    (run,) = setup.store.runs("daily")
    assert run.scheduled_for == dt.datetime(2026, 11, 24, 5, 30, tzinfo=dt.UTC)


def test_runs_missed_while_the_worker_was_down_are_made_up_once(setup: Setup) -> None:
    three_days_ago = dt.datetime(2026, 11, 21, 5, 30, tzinfo=dt.UTC)
    run = setup.store.start_run(
        "daily", "reconcile", at=three_days_ago, scheduled_for=three_days_ago, host="h", pid=1
    )
    setup.store.finish_run(run, status="succeeded", at=three_days_ago, counts={})
    setup.clock.now = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    setup.worker.start()
    assert len(setup.worker.run_due()) == 1
    assert setup.worker.run_due() == []
    assert setup.worker.next_due["daily"] == dt.datetime(2026, 11, 25, 5, 30, tzinfo=dt.UTC)


def test_the_worker_marks_runs_of_a_dead_process_failed(setup: Setup) -> None:
    setup.store.start_run(
        "daily", "reconcile", at=setup.clock.now, scheduled_for=None, host="h", pid=1
    )
    setup.worker.start()
    (run,) = setup.store.runs("daily")
    assert run.status == "failed"


def test_a_second_lock_holder_is_refused_with_who_holds_it(tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)
    with FileInstanceLock(tmp_path / "store.lock", now=now):
        with pytest.raises(InstanceLockedError) as refused:  # noqa: SIM117
            with FileInstanceLock(tmp_path / "store.lock", now=now):
                pass
        assert f"process {os.getpid()}" in refused.value.holder
        assert "since 2026-11-24T06:00:00+00:00" in refused.value.holder
    with FileInstanceLock(tmp_path / "store.lock", now=now):  # free again
        pass


def test_old_logs_are_pruned_by_age(tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC))
    log = DailyLog(tmp_path, clock=clock)
    for day in ("2026-08-01", "2026-08-26", "2026-11-23"):
        (tmp_path / f"paymatch {day}.log").write_text("x", encoding="utf-8")
        (tmp_path / f"paymatch debug {day}.log").write_text("x", encoding="utf-8")
    (tmp_path / "other 2020-01-01.log").write_text("not ours", encoding="utf-8")
    removed = log.prune(keep_days=90)
    assert sorted(path.name for path in removed) == [
        "paymatch 2026-08-01.log",
        "paymatch debug 2026-08-01.log",
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "other 2020-01-01.log",
        "paymatch 2026-08-26.log",
        "paymatch 2026-11-23.log",
        "paymatch debug 2026-08-26.log",
        "paymatch debug 2026-11-23.log",
    ]


def _paymatch(*args: str, config: Path) -> list[str]:
    return [sys.executable, "-m", "paymatch", *args, "--config", str(config)]


def test_one_worker_per_store_and_a_clean_stop_on_sigterm(tmp_path: Path) -> None:
    config = write_shop(tmp_path, export_format="csv")
    first = subprocess.Popen(
        _paymatch("worker", config=config),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    holder = tmp_path / "state" / "paymatch.db.lock.holder"
    try:
        deadline = time.monotonic() + 60
        while not holder.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert holder.exists(), first.communicate(timeout=10)
        second = subprocess.run(
            _paymatch("jobs", "run", "daily", config=config),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 3
        assert "another paymatch works on this store (host " in second.stderr
        assert f"process {first.pid}," in second.stderr
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err
    assert "SIGTERM: stopping" in err
    assert "paymatch worker: stopped" in out
    assert not holder.exists()


def test_a_worker_started_again_knows_what_is_due(setup: Setup) -> None:
    """As cron runs `paymatch worker --once`: each start is a new worker on the same store."""
    setup.worker.start()  # 06:00 in Berlin: the 06:30 run is planned, nothing is due
    assert setup.worker.run_due() == []
    setup.clock.now = dt.datetime(2026, 11, 24, 5, 40, tzinfo=dt.UTC)  # 06:40: a new worker
    again = Worker(setup.config, setup.store, setup.worker.runner, clock=setup.clock)
    again.start()
    (result,) = again.run_due()
    assert result.succeeded
    assert setup.store.planned_runs()["daily"][1] == dt.datetime(2026, 11, 25, 5, 30, tzinfo=dt.UTC)
    later = Worker(setup.config, setup.store, setup.worker.runner, clock=setup.clock)
    later.start()
    assert later.run_due() == []  # not twice


def test_a_changed_schedule_is_planned_again(setup: Setup) -> None:
    setup.worker.start()
    assert setup.worker.next_due["daily"] == dt.datetime(2026, 11, 24, 5, 30, tzinfo=dt.UTC)
    daily = setup.config.jobs["daily"]
    assert daily.schedule is not None
    moved = attrs.evolve(daily, schedule=attrs.evolve(daily.schedule, at=dt.time(7, 15)))
    config = attrs.evolve(setup.config, jobs={"daily": moved})
    changed = Worker(config, setup.store, setup.worker.runner, clock=setup.clock)
    changed.start()
    assert changed.next_due["daily"] == dt.datetime(2026, 11, 24, 6, 15, tzinfo=dt.UTC)


def test_new_store_and_log_folders_are_the_owners_alone(setup: Setup) -> None:
    setup.worker.start()
    setup.clock.now = dt.datetime(2026, 11, 24, 5, 31, tzinfo=dt.UTC)
    setup.worker.run_due()
    state = setup.config.path("state")
    logs = setup.config.path("logs")
    assert state.stat().st_mode & 0o777 == 0o700
    assert logs.stat().st_mode & 0o777 == 0o700
