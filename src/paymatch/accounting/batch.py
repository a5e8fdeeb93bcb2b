"""An export batch: bookings selected, minus those already sent, rendered in one format.

This is ``paymatch.export``, the third public entry point (DESIGN.md contract
0). It takes a ledger (posted with the configured rules) or bookings made
earlier, keeps those the selection picks, leaves out every booking whose id is
in ``already_exported``, and hands the rest to the chosen format. The result
says which files were made and which booking ids they carry, so the caller
records exactly those as exported when it stores the files — re-running with
the same input and the recorded ids exports nothing twice and skips nothing.

Formats: ``datev`` (Buchungsstapel, plus Debitoren/Kreditoren when ``debtors``
is on), ``sie`` (SIE 4I), ``fec`` (France), ``csv`` and ``json`` (generic
journals). The core writes no files: the shell stores the :class:`ExportFile`
values it gets back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from paymatch.accounting.chart import Chart
from paymatch.accounting.csv_journal import csv_journal_file
from paymatch.accounting.datev import DatevSettings, buchungsstapel_files, debitoren_kreditoren_file
from paymatch.accounting.fec import FecSettings, fec_file
from paymatch.accounting.files import ExportFile
from paymatch.accounting.journal import Booking, Party
from paymatch.accounting.json_journal import json_journal_file
from paymatch.accounting.posting import PostingRules, post
from paymatch.accounting.selection import ExportSelection
from paymatch.accounting.sie import SieSettings, sie_file
from paymatch.errors import ExportError, InvalidValueError
from paymatch.ledger import Ledger
from paymatch.model import _checks
from paymatch.settings import read_toml, settings_from_mapping

__all__ = ["FORMATS", "ExportBatch", "ExportSettings", "export"]

T = TypeVar("T")

#: The formats ``export`` writes.
FORMATS = ("datev", "sie", "fec", "csv", "json")


def _format_name(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in FORMATS:
        raise InvalidValueError(
            _checks.field_name(instance, attribute),
            f"must be one of {', '.join(FORMATS)}, got {value!r}",
        )


@attrs.frozen(kw_only=True)
class ExportSettings:
    """Everything an export needs: format, posting rules, selection and the formats' settings.

    Read from the ``[export]`` table of a paymatch TOML file with
    :meth:`from_mapping`; ``datev``, ``sie`` and ``fec`` are needed only for
    their format (DATEV needs the consultant and client numbers, SIE the
    company name, FEC the SIREN). ``debtors`` adds DATEV's
    Debitoren/Kreditoren file with the parties of the exported bookings.
    """

    format: str = attrs.field(default="datev", validator=_format_name)
    posting: PostingRules = attrs.field(factory=PostingRules)
    selection: ExportSelection = attrs.field(factory=ExportSelection)
    debtors: bool = attrs.field(default=False, validator=_checks.of_type(bool))
    datev: DatevSettings | None = None
    sie: SieSettings | None = None
    fec: FecSettings | None = None

    def check_format(self, format: str | None = None) -> None:
        """ExportError if ``format`` (default: :attr:`format`) lacks its own settings table.

        For checking a configuration before a scheduled export fails on it.
        """
        name = format or self.format
        if name in _NEEDS:
            _needed(getattr(self, name), name, _NEEDS[name])

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any], *, prefix: str = "export") -> ExportSettings:
        """The settings a parsed TOML table describes; errors name the key path."""
        return settings_from_mapping(table, cls, prefix=prefix)

    @classmethod
    def from_toml(cls, text: str) -> ExportSettings:
        """The settings of the ``[export]`` table of a TOML document (all defaults without one)."""
        table = read_toml(text).get("export", {})
        if not isinstance(table, dict):
            raise InvalidValueError("export", "must be a table")
        return cls.from_mapping(table)


@attrs.frozen(kw_only=True)
class ExportBatch:
    """What one export made: the files, the booking ids they carry, and what was left out.

    ``booking_ids`` are the bookings newly exported, in file order: record them
    together with the files. ``already_exported`` counts the selected bookings
    skipped because their ids were given as exported before.
    """

    format: str
    files: tuple[ExportFile, ...]
    booking_ids: tuple[str, ...]
    already_exported: int

    @property
    def empty(self) -> bool:
        """Whether there was nothing new to export (then there are no files either)."""
        return not self.booking_ids


def export(
    source: Ledger | Iterable[Booking],
    *,
    generated_at: dt.datetime,
    settings: ExportSettings | None = None,
    format: str | None = None,
    already_exported: Collection[str] = frozenset(),
) -> ExportBatch:
    """Export the new bookings of ``source`` (a ledger is posted first) in one format.

    ``format`` overrides the settings' format. ``generated_at`` is the time the
    files say they were made (the core reads no clock); it must carry a time
    zone. Bookings whose ids are in ``already_exported`` are left out. Raises
    :class:`~paymatch.errors.ExportError` when the format cannot carry a
    booking or its settings are missing.
    """
    settings = settings or ExportSettings()
    name = format or settings.format
    if name not in FORMATS:
        raise ExportError(f"unknown export format {name!r}; known: {', '.join(FORMATS)}")
    if generated_at.utcoffset() is None:
        raise InvalidValueError("generated_at", "must carry a time zone")
    bookings = post(source, settings.posting) if isinstance(source, Ledger) else source
    selected = list(settings.selection.select(bookings))
    new = [booking for booking in selected if booking.booking_id not in already_exported]
    files = tuple(_WRITERS[name](new, settings, generated_at)) if new else ()
    exported = tuple(booking_id for file in files for booking_id in file.booking_ids)
    return ExportBatch(
        format=name,
        files=files,
        booking_ids=exported,
        already_exported=len(selected) - len(new),
    )


#: What each format's own settings table must at least give.
_NEEDS = {"datev": "consultant_number and client_number", "sie": "company_name", "fec": "siren"}


def _needed(value: T | None, section: str, what: str) -> T:
    """The format's settings; without them the export cannot be made, and says what is missing."""
    if value is None:
        title = section.upper()
        raise ExportError(f"the {title} export needs an [export.{section}] table with {what}")
    return value


def _datev(
    bookings: Sequence[Booking], settings: ExportSettings, at: dt.datetime
) -> Iterator[ExportFile]:
    datev = _needed(settings.datev, "datev", _NEEDS["datev"])
    yield from buchungsstapel_files(bookings, datev, generated_at=at)
    if settings.debtors:
        parties = list(_personal_parties(bookings, settings.posting.resolved_chart()))
        if parties:
            yield debitoren_kreditoren_file(parties, datev, generated_at=at)


def _personal_parties(bookings: Iterable[Booking], chart: Chart) -> Iterator[Party]:
    """The debtors and creditors with a personal account, each once (the first one met names it).

    A party on the collective debtor or creditor account has no master data of
    its own in the books, so it is not exported.
    """
    seen = {chart.debtors, chart.creditors}
    for booking in bookings:
        party = booking.party
        if party is not None and party.account not in seen:
            seen.add(party.account)
            yield party


def _sie(
    bookings: Sequence[Booking], settings: ExportSettings, at: dt.datetime
) -> Iterator[ExportFile]:
    yield sie_file(bookings, _needed(settings.sie, "sie", _NEEDS["sie"]), generated_at=at)


def _fec(
    bookings: Sequence[Booking], settings: ExportSettings, at: dt.datetime
) -> Iterator[ExportFile]:
    yield fec_file(bookings, _needed(settings.fec, "fec", _NEEDS["fec"]), validated_on=at.date())


def _csv(
    bookings: Sequence[Booking], settings: ExportSettings, at: dt.datetime
) -> Iterator[ExportFile]:
    yield csv_journal_file(bookings)


def _json(
    bookings: Sequence[Booking], settings: ExportSettings, at: dt.datetime
) -> Iterator[ExportFile]:
    yield json_journal_file(bookings)


_WRITERS: dict[
    str, Callable[[Sequence[Booking], ExportSettings, dt.datetime], Iterator[ExportFile]]
] = {"datev": _datev, "sie": _sie, "fec": _fec, "csv": _csv, "json": _json}
