"""FEC: the French Fichier des Écritures Comptables.

Implements article A47 A-1 of the Livre des procédures fiscales and its
commentary BOI-CF-IOR-60-40-20: a flat file whose first line names the 18
columns, in this order::

    JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|
    CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|
    Montantdevise|Idevise

separated by ``|`` (or a tab), one line per accounting line, dates
``AAAAMMJJ``, amounts with a decimal comma and no thousands separator, in
ISO 8859-15 (a character it lacks becomes ``?``; the separator and line
breaks inside texts become blanks). The file is named
``<SIREN>FEC<AAAAMMJJ>.txt`` after the closing date of the fiscal year.

The bookings of one movement form one entry (``EcritureNum``, numbered
continuously from the settings' first number); each booking gives a debit
line on its debit account and a credit line on its credit account, so every
entry balances. ``CompAuxNum``/``CompAuxLib`` name the customer or supplier
on the line of their account; ``PieceRef`` is the document number (the
movement id when there is none); ``ValidDate`` the day the entries were
validated (exported). Amounts are in the file's currency; ``Montantdevise``
and ``Idevise`` stay empty, as paymatch has no exchange rate — a booking in
another currency is refused.

>>> import datetime as dt
>>> from moneyed import Money
>>> from paymatch.accounting.journal import Booking, BookingKind
>>> from paymatch.model import BookingType
>>> booking = Booking(booking_id="b1", movement_id="m1", kind=BookingKind.FEE,
...                   date=dt.date(2026, 3, 2), amount=Money("2.50", "EUR"), debit="627000",
...                   credit="512000", text="Frais bancaires", account="FR76",
...                   booking_type=BookingType.FEE)
>>> settings = FecSettings(siren="123456789", account_names={"512000": "Banque"})
>>> file = fec_file([booking], settings, validated_on=dt.date(2026, 3, 31))
>>> file.name
'123456789FEC20261231.txt'
>>> print(file.data.decode("iso8859_15").split("\\r\\n")[2])
BQ|Banque|1|20260302|512000|Banque|||m1|20260302|Frais bancaires|0,00|2,50|||20260331||
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import BinaryIO

import attrs

from paymatch.accounting.chart import account_table
from paymatch.accounting.files import ExportFile
from paymatch.accounting.journal import Booking
from paymatch.errors import ExportError, InvalidValueError
from paymatch.model import _checks

__all__ = ["FEC_COLUMNS", "FecSettings", "fec_file", "write_fec"]

#: The 18 columns of article A47 A-1, in order.
FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)

_SIREN = re.compile(r"\d{9}")


def _siren(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _SIREN.fullmatch(value):
        raise InvalidValueError("FecSettings.siren", f"must be nine digits, got {value!r}")


def _separator(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("|", "\t"):
        raise InvalidValueError("FecSettings.separator", f"must be '|' or a tab, got {value!r}")


@attrs.frozen(kw_only=True)
class FecSettings:
    """The company (its SIREN), the journal and the fiscal year of the file.

    ``account_names`` gives ``CompteLib``; an account without a name is
    labelled ``Compte <number>``. ``fiscal_year_end_month`` is the month the
    fiscal year closes in (12: the calendar year); all bookings of a file must
    lie in one fiscal year.
    """

    siren: str = attrs.field(validator=_siren)
    journal_code: str = attrs.field(default="BQ", validator=_checks.text)
    journal_name: str = attrs.field(default="Banque", validator=_checks.text)
    account_names: dict[str, str] = attrs.field(factory=dict, validator=account_table)
    currency: str = attrs.field(default="EUR", validator=_checks.text)
    separator: str = attrs.field(default="|", validator=_separator)
    first_entry_number: int = attrs.field(default=1, validator=_checks.at_least(1))
    fiscal_year_end_month: int = attrs.field(default=12, validator=_checks.at_least(1))

    def __attrs_post_init__(self) -> None:
        if self.fiscal_year_end_month > 12:
            raise InvalidValueError(
                "FecSettings.fiscal_year_end_month",
                f"must be 1 to 12, got {self.fiscal_year_end_month}",
            )

    def closing_date(self, day: dt.date) -> dt.date:
        """The last day of the fiscal year ``day`` falls in."""
        month = self.fiscal_year_end_month
        year = day.year if day.month <= month else day.year + 1
        return dt.date(year, month, calendar.monthrange(year, month)[1])


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def write_fec(
    bookings: Sequence[Booking],
    stream: BinaryIO,
    settings: FecSettings,
    *,
    validated_on: dt.date,
) -> None:
    """Write the FEC lines of ``bookings`` (one entry per movement) to ``stream``."""
    separator = settings.separator

    def clean(text: str | None) -> str:
        return " ".join((text or "").replace(separator, " ").split())

    def name(account: str) -> str:
        return clean(settings.account_names.get(account) or f"Compte {account}")

    journal = (clean(settings.journal_code), clean(settings.journal_name))
    lines = [separator.join(FEC_COLUMNS)]
    entries: dict[str, list[Booking]] = {}
    for booking in bookings:  # an entry's lines stay together, entries in order of first sight
        entries.setdefault(booking.movement_id, []).append(booking)
    numbers: dict[str, int] = {}
    for booking in (booking for entry in entries.values() for booking in entry):
        if booking.currency != settings.currency:
            raise ExportError(
                f"booking {booking.booking_id}: amount in {booking.currency}, but the FEC is "
                f"kept in {settings.currency} (no conversion without a rate)"
            )
        amount = booking.amount.amount
        if amount != amount.quantize(Decimal("0.01")):
            raise ExportError(
                f"booking {booking.booking_id}: amount {amount} has more than two decimals"
            )
        number = numbers.setdefault(booking.movement_id, settings.first_entry_number + len(numbers))
        date = f"{booking.date:%Y%m%d}"
        piece = clean(booking.document or booking.movement_id)
        party = booking.party
        for account, debit, credit in (
            (booking.debit, _amount(amount), "0,00"),
            (booking.credit, "0,00", _amount(amount)),
        ):
            ours = party is not None and party.account == account
            auxiliary = clean(party.number or party.account) if ours and party else ""
            auxiliary_name = clean(party.name) if ours and party else ""
            lines.append(
                separator.join(
                    (
                        *journal,
                        str(number),
                        date,
                        clean(account),
                        name(account),
                        auxiliary,
                        auxiliary_name,
                        piece,
                        date,
                        clean(booking.text) or booking.kind.value,  # never empty
                        debit,
                        credit,
                        "",
                        "",
                        f"{validated_on:%Y%m%d}",
                        "",
                        "",
                    )
                )
            )
    stream.write(("\r\n".join(lines) + "\r\n").encode("iso8859_15", "replace"))


def fec_file(
    bookings: Sequence[Booking], settings: FecSettings, *, validated_on: dt.date
) -> ExportFile:
    """The FEC file ``<SIREN>FEC<closing date>.txt`` of bookings of one fiscal year."""
    if not bookings:
        raise ExportError("an FEC file needs at least one booking")
    closings = {settings.closing_date(b.date) for b in bookings}
    if len(closings) > 1:
        years = ", ".join(str(c) for c in sorted(closings))
        raise ExportError(f"an FEC file covers one fiscal year; these bookings close on {years}")
    stream = io.BytesIO()
    write_fec(bookings, stream, settings, validated_on=validated_on)
    (closing,) = closings
    return ExportFile(
        name=f"{settings.siren}FEC{closing:%Y%m%d}.txt",
        data=stream.getvalue(),
        booking_ids=tuple(b.booking_id for b in bookings),
    )
