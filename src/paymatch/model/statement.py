"""Statements: what one file says about one account for one period."""

from __future__ import annotations

import datetime as dt

import attrs
from moneyed import Money

from paymatch.errors import CurrencyMismatchError, InvalidValueError
from paymatch.model import _checks
from paymatch.model.account import Account
from paymatch.model.movement import Movement

__all__ = ["Balance", "Statement"]


@attrs.frozen(kw_only=True)
class Balance:
    """An account balance at the end of a day (signed: overdrawn is negative)."""

    amount: Money = attrs.field(validator=_checks.money)
    date: dt.date = attrs.field(validator=_checks.of_type(dt.date))


@attrs.frozen(kw_only=True)
class Statement:
    """One account's movements for one period, with the balances around them.

    A file can hold several statements (several accounts, or several days).
    ``statement_id`` is the source's own number (MT940 ``:20:``/``:28C:``,
    CAMT ``Stmt/Id``); ``format`` names the parser that read it and
    ``source`` names the file. Every movement must belong to ``account`` and
    be in its currency — a statement whose movements do not is refused,
    because its balances could not add up — and have its own id: two
    movements with one id would be one booking to the ledger, so a parser
    must number identical ones (:func:`~paymatch.model.number_occurrences`).
    """

    account: Account = attrs.field(validator=_checks.of_type(Account))
    movements: tuple[Movement, ...] = attrs.field(default=(), validator=_checks.tuple_of(Movement))
    statement_id: str | None = attrs.field(default=None, validator=_checks.optional_text)
    period_start: dt.date | None = attrs.field(
        default=None, validator=_checks.of_type(dt.date, optional=True)
    )
    period_end: dt.date | None = attrs.field(
        default=None, validator=_checks.of_type(dt.date, optional=True)
    )
    opening_balance: Balance | None = attrs.field(
        default=None, validator=_checks.of_type(Balance, optional=True)
    )
    closing_balance: Balance | None = attrs.field(
        default=None, validator=_checks.of_type(Balance, optional=True)
    )
    format: str | None = attrs.field(default=None, validator=_checks.optional_text)
    source: str | None = attrs.field(default=None, validator=_checks.optional_text)

    def __attrs_post_init__(self) -> None:
        if (
            self.period_start is not None
            and self.period_end is not None
            and self.period_end < self.period_start
        ):
            raise InvalidValueError(
                "Statement.period_end",
                f"must not be before period_start {self.period_start}, got {self.period_end}",
            )
        currency = self.account.currency
        for name in ("opening_balance", "closing_balance"):
            balance: Balance | None = getattr(self, name)
            if balance is not None and balance.amount.currency.code != currency:
                raise CurrencyMismatchError(
                    f"Statement.{name}",
                    f"must be in the account currency {currency}, "
                    f"got {balance.amount.currency.code}",
                )
        key = self.account.key
        first_index: dict[str, int] = {}
        for index, movement in enumerate(self.movements):
            earlier = first_index.setdefault(movement.movement_id, index)
            if earlier != index:
                raise InvalidValueError(
                    f"Statement.movements[{index}]",
                    f"has the id {movement.movement_id!r} of movements[{earlier}]; "
                    "number identical movements with number_occurrences()",
                )
            if movement.account != key:
                raise InvalidValueError(
                    f"Statement.movements[{index}].account",
                    f"must be the statement's account {key!r}, got {movement.account!r}",
                )
            if movement.currency != currency:
                raise CurrencyMismatchError(
                    f"Statement.movements[{index}].amount",
                    f"must be in the account currency {currency}, got {movement.currency}",
                )
