"""Open items: the orders and invoices a payment can be assigned to."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs
from moneyed import Money

from paymatch.errors import InvalidValueError
from paymatch.model import _checks
from paymatch.model.identifiers import compact_iban
from paymatch.model.money import to_decimal

__all__ = ["CashDiscount", "OpenItem", "OpenItemKind"]


class OpenItemKind(enum.StrEnum):
    """Whether the item is an order (paid before or without an invoice) or an invoice."""

    ORDER = "order"  # a sales order; prepayment and POS sales are paid against it
    INVOICE = "invoice"  # an invoice; transfers on account are paid against it


def _percent(value: Decimal | int | str) -> Decimal:
    percent = to_decimal(value, field="CashDiscount.percent")
    if not 0 < percent < 100:
        raise InvalidValueError("CashDiscount.percent", f"must be between 0 and 100, got {percent}")
    return percent


@attrs.frozen(kw_only=True)
class CashDiscount:
    """Payment terms with cash discount (Skonto): ``percent`` off when paid within ``days``.

    The days count from the item's ``date`` (the invoice date).

    >>> CashDiscount(percent="2", days=10).deadline(dt.date(2026, 3, 1))
    datetime.date(2026, 3, 11)
    """

    percent: Decimal = attrs.field(converter=_percent)
    days: int = attrs.field(validator=_checks.of_type(int))

    def __attrs_post_init__(self) -> None:
        if self.days < 0:
            raise InvalidValueError("CashDiscount.days", f"must not be negative, got {self.days}")

    def deadline(self, item_date: dt.date) -> dt.date:
        """The last day a payment may deduct the discount."""
        return item_date + dt.timedelta(days=self.days)


def _ibans(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The IBANs, compact, each once, in the order given."""
    if not isinstance(values, tuple | list):
        raise InvalidValueError(
            "OpenItem.ibans", f"must be a tuple of IBANs, got {type(values).__name__}"
        )
    compact = (
        compact_iban(value, field=f"OpenItem.ibans[{index}]") for index, value in enumerate(values)
    )
    return tuple(dict.fromkeys(compact))


@attrs.frozen(kw_only=True)
class OpenItem:
    """An order or invoice that is owed money (see DESIGN.md, "Open item").

    ``amount`` is what was open when the item was handed to paymatch; what is
    still open after allocations is the ledger's to say
    (``Ledger.open_amount``). ``payment_reference`` is the reference the
    customer was asked to quote (an ISO 11649 ``RF`` reference or a bank's own
    format); ``transaction_id`` a provider's transaction id stored with the
    order (a PayPal or Stripe payment captured by the shop).
    """

    number: str = attrs.field(validator=_checks.text)
    amount: Money = attrs.field(validator=_checks.not_negative_money)
    kind: OpenItemKind = attrs.field(
        default=OpenItemKind.INVOICE, validator=_checks.of_type(OpenItemKind)
    )
    invoice_number: str | None = attrs.field(default=None, validator=_checks.optional_text)
    customer_number: str | None = attrs.field(default=None, validator=_checks.optional_text)
    customer_name: str | None = attrs.field(default=None, validator=_checks.optional_text)
    date: dt.date | None = attrs.field(
        default=None, validator=_checks.of_type(dt.date, optional=True)
    )
    due_date: dt.date | None = attrs.field(
        default=None, validator=_checks.of_type(dt.date, optional=True)
    )
    ibans: tuple[str, ...] = attrs.field(default=(), converter=_ibans)
    payment_reference: str | None = attrs.field(default=None, validator=_checks.optional_text)
    transaction_id: str | None = attrs.field(default=None, validator=_checks.optional_text)
    cash_discount: CashDiscount | None = attrs.field(
        default=None, validator=_checks.of_type(CashDiscount, optional=True)
    )

    @property
    def currency(self) -> str:
        """The ISO 4217 code of the amount."""
        return str(self.amount.currency.code)
