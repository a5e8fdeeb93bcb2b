"""Settings from TOML: structure a document into an attrs class, naming the bad key on failure.

Every configurable part of paymatch (a bank CSV mapping, an open-items layout,
the matching thresholds) is a frozen attrs class read from TOML with cattrs.
Unknown keys are refused (a typo must not be silently ignored) and the first
problem becomes an :class:`~paymatch.errors.InvalidValueError` whose field is
the key path, so a user sees ``weights.reference: expected Decimal, ...``.

>>> import attrs
>>> @attrs.frozen
... class Retry:
...     times: int = 3
>>> settings_from_toml("times = 5", Retry)
Retry(times=5)
>>> settings_from_toml("tims = 5", Retry)
Traceback (most recent call last):
...
paymatch.errors.InvalidValueError: toml: unknown key(s) tims
"""

from __future__ import annotations

import datetime as dt
import enum
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, BaseValidationError
from cattrs.gen import make_dict_structure_fn

from paymatch.errors import InvalidValueError

__all__ = [
    "add_structure_hook",
    "read_toml",
    "settings_from_mapping",
    "settings_from_toml",
    "settings_problems",
]

T = TypeVar("T")


def _exactly(kind: type, name: str) -> Callable[[object, type], object]:
    """A hook that takes a value of exactly ``kind``: TOML has types, and "false" is not False."""

    def structure(value: object, _: type) -> object:
        if type(value) is kind:
            return value
        raise ValueError(f"expected {name}, got {value!r}")

    return structure


def _decimal(value: object, _: type) -> Decimal:
    """A TOML number or string as a Decimal; a float goes through its shortest text (0.9 -> 0.9)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _date(value: object, _: type) -> dt.date:
    """A TOML local date (``2026-03-31``); a date-time or a string is refused."""
    if type(value) is dt.date:
        return value
    raise ValueError(f"expected a date such as 2026-03-31, got {value!r}")


def _time(value: object, _: type) -> dt.time:
    """A TOML local time (``06:30:00``) or the text ``"06:30"``; seconds must be whole."""
    if type(value) is dt.time:
        return value
    if type(value) is str:
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expected a time of day such as 06:30, got {value!r}")


def _member(value: object, kind: type[enum.StrEnum]) -> enum.StrEnum:
    """A member of a string enum by its value (``"fee"``), naming the allowed values otherwise."""
    if type(value) is str and value in kind._value2member_map_:
        return kind(value)
    allowed = ", ".join(repr(member.value) for member in kind)
    raise ValueError(f"expected one of {allowed}, got {value!r}")


def _strings(value: object, _: type) -> tuple[str, ...]:
    """A list of strings (a bare string would otherwise be split into its characters)."""
    if isinstance(value, list) and all(type(item) is str for item in value):
        return tuple(value)
    raise ValueError(f"expected a list of strings, got {value!r}")


def _tables(kind: type[Any], converter: cattrs.Converter) -> Callable[[object, type], object]:
    """Structure hook factory for attrs classes: cattrs' own, behind a check for a table."""
    structure = make_dict_structure_fn(kind, converter)

    def structure_table(value: object, _: type) -> object:
        if isinstance(value, dict):
            return structure(value, kind)
        raise ValueError(f"expected a table, got {value!r}")

    return structure_table


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook_factory(attrs.has, _tables)
    for kind, name in ((str, "a string"), (int, "an integer"), (bool, "true or false")):
        converter.register_structure_hook(kind, _exactly(kind, name))
    converter.register_structure_hook(Decimal, _decimal)
    converter.register_structure_hook(dt.date, _date)
    converter.register_structure_hook(dt.time, _time)
    # before ``str``'s hook, which a StrEnum would otherwise reach as a subclass of str
    converter.register_structure_hook(enum.StrEnum, _member)
    converter.register_structure_hook_func(lambda kind: kind == tuple[str, ...], _strings)
    return converter


_CONVERTER = _make_converter()


def add_structure_hook(kind: type[T], hook: Callable[[object, type], T]) -> None:
    """Teach the settings reader one more type: ``hook(value, kind)`` returns it or raises.

    For the shell's own value types (a secret reference must never echo what it was
    given); a ``ValueError`` from ``hook`` becomes the key path's message.
    """
    _CONVERTER.register_structure_hook(kind, hook)


def read_toml(text: str) -> dict[str, Any]:
    """The TOML document as a dict; a syntax error names its line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidValueError("toml", str(error)) from None


def settings_from_toml(text: str, kind: type[T]) -> T:
    """The ``kind`` a TOML document describes (keys as the attribute names)."""
    return settings_from_mapping(read_toml(text), kind)


def settings_from_mapping(document: Mapping[str, Any], kind: type[T], *, prefix: str = "") -> T:
    """The ``kind`` a parsed TOML table describes; ``prefix`` is the table's key path in errors.

    Raises the first of :func:`settings_problems`.
    """
    value, problems = settings_problems(document, kind, prefix=prefix)
    if value is None:
        raise problems[0]
    return value


def settings_problems(
    document: Mapping[str, Any], kind: type[T], *, prefix: str = ""
) -> tuple[T | None, list[InvalidValueError]]:
    """The ``kind`` a parsed TOML table describes, or None and every problem found in it.

    Each problem is an InvalidValueError whose field is the key path: a class's own
    check (``jobs.daily.schedule.interval``) or a value of the wrong type or an
    unknown key (``targets.bank.port``).
    """
    try:
        return _CONVERTER.structure(dict(document), kind), []
    except (BaseValidationError, InvalidValueError) as error:
        problems = [_located(refused, path, prefix) for refused, path in _refusals(error, "")]
        own = {str(refused) for refused, _ in _refusals(error, "")}
        for message in cattrs.transform_error(error, path="", format_exception=_describe):
            reason, _, path = message.rpartition(" @ ")
            if reason not in own:
                where = ".".join(part for part in (prefix, path.lstrip(".")) if part)
                problems.append(InvalidValueError(where or "toml", reason))
        return None, problems


def _located(refused: InvalidValueError, path: str, prefix: str) -> InvalidValueError:
    """A class's own refusal with its field under the table's key path."""
    where = ".".join(part for part in (prefix, path) if part)
    if not where:
        return refused
    field = refused.field.partition(".")[2] or refused.field
    return InvalidValueError(f"{where}.{field}", refused.reason)


def _refusals(error: BaseException, path: str) -> list[tuple[InvalidValueError, str]]:
    """Every InvalidValueError in ``error`` or its groups, with the key path of its table."""
    if isinstance(error, InvalidValueError):
        return [(error, path)]
    found = []
    for inner in getattr(error, "exceptions", ()):
        step = path
        for note in getattr(inner, "__notes__", ()):
            if isinstance(note, AttributeValidationNote) and not isinstance(
                inner, InvalidValueError
            ):
                step = f"{path}.{note.name}".lstrip(".")
        found.extend(_refusals(inner, step))
    return found


def _describe(error: BaseException, _: type | None) -> str:
    if isinstance(error, KeyError):
        return "required"
    if isinstance(error, cattrs.ForbiddenExtraKeysError):
        return f"unknown key(s) {', '.join(sorted(error.extra_fields))}"
    return str(error)
