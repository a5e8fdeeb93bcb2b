"""Column layouts of German banks' CSV exports, as :class:`~paymatch.parsers.bank_csv.CsvMapping`.

No bank publishes a specification for these files; each layout below is the
export the bank's online banking offered (menu and name in the comment) when
this module was written, checked against sample files built to it in
``tests/data/bank_csv/``. ``docs/formats/bank_csv.md`` lists each preset's
columns and quirks. Detection recognises a file by its exact header line.

>>> PRESETS["csv.n26"].mapping.delimiter
','
"""

from __future__ import annotations

import attrs

from paymatch.parsers.bank_csv import CsvColumns, CsvMapping

__all__ = ["PRESETS", "Preset"]


@attrs.frozen(kw_only=True)
class Preset:
    """A named bank layout: the parser name, one line for ``--help``, and the mapping."""

    name: str
    description: str
    mapping: CsvMapping


_SPARKASSE_PENDING = ("Umsatz vorgemerkt",)  # the "Info" column; booked rows say "Umsatz gebucht"

_PRESETS = (
    # Sparkasse online banking, "Export > CSV-CAMT V2": ';', all cells quoted,
    # Windows-1252, dd.mm.yy, the own account in every row, SEPA fields in their own columns.
    Preset(
        name="csv.sparkasse-camt",
        description="Sparkasse CSV-CAMT V2 export",
        mapping=CsvMapping(
            columns=CsvColumns(
                account="Auftragskonto",
                booking_date="Buchungstag",
                value_date="Valutadatum",
                booking_text="Buchungstext",
                remittance_info=("Verwendungszweck",),
                mandate_id="Mandatsreferenz",
                end_to_end_id="Kundenreferenz (End-to-End)",
                counterparty_name="Beguenstigter/Zahlungspflichtiger",
                iban="Kontonummer/IBAN",
                bic="BIC (SWIFT-Code)",
                amount="Betrag",
                currency="Waehrung",
                status="Info",
            ),
            date_formats=("%d.%m.%y", "%d.%m.%Y"),
            pending_values=_SPARKASSE_PENDING,
            expected_header=(
                "Auftragskonto",
                "Buchungstag",
                "Valutadatum",
                "Buchungstext",
                "Verwendungszweck",
                "Glaeubiger ID",
                "Mandatsreferenz",
                "Kundenreferenz (End-to-End)",
                "Sammlerreferenz",
                "Lastschrift Ursprungsbetrag",
                "Auslagenersatz Ruecklastschrift",
                "Beguenstigter/Zahlungspflichtiger",
                "Kontonummer/IBAN",
                "BIC (SWIFT-Code)",
                "Betrag",
                "Waehrung",
                "Info",
            ),
        ),
    ),
    # Sparkasse "Export > CSV-MT940": the MT940 :86: purpose with its SEPA keys
    # (EREF+, MREF+, CRED+, SVWZ+) in one "Verwendungszweck" cell.
    Preset(
        name="csv.sparkasse-mt940",
        description="Sparkasse CSV-MT940 export",
        mapping=CsvMapping(
            columns=CsvColumns(
                account="Auftragskonto",
                booking_date="Buchungstag",
                value_date="Valutadatum",
                booking_text="Buchungstext",
                remittance_info=("Verwendungszweck",),
                counterparty_name="Beguenstigter/Zahlungspflichtiger",
                iban="Kontonummer",
                bic="BLZ",
                amount="Betrag",
                currency="Waehrung",
                status="Info",
            ),
            date_formats=("%d.%m.%y", "%d.%m.%Y"),
            pending_values=_SPARKASSE_PENDING,
            sepa_keys=True,
            expected_header=(
                "Auftragskonto",
                "Buchungstag",
                "Valutadatum",
                "Buchungstext",
                "Verwendungszweck",
                "Beguenstigter/Zahlungspflichtiger",
                "Kontonummer",
                "BLZ",
                "Betrag",
                "Waehrung",
                "Info",
            ),
        ),
    ),
    # DKB since 2023 ("Umsätze > CSV"): UTF-8, preamble with the IBAN and
    # "Kontostand vom <date>:", dd.mm.yy, payer and payee in two columns, "Status".
    Preset(
        name="csv.dkb",
        description="DKB CSV export (2023 and later)",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Buchungsdatum",
                value_date="Wertstellung",
                status="Status",
                payer="Zahlungspflichtige*r",
                payee="Zahlungsempfänger*in",
                remittance_info=("Verwendungszweck",),
                booking_text="Umsatztyp",
                iban="IBAN",
                amount="Betrag (€)",
                mandate_id="Mandatsreferenz",
                end_to_end_id="Kundenreferenz",
            ),
            date_formats=("%d.%m.%y", "%d.%m.%Y"),
            closing_balance_label=r"^Kontostand vom",
            expected_header=(
                "Buchungsdatum",
                "Wertstellung",
                "Status",
                "Zahlungspflichtige*r",
                "Zahlungsempfänger*in",
                "Verwendungszweck",
                "Umsatztyp",
                "IBAN",
                "Betrag (€)",
                "Gläubiger-ID",
                "Mandatsreferenz",
                "Kundenreferenz",
            ),
        ),
    ),
    # DKB before 2023: Windows-1252, every line ends with ';', dd.mm.yyyy.
    Preset(
        name="csv.dkb-legacy",
        description="DKB CSV export (before 2023)",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Buchungstag",
                value_date="Wertstellung",
                booking_text="Buchungstext",
                counterparty_name="Auftraggeber / Begünstigter",
                remittance_info=("Verwendungszweck",),
                iban="Kontonummer",
                bic="BLZ",
                amount="Betrag (EUR)",
                mandate_id="Mandatsreferenz",
                end_to_end_id="Kundenreferenz",
            ),
            closing_balance_label=r"^Kontostand vom",
            expected_header=(
                "Buchungstag",
                "Wertstellung",
                "Buchungstext",
                "Auftraggeber / Begünstigter",
                "Verwendungszweck",
                "Kontonummer",
                "BLZ",
                "Betrag (EUR)",
                "Gläubiger-ID",
                "Mandatsreferenz",
                "Kundenreferenz",
            ),
        ),
    ),
    # ING (DiBa) "Umsatzanzeige": Windows-1252, preamble with IBAN, "Zeitraum"
    # and the balance as "Saldo"; a running balance per row; "Währung" twice.
    Preset(
        name="csv.ing",
        description="ING Umsatzanzeige CSV export",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Buchung",
                value_date="Wertstellungsdatum",
                counterparty_name="Auftraggeber/Empfänger",
                booking_text="Buchungstext",
                remittance_info=("Verwendungszweck",),
                amount="Betrag",
                currency="Währung",
            ),
            closing_balance_label=r"^Saldo$",
            expected_header=(
                "Buchung",
                "Wertstellungsdatum",
                "Auftraggeber/Empfänger",
                "Buchungstext",
                "Verwendungszweck",
                "Saldo",
                "Währung",
                "Betrag",
                "Währung",
            ),
        ),
    ),
    # Deutsche Bank "Umsätze > CSV": Windows-1252, unquoted, money out in "Soll"
    # (written negative) and in in "Haben", the closing "Kontostand" after the bookings.
    Preset(
        name="csv.deutsche-bank",
        description="Deutsche Bank CSV export",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Buchungstag",
                value_date="Wert",
                booking_text="Umsatzart",
                counterparty_name="Begünstigter / Auftraggeber",
                remittance_info=("Verwendungszweck",),
                iban="IBAN",
                bic="BIC",
                end_to_end_id="Kundenreferenz",
                mandate_id="Mandatsreferenz",
                debit="Soll",
                credit="Haben",
                currency="Währung",
            ),
            closing_balance_label=r"^Kontostand",
            expected_header=(
                "Buchungstag",
                "Wert",
                "Umsatzart",
                "Begünstigter / Auftraggeber",
                "Verwendungszweck",
                "IBAN",
                "BIC",
                "Kundenreferenz",
                "Mandatsreferenz",
                "Gläubiger ID",
                "Fremde Gebühren",
                "Betrag",
                "Abweichender Empfänger",
                "Anzahl der Aufträge",
                "Anzahl der Schecks",
                "Soll",
                "Haben",
                "Währung",
            ),
        ),
    ),
    # Commerzbank "Umsätze > Export CSV": no preamble, the own IBAN in every row,
    # the whole purpose (with the counterparty) in "Buchungstext".
    Preset(
        name="csv.commerzbank",
        description="Commerzbank CSV export",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Buchungstag",
                value_date="Wertstellung",
                booking_text="Umsatzart",
                remittance_info=("Buchungstext",),
                amount="Betrag",
                currency="Währung",
                account="IBAN Auftraggeberkonto",
            ),
            expected_header=(
                "Buchungstag",
                "Wertstellung",
                "Umsatzart",
                "Buchungstext",
                "Betrag",
                "Währung",
                "Auftraggeberkonto",
                "Bankleitzahl Auftraggeberkonto",
                "IBAN Auftraggeberkonto",
                "Kategorie",
            ),
        ),
    ),
    # comdirect "Umsätze > Export": Windows-1252, every line ends with ';',
    # "Neuer Kontostand" before and "Alter Kontostand" after the bookings,
    # pending bookings with "Offen" as booking date.
    Preset(
        name="csv.comdirect",
        description="comdirect Girokonto CSV export",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Buchungstag",
                value_date="Wertstellung (Valuta)",
                booking_text="Vorgang",
                remittance_info=("Buchungstext",),
                amount="Umsatz in EUR",
            ),
            pending_dates=("Offen",),
            opening_balance_label=r"^Alter Kontostand",
            closing_balance_label=r"^Neuer Kontostand",
            expected_header=(
                "Buchungstag",
                "Wertstellung (Valuta)",
                "Vorgang",
                "Buchungstext",
                "Umsatz in EUR",
            ),
        ),
    ),
    # Postbank "Umsatzauskunft": Windows-1252, preamble with IBAN and
    # "Aktueller Kontostand", payer and payee columns, amounts with "€".
    Preset(
        name="csv.postbank",
        description="Postbank Umsatzauskunft CSV export",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Buchungstag",
                value_date="Wertstellung",
                booking_text="Umsatzart",
                remittance_info=("Buchungsdetails",),
                payer="Auftraggeber",
                payee="Empfänger",
                amount="Betrag (€)",
            ),
            closing_balance_label=r"^Aktueller Kontostand",
            expected_header=(
                "Buchungstag",
                "Wertstellung",
                "Umsatzart",
                "Buchungsdetails",
                "Auftraggeber",
                "Empfänger",
                "Betrag (€)",
                "Saldo (€)",
            ),
        ),
    ),
    # Volksbanken Raiffeisenbanken (Atruvia online banking, "Umsätze > Export > CSV"):
    # the own account in every row, a running "Saldo nach Buchung" (not read), dd.mm.yyyy.
    Preset(
        name="csv.volksbank",
        description="Volksbank Raiffeisenbank CSV export",
        mapping=CsvMapping(
            columns=CsvColumns(
                account="IBAN Auftragskonto",
                booking_date="Buchungstag",
                value_date="Valutadatum",
                counterparty_name="Name Zahlungsbeteiligter",
                iban="IBAN Zahlungsbeteiligter",
                bic="BIC (SWIFT-Code) Zahlungsbeteiligter",
                booking_text="Buchungstext",
                remittance_info=("Verwendungszweck",),
                amount="Betrag",
                currency="Waehrung",
                mandate_id="Mandatsreferenz",
            ),
            expected_header=(
                "Bezeichnung Auftragskonto",
                "IBAN Auftragskonto",
                "BIC Auftragskonto",
                "Bankname Auftragskonto",
                "Buchungstag",
                "Valutadatum",
                "Name Zahlungsbeteiligter",
                "IBAN Zahlungsbeteiligter",
                "BIC (SWIFT-Code) Zahlungsbeteiligter",
                "Buchungstext",
                "Verwendungszweck",
                "Betrag",
                "Waehrung",
                "Saldo nach Buchung",
                "Bemerkung",
                "Kategorie",
                "Steuerrelevant",
                "Glaeubiger ID",
                "Mandatsreferenz",
            ),
        ),
    ),
    # N26 web app "Downloads > CSV" (2024 layout): UTF-8, ',', ISO dates, decimal point.
    Preset(
        name="csv.n26",
        description="N26 CSV export",
        mapping=CsvMapping(
            columns=CsvColumns(
                booking_date="Booking Date",
                value_date="Value Date",
                counterparty_name="Partner Name",
                iban="Partner Iban",
                booking_text="Type",
                remittance_info=("Payment Reference",),
                amount="Amount (EUR)",
            ),
            delimiter=",",
            date_formats=("%Y-%m-%d",),
            decimal_separator=".",
            thousands_separator="",
            expected_header=(
                "Booking Date",
                "Value Date",
                "Partner Name",
                "Partner Iban",
                "Type",
                "Payment Reference",
                "Account Name",
                "Amount (EUR)",
                "Original Amount",
                "Original Currency",
                "Exchange Rate",
            ),
        ),
    ),
)

#: The presets by parser name.
PRESETS: dict[str, Preset] = {preset.name: preset for preset in _PRESETS}
