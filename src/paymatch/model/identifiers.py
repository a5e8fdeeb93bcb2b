"""Validated bank identifiers: IBAN and BIC (schwifty), creditor references (python-stdnum).

Identifiers are kept as their compact strings (``"DE89370400440532013000"``)
so value objects stay small and serialise as they are; validation happens once,
on the way in. Statements repeat the same counterparty IBAN many times, so the
checks are cached.
"""

from __future__ import annotations

from functools import lru_cache

import schwifty
from schwifty.exceptions import SchwiftyException
from stdnum import iso11649
from stdnum.exceptions import ValidationError

from paymatch.errors import InvalidValueError

__all__ = ["compact_bic", "compact_iban", "compact_rf"]


@lru_cache(maxsize=65536)
def _iban(value: str) -> str | Exception:
    try:
        return str(schwifty.IBAN(value).compact)
    except SchwiftyException as error:
        return error


@lru_cache(maxsize=16384)
def _bic(value: str) -> str | Exception:
    try:
        return str(schwifty.BIC(value).compact)
    except SchwiftyException as error:
        return error


def compact_iban(value: str, *, field: str = "iban") -> str:
    """The IBAN without spaces, upper case, checksum and country format verified.

    >>> compact_iban("de89 3704 0044 0532 0130 00")
    'DE89370400440532013000'
    >>> compact_iban("DE89370400440532013001")
    Traceback (most recent call last):
    ...
    paymatch.errors.InvalidValueError: iban: not a valid IBAN (...): Invalid checksum digits
    """
    if not isinstance(value, str):
        raise InvalidValueError(field, f"must be an IBAN string, got {type(value).__name__}")
    result = _iban(value)
    if isinstance(result, Exception):
        raise InvalidValueError(field, f"not a valid IBAN ({value!r}): {result}")
    return result


def compact_bic(value: str, *, field: str = "bic") -> str:
    """The BIC without spaces, upper case, its structure and country verified.

    >>> compact_bic("cobadeffxxx")
    'COBADEFFXXX'
    """
    if not isinstance(value, str):
        raise InvalidValueError(field, f"must be a BIC string, got {type(value).__name__}")
    result = _bic(value)
    if isinstance(result, Exception):
        raise InvalidValueError(field, f"not a valid BIC ({value!r}): {result}")
    return result


def compact_rf(value: str, *, field: str = "creditor_reference") -> str:
    """A structured creditor reference (ISO 11649, ``RF..``) in compact form, check digits verified.

    >>> compact_rf("RF18 5390 0754 7034")
    'RF18539007547034'
    """
    try:
        return str(iso11649.validate(value))
    except ValidationError as error:
        raise InvalidValueError(
            field, f"not a valid ISO 11649 creditor reference ({value!r}): {error}"
        ) from None
