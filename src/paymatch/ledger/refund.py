"""Refund instructions: "refund the remaining amount" of an incoming payment."""

from __future__ import annotations

import attrs
from moneyed import Money

from paymatch.model._checks import optional_text, positive_money, text

__all__ = ["RefundInstruction"]


@attrs.frozen(kw_only=True)
class RefundInstruction:
    """What a credit transfer must carry to send the rest of a payment back to its payer.

    The ledger makes one with ``Ledger.refund_rest`` and records the amount as
    allocated to the refund, so the same rest is never refunded twice. The
    SEPA export turns it into a pain.001 transfer; ``creditor_iban`` is the
    payer's IBAN where the statement gave one, otherwise ``None`` and a person
    must supply it.
    """

    movement_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=positive_money)
    end_to_end_id: str = attrs.field(validator=text)
    remittance_info: str = attrs.field(validator=text)
    creditor_name: str | None = attrs.field(default=None, validator=optional_text)
    creditor_iban: str | None = attrs.field(default=None, validator=optional_text)
    creditor_bic: str | None = attrs.field(default=None, validator=optional_text)
