"""FEC files, checked by an independent checker written from article A47 A-1 LPF."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from paymatch.accounting.fec import FecSettings, fec_file
from paymatch.accounting.journal import Booking, BookingKind, Party, PartyRole
from paymatch.errors import ExportError, InvalidValueError
from paymatch.model import BookingType
from tests.strategies import export_texts

SETTINGS = FecSettings(siren="732829320", account_names={"512000": "Banque", "411000": "Clients"})
VALIDATED = dt.date(2026, 4, 1)
#: The 18 columns of article A47 A-1, as the shared reference lists them.
COLUMNS = [
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
]
MANDATORY = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "ValidDate",
)
AMOUNT = re.compile(r"\d+,\d{2}")


def check_fec(data: bytes, separator: str = "|") -> list[dict[str, str]]:
    """Check an FEC file; return its lines as dicts by column."""
    text = data.decode("iso8859_15")
    lines = text.split("\r\n")
    assert lines[-1] == "", "the file ends with a line break"
    assert lines[0].split(separator) == COLUMNS, "the first line names the 18 columns in order"
    rows = []
    for number, line in enumerate(lines[1:-1], start=2):
        values = line.split(separator)
        assert len(values) == 18, f"line {number}: {len(values)} fields"
        row = dict(zip(COLUMNS, values, strict=True))
        for column in MANDATORY:
            assert row[column], f"line {number}: {column} is empty"
        for column in ("EcritureDate", "PieceDate", "ValidDate"):
            dt.datetime.strptime(row[column], "%Y%m%d")
        assert AMOUNT.fullmatch(row["Debit"]), row["Debit"]
        assert AMOUNT.fullmatch(row["Credit"]), row["Credit"]
        assert (row["Debit"] == "0,00") != (row["Credit"] == "0,00"), "one side per line"
        rows.append(row)
    numbers = [int(r["EcritureNum"]) for r in rows]
    distinct = list(dict.fromkeys(numbers))
    assert distinct == list(range(distinct[0], distinct[0] + len(distinct))), "continuous"
    assert numbers == sorted(numbers), "an entry's lines are together"
    balance: defaultdict[int, Decimal] = defaultdict(Decimal)
    for row, entry in zip(rows, numbers, strict=True):
        balance[entry] += Decimal(row["Debit"].replace(",", ".")) - Decimal(
            row["Credit"].replace(",", ".")
        )
    assert set(balance.values()) == {Decimal(0)}, "every entry balances"
    return rows


def booking(
    n: int,
    movement: str,
    *,
    amount: str = "100.00",
    text: str = "Règlement",
    currency: str = "EUR",
    party: Party | None = None,
    document: str | None = "FA-1001",
) -> Booking:
    return Booking(
        booking_id=f"b{n}",
        movement_id=movement,
        kind=BookingKind.PAYMENT,
        date=dt.date(2026, 3, n),
        amount=Money(amount, currency),
        debit="512000",
        credit="411000",
        text=text,
        account="FR7630006000011234567890189",
        booking_type=BookingType.INCOMING,
        document=document,
        party=party,
    )


def test_golden_file_checked_by_hand() -> None:
    client = Party(role=PartyRole.DEBTOR, account="411000", number="C001", name="Dupont SARL")
    bookings = [
        booking(1, "m1", amount="120.50", party=client, text="Règlement FA-1001 | Dupont"),
        booking(2, "m2", amount="7.00", document=None),
    ]
    file = fec_file(bookings, SETTINGS, validated_on=VALIDATED)

    assert file.name == "732829320FEC20261231.txt"
    assert file.booking_ids == ("b1", "b2")
    lines = file.data.decode("iso8859_15").split("\r\n")
    assert lines[1:5] == [
        "BQ|Banque|1|20260301|512000|Banque|||FA-1001|20260301|Règlement FA-1001 Dupont|"
        "120,50|0,00|||20260401||",
        "BQ|Banque|1|20260301|411000|Clients|C001|Dupont SARL|FA-1001|20260301|"
        "Règlement FA-1001 Dupont|0,00|120,50|||20260401||",
        "BQ|Banque|2|20260302|512000|Banque|||m2|20260302|Règlement|7,00|0,00|||20260401||",
        "BQ|Banque|2|20260302|411000|Clients|||m2|20260302|Règlement|0,00|7,00|||20260401||",
    ]
    assert len(check_fec(file.data)) == 4


def test_tab_separator_names_and_first_number() -> None:
    tabbed = FecSettings(siren="732829320", separator="\t", first_entry_number=41)
    file = fec_file([booking(1, "m1"), booking(2, "m1")], tabbed, validated_on=VALIDATED)
    rows = check_fec(file.data, "\t")
    assert {r["EcritureNum"] for r in rows} == {"41"}
    assert rows[0]["CompteLib"] == "Compte 512000"  # no name configured


def test_fiscal_year_and_currency_rules() -> None:
    june = FecSettings(siren="732829320", fiscal_year_end_month=6)
    assert fec_file([booking(1, "m1")], june, validated_on=VALIDATED).name.endswith("20260630.txt")
    late = attrs.evolve(booking(2, "m2"), date=dt.date(2026, 7, 1))
    with pytest.raises(ExportError, match="covers one fiscal year"):
        fec_file([booking(1, "m1"), late], june, validated_on=VALIDATED)
    with pytest.raises(ExportError, match="booking b1: amount in USD, but the FEC is kept in EUR"):
        fec_file([booking(1, "m1", currency="USD")], SETTINGS, validated_on=VALIDATED)
    with pytest.raises(InvalidValueError, match=r"FecSettings\.siren: must be nine digits"):
        FecSettings(siren="12345")


texts = export_texts()


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            texts,
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_any_bookings_give_a_valid_fec_with_the_same_totals(
    rows: list[tuple[int, str, Decimal]],
) -> None:
    bookings = [
        booking(n % 28 + 1, f"m{movement}", amount=str(amount), text=text)
        for n, (movement, text, amount) in enumerate(rows)
    ]
    checked = check_fec(fec_file(bookings, SETTINGS, validated_on=VALIDATED).data)
    assert len(checked) == 2 * len(bookings)
    debit = sum(Decimal(r["Debit"].replace(",", ".")) for r in checked)
    assert debit == sum(b.amount.amount for b in bookings)
