"""Hypothesis strategies for the paymatch domain, shared by the test modules.

Import them as ``from tests.strategies import movements, open_items`` (the
``tests`` directory is a package, so pytest puts the repository root on
``sys.path``). Every strategy builds values the model accepts: amounts are
``Decimal`` (never floats), IBANs carry valid check digits (generated with
schwifty), texts have no surrounding blanks. Parameters take either a plain
value or a strategy, so a test can pin what it cares about and let Hypothesis
vary the rest::

    @given(movements(account="DE89370400440532013000", booking_types=[BookingType.FEE]))
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

import schwifty
from hypothesis import strategies as st
from moneyed import Money
from stdnum.iso7064 import mod_97_10

from paymatch.model import (
    Account,
    AccountKind,
    Allocation,
    AllocationTarget,
    Balance,
    BookingType,
    CashDiscount,
    ChargebackTarget,
    Counterparty,
    Evidence,
    ItemTarget,
    Movement,
    OpenItem,
    OpenItemKind,
    Origin,
    RefundTarget,
    SourcePosition,
    Statement,
    Status,
    WriteOff,
    WriteOffReason,
    number_occurrences,
)

__all__ = [
    "CURRENCIES",
    "account_keys",
    "accounts",
    "allocation_targets",
    "allocations",
    "aware_datetimes",
    "bics",
    "cash_discounts",
    "counterparties",
    "creditor_references",
    "currencies",
    "dates",
    "ibans",
    "item_numbers",
    "money",
    "movements",
    "open_items",
    "references",
    "source_positions",
    "statements",
    "texts",
    "unique_movements",
    "unique_open_items",
]

T = TypeVar("T")

#: The currencies the strategies draw from; EUR first, so Hypothesis shrinks towards it.
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "PLN", "JPY")

#: Real BICs (schwifty checks structure and country, not existence, but real ones read better).
_BICS = ("COBADEFFXXX", "DEUTDEFF", "GENODEF1M04", "INGBNL2A", "RABONL2U", "BKAUATWW", "BNPAFRPP")

_DIGITS = string.digits
_UPPER = string.ascii_uppercase


def _strategy(value: T | st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``value`` itself if it is a strategy, otherwise a strategy that always gives it."""
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def _fixed(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


# --- money ---------------------------------------------------------------------------------


def currencies(codes: Sequence[str] = CURRENCIES) -> st.SearchStrategy[str]:
    """ISO 4217 codes from ``codes`` (by default a few common ones); shrinks towards EUR."""
    return st.sampled_from(tuple(codes))


def money(
    currency: str | st.SearchStrategy[str] = "EUR",
    min_value: Decimal | int | str | None = "-100000",
    max_value: Decimal | int | str | None = "100000",
    places: int = 2,
) -> st.SearchStrategy[Money]:
    """``Money`` in ``currency`` between ``min_value`` and ``max_value``, with ``places`` places.

    Amounts are built from ``Decimal`` (never floats); bounds are given as decimals,
    integers or decimal strings. ``money(min_value="0.01")`` gives positive amounts.
    """
    low = None if min_value is None else Decimal(min_value)
    high = None if max_value is None else Decimal(max_value)
    amounts = st.decimals(
        min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
    )
    return st.builds(Money, amounts, _strategy(currency))


# --- identifiers and texts -----------------------------------------------------------------


def ibans(countries: Sequence[str] = ("DE", "AT", "NL")) -> st.SearchStrategy[str]:
    """Valid IBANs in compact form (``DE89370400440532013000``), check digits computed by schwifty.

    ``countries`` chooses among DE (8-digit bank code), AT (5-digit bank code)
    and NL (4-letter bank code).
    """
    layouts = {
        "DE": (_fixed(_DIGITS, 8), _fixed(_DIGITS, 10)),
        "AT": (_fixed(_DIGITS, 5), _fixed(_DIGITS, 11)),
        "NL": (_fixed(_UPPER, 4), _fixed(_DIGITS, 10)),
    }
    unknown = set(countries) - set(layouts)
    if unknown:
        raise ValueError(f"ibans() knows no layout for {sorted(unknown)}")

    def build(country: str) -> st.SearchStrategy[str]:
        bank_codes, account_codes = layouts[country]
        return st.builds(
            lambda bank, account: str(
                schwifty.IBAN.generate(country, bank_code=bank, account_code=account).compact
            ),
            bank_codes,
            account_codes,
        )

    return st.one_of(*(build(country) for country in countries))


def bics() -> st.SearchStrategy[str]:
    """Valid BICs (8 or 11 characters) of real banks."""
    return st.sampled_from(_BICS)


def creditor_references() -> st.SearchStrategy[str]:
    """Valid ISO 11649 creditor references in compact form (``RF18539007547034``)."""

    def build(body: str) -> str:
        # ISO 11649: the check digits make body + "RF" + digits a valid ISO 7064 mod 97-10 number.
        return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"

    return st.text(alphabet=_DIGITS + _UPPER, min_size=1, max_size=21).map(build)


def texts(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-empty human text (letters, digits, punctuation, inner blanks), no surrounding blanks.

    Blanks inside may repeat (``"RE 1001  Mueller"``), as they do in remittance lines.
    """
    characters = st.characters(categories=("L", "N", "P", "Zs"))
    return (
        st.text(characters, min_size=min_size, max_size=max_size)
        .map(str.strip)
        .filter(lambda text: len(text) >= min_size)
    )


def export_texts(max_size: int = 40, *, control: bool = False) -> st.SearchStrategy[str]:
    """Model texts an export must cope with: letters, digits, punctuation and symbols (quotes,
    ``;``, ``|``, ``€``, formula starts), inner blanks, and with ``control`` line breaks too."""
    categories = ("L", "N", "P", "S", "Zs", "Cc") if control else ("L", "N", "P", "S", "Zs")
    return (
        st.text(alphabet=st.characters(categories=categories), min_size=1, max_size=max_size)
        .map(str.strip)
        .filter(bool)
    )


def references(prefix: str = "") -> st.SearchStrategy[str]:
    """Machine references (transaction, end-to-end, bank): ``prefix`` then A-Z, 0-9 and ``-``."""
    body = st.text(alphabet=_DIGITS + _UPPER + "-", min_size=1, max_size=20).filter(
        lambda text: text.strip("-") == text
    )
    return body.map(lambda text: prefix + text)


def item_numbers(prefixes: Sequence[str] = ("RE-", "AU-")) -> st.SearchStrategy[str]:
    """Order and invoice numbers such as ``RE-10023``; use :func:`unique_open_items` for lists."""
    return st.builds(
        lambda prefix, number: f"{prefix}{number}",
        st.sampled_from(tuple(prefixes)),
        st.integers(min_value=1, max_value=99_999_999),
    )


def dates(
    min_value: dt.date = dt.date(2020, 1, 1), max_value: dt.date = dt.date(2030, 12, 31)
) -> st.SearchStrategy[dt.date]:
    """Dates (never datetimes) in a plausible booking range."""
    return st.dates(min_value=min_value, max_value=max_value)


def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    """Time-zone-aware datetimes (fixed offsets from -12:00 to +14:00 in quarter hours)."""
    offsets = st.integers(min_value=-48, max_value=56).map(
        lambda quarters: dt.timezone(dt.timedelta(minutes=15 * quarters))
    )
    return st.datetimes(
        min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=offsets
    )


def source_positions() -> st.SearchStrategy[SourcePosition]:
    """Where a record came from: a file name with a line, a column or an XML path."""
    return st.builds(
        SourcePosition,
        source=st.none() | st.sampled_from(("statement.sta", "camt053.xml", "paypal.csv")),
        line=st.none() | st.integers(min_value=1, max_value=10**6),
        column=st.none() | st.integers(min_value=1, max_value=500),
        path=st.none() | st.sampled_from(("/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]",)),
    )


# --- accounts, movements, statements -------------------------------------------------------


def accounts(
    kinds: Sequence[AccountKind] = tuple(AccountKind),
    currency: str | st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Account]:
    """Accounts of the given ``kinds`` in ``currency`` (default: any of :func:`currencies`).

    Bank accounts have an IBAN (and sometimes a BIC); provider accounts an identifier.
    """
    currency_strategy = currencies() if currency is None else _strategy(currency)

    def build(kind: AccountKind) -> st.SearchStrategy[Account]:
        if kind is AccountKind.BANK:
            return st.builds(
                Account,
                kind=st.just(kind),
                currency=currency_strategy,
                iban=ibans(),
                bic=st.none() | bics(),
                name=st.none() | texts(),
            )
        return st.builds(
            Account,
            kind=st.just(kind),
            currency=currency_strategy,
            identifier=references(prefix=f"{kind.value}-"),
            name=st.none() | texts(),
        )

    return st.sampled_from(tuple(kinds)).flatmap(build)


def account_keys() -> st.SearchStrategy[str]:
    """``Account.key`` values: an IBAN, or ``<kind>:<identifier>`` for provider accounts."""
    return accounts().map(lambda account: account.key)


def counterparties() -> st.SearchStrategy[Counterparty]:
    """Counterparties with any mix of name, IBAN, BIC, other account number, ultimate party."""
    return st.builds(
        Counterparty,
        name=st.none() | texts(),
        iban=st.none() | ibans(),
        bic=st.none() | bics(),
        account_number=st.none() | references(),
        ultimate_name=st.none() | texts(),
    )


def movements(
    account: str | st.SearchStrategy[str] | None = None,
    currency: str | st.SearchStrategy[str] = "EUR",
    statuses: Sequence[Status] = tuple(Status),
    booking_types: Sequence[BookingType] = tuple(BookingType),
    *,
    amounts: st.SearchStrategy[Money] | None = None,
    identified: bool | None = None,
    hidden: bool | None = None,
) -> st.SearchStrategy[Movement]:
    """Movements on ``account`` (an ``Account.key``; default: any key) in ``currency``.

    ``statuses`` and ``booking_types`` limit what is drawn. ``amounts`` overrides
    the amount strategy (it must give money in ``currency``). ``identified``:
    ``None`` draws transaction ids and bank references or not; ``False`` leaves
    both out, so the movement is known by its content hash; ``True`` always
    gives a transaction id. ``hidden`` pins the hidden flag. ``occurrence`` is
    always 0: number a list with :func:`paymatch.model.number_occurrences`.
    """
    if identified is None:
        transaction_ids = st.none() | references("TX-")
        bank_references = st.none() | references() | st.sampled_from(("NONREF", "NOTPROVIDED"))
    elif identified:
        transaction_ids = references("TX-")
        bank_references = st.none() | references()
    else:
        transaction_ids = bank_references = st.none()
    return st.builds(
        Movement,
        account=account_keys() if account is None else _strategy(account),
        amount=money(currency) if amounts is None else amounts,
        booking_date=dates(),
        booking_type=st.sampled_from(tuple(booking_types)),
        value_date=st.none() | dates(),
        status=st.sampled_from(tuple(statuses)),
        counterparty=counterparties(),
        remittance_info=st.none() | texts(max_size=140),
        creditor_reference=st.none() | creditor_references(),
        end_to_end_id=st.none() | references("E2E-") | st.just("NOTPROVIDED"),
        mandate_id=st.none() | references("M-"),
        bank_reference=bank_references,
        transaction_id=transaction_ids,
        reference_transaction_id=st.none() | references("TX-"),
        bank_transaction_code=st.none() | st.sampled_from(("NTRF", "NDDT", "PMNT-RCDT-ESCT")),
        reversal=st.booleans(),
        internal_comment=st.none() | texts(),
        hidden=st.booleans() if hidden is None else st.just(hidden),
        source=st.none() | source_positions(),
    )


def unique_movements(
    account: str | None = None,
    currency: str = "EUR",
    *,
    min_size: int = 0,
    max_size: int = 20,
    identified: bool | None = None,
) -> st.SearchStrategy[tuple[Movement, ...]]:
    """Tuples of movements with pairwise different ``movement_id``s, numbered by occurrence.

    All movements are on one ``account`` (drawn once if not given).
    """
    keys = account_keys() if account is None else st.just(account)
    return keys.flatmap(
        lambda key: (
            st.lists(
                movements(key, currency, identified=identified),
                min_size=min_size,
                max_size=max_size,
            )
            .map(number_occurrences)
            .filter(lambda numbered: len({m.movement_id for m in numbered}) == len(numbered))
        )
    )


def _one_per_id(movements: Sequence[Movement]) -> tuple[Movement, ...]:
    """The first movement of each id: generated transaction ids may repeat, real ones do not."""
    first: dict[str, Movement] = {}
    for movement in movements:
        first.setdefault(movement.movement_id, movement)
    return tuple(first.values())


def statements(
    account: Account | st.SearchStrategy[Account] | None = None, *, max_movements: int = 10
) -> st.SearchStrategy[Statement]:
    """Statements of one account with movements on it in its currency, numbered by occurrence.

    Period and balances are present or absent; when present they are consistent
    (start <= end, balances in the account currency).
    """

    def build(account: Account) -> st.SearchStrategy[Statement]:
        balances = st.none() | st.builds(Balance, amount=money(account.currency), date=dates())
        return st.builds(
            lambda movements, start, days, opening, closing, statement_id: Statement(
                account=account,
                movements=_one_per_id(number_occurrences(movements)),
                statement_id=statement_id,
                period_start=start,
                period_end=None if start is None or days is None else start + dt.timedelta(days),
                opening_balance=opening,
                closing_balance=closing,
            ),
            st.lists(movements(account.key, account.currency), max_size=max_movements),
            st.none() | dates(),
            st.none() | st.integers(min_value=0, max_value=31),
            balances,
            balances,
            st.none() | references("STMT-"),
        )

    return (accounts() if account is None else _strategy(account)).flatmap(build)


# --- open items and allocations ------------------------------------------------------------


def cash_discounts() -> st.SearchStrategy[CashDiscount]:
    """Cash discount terms: 0.5 to 5 percent (two places) within 0 to 30 days."""
    return st.builds(
        CashDiscount,
        percent=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(5), places=2),
        days=st.integers(min_value=0, max_value=30),
    )


def open_items(
    currency: str | st.SearchStrategy[str] = "EUR",
    *,
    number: str | st.SearchStrategy[str] | None = None,
    amounts: st.SearchStrategy[Money] | None = None,
) -> st.SearchStrategy[OpenItem]:
    """Open orders and invoices in ``currency`` with an open amount from 0 up.

    ``number`` pins or draws the item number (default :func:`item_numbers`);
    ``amounts`` overrides the amount strategy. For several items with distinct
    numbers use :func:`unique_open_items`.
    """
    return st.builds(
        OpenItem,
        number=item_numbers() if number is None else _strategy(number),
        amount=money(currency, min_value=0) if amounts is None else amounts,
        kind=st.sampled_from(tuple(OpenItemKind)),
        invoice_number=st.none() | item_numbers(("RE-",)),
        customer_number=st.none() | references("K"),
        customer_name=st.none() | texts(),
        date=st.none() | dates(),
        due_date=st.none() | dates(),
        ibans=st.lists(ibans(), max_size=3, unique=True).map(tuple),
        payment_reference=st.none() | creditor_references() | references(),
        transaction_id=st.none() | references("TX-"),
        cash_discount=st.none() | cash_discounts(),
    )


def unique_open_items(
    currency: str | st.SearchStrategy[str] = "EUR", *, min_size: int = 0, max_size: int = 20
) -> st.SearchStrategy[tuple[OpenItem, ...]]:
    """Tuples of open items whose numbers are pairwise different (a valid set of open items)."""
    return st.lists(
        open_items(currency),
        min_size=min_size,
        max_size=max_size,
        unique_by=lambda item: item.number,
    ).map(tuple)


def allocation_targets() -> st.SearchStrategy[AllocationTarget]:
    """Any allocation target: an item, a chargeback, a refund, a write-off with or without item."""
    return st.one_of(
        st.builds(ItemTarget, number=item_numbers()),
        st.builds(ChargebackTarget, payment=st.none() | references("TX-")),
        st.builds(RefundTarget, end_to_end_id=references("E2E-")),
        st.builds(
            WriteOff,
            reason=st.sampled_from(tuple(WriteOffReason)),
            item=st.none() | item_numbers(),
        ),
    )


def allocations(
    movement_id: str | st.SearchStrategy[str] | None = None,
    currency: str | st.SearchStrategy[str] = "EUR",
) -> st.SearchStrategy[Allocation]:
    """Allocations of a positive amount in ``currency`` with aware times and some evidence."""
    return st.builds(
        Allocation,
        movement_id=(
            movements(currency=currency).map(lambda m: m.movement_id)
            if movement_id is None
            else _strategy(movement_id)
        ),
        target=allocation_targets(),
        amount=money(currency, min_value="0.01"),
        origin=st.sampled_from(tuple(Origin)),
        made_at=aware_datetimes(),
        evidence=st.lists(
            st.builds(
                Evidence,
                rule=st.sampled_from(("invoice_number", "amount", "iban")),
                detail=texts(),
                weight=st.decimals(min_value=-1, max_value=1, places=2),
            ),
            max_size=3,
        ).map(tuple),
    )
