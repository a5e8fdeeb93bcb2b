"""Pausing Python's cyclic garbage collector around bulk work in processes paymatch owns.

Matching a million movements allocates millions of small objects and no reference
cycles worth collecting; the collector's full passes over a growing heap then cost
about a third of the time (1,000,000 x 1,000,000: 139.5 s with it, 97.2 s without,
benchmarks/match_scale.py). The command line and the worker pause it around the
match; the library itself leaves the collector alone, since an embedding
service's other threads share it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its state afterwards.

    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
