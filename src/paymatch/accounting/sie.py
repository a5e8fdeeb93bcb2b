"""SIE 4I: vouchers for import into a Swedish accounting program.

Implements "SIE filformat, utgåva 4B" (SIE-Gruppen, 2008-09-30), file type 4I
(transaktionsfil, section 5 and the table of section 6): the identification
records ``#FLAGGA``, ``#PROGRAM``, ``#FORMAT PC8``, ``#GEN``, ``#SIETYP 4``,
``#ORGNR``, ``#FNAMN`` and ``#VALUTA``; ``#KONTO`` for the accounts that have a
name in the settings (declaring accounts is optional in 4I, section 6); one
``#VER`` voucher per movement with a ``#TRANS`` per side of each booking
(debit positive, credit negative, so every voucher sums to zero, section
11 #TRANS point 4); and the checksum ``#KSUMMA`` of section 10.

Text is written in IBM PC-8 (code page 437, ``#FORMAT PC8``); a character
the code page lacks becomes ``?``, control characters become blanks, and a
quote inside a field is preceded by a backslash (section 5.7); the format
has no escape for a backslash itself, so one in a text is written as ``/``.
Every text field is quoted. 4I files carry no balances: ``#IB``, ``#UB`` and ``#RES``
are never written.

Vouchers have the series of the settings (empty by default) and no number,
so the importing program numbers them in its own sequence; the voucher text
is the first booking's text, and each ``#TRANS`` carries the booking date and
its text with the document number.

>>> import datetime as dt
>>> from moneyed import Money
>>> from paymatch.accounting.journal import Booking, BookingKind
>>> from paymatch.model import BookingType
>>> booking = Booking(booking_id="b1", movement_id="m1", kind=BookingKind.FEE,
...                   date=dt.date(2026, 3, 2), amount=Money("25.00", "SEK"), debit="6570",
...                   credit="1930", text="Bankavgift mars", account="SE45",
...                   booking_type=BookingType.FEE)
>>> settings = SieSettings(company_name="Exempel AB", account_names={"1930": "Företagskonto"})
>>> file = sie_file([booking], settings, generated_at=dt.datetime(2026, 3, 31, tzinfo=dt.UTC))
>>> print(file.data.decode("cp437").split("\\r\\n")[8:14])
['#KONTO 1930 "Företagskonto"', '#VER "" "" 20260302 "Bankavgift mars"', '{', \
' #TRANS 6570 {} 25.00 20260302 "Bankavgift mars"', ' #TRANS 1930 {} -25.00 20260302 \
"Bankavgift mars"', '}']
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from collections.abc import Iterator, Sequence
from typing import BinaryIO

import attrs

from paymatch._version import __version__
from paymatch.accounting.chart import account_table
from paymatch.accounting.files import ExportFile
from paymatch.accounting.journal import Booking
from paymatch.errors import ExportError, InvalidValueError
from paymatch.model import _checks
from paymatch.model.money import decimal_text

__all__ = ["SieSettings", "sie_file", "write_sie"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_PLAIN = re.compile(r"[0-9A-Za-z]+")


@attrs.frozen(kw_only=True)
class SieSettings:
    """The company the file is for, and how vouchers and accounts are written.

    ``company_name`` goes into ``#FNAMN``, ``organisation_number`` (such as
    ``556334-3689``) into ``#ORGNR``; ``account_names`` names accounts for
    ``#KONTO``; ``voucher_series`` is the series of every ``#VER``;
    ``currency`` the accounting currency (``#VALUTA``): every booking must be
    in it.
    """

    company_name: str = attrs.field(validator=_checks.text)
    organisation_number: str | None = attrs.field(default=None, validator=_checks.optional_text)
    account_names: dict[str, str] = attrs.field(factory=dict, validator=account_table)
    voucher_series: str = attrs.field(default="", validator=_checks.of_type(str))
    currency: str = attrs.field(default="SEK", validator=_checks.text)
    program_name: str = attrs.field(default="paymatch", validator=_checks.text)


class _Records:
    """SIE records as text lines, with the running checksum of section 10."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._crc = 0
        self._summing = False

    def record(self, label: str, *fields: str, indent: str = "") -> None:
        """One record: ``label`` and its fields (already rendered, see ``_field``)."""
        self.lines.append(indent + " ".join((label, *fields)))
        if self._summing:
            self._sum(label)
            for field in fields:
                self._sum(_checksum_content(field))

    def brace(self, brace: str) -> None:
        """The ``{`` or ``}`` around a voucher's transactions: not part of the checksum."""
        self.lines.append(brace)

    def start_checksum(self) -> None:
        """The opening ``#KSUMMA``: from the next record on, everything is summed."""
        self.lines.append("#KSUMMA")
        self._summing = True

    def end_checksum(self) -> None:
        """The closing ``#KSUMMA`` with the CRC-32 of what was summed."""
        self._summing = False
        self.lines.append(f"#KSUMMA {self._crc}")

    def _sum(self, content: str) -> None:
        self._crc = zlib.crc32(content.encode("cp437"), self._crc)


def _field(text: str) -> str:
    """A quoted text field: control characters as blanks, ``?`` outside CP437, ``\\"`` for ``"``."""
    text = _CONTROL.sub(" ", text).encode("cp437", "replace").decode("cp437")
    # the format escapes quotes only: a backslash before a quote or the closing quote would
    # read as an escape, so backslashes are written as slashes
    return '"' + text.replace("\\", "/").replace('"', '\\"') + '"'


def _token(text: str) -> str:
    """An account number as the spec's examples write it: bare if plain, else quoted."""
    return text if _PLAIN.fullmatch(text) else _field(text)


def _checksum_content(field: str) -> str:
    """What of a rendered field is summed: no enclosing quotes or braces, quotes unescaped."""
    if field.startswith('"'):
        return field[1:-1].replace('\\"', '"')
    if field.startswith("{"):
        return field[1:-1]  # an object list; paymatch writes only empty ones
    return field


def _vouchers(bookings: Sequence[Booking]) -> Iterator[list[Booking]]:
    """The bookings grouped by movement, in the order the movements first appear."""
    groups: dict[str, list[Booking]] = {}
    for booking in bookings:
        groups.setdefault(booking.movement_id, []).append(booking)
    yield from groups.values()


def _trans_text(booking: Booking) -> str:
    if booking.document and booking.document not in booking.text:
        return f"{booking.text} {booking.document}"
    return booking.text


def write_sie(
    bookings: Sequence[Booking],
    stream: BinaryIO,
    settings: SieSettings,
    *,
    generated_at: dt.datetime,
) -> None:
    """Write an SIE 4I file of ``bookings`` to ``stream`` (one voucher per movement)."""
    if generated_at.utcoffset() is None:
        raise InvalidValueError("generated_at", "must carry a time zone")
    for booking in bookings:
        if booking.currency != settings.currency:
            raise ExportError(
                f"booking {booking.booking_id}: amount in {booking.currency}, but the SIE file "
                f"is kept in {settings.currency}"
            )
    records = _Records()
    records.record("#FLAGGA", "0")
    records.start_checksum()
    records.record("#PROGRAM", _field(settings.program_name), _field(__version__))
    records.record("#FORMAT", "PC8")
    records.record("#GEN", f"{generated_at:%Y%m%d}")
    records.record("#SIETYP", "4")
    if settings.organisation_number:
        records.record("#ORGNR", _field(settings.organisation_number))
    records.record("#FNAMN", _field(settings.company_name))
    records.record("#VALUTA", settings.currency)
    used = dict.fromkeys(a for b in bookings for a in (b.debit, b.credit))
    for account in used:
        name = settings.account_names.get(account)
        if name:
            records.record("#KONTO", _token(account), _field(name))
    for voucher in _vouchers(bookings):
        first = voucher[0]
        date = f"{first.date:%Y%m%d}"
        records.record("#VER", _field(settings.voucher_series), '""', date, _field(first.text))
        records.brace("{")
        for booking in voucher:
            amount = decimal_text(booking.amount.amount)
            text = _field(_trans_text(booking))
            day = f"{booking.date:%Y%m%d}"
            records.record("#TRANS", _token(booking.debit), "{}", amount, day, text, indent=" ")
            records.record(
                "#TRANS", _token(booking.credit), "{}", f"-{amount}", day, text, indent=" "
            )
        records.brace("}")
    records.end_checksum()
    stream.write(("\r\n".join(records.lines) + "\r\n").encode("cp437"))


def sie_file(
    bookings: Sequence[Booking], settings: SieSettings, *, generated_at: dt.datetime
) -> ExportFile:
    """The SIE 4I file ``paymatch_<first date>_<last date>.si`` with the ids of its bookings."""
    if not bookings:
        raise ExportError("an SIE file needs at least one booking")
    stream = io.BytesIO()
    write_sie(bookings, stream, settings, generated_at=generated_at)
    first = min(b.date for b in bookings)
    last = max(b.date for b in bookings)
    return ExportFile(
        name=f"paymatch_{first:%Y%m%d}_{last:%Y%m%d}.si",
        data=stream.getvalue(),
        booking_ids=tuple(b.booking_id for b in bookings),
    )
