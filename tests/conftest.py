"""Hypothesis profiles: ``default`` for local runs, ``ci`` (chosen by ``CI=true``) for CI.

The ``ci`` profile is derandomized, so a CI run gives the same examples every
time, and has no deadline, because shared CI machines have uneven timings.
"""

import os

from hypothesis import settings

settings.register_profile("default", max_examples=100)
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "default")


# --- a PostgreSQL server for the store's tests -------------------------------------------------

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 for the whole run (its URL, no password in it).

    Without PostgreSQL installed the tests that need it skip with the reason, except
    in CI (``CI=true``), where a missing server is a failure: .ci/run installs it.
    """
    from tests.servers import POSTGRES_PASSWORD, POSTGRES_USER, postgres_missing, postgresql_server

    missing = postgres_missing()
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs PostgreSQL: {missing}")
        pytest.skip(missing)
    with postgresql_server(user=POSTGRES_USER, password=POSTGRES_PASSWORD) as url:
        yield url
