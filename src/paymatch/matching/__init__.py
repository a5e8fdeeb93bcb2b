"""The matching engine: movements x open items -> decisions with allocations and evidence.

Deterministic and explainable; pluggable matchers (the matching issue fills
this part). It reads no clock: the date to match as of is passed in.
"""

__all__: list[str] = []
