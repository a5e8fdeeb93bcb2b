"""The information to the account owner, MT940 field ``:86:``: German and Dutch structures.

SWIFT leaves ``:86:`` free text (6*65x). Two conventions give it a structure:

* German banks follow the DFÜ-Abkommen (DK), annex 7 "Strukturierter
  Verwendungszweck": a three-digit GVC (Geschäftsvorfallcode), then
  sub-fields introduced by a separator — usually ``?``, always the fourth
  character — and two digits: ``?00`` booking text, ``?10`` primanota,
  ``?20``-``?29`` and ``?60``-``?63`` purpose, ``?30`` BLZ/BIC and ``?31``
  account/IBAN of the counterparty, ``?32``-``?33`` its name, ``?34`` text
  key extension. Inside the purpose, SEPA payments carry keys (DK annex 7,
  "SEPA-Verwendungszweck"): ``EREF+`` end-to-end id, ``KREF+`` customer
  reference, ``MREF+`` mandate, ``CRED+``/``DEBT+`` creditor/debtor id,
  ``COAM+``/``OAMT+`` compensation/original amount, ``SVWZ+`` free text,
  ``ABWA+``/``ABWE+`` ultimate debtor/creditor, ``IBAN+``/``BIC+``.
* Dutch banks (Rabobank, ING, ABN AMRO, Triodos...) write ``/KEY/value``
  pairs: ``/EREF/``, ``/MARF/``, ``/NAME/``, ``/IBAN/``, ``/BIC/``,
  ``/REMI/``...

Sub-fields are fixed-width slices that the bank cuts wherever the width
ends, so the pieces are joined without inserting anything.

>>> details = german_details("166?00GUTSCHRIFT?20EREF+E2E-1?21SVWZ+Rechnung 4?22711?32Müller")
>>> details.gvc, details.booking_text, details.sepa["EREF"], details.sepa["SVWZ"], details.name
('166', 'GUTSCHRIFT', 'E2E-1', 'Rechnung 4711', 'Müller')
"""

from __future__ import annotations

import functools
import re

import attrs

from paymatch.parsers.sepa_purpose import split_sepa_keys

__all__ = [
    "DutchDetails",
    "GermanDetails",
    "dutch_details",
    "german_details",
    "is_german",
]

#: Purpose sub-fields ?20-?29 and ?60-?63; read in the order of their numbers.
_PURPOSE_FIELDS = frozenset(f"{n:02d}" for n in (*range(20, 30), *range(60, 64)))


@attrs.frozen(kw_only=True)
class GermanDetails:
    """The parts of a structured German ``:86:``; empty parts are ``None``."""

    gvc: str
    booking_text: str | None = None
    primanota: str | None = None
    purpose: str | None = None  # ?20-?29, ?60-?63 without the SEPA keys
    bank_code: str | None = None  # ?30: BLZ or BIC of the counterparty
    account: str | None = None  # ?31: account number or IBAN of the counterparty
    name: str | None = None  # ?32 + ?33
    text_key_extension: str | None = None  # ?34
    sepa: dict[str, str] = attrs.field(factory=dict)  # SEPA key -> value, stripped


def is_german(text: str) -> bool:
    """Whether ``text`` has the DK structure: three digits, a separator, two-digit sub-fields.

    >>> is_german("166?00GUTSCHRIFT"), is_german("/EREF/123"), is_german("911 TRANSAKCJA")
    (True, False, False)
    """
    if len(text) < 6 or not text[:3].isdigit():
        return False
    separator = text[3]
    return not separator.isalnum() and not separator.isspace() and text[4:6].isdigit()


def german_details(text: str) -> GermanDetails:
    """Split a structured German ``:86:`` (see :func:`is_german`) into its sub-fields."""
    pieces = _separator_pattern(text[3]).split(text[3:])  # "", number, text, number, text...
    fields = dict(zip(pieces[1::2], pieces[2::2], strict=True))
    if 2 * len(fields) + 1 < len(pieces):  # a number given twice: rare, so read again
        fields = _joined_sub_fields(pieces)
    # "20" < ... < "29" < "60" < ... < "63": sorted numbers are the reading order
    purpose_parts = [fields[number] for number in sorted(_PURPOSE_FIELDS.intersection(fields))]
    purpose, sepa = split_sepa_keys(purpose_parts)
    get = fields.get
    return GermanDetails(
        gvc=text[:3],
        booking_text=_clean(get("00")),
        primanota=_clean(get("10")),
        purpose=purpose,
        bank_code=_clean(get("30")),
        account=_clean(get("31")),
        name=_clean(get("32", "") + get("33", "")),
        text_key_extension=_clean(get("34")),
        sepa=sepa,
    )


def _joined_sub_fields(pieces: list[str]) -> dict[str, str]:
    """Sub-field number -> text, the texts of a number given twice (a bank continuing ?20
    in another ?20) joined in order."""
    fields: dict[str, str] = {}
    for number, value in zip(pieces[1::2], pieces[2::2], strict=True):
        fields[number] = fields.get(number, "") + value
    return fields


@functools.lru_cache(maxsize=16)
def _separator_pattern(separator: str) -> re.Pattern[str]:
    """The pattern that splits a German :86: at ``separator`` and two digits."""
    return re.compile(re.escape(separator) + r"(\d\d)")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


@attrs.frozen(kw_only=True)
class DutchDetails:
    """The ``/KEY/value`` pairs of a Dutch ``:86:`` that the model has fields for."""

    end_to_end_id: str | None = None  # /EREF/
    mandate_id: str | None = None  # /MARF/
    name: str | None = None  # /NAME/ (or the name in ING's /CNTP/IBAN/BIC/NAME/CITY/)
    iban: str | None = None  # /IBAN/ or /CNTP/
    bic: str | None = None  # /BIC/ or /CNTP/
    remittance_info: str | None = None  # /REMI/ (its /USTD// text or /STRD/ reference)
    creditor_reference: str | None = None  # /CDTRREF/ of a structured /REMI/


#: The keys Dutch banks write (Rabobank, ING, ABN AMRO, Triodos, SNS "SEPA MT940" guides).
_DUTCH_KEY = re.compile(
    r"/(RTRN|EREF|PREF|MARF|CSID|CNTP|BENM|ORDP|ULTB|ULTD|ULTC|NAME|ADDR|IBAN|BIC|ID|REMI"
    r"|USTD|STRD|CDTRREFTP|CDTRREF|CD|ISSR|ISDT|PURP|SVCL|TRTP|FX|EXCH|CHGS|OCMT|BUSP)/"
)


def dutch_details(text: str) -> DutchDetails | None:
    """The pairs of a Dutch ``/KEY/value`` ``:86:``, or ``None`` when it has no such structure.

    >>> dutch_details("/EREF/E2E-7/BENM//NAME/ACME BV/REMI/Invoice 42/ISDT/2013-01-02")
    DutchDetails(end_to_end_id='E2E-7', mandate_id=None, name='ACME BV', iban=None, bic=None,
                 remittance_info='Invoice 42', creditor_reference=None)
    """
    if not text.startswith("/") or _DUTCH_KEY.match(text) is None:
        return None
    pieces = _DUTCH_KEY.split(text)
    values: dict[str, str] = {}
    for key, value in zip(pieces[1::2], pieces[2::2], strict=True):
        values.setdefault(key, value.strip("/ "))
    name, iban, bic = values.get("NAME"), values.get("IBAN"), values.get("BIC")
    if "CNTP" in values:  # ING: /CNTP/<iban>/<bic>/<name>/<city>/
        parts = [*values["CNTP"].split("/"), "", "", ""]
        iban, bic, name = iban or parts[0], bic or parts[1], name or parts[2]
    remittance = values.get("REMI") or values.get("USTD") or values.get("CDTRREF") or ""
    # /REMI/USTD//text (unstructured) or /REMI/STRD/CUR/ref (structured, ISO 11649)
    remittance = re.sub(r"^(?:USTD|STRD)/+(?:CUR/+)?", "", remittance)
    return DutchDetails(
        end_to_end_id=values.get("EREF") or None,
        mandate_id=values.get("MARF") or None,
        name=(name or "").strip() or None,
        iban=(iban or "").strip() or None,
        bic=(bic or "").strip() or None,
        remittance_info=(remittance or "").strip() or None,
        creditor_reference=values.get("CDTRREF") or None,
    )
