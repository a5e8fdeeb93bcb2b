"""Wire shapes: the domain model as plain JSON data (dicts, lists, str, bool, None) and back.

The shapes are public (DESIGN.md, "Contracts"); keys come in the order shown::

    MOVEMENT   {movement_id, account, transaction_id, bank_reference, end_to_end_id,
                mandate_id, creditor_reference, booking_date, value_date, amount, currency,
                booking_type, status, reversal,
                counterparty: {name, iban, bic, account_number, ultimate_name},
                remittance_info, bank_transaction_code, reference_transaction_id,
                internal_comment, hidden, occurrence,
                source: {source, line, column, path} | null}
    STATEMENT  {format, source, account: {kind, iban, bic, identifier, name, currency, key},
                statement_id, period_start, period_end,
                opening_balance: {amount, currency, date} | null, closing_balance: ... | null,
                movements: [MOVEMENT, ...], diagnostics: [...]}
    DOCUMENT   {statements: [STATEMENT, ...]}          (``paymatch parse --output json``)
    OPEN ITEM  {number, kind, invoice_number, customer_number, customer_name, amount, currency,
                date, due_date, ibans: [...], payment_reference, transaction_id,
                cash_discount: {percent, days} | null}
    ALLOCATION {allocation_id, movement_id,
                target: {type: "item", number} | {type: "chargeback", payment}
                      | {type: "refund", end_to_end_id} | {type: "write_off", reason, item},
                amount, currency, origin, made_at,
                evidence: [{rule, detail, weight}, ...]}
    LEDGER     {movements: [MOVEMENT, ...], open_items: [OPEN ITEM, ...],
                allocations: [ALLOCATION, ...]}     (a ledger dump, for ``paymatch export``)

Amounts (and percents and weights) are decimal strings, signed, keeping their places and
never in exponent notation (``"-12.50"``, ``"100"``); dates are ``YYYY-MM-DD``; ``made_at`` is
ISO 8601 with its offset; enums are their string values; an absent value is ``null``.

Reading is strict about types (a float amount, a number where a string belongs, a date that is
not ``YYYY-MM-DD`` are refused) and lenient about presence: ``null`` and a missing key both
mean the model's default, keys it does not know are ignored (newer writers may add some), and
the derived keys ``movement_id``, ``key`` and ``allocation_id`` are output-only: they are
recomputed, and a given one that differs is refused. A statement's ``source`` is the
source's name, and its ``diagnostics`` are written by :func:`statement_to_json` and ignored on
reading. An open item may give one ``iban`` instead of (or besides) ``ibans``, and may leave its
optional values empty (``""``), as CSV exports do.

Every refusal is an :class:`~paymatch.errors.InvalidValueError` whose ``field`` is the JSON
path of the first bad value (``$.statements[0].movements[3].amount``) and whose ``reason`` says
what was expected.

The conversion is a cattrs converter. :func:`make_converter` builds a fresh one with all the
hooks, so a service that embeds paymatch can adjust its own copy without touching anyone
else's; ``converter`` is the module's default, used when no other is passed.

>>> import datetime as dt
>>> from paymatch.model import BookingType, Movement, to_money
>>> movement = Movement(account="DE89370400440532013000", amount=to_money("-12.50", "EUR"),
...                     booking_date=dt.date(2026, 3, 2), booking_type=BookingType.OUTGOING,
...                     transaction_id="TX-1")
>>> data = movement_to_json(movement)
>>> data["movement_id"], data["amount"], data["booking_date"], data["value_date"]
('DE89370400440532013000:tx:TX-1', '-12.50', '2026-03-02', None)
>>> movement_from_json(data) == movement
True
>>> movement_from_json({**data, "amount": 12.5})
Traceback (most recent call last):
...
paymatch.errors.InvalidValueError: $.amount: must be a decimal string, got 12.5 (float)
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import reprlib
import typing
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import AttributeValidationNote, BaseValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from moneyed import Money

from paymatch.errors import InvalidValueError
from paymatch.ledger.book import Ledger
from paymatch.model.account import Account, AccountKind
from paymatch.model.allocation import (
    Allocation,
    AllocationTarget,
    ChargebackTarget,
    Evidence,
    ItemTarget,
    Origin,
    RefundTarget,
    WriteOff,
)
from paymatch.model.identifiers import compact_iban
from paymatch.model.money import currency_code, decimal_text
from paymatch.model.movement import BookingType, Counterparty, Movement, SourcePosition, Status
from paymatch.model.open_item import CashDiscount, OpenItem, OpenItemKind
from paymatch.model.statement import Balance, Statement

__all__ = [
    "allocation_from_json",
    "allocation_to_json",
    "converter",
    "ledger_document",
    "ledger_from_document",
    "make_converter",
    "movement_from_json",
    "movement_to_json",
    "open_item_from_json",
    "open_item_to_json",
    "statement_from_json",
    "statement_to_json",
    "statements_document",
    "statements_from_document",
]

T = TypeVar("T")

#: What a JSON amount looks like: an optional sign, digits, optional decimal places.
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")

#: The ``type`` of each allocation target in JSON.
_TARGET_TYPES: dict[str, type[AllocationTarget]] = {
    "item": ItemTarget,
    "chargeback": ChargebackTarget,
    "refund": RefundTarget,
    "write_off": WriteOff,
}

#: The open item keys that contract 2 requires; the others may be empty.
_OPEN_ITEM_REQUIRED = frozenset({"number", "amount", "currency"})


# -- Records: the JSON shapes as attrs classes, keys in output order ---------------------------
#
# cattrs un/structures these field by field (with paths for errors); each record converts to
# and from its model class, which validates the values as it always does. A field the model
# has a default for is ``None`` here when the JSON leaves it null or out (see ``_given``).


def _given(record: attrs.AttrsInstance, *omitted: str) -> dict[str, Any]:
    """The record's fields that the JSON gave (not null), less the ``omitted`` ones."""
    return {
        name: value
        for name, value in attrs.asdict(record, recurse=False).items()
        if value is not None and name not in omitted
    }


def _money(amount: Decimal, currency: str, owner: str) -> Money:
    return Money(amount, currency_code(currency, field=f"{owner}.currency"))


def _check_derived(field: str, given: str | None, derived: str) -> None:
    if given is not None and given != derived:
        raise InvalidValueError(
            field, f"is derived and output-only; must be {derived!r} if given, got {given!r}"
        )


@attrs.frozen(kw_only=True)
class _MovementJSON:
    movement_id: str | None = None
    account: str
    transaction_id: str | None = None
    bank_reference: str | None = None
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    creditor_reference: str | None = None
    booking_date: dt.date
    value_date: dt.date | None = None
    amount: Decimal
    currency: str
    booking_type: BookingType
    status: Status | None = None
    reversal: bool | None = None
    counterparty: Counterparty | None = None
    remittance_info: str | None = None
    bank_transaction_code: str | None = None
    reference_transaction_id: str | None = None
    internal_comment: str | None = None
    hidden: bool | None = None
    occurrence: int | None = None
    source: SourcePosition | None = None

    @classmethod
    def of(cls, movement: Movement) -> _MovementJSON:
        fields = attrs.asdict(movement, recurse=False)
        fields["amount"] = movement.amount.amount
        return cls(movement_id=movement.movement_id, currency=movement.currency, **fields)

    def to_model(self) -> Movement:
        movement = Movement(
            amount=_money(self.amount, self.currency, "Movement"),
            **_given(self, "movement_id", "amount", "currency"),
        )
        _check_derived("Movement.movement_id", self.movement_id, movement.movement_id)
        return movement


@attrs.frozen(kw_only=True)
class _AccountJSON:
    kind: AccountKind
    iban: str | None = None
    bic: str | None = None
    identifier: str | None = None
    name: str | None = None
    currency: str
    key: str | None = None

    @classmethod
    def of(cls, account: Account) -> _AccountJSON:
        return cls(key=account.key, **attrs.asdict(account, recurse=False))

    def to_model(self) -> Account:
        account = Account(**_given(self, "key"))
        _check_derived("Account.key", self.key, account.key)
        return account


@attrs.frozen(kw_only=True)
class _BalanceJSON:
    amount: Decimal
    currency: str
    date: dt.date

    @classmethod
    def of(cls, balance: Balance) -> _BalanceJSON:
        return cls(
            amount=balance.amount.amount, currency=balance.amount.currency.code, date=balance.date
        )

    def to_model(self) -> Balance:
        return Balance(amount=_money(self.amount, self.currency, "Balance"), date=self.date)


@attrs.frozen(kw_only=True)
class _StatementJSON:
    format: str | None = None
    source: str | None = None
    account: Account
    statement_id: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    opening_balance: Balance | None = None
    closing_balance: Balance | None = None
    movements: tuple[Movement, ...] | None = None

    @classmethod
    def of(cls, statement: Statement) -> _StatementJSON:
        return cls(**attrs.asdict(statement, recurse=False))

    def to_model(self) -> Statement:
        return Statement(**_given(self))


@attrs.frozen(kw_only=True)
class _DocumentJSON:
    statements: tuple[Statement, ...]


@attrs.frozen(kw_only=True)
class _LedgerJSON:
    movements: tuple[Movement, ...] = ()
    open_items: tuple[OpenItem, ...] = ()
    allocations: tuple[Allocation, ...] = ()


@attrs.frozen(kw_only=True)
class _OpenItemJSON:
    number: str
    kind: OpenItemKind | None = None
    invoice_number: str | None = None
    customer_number: str | None = None
    customer_name: str | None = None
    amount: Decimal
    currency: str
    date: dt.date | None = None
    due_date: dt.date | None = None
    ibans: tuple[str, ...] | None = None
    payment_reference: str | None = None
    transaction_id: str | None = None
    cash_discount: CashDiscount | None = None
    iban: str | None = None  # input-only: one IBAN, as in the CSV header of contract 2

    @classmethod
    def of(cls, item: OpenItem) -> _OpenItemJSON:
        fields = attrs.asdict(item, recurse=False)
        fields["amount"] = item.amount.amount
        return cls(currency=item.currency, **fields)

    def to_model(self) -> OpenItem:
        fields = _given(self, "amount", "currency", "iban")
        if self.iban is not None:
            iban = compact_iban(self.iban, field="OpenItem.iban")
            fields["ibans"] = (iban, *fields.get("ibans", ()))
        return OpenItem(amount=_money(self.amount, self.currency, "OpenItem"), **fields)


@attrs.frozen(kw_only=True)
class _AllocationJSON:
    allocation_id: str | None = None
    movement_id: str
    target: AllocationTarget
    amount: Decimal
    currency: str
    origin: Origin
    made_at: dt.datetime
    evidence: tuple[Evidence, ...] | None = None

    @classmethod
    def of(cls, allocation: Allocation) -> _AllocationJSON:
        fields = attrs.asdict(allocation, recurse=False)
        fields["amount"] = allocation.amount.amount
        return cls(
            allocation_id=allocation.allocation_id,
            currency=allocation.amount.currency.code,
            **fields,
        )

    def to_model(self) -> Allocation:
        allocation = Allocation(
            amount=_money(self.amount, self.currency, "Allocation"),
            **_given(self, "allocation_id", "amount", "currency"),
        )
        _check_derived("Allocation.allocation_id", self.allocation_id, allocation.allocation_id)
        return allocation


# -- Leaf hooks: exactly the JSON types, nothing coerced ---------------------------------------
#
# They raise a plain ValueError with the reason; the path is added by ``_located``.


def _shown(value: object) -> str:
    """``12.5 (float)``: a refused value and its JSON-side type, for messages."""
    return "null" if value is None else f"{reprlib.repr(value)} ({type(value).__name__})"


def _structure_str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"must be a string, got {_shown(value)}")


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"must be an integer, got {_shown(value)}")


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"must be true or false, got {_shown(value)}")


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return Decimal(value)
    raise ValueError(f"must be a decimal string, got {_shown(value)}")


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if date.isoformat() == value:  # fromisoformat also takes 20260301 and 2026-W09-1
                return date
    raise ValueError(f"must be a date YYYY-MM-DD, got {_shown(value)}")


def _structure_datetime(value: object, _: type) -> dt.datetime:
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"must be an ISO 8601 date and time with offset, got {_shown(value)}")


def _structure_enum(value: object, cls: type[enum.StrEnum]) -> enum.StrEnum:
    for member in cls:
        if isinstance(value, str) and value == member.value:
            return member
    allowed = ", ".join(repr(member.value) for member in cls)
    raise ValueError(f"must be one of {allowed}, got {_shown(value)}")


def _object(value: object) -> Mapping[str, object]:
    if isinstance(value, Mapping):
        return value
    raise ValueError(f"must be an object, got {_shown(value)}")


def _objects(cls: type[Any], c: cattrs.Converter) -> Any:
    """Structure hook factory for attrs classes: cattrs' own, behind a check for an object."""
    structure = make_dict_structure_fn(cls, c)
    return lambda value, _: structure(_object(value), cls)


def _is_tuple(kind: Any) -> bool:
    return typing.get_origin(kind) is tuple


def _lists(kind: Any, c: cattrs.Converter) -> Any:
    """Structure hook factory for tuples: cattrs' own, for JSON lists only (not strings)."""
    structure = homogenous_tuple_structure_factory(kind, c)

    def structure_list(value: object, _: type) -> Any:
        if isinstance(value, list | tuple):
            return structure(value, kind)
        raise ValueError(f"must be a list, got {_shown(value)}")

    return structure_list


def _blank_as_null(value: object) -> dict[str, object]:
    """Contract 2: an open item's optional values may be empty, as CSV cells are."""
    return {
        key: None
        if isinstance(item, str) and not item.strip() and key not in _OPEN_ITEM_REQUIRED
        else item
        for key, item in _object(value).items()
    }


def make_converter() -> cattrs.Converter:
    """A new cattrs converter between the model and the JSON shapes of this module.

    Each call returns an independent converter, so a service can register its own hooks on
    its copy (as cattrs recommends) without changing the module's ``converter``.
    """
    c = cattrs.Converter(unstruct_collection_overrides={tuple: list})

    leaves: list[tuple[type, Any]] = [
        (str, _structure_str),
        (int, _structure_int),
        (bool, _structure_bool),
        (Decimal, _structure_decimal),
        (dt.date, _structure_date),
        (dt.datetime, _structure_datetime),
        (enum.StrEnum, _structure_enum),  # before str in a StrEnum's MRO, so it wins
    ]
    for kind, hook in leaves:
        c.register_structure_hook(kind, hook)
    c.register_unstructure_hook(Decimal, decimal_text)
    c.register_unstructure_hook(dt.date, lambda value: value.isoformat())  # datetimes too
    c.register_unstructure_hook(enum.StrEnum, lambda member: member.value)
    c.register_structure_hook_factory(attrs.has, _objects)
    c.register_structure_hook_factory(_is_tuple, _lists)

    c.register_unstructure_hook(Account, lambda value: c.unstructure(_AccountJSON.of(value)))
    c.register_structure_hook(Account, lambda value, _: c.structure(value, _AccountJSON).to_model())
    c.register_unstructure_hook(Balance, lambda value: c.unstructure(_BalanceJSON.of(value)))
    c.register_structure_hook(Balance, lambda value, _: c.structure(value, _BalanceJSON).to_model())
    c.register_unstructure_hook(Movement, lambda value: c.unstructure(_MovementJSON.of(value)))
    c.register_structure_hook(
        Movement, lambda value, _: c.structure(value, _MovementJSON).to_model()
    )
    c.register_unstructure_hook(
        Statement,
        lambda value: {**c.unstructure(_StatementJSON.of(value)), "diagnostics": []},
    )
    c.register_structure_hook(
        Statement, lambda value, _: c.structure(value, _StatementJSON).to_model()
    )
    c.register_unstructure_hook(
        _OpenItemJSON, make_dict_unstructure_fn(_OpenItemJSON, c, iban=override(omit=True))
    )
    c.register_unstructure_hook(OpenItem, lambda value: c.unstructure(_OpenItemJSON.of(value)))
    c.register_structure_hook(
        OpenItem, lambda value, _: c.structure(_blank_as_null(value), _OpenItemJSON).to_model()
    )
    c.register_unstructure_hook(Allocation, lambda value: c.unstructure(_AllocationJSON.of(value)))
    c.register_structure_hook(
        Allocation, lambda value, _: c.structure(value, _AllocationJSON).to_model()
    )

    tags = {cls: tag for tag, cls in _TARGET_TYPES.items()}

    def structure_target(value: object, _: type) -> AllocationTarget:
        tag = _object(value).get("type")
        if isinstance(tag, str) and tag in _TARGET_TYPES:
            target: AllocationTarget = c.structure(value, _TARGET_TYPES[tag])
            return target
        allowed = ", ".join(repr(name) for name in _TARGET_TYPES)
        raise InvalidValueError(
            "AllocationTarget.type", f"must be one of {allowed}, got {_shown(tag)}"
        )

    c.register_unstructure_hook(
        AllocationTarget, lambda target: {"type": tags[type(target)], **c.unstructure(target)}
    )
    c.register_structure_hook(AllocationTarget, structure_target)
    return c


#: The default converter; pass your own from :func:`make_converter` to customise.
converter = make_converter()


# -- Errors: the first failure, at its JSON path ----------------------------------------------


def _located(error: Exception, path: str) -> InvalidValueError:
    """The first failure inside ``error`` as an InvalidValueError naming its JSON path.

    cattrs gathers failures in exception groups and notes on each member which attribute or
    index it was; a model's own InvalidValueError names ``<Class>.<field>``, which continues
    the path of the object being built.
    """
    while isinstance(error, BaseValidationError):
        error = error.exceptions[0]
        for note in getattr(error, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                path += f".{note.name}"
            elif isinstance(note, IterableValidationNote):
                path += f"[{note.index}]"
    if isinstance(error, InvalidValueError):
        relative = error.field.partition(".")[2] or error.field
        return type(error)(f"{path}.{relative}", error.reason)
    if isinstance(error, KeyError):  # cattrs: a required key is missing
        return InvalidValueError(path, "is required but missing")
    if isinstance(error, ValueError):  # a leaf hook's refusal
        return InvalidValueError(path, str(error))
    raise error  # not a refusal of the data but a fault: let it through as it is


def _structure(c: cattrs.Converter, data: object, cls: type[T]) -> T:
    try:
        return c.structure(data, cls)
    except (BaseValidationError, ValueError) as error:
        raise _located(error, "$") from error


def _unstructure(c: cattrs.Converter, value: object) -> dict[str, object]:
    data: dict[str, object] = c.unstructure(value)
    return data


# -- The public functions ---------------------------------------------------------------------


def movement_to_json(
    movement: Movement, *, converter: cattrs.Converter = converter
) -> dict[str, object]:
    """The MOVEMENT shape of ``movement`` (see the module docstring)."""
    return _unstructure(converter, movement)


def movement_from_json(data: object, *, converter: cattrs.Converter = converter) -> Movement:
    """The movement a MOVEMENT object describes; InvalidValueError (``$.amount``...) if it can't."""
    return _structure(converter, data, Movement)


def statement_to_json(
    statement: Statement,
    diagnostics: Sequence[Mapping[str, object]] = (),
    *,
    converter: cattrs.Converter = converter,
) -> dict[str, object]:
    """The STATEMENT shape of ``statement``, with ``diagnostics`` (the parser's notes) in it.

    Each diagnostic is copied as an object; values in it are unstructured like the rest
    (a ``Decimal`` becomes a decimal string, a date ``YYYY-MM-DD``).
    """
    data = _unstructure(converter, statement)
    data["diagnostics"] = [_unstructure(converter, dict(entry)) for entry in diagnostics]
    return data


def statement_from_json(data: object, *, converter: cattrs.Converter = converter) -> Statement:
    """The statement a STATEMENT object describes (its ``diagnostics`` are ignored)."""
    return _structure(converter, data, Statement)


def statements_document(
    statements: Iterable[Statement],
    diagnostics: Sequence[Sequence[Mapping[str, object]]] | None = None,
    *,
    converter: cattrs.Converter = converter,
) -> dict[str, object]:
    """The ``{"statements": [...]}`` document that ``paymatch parse --output json`` prints.

    ``diagnostics``, if given, holds one sequence of diagnostics per statement, in order.
    """
    statements = tuple(statements)
    if diagnostics is None:
        diagnostics = [()] * len(statements)
    if len(diagnostics) != len(statements):
        raise InvalidValueError(
            "diagnostics",
            f"must hold one entry per statement ({len(statements)}), got {len(diagnostics)}",
        )
    return {
        "statements": [
            statement_to_json(statement, entries, converter=converter)
            for statement, entries in zip(statements, diagnostics, strict=True)
        ]
    }


def statements_from_document(
    data: object, *, converter: cattrs.Converter = converter
) -> tuple[Statement, ...]:
    """The statements of a ``{"statements": [...]}`` document, in order."""
    return _structure(converter, data, _DocumentJSON).statements


def open_item_to_json(
    item: OpenItem, *, converter: cattrs.Converter = converter
) -> dict[str, object]:
    """The OPEN ITEM shape of ``item``."""
    return _unstructure(converter, item)


def open_item_from_json(data: object, *, converter: cattrs.Converter = converter) -> OpenItem:
    """The open item an OPEN ITEM object describes (``iban`` and empty values allowed)."""
    return _structure(converter, data, OpenItem)


def allocation_to_json(
    allocation: Allocation, *, converter: cattrs.Converter = converter
) -> dict[str, object]:
    """The ALLOCATION shape of ``allocation``."""
    return _unstructure(converter, allocation)


def allocation_from_json(data: object, *, converter: cattrs.Converter = converter) -> Allocation:
    """The allocation an ALLOCATION object describes."""
    return _structure(converter, data, Allocation)


def ledger_document(
    ledger: Ledger, *, converter: cattrs.Converter = converter
) -> dict[str, object]:
    """The LEDGER shape: every movement, open item and allocation of ``ledger``, in order."""
    return {
        "movements": [movement_to_json(m, converter=converter) for m in ledger.movements],
        "open_items": [open_item_to_json(i, converter=converter) for i in ledger.open_items],
        "allocations": [allocation_to_json(a, converter=converter) for a in ledger.allocations],
    }


def ledger_from_document(data: object, *, converter: cattrs.Converter = converter) -> Ledger:
    """The ledger a LEDGER document describes, its allocations made again as they were made.

    Each allocation is assigned anew with its own time, origin and evidence, so
    it keeps its ``allocation_id`` and the ledger checks every invariant again:
    a dump that breaks one is refused with the ledger's error.
    """
    dump = _structure(converter, data, _LedgerJSON)
    ledger = Ledger(dump.movements, dump.open_items)
    for allocation in dump.allocations:
        ledger.assign(
            allocation.movement_id,
            allocation.target,
            allocation.amount,
            at=allocation.made_at,
            origin=allocation.origin,
            evidence=allocation.evidence,
        )
    return ledger
