"""DATEV EXTF files: the Buchungsstapel (bookings) and the Debitoren/Kreditoren (master data).

Implements DATEV's "Formatbeschreibung DATEV-Format" (developer.datev.de):
the EXTF header version 700, the Buchungsstapel (format category 21, format
version 13, 125 columns) and the Debitoren/Kreditoren (category 16, version 5,
254 columns) — see ``datev_columns``.

The rules the files keep, all from the format description:

- Windows-1252 without BOM, CRLF line ends, ``;`` between fields; line 1 the
  header, line 2 the column names, then one line per booking;
- text fields in double quotes with inner quotes doubled (``""`` when empty);
  numbers, dates and account numbers bare (nothing when empty); amounts with a
  decimal comma and no thousands separator, always positive and never 0,00;
  the direction is the Soll/Haben flag alone;
- Belegdatum is ``DDMM``: its year comes from the header's fiscal-year start
  (WJ-Beginn), so one file holds bookings of one fiscal year only, and at most
  99,999 of them;
- Belegfeld 1 (the invoice number that clears the open item) keeps only
  letters, digits and ``$ & % * + - /`` and at most 36 of them; Buchungstext
  at most 60 characters;
- Festschreibung is always written (a missing flag locks the batch for good).

Each booking is one line: Konto = the booking's debit account, Gegenkonto =
its credit account, Soll/Haben-Kennzeichen ``S`` (Konto is debited). The
booking id goes into Zusatzinformation 1 (Art ``paymatch-ID``), so every
line can be traced back after the import.

>>> import datetime as dt
>>> from moneyed import Money
>>> from paymatch.accounting.journal import Booking, BookingKind
>>> from paymatch.model import BookingType
>>> booking = Booking(booking_id="9f2c0a1b3d4e5f60", movement_id="m1",
...                   kind=BookingKind.PAYMENT, date=dt.date(2026, 3, 5),
...                   amount=Money("119.00", "EUR"), debit="1200", credit="10100",
...                   text='payment RE-1001 "Müller" GmbH', document="RE 1001",
...                   account="DE89", booking_type=BookingType.INCOMING)
>>> settings = DatevSettings(consultant_number=1001, client_number=1)
>>> at = dt.datetime(2026, 3, 31, 18, 0, tzinfo=dt.UTC)
>>> (file,) = buchungsstapel_files([booking], settings, generated_at=at)
>>> file.name
'EXTF_Buchungsstapel_20260305_20260305.csv'
>>> file.data.decode("cp1252").split("\\r\\n")[2][:88]
'119,00;"S";"EUR";;;"";1200;10100;"";0503;"RE1001";"";;"payment RE-1001 ""Müller"" GmbH";'
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

import attrs

from paymatch.accounting.datev_columns import BUCHUNGSSTAPEL_COLUMNS, DEBITOREN_KREDITOREN_COLUMNS
from paymatch.accounting.files import ExportFile
from paymatch.accounting.formula_guard import neutralise_formula
from paymatch.accounting.journal import Booking, Party
from paymatch.errors import ExportError, InvalidValueError
from paymatch.model import _checks

__all__ = [
    "MAX_BOOKINGS_PER_FILE",
    "DatevSettings",
    "buchungsstapel_files",
    "debitoren_kreditoren_file",
    "write_buchungsstapel",
]

#: DATEV takes at most this many bookings in one Buchungsstapel.
MAX_BOOKINGS_PER_FILE = 99_999

_BATCH_NAME = re.compile(r"[\w.\-/ ]{0,30}")
_DICTATION = re.compile(r"(?:[A-Z]{2}){0,2}")
_NOT_IN_BELEGFELD = re.compile(r"[^A-Za-z0-9$&%*+\-/]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _between(low: int, high: int) -> attrs._ValidatorType[int]:
    def check(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
        _checks.of_type(int)(instance, attribute, value)
        if not low <= value <= high:
            raise InvalidValueError(
                _checks.field_name(instance, attribute), f"must be {low} to {high}, got {value}"
            )

    return check


def _matching(pattern: re.Pattern[str], what: str) -> attrs._ValidatorType[Any]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and (not isinstance(value, str) or not pattern.fullmatch(value)):
            raise InvalidValueError(
                _checks.field_name(instance, attribute), f"must be {what}, got {value!r}"
            )

    return check


@attrs.frozen(kw_only=True)
class DatevSettings:
    """The header of a DATEV file: who it is for, the fiscal year, the account length.

    ``consultant_number`` and ``client_number`` are DATEV's Berater- and
    Mandantennummer; ``fiscal_year_start_month`` the month the fiscal year
    starts in (1 = calendar year); ``account_length`` the Sachkontenlänge (4
    for SKR03/SKR04 with five-digit personal accounts); ``chart`` the
    Sachkontenrahmen (``"03"``, ``"04"``) or ``None``; ``locked`` the
    Festschreibung of the bookings (off by default, so the accountant can still
    correct them); ``batch_name`` the Bezeichnung, ``dictation_code`` the
    Diktatkürzel, ``exported_by`` who exported (letters and digits only, as
    the header allows); ``currency`` the WKZ: every booking must be in it.
    """

    consultant_number: int = attrs.field(validator=_between(1001, 9_999_999))
    client_number: int = attrs.field(validator=_between(1, 99_999))
    fiscal_year_start_month: int = attrs.field(default=1, validator=_between(1, 12))
    account_length: int = attrs.field(default=4, validator=_between(4, 8))
    chart: str | None = attrs.field(
        default=None, validator=_matching(re.compile(r"\d{2}"), "two digits such as '03'")
    )
    locked: bool = attrs.field(default=False, validator=_checks.of_type(bool))
    batch_name: str = attrs.field(
        default="paymatch",
        validator=_matching(
            re.compile(r"[\w.\-/ ]{0,30}"), "up to 30 letters, digits, . - / or space"
        ),
    )
    dictation_code: str | None = attrs.field(
        default=None, validator=_matching(_DICTATION, "two or four capital letters")
    )
    exported_by: str | None = attrs.field(
        default=None, validator=_matching(re.compile(r"\w{0,25}"), "up to 25 letters or digits")
    )
    currency: str = attrs.field(
        default="EUR", validator=_matching(re.compile(r"[A-Z]{3}"), "an ISO 4217 code")
    )

    def fiscal_year_start(self, day: dt.date) -> dt.date:
        """The first day of the fiscal year ``day`` falls in."""
        start = dt.date(day.year, self.fiscal_year_start_month, 1)
        return start if start <= day else start.replace(year=day.year - 1)


def _text(value: str | None, limit: int) -> str:
    """A text field: control characters as blanks, what cp1252 lacks as ``?``, quotes doubled."""
    if not value:
        return '""'
    value = neutralise_formula(_CONTROL.sub(" ", value))
    value = value.encode("cp1252", "replace").decode("cp1252")[:limit]
    return '"' + value.replace('"', '""') + '"'


def _empty(columns: Sequence[tuple[str, bool]]) -> str:
    """The empty fields of ``columns``, each followed by ``;``."""
    return "".join('"";' if text else ";" for _, text in columns)


#: The fixed parts of a booking line between the fields paymatch fills (1-based column numbers).
_COLUMNS_15_TO_47 = _empty(BUCHUNGSSTAPEL_COLUMNS[14:47])
_COLUMNS_50_TO_113 = _empty(BUCHUNGSSTAPEL_COLUMNS[49:113])
_COLUMNS_115_TO_125 = _empty(BUCHUNGSSTAPEL_COLUMNS[114:125])[:-1]  # no ``;`` after the last
_ID_KIND = '"paymatch-ID"'


class _Lines:
    """Formats the lines of one file, caching what repeats (accounts, dates, amounts)."""

    def __init__(self, settings: DatevSettings, fiscal_year: dt.date, last: dt.date) -> None:
        self._settings = settings
        self._first = fiscal_year
        self._last = last
        self._locked = "1" if settings.locked else "0"
        self._accounts: dict[str, str] = {}
        self._dates: dict[dt.date, str] = {}
        self._amounts: dict[Decimal, str] = {}

    def line(self, booking: Booking) -> str:
        """The CSV line of one booking, with its CRLF."""
        return (
            f'{self._amount(booking)};"S";"{booking.currency}";;;"";'
            f"{self._account(booking, booking.debit)};{self._account(booking, booking.credit)};"
            f"{_text(booking.tax_key, 4)};{self._date(booking)};"
            f'{_belegfeld(booking.document)};"";;{_text(booking.text, 60)};'
            f'{_COLUMNS_15_TO_47}{_ID_KIND};"{booking.booking_id}";'
            f"{_COLUMNS_50_TO_113}{self._locked};{_COLUMNS_115_TO_125}\r\n"
        )

    def _amount(self, booking: Booking) -> str:
        if booking.currency != self._settings.currency:
            raise ExportError(
                f"booking {booking.booking_id}: amount in {booking.currency}, but the DATEV "
                f"file is in {self._settings.currency} (no conversion without a rate)"
            )
        value = booking.amount.amount
        text = self._amounts.get(value)
        if text is None:
            cents = value.quantize(Decimal("0.01"))
            if cents != value:
                raise ExportError(
                    f"booking {booking.booking_id}: amount {value} has more than two decimals; "
                    "DATEV takes cents, and paymatch does not round money silently"
                )
            if not Decimal("0.01") <= cents < Decimal("1E10"):
                raise ExportError(
                    f"booking {booking.booking_id}: amount {value} is outside DATEV's "
                    "0,01 to 9999999999,99"
                )
            text = f"{cents:f}".replace(".", ",")
            self._amounts[value] = text
        return text

    def _account(self, booking: Booking, account: str) -> str:
        checked = self._accounts.get(account)
        if checked is None:
            longest = self._settings.account_length + 1
            if not (account.isascii() and account.isdigit() and len(account) <= longest):
                raise ExportError(
                    f"booking {booking.booking_id}: account {account!r} is not a DATEV account "
                    f"number (digits, at most {longest} with Sachkontenlänge "
                    f"{self._settings.account_length})"
                )
            checked = self._accounts[account] = account
        return checked

    def _date(self, booking: Booking) -> str:
        day = booking.date
        text = self._dates.get(day)
        if text is None:
            if not self._first <= day <= self._last:
                raise ExportError(
                    f"booking {booking.booking_id}: date {day} is outside this file's "
                    f"{self._first} to {self._last} (one fiscal year per DATEV file)"
                )
            text = self._dates[day] = f"{day.day:02d}{day.month:02d}"
        return text


def _belegfeld(document: str | None) -> str:
    """Belegfeld 1: the allowed characters of the document number, at most 36."""
    return '"' + _NOT_IN_BELEGFELD.sub("", document or "")[:36] + '"'


def _header(
    settings: DatevSettings,
    *,
    category: int,
    name: str,
    version: int,
    generated_at: dt.datetime,
    fiscal_year: dt.date,
    date_range: tuple[dt.date, dt.date] | None,
) -> str:
    """The 31 fields of the EXTF header (version 700), with its CRLF."""
    if generated_at.utcoffset() is None:
        raise InvalidValueError("generated_at", "must carry a time zone")
    stamp = generated_at.strftime("%Y%m%d%H%M%S") + f"{generated_at.microsecond // 1000:03d}"
    bookings = date_range is not None
    fields = [
        '"EXTF"',
        "700",
        str(category),
        f'"{name}"',
        str(version),
        stamp,
        "",  # Importiert: written by DATEV
        '""',  # Herkunft
        _quoted(settings.exported_by),
        '""',  # Importiert von
        str(settings.consultant_number),
        str(settings.client_number),
        fiscal_year.strftime("%Y%m%d"),
        str(settings.account_length),
        date_range[0].strftime("%Y%m%d") if date_range else "",
        date_range[1].strftime("%Y%m%d") if date_range else "",
        _quoted(settings.batch_name),
        _quoted(settings.dictation_code),
        "1" if bookings else "",  # Buchungstyp: Finanzbuchführung
        "0" if bookings else "",  # Rechnungslegungszweck: unabhängig
        ("1" if settings.locked else "0") if bookings else "",  # Festschreibung
        _quoted(settings.currency) if bookings else '""',
        "",
        '""',  # Derivatskennzeichen
        "",
        "",
        _quoted(settings.chart),
        "",  # ID der Branchenlösung
        "",
        '""',
        '""',  # Anwendungsinformation
    ]
    return ";".join(fields) + "\r\n"


def _quoted(value: str | None) -> str:
    return f'"{value or ""}"'


def _names(columns: Sequence[tuple[str, bool]]) -> str:
    return ";".join(name for name, _ in columns) + "\r\n"


def write_buchungsstapel(
    bookings: Iterable[Booking],
    stream: BinaryIO,
    settings: DatevSettings,
    *,
    generated_at: dt.datetime,
    date_from: dt.date,
    date_to: dt.date,
) -> int:
    """Write one Buchungsstapel of ``bookings`` dated ``date_from`` to ``date_to`` to ``stream``.

    Streams: holds no more than one line. The range must lie in one fiscal
    year; a booking outside it, in another currency, with an account DATEV
    cannot take or more than 99,999 bookings raise :class:`ExportError`
    (what was written before stays in ``stream``: write to a temporary file).
    Returns the number of bookings written.
    """
    fiscal_year = settings.fiscal_year_start(date_from)
    if date_to < date_from or settings.fiscal_year_start(date_to) != fiscal_year:
        raise ExportError(
            f"a DATEV file covers one fiscal year: {date_from} to {date_to} does not lie in the "
            f"year starting {fiscal_year}"
        )
    header = _header(
        settings,
        category=21,
        name="Buchungsstapel",
        version=13,
        generated_at=generated_at,
        fiscal_year=fiscal_year,
        date_range=(date_from, date_to),
    )
    encoding = "cp1252"
    stream.write(header.encode(encoding))
    stream.write(_names(BUCHUNGSSTAPEL_COLUMNS).encode(encoding))
    lines = _Lines(settings, max(fiscal_year, date_from), date_to)
    count = 0
    for chunk in _batched(bookings):
        count += len(chunk)
        if count > MAX_BOOKINGS_PER_FILE:
            raise ExportError(f"a DATEV file takes at most {MAX_BOOKINGS_PER_FILE:,} bookings")
        stream.write("".join(map(lines.line, chunk)).encode(encoding))
    return count


def _batched(bookings: Iterable[Booking]) -> Iterator[tuple[Booking, ...]]:
    """Bookings a thousand at a time: one write per thousand lines, and never all in memory."""
    iterator = iter(bookings)
    while chunk := tuple(itertools.islice(iterator, 1000)):
        yield chunk


def buchungsstapel_files(
    bookings: Sequence[Booking],
    settings: DatevSettings,
    *,
    generated_at: dt.datetime,
    max_bookings: int = MAX_BOOKINGS_PER_FILE,
) -> Iterator[ExportFile]:
    """The Buchungsstapel files of ``bookings``: one per fiscal year and ``max_bookings``.

    Bookings are ordered by date (keeping their order within a day). A file is
    named ``EXTF_Buchungsstapel_<from>_<to>.csv`` after its first and last
    booking date; when a fiscal year needs several files they get ``_1``,
    ``_2``... Files are made one at a time, so only one is in memory.
    """
    if not 1 <= max_bookings <= MAX_BOOKINGS_PER_FILE:
        raise InvalidValueError("max_bookings", f"must be 1 to {MAX_BOOKINGS_PER_FILE}")
    ordered = sorted(bookings, key=lambda booking: booking.date)
    for _, year in itertools.groupby(ordered, key=lambda b: settings.fiscal_year_start(b.date)):
        parts = list(_batched_by(list(year), max_bookings))
        for number, part in enumerate(parts, start=1):
            first, last = part[0].date, part[-1].date
            suffix = f"_{number}" if len(parts) > 1 else ""
            stream = io.BytesIO()
            write_buchungsstapel(
                part, stream, settings, generated_at=generated_at, date_from=first, date_to=last
            )
            yield ExportFile(
                name=f"EXTF_Buchungsstapel_{first:%Y%m%d}_{last:%Y%m%d}{suffix}.csv",
                data=stream.getvalue(),
                booking_ids=tuple(booking.booking_id for booking in part),
            )


def _batched_by(bookings: list[Booking], size: int) -> Iterator[list[Booking]]:
    for start in range(0, len(bookings), size):
        yield bookings[start : start + size]


def debitoren_kreditoren_file(
    parties: Iterable[Party], settings: DatevSettings, *, generated_at: dt.datetime
) -> ExportFile:
    """The Debitoren/Kreditoren file (master data) of ``parties``, each account once.

    Fills Konto, the name (Adressatentyp "keine Angabe", as paymatch does not
    know whether a payer is a company or a person), Kurzbezeichnung (the
    customer or supplier number) and the first bank account (IBAN, BIC). Named
    ``EXTF_Debitoren_Kreditoren_<date>.csv`` after ``generated_at``; it carries
    no booking ids.
    """
    columns = DEBITOREN_KREDITOREN_COLUMNS
    empty = [('""' if text else "") for _, text in columns]
    lines = [
        _header(
            settings,
            category=16,
            name="Debitoren/Kreditoren",
            version=5,
            generated_at=generated_at,
            fiscal_year=settings.fiscal_year_start(generated_at.date()),
            date_range=None,
        ),
        _names(columns),
    ]
    seen: set[str] = set()
    for party in parties:
        if party.account in seen:
            continue
        seen.add(party.account)
        if not (party.account.isascii() and party.account.isdigit()):
            raise ExportError(
                f"{party.role.value} {party.name!r}: account {party.account!r} is not a number"
            )
        fields = list(empty)
        fields[0] = party.account
        fields[5] = _text(party.name, 50)  # Name (Adressatentyp keine Angabe)
        fields[6] = '"0"'  # Adressatentyp: keine Angabe
        fields[7] = _text(party.number, 15)  # Kurzbezeichnung
        fields[44] = _text(party.iban, 34)  # IBAN 1
        fields[46] = _text(party.bic, 11)  # SWIFT-Code 1
        lines.append(";".join(fields) + "\r\n")
    return ExportFile(
        name=f"EXTF_Debitoren_Kreditoren_{generated_at:%Y%m%d}.csv",
        data="".join(lines).encode("cp1252", "replace"),
    )
