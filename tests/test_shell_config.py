"""The automation file: every problem with its key path; secrets only as references."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from paymatch.cli import main
from paymatch.errors import SecretError
from paymatch.shell.config import ConfigError, JobKind, TargetKind, check_config, load_config
from paymatch.shell.schedule import Frequency
from paymatch.shell.secrets import SecretRef, redact

GOOD = """
[store]
url = "sqlite:///state/paymatch.db"

[targets.bank]
kind = "sftp"
host = "127.0.0.1"
user = "shop"
path = "/outgoing"
password = { env = "PAYMATCH_TEST_SFTP_PASSWORD" }

[targets.accounting]
kind = "folder"
path = "export"

[sources.bank]
target = "bank"
pattern = "*.xml"

[jobs.daily]
kind = "reconcile"
sources = ["bank"]
open_items = "erp/open_items.csv"
target = "accounting"
schedule = { every = "daily", at = "06:30", timezone = "Europe/Berlin" }

[export]
format = "csv"
"""

BAD = """
[store]
url = "postgresql://paymatch:hunter2@db.example/paymatch"

[targets.bank]
kind = "sftp"
host = "127.0.0.1"
password = "hunter2-in-clear"

[targets.nowhere]
kind = "gopher"

[sources.bank]
target = "bank"

[sources.lost]
target = "missing"

[jobs.daily]
kind = "reconcile"
sources = ["bank", "nope"]
open_items = "erp/open_items.csv"
target = "datev-out"
schedule = { every = "minutes", interval = 3 }

[jobs.late]
kind = "export"
target = "bank"
schedule = { every = "daily", at = "23:00" }

[jobs.plain]
kind = "match"
open_items = "x.csv"
format = "csv"

[export]
format = "datev"

[surprise]
"""


def test_a_good_file_is_read_with_its_defaults(tmp_path: Path) -> None:
    config, problems = check_config(GOOD, base=tmp_path)
    assert problems == []
    assert config is not None
    assert config.targets["bank"].kind is TargetKind.SFTP
    assert config.targets["bank"].effective_port == 22
    job = config.jobs["daily"]
    assert job.kind is JobKind.RECONCILE
    assert job.schedule is not None
    assert job.schedule.every is Frequency.DAILY
    assert job.schedule.at == dt.time(6, 30)
    assert config.path("erp/open_items.csv") == tmp_path / "erp" / "open_items.csv"
    assert config.logs.program == "paymatch"


def test_every_problem_is_reported_with_its_key_path_and_no_secret(tmp_path: Path) -> None:
    config, problems = check_config(BAD, base=tmp_path)
    assert config is None
    where = sorted(problem.field for problem in problems)
    assert where == [
        "jobs.daily.schedule.interval",
        "jobs.late.schedule.at",
        "jobs.plain.format",
        "sources.lost.target",
        "store.url",
        "surprise",
        "targets.bank.password",
        "targets.nowhere.kind",
    ]
    text = "\n".join(str(problem) for problem in problems)
    assert "hunter2" not in text
    assert "never written in the job file" in text


def test_cross_references_are_checked_when_the_job_itself_is_fine(tmp_path: Path) -> None:
    text = GOOD.replace('sources = ["bank"]', 'sources = ["bank", "mail-inbox"]').replace(
        'target = "accounting"\nschedule', 'target = "datev-sftp"\nschedule'
    )
    _, problems = check_config(text, base=tmp_path)
    assert [str(problem) for problem in problems] == [
        "jobs.daily.sources: no source 'mail-inbox'",
        "jobs.daily.target: no target 'datev-sftp'",
    ]
    datev = GOOD.replace('format = "csv"', 'format = "datev"')
    _, problems = check_config(datev, base=tmp_path)
    assert [str(problem) for problem in problems] == [
        "jobs.daily.format: the DATEV export needs an [export.datev] table with "
        "consultant_number and client_number"
    ]


def test_load_config_raises_all_problems_at_once(tmp_path: Path) -> None:
    path = tmp_path / "jobs.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert len(refused.value.problems) == 8


def test_config_check_command_exit_status_and_output(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    runner = CliRunner()
    passed = runner.invoke(main, ["config", "check", str(good)])
    assert passed.exit_code == 0, passed.output
    assert "ok: 1 job(s), 2 target(s), 1 source(s)" in passed.output
    failed = runner.invoke(main, ["config", "check", str(bad)])
    assert failed.exit_code == 1
    assert "targets.bank.password" in failed.output
    assert "hunter2" not in failed.output


def test_secrets_come_from_the_environment_and_are_redacted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAYMATCH_TEST_TOKEN", "tok-3141592653")
    reference = SecretRef(env="PAYMATCH_TEST_TOKEN")
    assert reference.reveal("webhook token") == "tok-3141592653"
    assert redact("token tok-3141592653 refused") == "token *** refused"
    monkeypatch.delenv("PAYMATCH_TEST_TOKEN")
    with pytest.raises(SecretError, match="environment variable PAYMATCH_TEST_TOKEN is not set"):
        reference.reveal("webhook token")


def test_secrets_come_from_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.values = {("paymatch", "sftp-bank"): "from-the-keyring-271828"}

        def get_password(self, service: str, username: str) -> str | None:
            return self.values.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.values[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            del self.values[(service, username)]

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        reference = SecretRef(keyring="paymatch", user="sftp-bank")
        assert reference.reveal("target 'bank' password") == "from-the-keyring-271828"
        assert "from-the-keyring-271828" not in redact("from-the-keyring-271828")
        with pytest.raises(SecretError, match="keyring entry paymatch/other is not set"):
            SecretRef(keyring="paymatch", user="other").reveal("x")
    finally:
        keyring.set_keyring(previous)


def test_several_problems_of_one_table_are_all_reported(tmp_path: Path) -> None:
    text = '[targets.bank]\nkind = "sftp"\nhost = "h"\nport = "twenty-two"\ntimeout = "long"\n'
    _, problems = check_config(text, base=tmp_path)
    assert [str(problem) for problem in problems] == [
        "targets.bank.port: expected an integer, got 'twenty-two'",
        "targets.bank.timeout: expected an integer, got 'long'",
    ]


def test_the_job_file_of_docs_automation_is_valid(tmp_path: Path) -> None:
    guide = (Path(__file__).resolve().parent.parent / "docs" / "automation.md").read_text(
        encoding="utf-8"
    )
    section = guide.split("## A daily reconcile from SFTP to SFTP", 1)[1]
    text = section.split("```toml\n", 1)[1].split("```", 1)[0]
    config, problems = check_config(text, base=tmp_path)
    assert problems == []
    assert config is not None
    assert config.jobs["daily"].kind is JobKind.RECONCILE
    assert config.targets["bank"].key_file == "keys/bank_ed25519"
    assert config.mail is not None
