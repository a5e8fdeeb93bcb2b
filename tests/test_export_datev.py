"""DATEV Buchungsstapel and Debitoren/Kreditoren, checked by an independent checker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from paymatch.accounting.datev import (
    DatevSettings,
    buchungsstapel_files,
    debitoren_kreditoren_file,
)
from paymatch.accounting.journal import Booking, BookingKind, Party, PartyRole
from paymatch.errors import ExportError, InvalidValueError
from paymatch.model import BookingType
from tests.datev_checker import DatevError, check_buchungsstapel, split_fields
from tests.strategies import export_texts

AT = dt.datetime(2026, 4, 1, 8, 30, 15, 123000, tzinfo=dt.UTC)
SETTINGS = DatevSettings(consultant_number=29098, client_number=55003, chart="03")


def booking(
    n: int = 1,
    *,
    amount: str = "119.00",
    date: dt.date = dt.date(2026, 3, 5),
    debit: str = "1200",
    credit: str = "10100",
    text: str = "payment RE-1001 Müller GmbH",
    document: str | None = "RE-1001",
    currency: str = "EUR",
    tax_key: str | None = None,
) -> Booking:
    return Booking(
        booking_id=f"{n:016x}",
        movement_id=f"m{n}",
        kind=BookingKind.PAYMENT,
        date=date,
        amount=Money(amount, currency),
        debit=debit,
        credit=credit,
        text=text,
        account="DE89370400440532013000",
        booking_type=BookingType.INCOMING,
        document=document,
        tax_key=tax_key,
    )


def test_golden_file_checked_field_by_field() -> None:
    bookings = [
        booking(1),
        booking(
            2,
            amount="2.00",
            debit="8730",
            credit="10100",
            tax_key="3",
            text='cash discount "Skonto" RE-1001; Müller',
            document="RE 1001/ä",
        ),
        booking(
            3,
            amount="1250.5",
            date=dt.date(2026, 3, 18),
            debit="70001",
            credit="1210",
            text="=HYPERLINK(evil)",
            document=None,
        ),
    ]
    (file,) = buchungsstapel_files(bookings, SETTINGS, generated_at=AT)

    assert file.name == "EXTF_Buchungsstapel_20260305_20260318.csv"
    assert file.booking_ids == ("0000000000000001", "0000000000000002", "0000000000000003")
    lines = file.data.decode("cp1252").split("\r\n")
    # Checked by hand against the 31 header fields of version 700:
    assert lines[0] == (
        '"EXTF";700;21;"Buchungsstapel";13;20260401083015123;;"";"";"";29098;55003;20260101;4;'
        '20260305;20260318;"paymatch";"";1;0;0;"EUR";;"";;;"03";;;"";""'
    )
    # ... and the first columns of each booking against the 125-column table:
    fields = [split_fields(line) for line in lines[2:5]]
    assert fields[0][:14] == [
        "119,00",
        '"S"',
        '"EUR"',
        "",
        "",
        '""',
        "1200",
        "10100",
        '""',
        "0503",
        '"RE-1001"',
        '""',
        "",
        '"payment RE-1001 Müller GmbH"',
    ]
    assert fields[1][6:14] == [
        "8730",
        "10100",
        '"3"',
        "0503",
        '"RE1001/"',
        '""',
        "",
        '"cash discount ""Skonto"" RE-1001; Müller"',
    ]
    assert fields[2][:14] == [
        "1250,50",
        '"S"',
        '"EUR"',
        "",
        "",
        '""',
        "70001",
        "1210",
        '""',
        "1803",
        '""',
        '""',
        "",
        '"\'=HYPERLINK(evil)"',
    ]
    assert [f[47:49] for f in fields] == [['"paymatch-ID"', f'"{n:016x}"'] for n in (1, 2, 3)]
    assert [f[113] for f in fields] == ["0", "0", "0"]  # Festschreibung, written explicitly
    assert lines[5] == ""  # the file ends with CR LF
    _, rows = check_buchungsstapel(file.data)
    assert [row["Umsatz (ohne Soll/Haben-Kz)"] for row in rows] == ["119,00", "2,00", "1250,50"]


def test_the_example_shop_export_passes_the_checker() -> None:
    bookings = [booking(n, amount=f"{n}.{n:02d}", date=dt.date(2026, 3, n)) for n in range(1, 29)]
    (file,) = buchungsstapel_files(bookings, SETTINGS, generated_at=AT)
    header, rows = check_buchungsstapel(file.data)
    assert len(rows) == 28
    assert header[14:16] == ["20260301", "20260328"]


def test_one_file_per_fiscal_year_with_its_start() -> None:
    july = DatevSettings(consultant_number=1001, client_number=1, fiscal_year_start_month=7)
    bookings = [
        booking(1, date=dt.date(2026, 6, 30)),
        booking(2, date=dt.date(2026, 7, 1)),
        booking(3, date=dt.date(2026, 5, 2)),
    ]

    files = list(buchungsstapel_files(bookings, july, generated_at=AT))

    assert [f.name for f in files] == [
        "EXTF_Buchungsstapel_20260502_20260630.csv",
        "EXTF_Buchungsstapel_20260701_20260701.csv",
    ]
    headers = [check_buchungsstapel(f.data)[0] for f in files]
    assert [h[12] for h in headers] == ["20250701", "20260701"]  # WJ-Beginn
    assert [f.booking_ids for f in files] == [
        ("0000000000000003", "0000000000000001"),
        ("0000000000000002",),
    ]


def test_a_year_with_more_bookings_than_a_file_takes_is_split_and_numbered() -> None:
    bookings = [
        booking(n, date=dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)) for n in range(1, 8)
    ]
    files = list(buchungsstapel_files(bookings, SETTINGS, generated_at=AT, max_bookings=3))
    assert [f.name for f in files] == [
        "EXTF_Buchungsstapel_20260102_20260104_1.csv",
        "EXTF_Buchungsstapel_20260105_20260107_2.csv",
        "EXTF_Buchungsstapel_20260108_20260108_3.csv",
    ]
    assert sorted(i for f in files for i in f.booking_ids) == sorted(b.booking_id for b in bookings)
    for file in files:
        check_buchungsstapel(file.data)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (booking(amount="10.005"), "more than two decimals"),
        (booking(currency="USD"), "amount in USD, but the DATEV file is in EUR"),
        (booking(debit="12A0"), "account '12A0' is not a DATEV account number"),
        (booking(credit="1234567"), "at most 5 with Sachkontenlänge 4"),
        (booking(amount="10000000000.00"), "outside DATEV's"),
    ],
)
def test_what_datev_cannot_carry_is_refused_naming_the_booking(bad: Booking, message: str) -> None:
    with pytest.raises(ExportError, match=f"booking {bad.booking_id}: .*{message}"):
        list(buchungsstapel_files([bad], SETTINGS, generated_at=AT))


def test_settings_are_checked() -> None:
    with pytest.raises(InvalidValueError, match=r"DatevSettings\.consultant_number: must be 1001"):
        DatevSettings(consultant_number=999, client_number=1)
    with pytest.raises(InvalidValueError, match=r"DatevSettings\.exported_by"):
        DatevSettings(consultant_number=1001, client_number=1, exported_by="Max Mustermann")
    with pytest.raises(InvalidValueError, match="generated_at: must carry a time zone"):
        list(buchungsstapel_files([booking()], SETTINGS, generated_at=dt.datetime(2026, 4, 1)))


def test_debtors_and_creditors_master_data() -> None:
    parties = [
        Party(
            role=PartyRole.DEBTOR,
            account="10100",
            number="K-100",
            name='Müller "Bau" GmbH',
            iban="DE02120300000000202051",
            bic="BYLADEM1001",
        ),
        Party(role=PartyRole.DEBTOR, account="10100", number="K-100", name="again"),
        Party(role=PartyRole.CREDITOR, account="70001", name="Papier AG"),
    ]
    file = debitoren_kreditoren_file(parties, SETTINGS, generated_at=AT)

    assert file.name == "EXTF_Debitoren_Kreditoren_20260401.csv"
    assert file.booking_ids == ()
    lines = file.data.decode("cp1252").split("\r\n")
    header = split_fields(lines[0])
    assert header[:6] == ['"EXTF"', "700", "16", '"Debitoren/Kreditoren"', "5", "20260401083015123"]
    names = lines[1].split(";")
    assert len(names) == 254
    rows = [split_fields(line) for line in lines[2:-1]]
    assert [len(r) for r in rows] == [254, 254]
    first = dict(zip(names, rows[0], strict=True))
    assert first["Konto"] == "10100"
    assert first["Name (Adressatentyp keine Angabe)"] == '"Müller ""Bau"" GmbH"'
    assert first["Kurzbezeichnung"] == '"K-100"'
    assert first["IBAN 1"] == '"DE02120300000000202051"'
    assert first["SWIFT-Code 1"] == '"BYLADEM1001"'
    assert rows[1][0] == "70001"


texts = export_texts(80, control=True)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            texts,
            st.one_of(st.none(), texts),
            amounts,
            st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_bookings_give_files_the_checker_accepts_with_the_same_amounts(
    rows: list[tuple[str, str | None, Decimal, dt.date]],
) -> None:
    bookings = [
        booking(n, text=text, document=document, amount=str(amount), date=date)
        for n, (text, document, amount, date) in enumerate(rows, start=1)
    ]
    (file,) = buchungsstapel_files(bookings, SETTINGS, generated_at=AT)
    _, checked = check_buchungsstapel(file.data)
    by_id = {b.booking_id: b for b in bookings}
    for row in checked:
        original = by_id[row["Zusatzinformation- Inhalt 1"]]
        assert (
            Decimal(row["Umsatz (ohne Soll/Haben-Kz)"].replace(",", ".")) == original.amount.amount
        )
        assert row["Konto"] == original.debit
        assert row["Gegenkonto (ohne BU-Schlüssel)"] == original.credit
        assert len(row["Buchungstext"]) <= 60
        assert not row["Buchungstext"].startswith(("=", "+", "-", "@"))
    assert sorted(r["Zusatzinformation- Inhalt 1"] for r in checked) == sorted(by_id)


def test_the_checker_catches_a_broken_file() -> None:
    (file,) = buchungsstapel_files([booking()], SETTINGS, generated_at=AT)
    lines = file.data.split(b"\r\n")
    fields = lines[2].split(b";")
    fields[113] = b""
    broken = b"\r\n".join([*lines[:2], b";".join(fields), *lines[3:]])
    with pytest.raises(DatevError, match="Festschreibung not written"):
        check_buchungsstapel(broken)
    with pytest.raises(DatevError, match="BOM"):
        check_buchungsstapel(b"\xef\xbb\xbf" + file.data)
