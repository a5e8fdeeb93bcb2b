"""Hypothesis profiles: ``default`` for local runs, ``ci`` (chosen by ``CI=true``) for CI.

The ``ci`` profile is derandomized, so a CI run gives the same examples every
time, and has no deadline, because shared CI machines have uneven timings.
"""

import os

from hypothesis import settings

settings.register_profile("default", max_examples=100)
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "default")
