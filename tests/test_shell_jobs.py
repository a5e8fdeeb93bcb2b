"""Jobs end to end: a daily reconcile from an SFTP folder to another, DATEV, failure mail,
daily logs, run history, events, and secrets that never show."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from paymatch.cli import main
from paymatch.shell.config import load_config
from paymatch.shell.daily_log import DailyLog
from paymatch.shell.events import ItemPaid
from paymatch.shell.jobs import JobRunner
from paymatch.shell.runtime import open_store
from tests.servers import LOOPBACK, WebhookReceiver, sftp_server, smtp_server, tls_certificate
from tests.shell_setup import write_shop

SFTP_PASSWORD = "sftp-secret-Xq81-zz"
MAIL_PASSWORD = "mail-secret-Pw77-yy"
SECRETS = (SFTP_PASSWORD, MAIL_PASSWORD)


@attrs.define
class Shop:
    """The shop's job file, the SFTP root it exchanges files in, and the mail server."""

    config: Path
    sftp_root: Path
    mails: list[object]

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(main, [*args, "--config", str(self.config)])

    def logs(self) -> dict[str, str]:
        folder = self.config.parent / "logs"
        return {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    monkeypatch.setenv("PAYMATCH_TEST_SFTP_PASSWORD", SFTP_PASSWORD)
    monkeypatch.setenv("PAYMATCH_TEST_MAIL_PASSWORD", MAIL_PASSWORD)
    root = tmp_path / "sftp"
    (root / "datev").mkdir(parents=True)
    cert, key = tls_certificate(tmp_path)
    with (
        sftp_server(root, user="shop", password=SFTP_PASSWORD) as sftp,
        smtp_server(tls=(cert, key), user="paymatch", password=MAIL_PASSWORD) as smtp,
    ):
        (tmp_path / "known_hosts").write_text(sftp.known_hosts_line(), encoding="ascii")
        remote = f"""
host = "{LOOPBACK}"
port = {sftp.port}
user = "shop"
password = {{ env = "PAYMATCH_TEST_SFTP_PASSWORD" }}
known_hosts = "known_hosts"
"""
        targets = (
            f'[targets.bank]\nkind = "sftp"\npath = "/bank"\n{remote}\n'
            f'[targets.accounting]\nkind = "sftp"\npath = "/datev"\n{remote}'
        )
        mail = f"""
[mail]
host = "{LOOPBACK}"
port = {smtp.port}
security = "starttls"
user = "paymatch"
password = {{ env = "PAYMATCH_TEST_MAIL_PASSWORD" }}
sender = "paymatch@shop.example"
to = ["accounting@shop.example"]
ca_file = "{cert.name}"
"""
        config = write_shop(tmp_path, targets=targets, extra=mail, bank=root / "bank")
        yield Shop(config, root, smtp.messages)  # type: ignore[arg-type]


def test_daily_reconcile_from_sftp_to_sftp(shop: Shop) -> None:
    first = shop.run("jobs", "run", "daily")
    assert first.exit_code == 0, first.output
    assert "daily succeeded" in first.output
    bank = shop.sftp_root / "bank"
    assert sorted(p.name for p in (bank / "done").iterdir()) == [
        "statement.camt053.xml",
        "statement.mt940",
    ]
    (export,) = (shop.sftp_root / "datev").iterdir()
    assert export.name.startswith("EXTF_Buchungsstapel_")
    assert export.name.endswith("_batch1.csv")
    assert export.read_bytes().startswith(b'"EXTF";700;21;"Buchungsstapel"')
    assert shop.mails == []  # success sends nothing

    logs = shop.logs()
    today = dt.datetime.now().astimezone().date().isoformat()
    assert sorted(logs) == [f"paymatch {today}.log", f"paymatch debug {today}.log"]
    day = f"paymatch {today}.log"
    text = logs[day]
    assert text.startswith("# paymatch log of ")
    assert "# Example shop, client 1" in text
    assert "start of job daily (reconcile), run 1" in text
    assert "end of job daily (reconcile), run 1: succeeded" in text
    assert "ERROR" not in text
    debug = logs[f"paymatch debug {today}.log"]
    assert "# paymatch debug log of " in debug
    assert "statement.mt940: " in debug
    assert "sha256 " in debug  # details only the debug log has
    assert "sha256 " not in text
    assert "DEBUG   match " in debug
    assert "end of job daily (reconcile), run 1: succeeded" in debug

    second = shop.run("jobs", "run", "daily")
    assert second.exit_code == 0, second.output
    assert len(list((shop.sftp_root / "datev").iterdir())) == 1  # nothing new, no new file
    history = shop.run("jobs", "history", "--output", "json")
    runs = json.loads(history.output)["runs"]
    assert [(run["run"], run["status"]) for run in runs] == [(2, "succeeded"), (1, "succeeded")]
    assert runs[1]["counts"]["movements_new"] == 14
    assert runs[1]["counts"]["bookings_exported"] > 0
    assert runs[0]["counts"].get("bookings_exported", 0) == 0
    wide = {"COLUMNS": "200"}  # one line per run, whatever the terminal
    history_args = ["jobs", "history", "--config", str(shop.config)]
    table = CliRunner().invoke(main, history_args, env=wide).output
    assert "succeeded" in table
    assert "movements_new 14" in table
    assert "movements_known 0" not in table  # counts that are zero are left out
    listed = json.loads(shop.run("jobs", "list", "--output", "json").output)["jobs"]
    daily = next(job for job in listed if job["job"] == "daily")
    assert daily["schedule"] == "daily at 06:30 (Europe/Berlin)"
    assert daily["last_run"]["status"] == "succeeded"
    assert daily["next_run"].endswith(("06:30:00+01:00", "06:30:00+02:00"))


def test_a_failed_run_mails_its_log_and_moves_the_bad_file_aside(shop: Shop) -> None:
    (shop.sftp_root / "bank" / "statement.broken.xml").write_bytes(b"<Document><BkToCstmr")
    result = shop.run("jobs", "run", "daily")
    assert result.exit_code == 1
    assert "daily failed" in result.output
    assert (shop.sftp_root / "bank" / "failed" / "statement.broken.xml").exists()
    assert len(list((shop.sftp_root / "bank" / "done").iterdir())) == 2  # the others imported
    (mail,) = shop.mails
    assert mail["Subject"] == "paymatch: job daily failed"  # type: ignore[index]
    parts = {part.get_filename(): part for part in mail.walk()}  # type: ignore[attr-defined]
    attached = next(name for name in parts if name and name.endswith("daily.log"))
    log_text = parts[attached].get_payload(decode=True).decode("utf-8")
    assert "ERROR" in log_text
    assert "statement.broken.xml" in log_text
    assert "end of job daily (reconcile), run 1: failed" in log_text
    (run,) = json.loads(shop.run("jobs", "history", "--output", "json").output)["runs"]
    assert run["status"] == "failed"
    assert "statement.broken.xml" in run["error"]


def test_target_and_mail_tests(shop: Shop) -> None:
    target = shop.run("target", "test", "accounting")
    assert target.exit_code == 0, target.output
    assert "host key verified, writable" in target.output
    mail = shop.run("mail", "test")
    assert mail.exit_code == 0, mail.output
    assert [m["Subject"] for m in shop.mails] == ["paymatch: test mail"]  # type: ignore[index]
    missing = shop.run("target", "test", "nowhere")
    assert missing.exit_code == 1
    assert "no target 'nowhere'" in missing.output


def test_secrets_never_appear_in_logs_output_or_help(shop: Shop) -> None:
    (shop.sftp_root / "bank" / "statement.broken.xml").write_bytes(b"garbage")
    outputs = [
        shop.run("jobs", "run", "daily").output,
        shop.run("target", "test", "bank").output,
        shop.run("mail", "test").output,
        shop.run("jobs", "history").output,
        shop.run("jobs", "list").output,
    ]
    for command in ("worker", "jobs", "target", "mail", "config", "store"):
        outputs.append(CliRunner().invoke(main, [command, "--help"]).output)
    outputs.extend(shop.logs().values())
    outputs.extend(str(message) for message in shop.mails)
    assert len(shop.mails) == 2  # the failure mail and the test mail
    for secret in SECRETS:
        assert all(secret not in text for text in outputs), secret


def test_a_wrong_password_fails_the_run_without_showing_it(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYMATCH_TEST_SFTP_PASSWORD", "not-the-password-55")
    result = shop.run("jobs", "run", "import")
    assert result.exit_code == 1
    assert "login refused" in "".join(shop.logs().values())
    assert all("not-the-password-55" not in text for text in shop.logs().values())


class Recorder:
    """An event listener as an embedding service would register it."""

    def __init__(self) -> None:
        self.events: list[ItemPaid] = []

    def item_paid(self, event: ItemPaid) -> None:
        self.events.append(event)


def test_paid_items_are_told_to_listeners_and_webhooks_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYMATCH_TEST_WEBHOOK_TOKEN", "hook-token-5150")
    with WebhookReceiver(status=500) as failing, WebhookReceiver() as webhook:
        extra = (
            f'[events]\nwebhooks = ["{webhook.url}", "{failing.url}"]\n'
            'token = { env = "PAYMATCH_TEST_WEBHOOK_TOKEN" }\n'
        )
        config = load_config(write_shop(tmp_path, export_format="csv", extra=extra))
        store = open_store(config)
        store.migrate()
        now = dt.datetime(2026, 11, 24, 6, 30, tzinfo=dt.UTC)
        recorder = Recorder()
        log = DailyLog(tmp_path / "logs", clock=lambda: now)
        runner = JobRunner(config, store, clock=lambda: now, log=log, listeners=[recorder])
        first = runner.run("daily")
        assert first.succeeded, first.log_text
        paid = sorted(event.item.number for event in recorder.events)
        assert paid  # the example pays several items in full
        assert sorted(event["number"] for event in webhook.received) == paid
        assert {event["event"] for event in webhook.received} == {"item_paid"}
        assert set(webhook.authorizations) == {"Bearer hook-token-5150"}
        assert "not told to webhook" in first.log_text  # the failing one, as a warning
        assert first.counts.get("items_notified", 0) == 0  # not all listeners took them

        failing.status = 200
        second = runner.run("daily")
        assert second.counts["items_notified"] == len(paid)
        assert sorted(event["number"] for event in failing.received[-len(paid) :]) == paid
        third = runner.run("daily")
        assert third.counts.get("items_notified", 0) == 0  # told once, not again
        store.close()


def _run_daily(config_path: Path) -> Result:
    return CliRunner().invoke(main, ["jobs", "run", "daily", "--config", str(config_path)])


def test_only_statements_of_the_listed_accounts_are_imported(tmp_path: Path) -> None:
    accounts = """
[accounts.giro]
kind = "bank"
iban = "DE89 3704 0044 0532 0130 00"
name = "Commerzbank giro"
ledger_account = "1220"
"""
    config = write_shop(tmp_path, export_format="csv", extra=accounts)
    result = _run_daily(config)
    assert result.exit_code == 1  # the Sparkasse statement belongs to no listed account
    assert sorted(p.name for p in (tmp_path / "bank" / "failed").iterdir()) == ["statement.mt940"]
    assert sorted(p.name for p in (tmp_path / "bank" / "done").iterdir()) == [
        "statement.camt053.xml"
    ]
    log = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "logs").iterdir())
    assert "statement of account DE93370501981234567890, which is not in [accounts]" in log
    (journal,) = (tmp_path / "accounting").iterdir()
    rows = list(csv.DictReader(io.StringIO(journal.read_text(encoding="utf-8-sig"))))
    assert rows
    assert {row["account"] for row in rows} == {"DE89370400440532013000"}
    money_moved = [row for row in rows if row["kind"] != "cash_discount"]  # no money: 8730/1400
    assert money_moved
    assert all("1220" in (row["debit"], row["credit"]) for row in money_moved)  # giro's account


def test_a_job_exports_with_its_own_selection(tmp_path: Path) -> None:
    extra = """
[jobs.fees]
kind = "export"
target = "accounting"
format = "csv"
selection = { kinds = ["fee"] }
"""
    config = write_shop(tmp_path, export_format="csv", extra=extra)
    runner = CliRunner()
    imported = runner.invoke(main, ["jobs", "run", "import", "--config", str(config)])
    assert imported.exit_code == 0, imported.output
    fees = runner.invoke(main, ["jobs", "run", "fees", "--config", str(config)])
    assert fees.exit_code == 0, fees.output
    (journal,) = (tmp_path / "accounting").iterdir()
    rows = list(csv.DictReader(io.StringIO(journal.read_text(encoding="utf-8-sig"))))
    assert rows
    assert {row["kind"] for row in rows} == {"fee"}


def test_the_worker_runs_the_daily_job_at_its_time(shop: Shop) -> None:
    from paymatch.shell.worker import Worker

    config = load_config(shop.config)
    moments = iter(
        [dt.datetime(2026, 11, 24, 5, 29, tzinfo=dt.UTC)] * 2  # start, first look: 06:29 Berlin
        + [dt.datetime(2026, 11, 24, 5, 31, tzinfo=dt.UTC)] * 50  # 06:31: due
    )
    clock = lambda: next(moments)  # noqa: E731
    with open_store(config) as store:
        store.migrate()
        runner = JobRunner(
            config, store, clock=clock, log=DailyLog(shop.config.parent / "logs", clock=clock)
        )
        worker = Worker(config, store, runner, clock=clock)
        worker.start()
        assert worker.run_due() == []
        (result,) = worker.run_due()
        assert result.succeeded, result.log_text
    (export,) = (shop.sftp_root / "datev").iterdir()
    assert export.read_bytes().startswith(b'"EXTF";700;21;"Buchungsstapel"')
    assert shop.mails == []


def test_a_batch_that_could_not_be_delivered_goes_out_next_time_unchanged(tmp_path: Path) -> None:
    config = write_shop(tmp_path, export_format="csv")
    blocked = tmp_path / "accounting"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    failed = _run_daily(config)
    assert failed.exit_code == 1
    log = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "logs").iterdir())
    assert "cannot write paymatch_journal_batch1.csv" in log
    blocked.unlink()
    again = _run_daily(config)
    assert again.exit_code == 0, again.output
    log = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "logs").iterdir())
    assert "export: batch 1 was not delivered before; again" in log
    (journal,) = blocked.iterdir()
    assert journal.name == "paymatch_journal_batch1.csv"  # the same batch, no second one
    rows = list(csv.DictReader(io.StringIO(journal.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len({row["booking_id"] for row in rows}) > 0


def test_an_unreachable_source_does_not_stop_the_others_nor_the_export(tmp_path: Path) -> None:
    from tests.servers import free_port

    extra = f"""
[targets.down]
kind = "ftp"
host = "{LOOPBACK}"
port = {free_port()}
timeout = 5

[sources.down]
target = "down"

[jobs.both]
kind = "reconcile"
sources = ["down", "bank"]
open_items = "erp/open_items.json"
target = "accounting"
format = "csv"
"""
    config = write_shop(tmp_path, export_format="csv", extra=extra)
    result = CliRunner().invoke(main, ["jobs", "run", "both", "--config", str(config)])
    assert result.exit_code == 1  # the run failed: one source could not be read
    log = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "logs").iterdir())
    assert "target 'down'" in log
    assert "cannot connect" in log
    assert len(list((tmp_path / "bank" / "done").iterdir())) == 2  # the other source imported
    assert len(list((tmp_path / "accounting").iterdir())) == 1  # and was matched and exported


def test_a_failed_match_stops_the_export(tmp_path: Path) -> None:
    config = write_shop(tmp_path, export_format="csv")
    (tmp_path / "erp" / "open_items.json").unlink()
    result = _run_daily(config)
    assert result.exit_code == 1
    log = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "logs").iterdir())
    assert "open_items.json" in log
    assert "ERROR" in log
    assert len(list((tmp_path / "bank" / "done").iterdir())) == 2  # imported all the same
    assert not (tmp_path / "accounting").exists()  # nothing booked as unassigned


def test_an_unexpected_error_fails_the_run_and_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write_shop(tmp_path, export_format="csv"))
    now = dt.datetime(2026, 11, 24, 6, 30, tzinfo=dt.UTC)

    def broken(*args: object) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(JobRunner, "_export", broken)
    with open_store(config) as store:
        store.migrate()
        log = DailyLog(tmp_path / "logs", clock=lambda: now)
        result = JobRunner(config, store, clock=lambda: now, log=log).run("daily")
        assert result.status == "failed"
        assert "unexpected RuntimeError: something nobody expected" in result.log_text
        (run,) = store.runs("daily")
        assert run.status == "failed"
    debug = (tmp_path / "logs" / f"paymatch debug {now.astimezone().date()}.log").read_text(
        encoding="utf-8"
    )
    assert "Traceback (most recent call last)" in debug
    assert result.counts["files_imported"] == 2  # the steps before it did their work
