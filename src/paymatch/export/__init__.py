"""Accounting export: movements and allocations -> journal entries -> accounting files.

DATEV, SIE, FEC and generic journals (the export issue fills this part).
Formatters return bytes or write to a stream they are given.
"""

__all__: list[str] = []
