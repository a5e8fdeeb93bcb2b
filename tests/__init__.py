"""The paymatch test suite (a package, so test modules can ``from tests.strategies import ...``)."""
