"""SIE 4I files, read back by an independent reader that re-balances and re-checksums them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from paymatch._version import __version__
from paymatch.accounting.journal import Booking, BookingKind
from paymatch.accounting.sie import SieSettings, sie_file
from paymatch.errors import ExportError
from paymatch.model import BookingType
from tests.sie_reader import read_sie
from tests.strategies import export_texts

AT = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
SETTINGS = SieSettings(
    company_name="Exempel AB",
    organisation_number="556334-3689",
    account_names={"1930": "Företagskonto", "1510": "Kundfordringar"},
)


def booking(
    n: int,
    movement: str,
    *,
    amount: str = "100.00",
    debit: str = "1930",
    credit: str = "1510",
    text: str = "Betalning",
    document: str | None = None,
    currency: str = "SEK",
) -> Booking:
    return Booking(
        booking_id=f"b{n}",
        movement_id=movement,
        kind=BookingKind.PAYMENT,
        date=dt.date(2026, 3, n),
        amount=Money(amount, currency),
        debit=debit,
        credit=credit,
        text=text,
        account="SE4550000000058398257466",
        booking_type=BookingType.INCOMING,
        document=document,
    )


def test_golden_file_checked_against_the_specification() -> None:
    bookings = [
        booking(1, "m1", amount="98.00", text='Betalning "faktura" 1001', document="1001"),
        booking(2, "m1", amount="2.00", debit="3740", text="Öresavrundning"),
        booking(3, "m2", amount="25.00", debit="6570", credit="1930", text="Bankavgift €"),
    ]
    file = sie_file(bookings, SETTINGS, generated_at=AT)

    assert file.name == "paymatch_20260301_20260303.si"
    assert file.booking_ids == ("b1", "b2", "b3")
    lines = file.data.decode("cp437").split("\r\n")
    # Checked by hand against sections 5, 6 and 11 of the specification:
    assert lines[:17] == [
        "#FLAGGA 0",
        "#KSUMMA",
        f'#PROGRAM "paymatch" "{__version__}"',
        "#FORMAT PC8",
        "#GEN 20260401",
        "#SIETYP 4",
        '#ORGNR "556334-3689"',
        '#FNAMN "Exempel AB"',
        "#VALUTA SEK",
        '#KONTO 1930 "Företagskonto"',
        '#KONTO 1510 "Kundfordringar"',
        '#VER "" "" 20260301 "Betalning \\"faktura\\" 1001"',
        "{",
        ' #TRANS 1930 {} 98.00 20260301 "Betalning \\"faktura\\" 1001"',
        ' #TRANS 1510 {} -98.00 20260301 "Betalning \\"faktura\\" 1001"',
        ' #TRANS 3740 {} 2.00 20260302 "Öresavrundning"',
        ' #TRANS 1510 {} -2.00 20260302 "Öresavrundning"',
    ]
    assert lines[17:23] == [
        "}",
        '#VER "" "" 20260303 "Bankavgift ?"',  # € is not in code page 437
        "{",
        ' #TRANS 6570 {} 25.00 20260303 "Bankavgift ?"',
        ' #TRANS 1930 {} -25.00 20260303 "Bankavgift ?"',
        "}",
    ]
    assert lines[23].startswith("#KSUMMA ")
    assert lines[24:] == [""]
    parsed = read_sie(file.data)
    assert parsed.checksum_given == parsed.checksum_computed
    assert len(parsed.vouchers) == 2


def test_every_voucher_balances_and_no_4i_forbidden_record_appears() -> None:
    bookings = [booking(n, f"m{n % 3}", amount=f"{n}.5{n}") for n in range(1, 10)]
    parsed = read_sie(sie_file(bookings, SETTINGS, generated_at=AT).data)
    for voucher in parsed.vouchers:
        assert sum(amount for _, amount, _ in voucher.transactions) == 0
    labels = {label for label, _ in parsed.records}
    assert not labels & {"#IB", "#UB", "#RES"}
    assert {"#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#FNAMN"} <= labels


def test_a_changed_byte_breaks_the_checksum() -> None:
    data = sie_file([booking(1, "m1")], SETTINGS, generated_at=AT).data
    assert read_sie(data).checksum_given == read_sie(data).checksum_computed
    tampered = data.replace(b"100.00", b"100.01", 1)
    parsed = read_sie(tampered)
    assert parsed.checksum_given != parsed.checksum_computed


def test_checksum_matches_the_specifications_rules_on_its_own_example() -> None:
    # Section 10.15: of #KONTO 1915 "Kassa \"special\"" only these characters are summed.
    import binascii

    from tests.sie_reader import fields_of

    label, values, sums = fields_of('#KONTO 1915 "Kassa \\"special\\""')
    assert (label, values) == ("#KONTO", ["1915", 'Kassa "special"'])
    assert "".join(sums) == '#KONTO1915Kassa "special"'
    assert binascii.crc32(b'#KONTO1915Kassa "special"') == binascii.crc32("".join(sums).encode())


def test_one_currency_per_file_and_at_least_one_booking() -> None:
    with pytest.raises(
        ExportError, match="booking b1: amount in EUR, but the SIE file is kept in SEK"
    ):
        sie_file([booking(1, "m1", currency="EUR")], SETTINGS, generated_at=AT)
    with pytest.raises(ExportError, match="at least one booking"):
        sie_file([], SETTINGS, generated_at=AT)


texts = export_texts()


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),
            texts,
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_any_bookings_read_back_balanced_with_a_valid_checksum_and_the_same_totals(
    rows: list[tuple[int, str, Decimal]],
) -> None:
    bookings = [
        booking(n % 28 + 1, f"m{movement}", amount=str(amount), text=text)
        for n, (movement, text, amount) in enumerate(rows)
    ]
    parsed = read_sie(sie_file(bookings, SETTINGS, generated_at=AT).data)
    assert parsed.checksum_given == parsed.checksum_computed
    assert len(parsed.vouchers) == len({b.movement_id for b in bookings})
    per_account: defaultdict[str, Decimal] = defaultdict(Decimal)
    for voucher in parsed.vouchers:
        assert sum(amount for _, amount, _ in voucher.transactions) == 0
        for account, amount, _ in voucher.transactions:
            per_account[account] += amount
    expected: defaultdict[str, Decimal] = defaultdict(Decimal)
    for b in bookings:
        expected[b.debit] += b.amount.amount
        expected[b.credit] -= b.amount.amount
    assert per_account == expected
