"""Bank transaction codes -> booking types, for every bank format.

Three code systems reach us:

* ISO 20022 bank transaction codes (CAMT ``BkTxCd/Domn``): domain, family,
  sub-family (``PMNT/RCDT/ESCT``), from the ISO "Bank Transaction Code" list;
* German business transaction codes (GVC, "Geschäftsvorfallcode", DK
  specification of the DFÜ agreement, annex 3), in CAMT ``BkTxCd/Prtry``
  (``NTRF+166``) and in MT940 ``:86:`` (the first three digits);
* SWIFT transaction type identification codes of MT940 ``:61:`` (``NTRF``,
  ``NCHG``...).

Each function returns ``None`` for a code it does not know, so the parser can
fall back to the sign and report an ``unknown_transaction_code`` diagnostic.

A direct debit that comes back (the debtor's bank returns it, or the debtor
has it reversed) is a chargeback: ISO sub-families ``UPDD``, ``PRDD``,
``RRTN`` under a direct-debit family, GVC 108/109/181-184, SWIFT ``NRTI``, or
any direct debit booked with the reversal indicator. A plain ``RDDT`` (a
direct debit someone else collected from our account) stays a SEPA direct
debit: it is an outgoing payment, not a payment taken back.

>>> booking_type_from_iso("PMNT", "RCDT", "ESCT", credit=True, reversal=False)
<BookingType.INCOMING: 'incoming'>
>>> booking_type_from_iso("PMNT", "RCDT", "DMCT", credit=False, reversal=False)
<BookingType.OUTGOING: 'outgoing'>
>>> booking_type_from_gvc("NTRF+166", credit=True)
<BookingType.INCOMING: 'incoming'>
>>> booking_type_from_swift("NCHG", credit=False)
<BookingType.FEE: 'fee'>
"""

from __future__ import annotations

import re

from paymatch.model import BookingType

__all__ = [
    "booking_type_by_sign",
    "booking_type_from_gvc",
    "booking_type_from_iso",
    "booking_type_from_swift",
]

B = BookingType

#: ISO sub-families that mean the same whatever the family.
_ISO_SUBFAMILIES = {
    "CHRG": B.FEE,  # charges
    "FEES": B.FEE,  # fees
    "COMM": B.FEE,  # commission
    "COMT": B.FEE,  # non-taxable commissions
    "TAXE": B.FEE,  # taxes
    "INTR": B.INTEREST,  # interest
    "RIMB": B.INTEREST,  # reimbursement (interest adjustments)
}

#: ISO sub-families under a direct-debit family that return or reverse the debit.
_ISO_RETURNS = frozenset({"UPDD", "PRDD", "RRTN", "ARET", "AREV"})

#: ISO families, credit and debit alike unless the sign decides.
_ISO_FAMILIES = {
    "RCDT": B.INCOMING,  # received credit transfers
    "ICDT": B.OUTGOING,  # issued credit transfers
    "IDDT": B.SEPA_DIRECT_DEBIT,  # issued direct debits (we collect)
    "RDDT": B.SEPA_DIRECT_DEBIT,  # received direct debits (collected from us)
    "RRCT": B.INCOMING,  # received real-time credit transfers
    "IRCT": B.OUTGOING,  # issued real-time credit transfers
    "CCRD": None,  # customer card transactions: by sign
    "CNTR": None,  # counter transactions (cash): by sign
    "MCRD": None,  # merchant card transactions: by sign
    "RCHQ": B.INCOMING,  # received cheques
    "ICHQ": B.OUTGOING,  # issued cheques
    "MDOP": B.FEE,  # miscellaneous debit operations (bank charges in practice)
    "MCOP": B.INCOMING,  # miscellaneous credit operations
    "ACCB": B.TRANSFER,  # account balancing (sweeping, topping, zero balancing)
    "CAPL": B.TRANSFER,  # cash pooling between own accounts
}

#: GVC -> booking type (DK annex 3: codes in common use on German business accounts).
_GVC = {
    "004": B.SEPA_DIRECT_DEBIT,  # Lastschrift (Abbuchungsverfahren)
    "005": B.SEPA_DIRECT_DEBIT,  # Lastschrift (Einzugsermächtigung)
    "008": B.OUTGOING,  # Dauerauftrag
    "020": B.OUTGOING,  # Überweisung
    "051": B.INCOMING,  # Überweisungsgutschrift
    "052": B.INCOMING,  # Dauerauftragsgutschrift
    "053": B.INCOMING,  # Lohn-, Gehalts-, Rentengutschrift
    "082": B.INCOMING,  # Einzahlung
    "083": B.OUTGOING,  # Auszahlung
    "104": B.SEPA_DIRECT_DEBIT,  # SEPA-Lastschrift (Einzugsermächtigung) an uns
    "105": B.SEPA_DIRECT_DEBIT,  # SEPA-Basislastschrift an uns
    "106": B.SEPA_DIRECT_DEBIT,  # SEPA-Kartenlastschrift an uns
    "107": B.SEPA_DIRECT_DEBIT,  # SEPA-Basislastschrift (Kartenzahlung)
    "108": B.CHARGEBACK,  # SEPA-Lastschrift Rückbelastung (Einzugsermächtigung)
    "109": B.CHARGEBACK,  # SEPA-Firmenlastschrift Rückbelastung
    "116": B.OUTGOING,  # SEPA-Überweisung
    "117": B.OUTGOING,  # SEPA-Dauerauftrag
    "118": B.OUTGOING,  # SEPA-Echtzeitüberweisung
    "119": B.OUTGOING,  # SEPA-Überweisung (Spende)
    "152": B.INCOMING,  # SEPA-Dauerauftragsgutschrift
    "153": B.INCOMING,  # SEPA-Gutschrift Lohn, Gehalt, Rente
    "154": B.INCOMING,  # SEPA-Gutschrift vermögenswirksame Leistungen
    "155": B.INCOMING,  # SEPA-Gutschrift Altersvorsorge
    "156": B.INCOMING,  # SEPA-Gutschrift Rückerstattung
    "159": B.REFUND,  # SEPA-Rücküberweisung (our transfer came back)
    "166": B.INCOMING,  # SEPA-Gutschrift (Überweisung)
    "167": B.INCOMING,  # SEPA-Gutschrift mit Prüfziffer-Referenz
    "169": B.INCOMING,  # SEPA-Gutschrift Spende
    "171": B.SEPA_DIRECT_DEBIT,  # SEPA-Lastschrift Einreichung (we collect)
    "174": B.SEPA_DIRECT_DEBIT,  # SEPA-Firmenlastschrift Einreichung
    "181": B.CHARGEBACK,  # Rückbelastung SEPA-Lastschrift (Einreicher)
    "182": B.CHARGEBACK,  # Rückbelastung SEPA-Lastschrift, Zahlungspflichtiger
    "183": B.CHARGEBACK,  # Rückbelastung SEPA-Kartenlastschrift
    "184": B.CHARGEBACK,  # Rückbelastung SEPA-Firmenlastschrift
    "805": B.FEE,  # Abschluss (Entgelte, Zinsen der Periode)
    "806": B.FEE,  # Entgelt
    "807": B.FEE,  # Entgelt (Porto)
    "808": B.FEE,  # Gebühren
    "809": B.FEE,  # Provision
    "814": B.INTEREST,  # Zinsen
    "820": B.TRANSFER,  # Übertrag (zwischen eigenen Konten)
}

#: SWIFT MT940 :61: transaction type identification codes (the three letters after N/S/F).
_SWIFT = {
    "TRF": None,  # transfer: by sign
    "CHG": B.FEE,  # charges and other expenses
    "COM": B.FEE,  # commission
    "INT": B.INTEREST,  # interest
    "DDT": B.SEPA_DIRECT_DEBIT,  # direct debit
    "RTI": B.CHARGEBACK,  # returned item
    "STO": B.OUTGOING,  # standing order
    "CHK": B.OUTGOING,  # cheque
    "DIV": B.INCOMING,  # dividends
    "BOE": None,  # bill of exchange: by sign
    "BRF": B.FEE,  # brokerage fee
    "CLR": None,  # cash letters / cheques remittance: by sign
    "CMI": None,  # cash management item: by sign
    "CMN": None,  # cash management item, notional: by sign
    "CMP": None,  # compensation transactions: by sign
    "CMS": None,  # cash management item, sweeping: by sign
    "CMT": B.TRANSFER,  # cash management item, topping
    "CMZ": B.TRANSFER,  # cash management item, zero balancing
    "COL": None,  # collections: by sign
    "DCR": None,  # documentary credit: by sign
    "EQA": None,  # equivalent amount: by sign
    "FEX": None,  # foreign exchange: by sign
    "LBX": B.INCOMING,  # lock box
    "LDP": None,  # loan deposit: by sign
    "MSC": None,  # miscellaneous: by sign
    "SEC": None,  # securities: by sign
    "TCK": None,  # travellers cheques: by sign
    "VDA": None,  # value date adjustment: by sign
}

#: A family's direction contradicted by the booking's sign.
_AGAINST_THE_SIGN = frozenset({(B.INCOMING, False), (B.OUTGOING, True)})

_GVC_CODE = re.compile(r"(?:[A-Z]{4}\+)?(\d{3})")


def booking_type_by_sign(*, credit: bool) -> BookingType:
    """Incoming for money in, outgoing for money out: the fallback for unknown codes."""
    return B.INCOMING if credit else B.OUTGOING


def booking_type_from_iso(
    domain: str | None, family: str | None, subfamily: str | None, *, credit: bool, reversal: bool
) -> BookingType | None:
    """The booking type of an ISO 20022 domain/family/sub-family code, or ``None``."""
    family = (family or "").upper()
    subfamily = (subfamily or "").upper()
    if family in ("IDDT", "RDDT") and (subfamily in _ISO_RETURNS or reversal):
        return B.CHARGEBACK
    if subfamily in _ISO_SUBFAMILIES:
        return _ISO_SUBFAMILIES[subfamily]
    if family in _ISO_FAMILIES:
        found = _ISO_FAMILIES[family]
        if found is None or (found, credit) in _AGAINST_THE_SIGN:
            # A family that names a direction booked the other way (a received credit
            # transfer taken back, say) is classified by its sign, not its family.
            return booking_type_by_sign(credit=credit)
        return found
    if (domain or "").upper() == "PMNT" and family:
        return booking_type_by_sign(credit=credit)
    return None


def booking_type_from_gvc(code: str, *, credit: bool) -> BookingType | None:
    """The booking type of a German GVC (``"166"`` or CAMT's ``"NTRF+166"``), or ``None``."""
    if code in _GVC:  # a bare known GVC, as MT940 gives it: no need to normalise it
        return _GVC[code]
    match = _GVC_CODE.fullmatch(code.strip().upper())
    if match is None:
        return None
    return _GVC.get(match.group(1))


def booking_type_from_swift(code: str, *, credit: bool) -> BookingType | None:
    """The booking type of an MT940 ``:61:`` code (``"NTRF"``, ``"NCHG"``...), or ``None``."""
    code = code.strip().upper()
    if len(code) != 4 or code[0] not in "NSF" or code[1:] not in _SWIFT:
        return None
    return _SWIFT[code[1:]] or booking_type_by_sign(credit=credit)
