"""PostgreSQL for several users: the advisory lock across connections and a job run whose
store password comes from the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from paymatch.cli import main
from paymatch.errors import InstanceLockedError
from paymatch.shell.lock import AdvisoryLock
from tests.servers import POSTGRES_PASSWORD
from tests.shell_setup import write_shop
from tests.test_shell_store import fresh_database

NOW = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)


def test_the_advisory_lock_admits_one_holder_and_names_it(postgresql_url: str) -> None:
    url = fresh_database(postgresql_url)
    first, second = sa.create_engine(url), sa.create_engine(url)
    try:
        with AdvisoryLock(first, now=NOW):
            with pytest.raises(InstanceLockedError) as refused:  # noqa: SIM117
                with AdvisoryLock(second, now=NOW):
                    pass
            assert refused.value.holder.startswith("paymatch worker: host ")
        with AdvisoryLock(second, now=NOW):  # released with the first session
            pass
    finally:
        first.dispose()
        second.dispose()


def test_a_job_on_a_postgresql_store(
    postgresql_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = fresh_database(postgresql_url).database
    database = sa.make_url(postgresql_url).set(database=name)  # no password in the file
    monkeypatch.setenv("PAYMATCH_TEST_DB_PASSWORD", POSTGRES_PASSWORD)
    config = write_shop(tmp_path, export_format="csv")
    text = config.read_text(encoding="utf-8").replace(
        'url = "sqlite:///state/paymatch.db"',
        f'url = "{database.render_as_string(hide_password=False)}"\n'
        'password = { env = "PAYMATCH_TEST_DB_PASSWORD" }',
    )
    config.write_text(text, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(main, ["jobs", "run", "daily", "--config", str(config)])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, ["jobs", "run", "daily", "--config", str(config)])
    assert again.exit_code == 0, again.output
    history = runner.invoke(main, ["jobs", "history", "--output", "json", "--config", str(config)])
    assert '"movements_new": 14' in history.output
    logs = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "logs").iterdir())
    assert POSTGRES_PASSWORD not in logs + first.output + history.output

    monkeypatch.setenv("PAYMATCH_TEST_DB_PASSWORD", "wrong-db-pass-31")
    refused = runner.invoke(main, ["jobs", "run", "daily", "--config", str(config)])
    assert refused.exit_code == 1
    assert "cannot connect" in refused.output
    assert "wrong-db-pass-31" not in refused.output
