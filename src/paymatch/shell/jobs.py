"""Running one job: import, match, export, or all three (reconcile), logged and recorded.

Each step commits on its own, so a run that dies part-way leaves what it finished:

- **import**: each statement file of each source is parsed and its new movements
  stored in one transaction, then the file is moved to the source's ``done`` folder
  (``failed`` when it cannot be read: the run fails, the other files still import).
  A file whose import committed but was not moved yet is simply imported again next
  time, which adds nothing.
- **match**: the ERP's open-items file is read into the store, the ledger loaded, the
  engine run over the movements not fully assigned, and its certain decisions saved.
- **export**: batches prepared earlier but not delivered are delivered first; then the
  new bookings are exported, their ids taken in the same transaction that keeps the
  files, the files uploaded and the batch marked delivered. Nothing is exported twice
  and nothing is skipped, however often the process is killed.

Afterwards listeners are told about open items that became fully paid. Every run is a
section of the daily log and a row of the run history; a failed run mails its section
to the configured recipients.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial

import attrs
import sqlalchemy as sa

from paymatch._collector import collector_paused
from paymatch.errors import MailError, ParseError, PaymatchError
from paymatch.ledger.folders import AssignmentState
from paymatch.ledger.log_book import LogEntry, LogLevel
from paymatch.shell.config import AutomationConfig, JobSettings
from paymatch.shell.daily_log import DailyLog, RunLog
from paymatch.shell.events import ItemPaid, ItemPaidListener, Webhook, tell
from paymatch.shell.mail import compose, send
from paymatch.shell.secrets import redact
from paymatch.shell.store import PreparedBatch, Store
from paymatch.shell.targets import Target, open_target

__all__ = ["JobRunner", "RunResult"]

Clock = Callable[[], dt.datetime]


@attrs.frozen
class RunResult:
    """How one run ended: ``succeeded`` or ``failed``, its counts and the log section."""

    run_id: int
    job: str
    status: str
    counts: dict[str, int]
    log_text: str

    @property
    def succeeded(self) -> bool:
        """Whether the run did everything it had to."""
        return self.status == "succeeded"


class JobRunner:
    """Runs the jobs of one configuration against one store (the caller holds the lock)."""

    def __init__(
        self,
        config: AutomationConfig,
        store: Store,
        *,
        clock: Clock,
        log: DailyLog,
        listeners: Sequence[ItemPaidListener] = (),
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.log = log
        events = config.events
        token = None if events.token is None else events.token.reveal("webhook token")
        webhooks = [Webhook(url, events.timeout, token) for url in events.webhooks]
        self.listeners: list[ItemPaidListener] = [*listeners, *webhooks]

    def run(self, name: str, *, scheduled_for: dt.datetime | None = None) -> RunResult:
        """Run job ``name`` once; failures are logged and recorded, not raised."""
        job = self.config.job(name)
        started = self.clock()
        run_id = self.store.start_run(
            name,
            job.kind.value,
            at=started,
            scheduled_for=scheduled_for,
            host=socket.gethostname(),
            pid=os.getpid(),
        )
        counts: Counter[str] = Counter()
        with self.log.run(f"job {name} ({job.kind}), run {run_id}") as section:
            self._steps(name, job, run_id, section, counts)
            section.info("counts: " + _shown(counts))
        status = "failed" if section.failed else "succeeded"
        error_text = "; ".join(section.errors) or None
        self.store.finish_run(
            run_id, status=status, at=self.clock(), counts=dict(counts), error=error_text
        )
        self._mail(name, job, status, section)
        return RunResult(run_id, name, status, dict(counts), section.text)

    def _steps(
        self, name: str, job: JobSettings, run_id: int, section: RunLog, counts: Counter[str]
    ) -> None:
        """The job's steps in order; a failed one is logged and fails the run.

        A source that cannot be read does not stop the other sources, nor the
        match and export of what the store holds. A failed match stops the
        export: it would book as unassigned what the match was about to assign.
        """
        if job.kind.imports:
            for source in job.sources:
                _attempt(section, partial(self._import, source, run_id, section, counts))
        matched = True
        if job.kind.matches:
            assert job.open_items is not None
            matched = _attempt(
                section, partial(self._match, job.open_items, run_id, section, counts)
            )
        if job.kind.exports and matched:
            _attempt(section, partial(self._export, name, job, run_id, section, counts))
        _attempt(section, partial(self._notify, section, counts))

    # -- import ---------------------------------------------------------------------------

    def _import(self, name: str, run_id: int, section: RunLog, counts: Counter[str]) -> None:
        from paymatch.parsers import parse

        source = self.config.sources[name]
        allowed = self.config.account_keys()
        with open_target(source.target, self.config) as target:
            files = target.list(source.pattern)
            section.info(f"import from {name}: {len(files)} file(s) matching {source.pattern}")
            for file_name in files:
                data = target.read(file_name)
                digest = hashlib.sha256(data).hexdigest()
                section.debug(f"{name}: {file_name}: {len(data)} bytes, sha256 {digest}")
                now = self.clock()
                refusal = _Refusal(self.store, name, target, source.failed, file_name, run_id)
                try:
                    result = parse(data, format=source.format, filename=file_name)
                except ParseError as error:
                    refusal.refuse(str(error), now=now, section=section, counts=counts)
                    continue
                strangers = {statement.account.key for statement in result.statements} - allowed
                if allowed and strangers:
                    refusal.refuse(
                        f"{file_name}: statement of account {', '.join(sorted(strangers))}, "
                        "which is not in [accounts]: not imported",
                        now=now,
                        section=section,
                        counts=counts,
                    )
                    continue
                for diagnostic in result.diagnostics:
                    section.warning(f"{name}: {file_name}: {diagnostic.message}")
                imported = self.store.import_statements(
                    result.statements,
                    source=name,
                    file_name=file_name,
                    sha256=digest,
                    at=now,
                    job_run=run_id,
                )
                target.move(file_name, source.done)
                counts["files_imported"] += 1
                counts["movements_new"] += imported.new
                counts["movements_updated"] += imported.updated
                counts["movements_known"] += imported.known
                section.info(
                    f"{name}: {file_name} ({result.format}): {imported.statements} statement(s), "
                    f"{imported.new} new, {imported.updated} updated, {imported.known} known "
                    f"movement(s); moved to {source.done}/"
                )

    # -- match ----------------------------------------------------------------------------

    def _match(self, open_items: str, run_id: int, section: RunLog, counts: Counter[str]) -> None:
        from paymatch.matching import match, read_open_items

        path = self.config.path(open_items)
        items = read_open_items(path.read_bytes(), source=str(path), format=self.config.open_items)
        now = self.clock()
        taken = self.store.save_open_items(items, at=now)
        section.info(
            f"open items from {path.name}: {len(items)} listed, {taken.added} new, "
            f"{taken.updated} changed"
        )
        if taken.kept:
            section.warning(
                f"open items changed in the ERP after payments were booked on them, kept as "
                f"they were: {', '.join(taken.kept)}"
            )
        loaded = self.store.load()
        ledger = loaded.ledger
        listed = self.store.listed_items()
        candidates = [item for item in ledger.open_items if item.number in listed]
        movements = [
            m
            for m in ledger.movements
            if ledger.state(m.movement_id) is not AssignmentState.FULLY_ASSIGNED
        ]
        with collector_paused():
            report = match(
                movements,
                candidates,
                as_of=now.astimezone().date(),
                config=self.config.matching,
                ledger=ledger,
            )
        booked = report.apply(ledger, at=now)
        saved = self.store.save(loaded, at=now, job_run=run_id)
        for result in report.results:
            put = ", ".join(f"{a.amount} on {a.item}" for a in result.allocations) or "nothing"
            section.debug(
                f"match {result.movement.movement_id}: {result.status.value}, "
                f"confidence {result.confidence}: {put}"
            )
        statuses = Counter(result.status.value for result in report.results)
        counts.update({f"match_{status}": number for status, number in statuses.items()})
        counts["allocations_added"] += len(booked)
        counts["items_paid"] += len(saved.items_paid)
        section.info(
            f"match: {len(movements)} movement(s) against {len(candidates)} open item(s): "
            + _shown(statuses)
            + f"; {len(booked)} allocation(s) made, {len(saved.items_paid)} item(s) paid"
        )

    # -- export ---------------------------------------------------------------------------

    def _export(
        self, name: str, job: JobSettings, run_id: int, section: RunLog, counts: Counter[str]
    ) -> None:
        from paymatch.accounting.batch import export

        assert job.target is not None
        target = job.target
        for pending in self.store.undelivered_batches(target):
            section.warning(f"export: batch {pending.batch_id} was not delivered before; again")
            self._deliver(pending, section, counts)
        now = self.clock()
        batch = export(
            self.store.load().ledger,
            generated_at=now,
            settings=self.config.export_settings(job),
            format=job.format,
            already_exported=self.store.exported_booking_ids(),
        )
        if batch.empty:
            section.info(
                f"export ({batch.format}): nothing new ({batch.already_exported} exported before)"
            )
            return
        prepared = self.store.prepare_batch(
            batch, job=name, target=target, format=batch.format, at=now, job_run=run_id
        )
        counts["bookings_exported"] += len(batch.booking_ids)
        for file in batch.files:
            section.debug(f"export {file.name}: bookings {', '.join(file.booking_ids)}")
        section.info(
            f"export ({batch.format}): batch {prepared.batch_id} with "
            f"{len(batch.booking_ids)} booking(s) in {len(prepared.files)} file(s)"
        )
        self._deliver(prepared, section, counts)

    def _deliver(self, batch: PreparedBatch, section: RunLog, counts: Counter[str]) -> None:
        with open_target(batch.target, self.config) as target:
            for file_name, data in batch.files:
                target.upload(file_name, data)
                section.info(f"delivered {file_name} ({len(data)} bytes) to {batch.target}")
        self.store.mark_delivered(batch.batch_id, at=self.clock())
        counts["files_delivered"] += len(batch.files)

    # -- events and mail ------------------------------------------------------------------

    def _notify(self, section: RunLog, counts: Counter[str]) -> None:
        if not self.listeners:
            return
        for item, paid_at in self.store.unnotified_paid_items():
            failures = tell(self.listeners, ItemPaid(item, paid_at))
            if failures:
                for failure in failures:
                    section.warning(
                        f"item {item.number} paid: not told to {failure}; again next run"
                    )
                continue
            self.store.mark_notified(item.number, at=self.clock())
            counts["items_notified"] += 1

    def _mail(self, name: str, job: JobSettings, status: str, section: RunLog) -> None:
        settings = self.config.mail
        if settings is None:
            return
        failed = status == "failed"
        if not ((failed and job.mail_on_failure) or (not failed and settings.on_success)):
            return
        day = self.clock().astimezone().date()
        subject = f"paymatch: job {name} {status}"
        body = (
            f"The paymatch job {name!r} ({job.kind}) {status}.\n"
            f"Its log section is attached; the whole day is in "
            f"{self.log.path(day).name} in {self.log.folder}.\n"
        )
        message = compose(
            settings,
            subject=subject,
            body=body,
            attachment=(f"{self.log.program} {day.isoformat()} {name}.log", section.text),
        )
        try:
            send(settings, message, base=self.config.base)
        except (MailError, PaymatchError) as error:
            level = "ERROR" if failed else "WARNING"
            self.log.write_line(
                f"{level:<7} the mail about job {name} was not sent: {redact(str(error))}"
            )


def _attempt(section: RunLog, step: Callable[[], None]) -> bool:
    """Run one step; a failure is logged as an ERROR (the run fails). Whether it succeeded.

    Anything else a step raises (a bug) is logged too, its traceback in the debug log,
    so an unattended worker reports it by mail and goes on with the next run.
    """
    try:
        step()
    except PaymatchError as error:
        section.error(str(error))
    except (ValueError, OSError) as error:
        section.error(f"{type(error).__name__}: {error}")
    except sa.exc.SQLAlchemyError as error:
        section.error(f"store: {getattr(error, 'orig', None) or error}")
    except Exception as error:  # the boundary of an unattended step: report, do not die
        section.error(f"unexpected {type(error).__name__}: {error} (a bug: please report it)")
        section.debug("".join(traceback.format_exception(error)).rstrip())
    else:
        return True
    return False


@attrs.frozen
class _Refusal:
    """A statement file that is not imported: the log, the log book and the ``failed`` folder."""

    store: Store
    source: str
    target: Target
    failed: str
    file_name: str
    run_id: int

    def refuse(
        self, reason: str, *, now: dt.datetime, section: RunLog, counts: Counter[str]
    ) -> None:
        """Say why in the run's log and the log book, move the file aside, count it."""
        section.error(f"{self.source}: {reason}")
        self.store.log(
            LogEntry(at=now, level=LogLevel.ERROR, message=f"import {self.source}: {reason}"),
            job_run=self.run_id,
        )
        self.target.move(self.file_name, self.failed)
        counts["files_failed"] += 1


def _shown(counts: Counter[str] | dict[str, int]) -> str:
    """``files_imported 2, movements_new 14`` (sorted; ``nothing`` when empty)."""
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "nothing"
