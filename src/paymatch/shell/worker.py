"""The worker: runs each scheduled job when it is due, until stopped.

Each job's next run is kept in the store, so a worker started again (after a
restart, or by cron with ``--once``) knows what is due: a run missed while no worker
ran is made up once (not once per missed slot). A job seen for the first time, or
whose schedule changed, is planned from its last recorded run, or from now. Runs
still marked running from a process that died are marked failed. SIGTERM and SIGINT stop
the worker cleanly: the job that runs finishes, then the worker exits. Old daily logs
are pruned once a day.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence

from paymatch.shell.config import AutomationConfig
from paymatch.shell.jobs import JobRunner, RunResult
from paymatch.shell.schedule import Schedule
from paymatch.shell.store import JobRun, Store

__all__ = ["Worker", "first_run", "planned_run"]

#: The longest the worker sleeps before it looks at the clock again.
MAX_SLEEP = dt.timedelta(seconds=60)


def planned_run(schedule: Schedule, plan: tuple[str, dt.datetime] | None) -> dt.datetime | None:
    """The stored next run of a job, if it was planned with this very schedule."""
    if plan is not None and plan[0] == repr(schedule):
        return plan[1]
    return None


def first_run(schedule: Schedule, last: Sequence[JobRun], now: dt.datetime) -> dt.datetime:
    """The next run of a job without a plan: after its last recorded run, or after now."""
    after = now if not last else (last[0].scheduled_for or last[0].started_at)
    return schedule.next_run(after)


class Worker:
    """Runs the configuration's scheduled jobs through ``runner`` (the caller holds the lock)."""

    def __init__(
        self,
        config: AutomationConfig,
        store: Store,
        runner: JobRunner,
        *,
        clock: Callable[[], dt.datetime],
        stop: threading.Event | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.runner = runner
        self.clock = clock
        self.stop = stop or threading.Event()
        self.next_due: dict[str, dt.datetime] = {}
        self._pruned: dt.date | None = None

    def start(self) -> None:
        """Mark runs of dead processes failed and plan each scheduled job's next run."""
        now = self.clock()
        self.store.interrupt_stale_runs(at=now)
        planned = self.store.planned_runs()
        for name, job in sorted(self.config.jobs.items()):
            if job.schedule is None:
                continue
            due = planned_run(job.schedule, planned.get(name))
            if due is not None:
                self.next_due[name] = due
                continue
            self._plan(name, first_run(job.schedule, self.store.runs(name, limit=1), now))

    def run_due(self) -> list[RunResult]:
        """Run every job that is due now, earliest first; plan their next runs."""
        now = self.clock()
        self._prune(now)
        results = []
        for name, due in sorted(self.next_due.items(), key=lambda pair: (pair[1], pair[0])):
            if due > now or self.stop.is_set():
                continue
            results.append(self.runner.run(name, scheduled_for=due))
            schedule = self.config.jobs[name].schedule
            assert schedule is not None
            self._plan(name, schedule.next_run(max(self.clock(), due)))
        return results

    def _plan(self, name: str, due: dt.datetime) -> None:
        """Keep ``due`` as the job's next run, here and in the store."""
        schedule = self.config.jobs[name].schedule
        self.next_due[name] = due
        self.store.plan_run(name, schedule=repr(schedule), next_due=due)

    def run_forever(self) -> None:
        """Run due jobs until :attr:`stop` is set; sleep in between."""
        self.start()
        while not self.stop.is_set():
            self.run_due()
            if not self.next_due:
                self.stop.wait(MAX_SLEEP.total_seconds())
                continue
            wait = min(self.next_due.values()) - self.clock()
            self.stop.wait(max(0.0, min(wait, MAX_SLEEP).total_seconds()))

    def _prune(self, now: dt.datetime) -> None:
        today = now.astimezone().date()
        if self._pruned != today:
            self.runner.log.prune(self.config.logs.keep_days)
            self._pruned = today
