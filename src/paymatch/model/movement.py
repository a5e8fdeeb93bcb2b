"""Movements (Kontobewegungen): one booking on one account, and its identity.

A movement is what a statement line says happened: a signed amount (money in
is positive), dates, a booking type and status, who paid or was paid, and the
references that link it to orders, invoices and other movements.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections import Counter
from collections.abc import Iterable

import attrs
from moneyed import Money

from paymatch.errors import describe_position
from paymatch.model import _checks
from paymatch.model.identifiers import compact_bic, compact_iban, compact_rf
from paymatch.model.money import normalised_amount

__all__ = [
    "BookingType",
    "Counterparty",
    "Movement",
    "SourcePosition",
    "Status",
    "number_occurrences",
]


class BookingType(enum.StrEnum):
    """What kind of booking a movement is; the matcher and the posting rules branch on it."""

    INCOMING = "incoming"  # money received: a credit transfer, a provider payment
    OUTGOING = "outgoing"  # money paid away: a credit transfer to a supplier
    SEPA_PRENOTIFIED = "sepa_prenotified"  # an announced SEPA direct debit we collect, not booked
    SEPA_DIRECT_DEBIT = "sepa_direct_debit"  # a SEPA direct debit (collected by us or from us)
    REFUND = "refund"  # money returned to a customer for an earlier payment
    CHARGEBACK = "chargeback"  # a payment taken back: returned debit, card or PayPal dispute
    FEE = "fee"  # a bank or provider charge
    PAYOUT = "payout"  # a provider balance paid out to the bank (or the bank side of it)
    TRANSFER = "transfer"  # money moved between two accounts of the same business
    INTEREST = "interest"  # interest credited or charged by the bank
    OTHER = "other"  # a booking no other type describes (adjustments, reserves...)


class Status(enum.StrEnum):
    """How far a movement has got; only completed movements can be assigned."""

    COMPLETED = "completed"  # booked; the money has moved
    PENDING = "pending"  # in progress: announced, authorised or not yet booked
    CANCELLED = "cancelled"  # withdrawn before it was booked
    FAILED = "failed"  # refused or returned before it was booked


def _iban_or_none(value: str | None) -> str | None:
    return None if value is None else compact_iban(value, field="Counterparty.iban")


def _bic_or_none(value: str | None) -> str | None:
    return None if value is None else compact_bic(value, field="Counterparty.bic")


@attrs.frozen(kw_only=True)
class Counterparty:
    """Who paid us, or whom we paid. IBAN and BIC are validated and kept compact.

    ``account_number`` holds a counterparty account that is not an IBAN (old
    domestic numbers, card or wallet ids), so nothing the source said is lost.
    ``ultimate_name`` is the party the payment was really for or from when the
    account holder acted on its behalf (SEPA ultimate debtor or creditor, MT940
    ``ABWA+``/``ABWE+``): often the customer the matcher looks for.
    """

    name: str | None = attrs.field(default=None, validator=_checks.optional_text)
    iban: str | None = attrs.field(default=None, converter=_iban_or_none)
    bic: str | None = attrs.field(default=None, converter=_bic_or_none)
    account_number: str | None = attrs.field(default=None, validator=_checks.optional_text)
    ultimate_name: str | None = attrs.field(default=None, validator=_checks.optional_text)


#: The counterparty of a movement that names none.
NO_COUNTERPARTY = Counterparty()


@attrs.frozen(kw_only=True)
class SourcePosition:
    """Where in its source a record came from, so errors and the log book can point at it.

    ``line`` and ``column`` are 1-based positions in text formats; ``path`` is
    the XML path of the element in XML formats (``/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]``).
    """

    source: str | None = attrs.field(default=None, validator=_checks.optional_text)
    line: int | None = attrs.field(default=None, validator=_checks.at_least(1, optional=True))
    column: int | None = attrs.field(default=None, validator=_checks.at_least(1, optional=True))
    path: str | None = attrs.field(default=None, validator=_checks.optional_text)

    def __str__(self) -> str:
        return describe_position(self.source, self.line, self.column, self.path)


#: Bank references that mean "no reference" and so cannot identify a movement.
_PLACEHOLDER_REFERENCES = frozenset({"NONREF", "NOTPROVIDED", "NOTAVAILABLE", "NONE"})


def _identifies(reference: str | None) -> bool:
    return reference is not None and reference.upper() not in _PLACEHOLDER_REFERENCES


def _rf_or_none(value: str | None) -> str | None:
    return None if value is None else compact_rf(value, field="Movement.creditor_reference")


@attrs.frozen(kw_only=True)
class Movement:
    """One booking on an account (see DESIGN.md, "Movement").

    ``account`` is the ``Account.key`` of the account it was booked on.
    ``amount`` is signed: money in is positive, money out negative.
    ``reversal`` marks a booking that reverses an earlier one (a returned
    debit, a storno); its sign is already the sign of the money moved.
    ``internal_comment`` and ``hidden`` are the ledger's notes on the
    movement; sources leave them empty.
    ``occurrence`` tells apart movements with identical content in one
    statement (two equal payments on the same day): 0 for the first, 1 for the
    second... — see :func:`number_occurrences` and :attr:`movement_id`.
    """

    account: str = attrs.field(validator=_checks.text)
    amount: Money = attrs.field(validator=_checks.money)
    booking_date: dt.date = attrs.field(validator=_checks.of_type(dt.date))
    booking_type: BookingType = attrs.field(validator=_checks.of_type(BookingType))
    value_date: dt.date | None = attrs.field(
        default=None, validator=_checks.of_type(dt.date, optional=True)
    )
    status: Status = attrs.field(default=Status.COMPLETED, validator=_checks.of_type(Status))
    counterparty: Counterparty = attrs.field(
        default=NO_COUNTERPARTY, validator=_checks.of_type(Counterparty)
    )
    remittance_info: str | None = attrs.field(default=None, validator=_checks.optional_text)
    creditor_reference: str | None = attrs.field(default=None, converter=_rf_or_none)
    end_to_end_id: str | None = attrs.field(default=None, validator=_checks.optional_text)
    mandate_id: str | None = attrs.field(default=None, validator=_checks.optional_text)
    bank_reference: str | None = attrs.field(default=None, validator=_checks.optional_text)
    transaction_id: str | None = attrs.field(default=None, validator=_checks.optional_text)
    reference_transaction_id: str | None = attrs.field(
        default=None, validator=_checks.optional_text
    )
    bank_transaction_code: str | None = attrs.field(default=None, validator=_checks.optional_text)
    reversal: bool = attrs.field(default=False, validator=_checks.of_type(bool))
    internal_comment: str | None = attrs.field(default=None, validator=_checks.optional_text)
    hidden: bool = attrs.field(default=False, validator=_checks.of_type(bool))
    occurrence: int = attrs.field(default=0, validator=_checks.at_least(0))
    source: SourcePosition | None = attrs.field(
        default=None, validator=_checks.of_type(SourcePosition, optional=True)
    )

    @property
    def currency(self) -> str:
        """The ISO 4217 code of the amount."""
        return str(self.amount.currency.code)

    @property
    def movement_id(self) -> str:
        """The stable identity of this booking, the same every time its source is read.

        It is the account key plus the strongest identifier the source gives:

        1. ``<account>:tx:<transaction_id>`` when the source has a transaction
           id (providers, CAMT ``TxId``), unique per account by definition;
        2. ``<account>:ref:<bank_reference>`` when the bank gives its own
           reference (CAMT ``AcctSvcrRef``, MT940 ``//`` reference);
        3. ``<account>:hash:<16 hex digits>``: the first 16 hex digits of the
           SHA-256 of what a re-issued statement repeats unchanged, joined by
           the unit separator ``\x1f`` and encoded as UTF-8, in this order:
           account key, booking date (ISO), amount (normalised: ``120``,
           ``120.0`` and ``120.00`` are the same), currency, counterparty IBAN,
           counterparty name, remittance information (blanks collapsed),
           end-to-end id (absent values as empty strings) and ``occurrence``.

        A transaction id or bank reference that is a placeholder (``NONREF``,
        ``NOTPROVIDED``...) identifies nothing and is passed over.

        Derived fields (booking type, status) and the ledger's notes (comment,
        hidden) are not part of it, so a movement keeps its id when a pending
        booking completes or a newer parser classifies it better.

        >>> from paymatch.model.money import to_money
        >>> Movement(account="DE89370400440532013000", amount=to_money("10", "EUR"),
        ...          booking_date=dt.date(2026, 1, 2), booking_type=BookingType.INCOMING,
        ...          transaction_id="TX-1").movement_id
        'DE89370400440532013000:tx:TX-1'
        """
        if _identifies(self.transaction_id):
            return f"{self.account}:tx:{self.transaction_id}"
        if _identifies(self.bank_reference):
            return f"{self.account}:ref:{self.bank_reference}"
        return f"{self.account}:hash:{self.content_hash()}"

    def content_hash(self) -> str:
        """The 16-hex-digit content hash used by :attr:`movement_id` when no id is given."""
        remittance = " ".join((self.remittance_info or "").split())
        fields = (
            self.account,
            self.booking_date.isoformat(),
            normalised_amount(self.amount),
            self.currency,
            self.counterparty.iban or "",
            self.counterparty.name or "",
            remittance,
            self.end_to_end_id or "",
            str(self.occurrence),
        )
        return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:16]


def number_occurrences(movements: Iterable[Movement]) -> tuple[Movement, ...]:
    """Number movements with identical content so that each gets its own id.

    Parsers call this on the movements of one statement: the second of two
    identical payments on one day gets ``occurrence=1`` and so a different
    :attr:`Movement.movement_id`. Reading the same statement again numbers them
    the same way, so re-imports still recognise both.
    """
    seen: Counter[str] = Counter()
    numbered = []
    for movement in movements:
        if _identifies(movement.transaction_id) or _identifies(movement.bank_reference):
            numbered.append(movement)  # its id is the source's, not a content hash
            continue
        # evolve only when needed: building a Movement (validators) costs more than hashing it
        unnumbered = movement if movement.occurrence == 0 else attrs.evolve(movement, occurrence=0)
        base = unnumbered.content_hash()
        occurrence = seen[base]
        numbered.append(
            unnumbered if occurrence == 0 else attrs.evolve(movement, occurrence=occurrence)
        )
        seen[base] += 1
    return tuple(numbered)
