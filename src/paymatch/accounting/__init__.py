"""Accounting: movements and allocations -> double-entry bookings -> accounting files.

The posting rules (:mod:`~paymatch.accounting.posting`, charts in
:mod:`~paymatch.accounting.chart`) turn a ledger into :class:`Booking`\\ s; an
export batch (:func:`export`) selects the new ones and writes them in one
format: DATEV, SIE 4I, FEC, or a CSV or JSON journal. Refunds of the ledger
become SEPA credit transfers (pain.001.001.09, :func:`pain001_file`). Formatters return bytes
or write to a stream they are given; nothing here touches a file.

``paymatch.export`` is :func:`export` (DESIGN.md contract 0). The package is
called ``accounting`` so that the public function and the package do not
share one name.
"""

from paymatch.accounting.batch import FORMATS, ExportBatch, ExportSettings, export
from paymatch.accounting.chart import SKR03, SKR04, Chart, chart_preset
from paymatch.accounting.datev import DatevSettings
from paymatch.accounting.fec import FecSettings
from paymatch.accounting.files import ExportFile
from paymatch.accounting.journal import Booking, BookingKind, Party, PartyRole
from paymatch.accounting.posting import PostingRules, post
from paymatch.accounting.selection import ExportSelection
from paymatch.accounting.sepa_transfer import SepaTransferSettings, pain001_file
from paymatch.accounting.sie import SieSettings

__all__ = [
    "FORMATS",
    "SKR03",
    "SKR04",
    "Booking",
    "BookingKind",
    "Chart",
    "DatevSettings",
    "ExportBatch",
    "ExportFile",
    "ExportSelection",
    "ExportSettings",
    "FecSettings",
    "Party",
    "PartyRole",
    "PostingRules",
    "SepaTransferSettings",
    "SieSettings",
    "chart_preset",
    "export",
    "pain001_file",
    "post",
]
