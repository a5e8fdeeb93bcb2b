"""Export batches: the selection, the settings, and exactly-once across runs."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money

import paymatch
from paymatch.accounting import (
    Booking,
    BookingKind,
    DatevSettings,
    ExportSelection,
    ExportSettings,
    export,
)
from paymatch.errors import ExportError, InvalidValueError
from paymatch.ledger import Ledger
from paymatch.model import BookingType, ItemTarget, Movement, OpenItem, OpenItemKind, to_money

AT = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
BANK = "DE89370400440532013000"
OTHER = "DE93370501981234567890"


def booking(
    n: int,
    *,
    kind: BookingKind = BookingKind.PAYMENT,
    date: dt.date = dt.date(2026, 3, 5),
    account: str = BANK,
    booking_type: BookingType = BookingType.INCOMING,
    item_kind: OpenItemKind | None = None,
) -> Booking:
    return Booking(
        booking_id=f"id-{n}",
        movement_id=f"m{n}",
        kind=kind,
        date=date,
        amount=Money("10.00", "EUR"),
        debit="1200",
        credit="1400",
        text=f"booking {n}",
        account=account,
        booking_type=booking_type,
        item=None if item_kind is None else f"RE-{n}",
        item_kind=item_kind,
    )


def exported_ids(bookings: list[Booking], **selection: object) -> list[str]:
    settings = ExportSettings(format="json", selection=ExportSelection(**selection))  # type: ignore[arg-type]
    batch = export(bookings, generated_at=AT, settings=settings)
    (file,) = batch.files
    document = json.loads(file.data)
    assert [b["booking_id"] for b in document["bookings"]] == list(batch.booking_ids)
    return list(batch.booking_ids)


def test_paymatch_export_is_the_export_function() -> None:
    assert paymatch.export is export


def test_selection_by_date_account_kind_document_type_payment_type() -> None:
    bookings = [
        booking(1, date=dt.date(2026, 2, 28)),
        booking(2, date=dt.date(2026, 3, 1)),
        booking(3, account=OTHER),
        booking(4, kind=BookingKind.FEE, booking_type=BookingType.FEE),
        booking(5, item_kind=OpenItemKind.ORDER),
        booking(6, item_kind=OpenItemKind.INVOICE),
        booking(7, kind=BookingKind.OUTGOING, booking_type=BookingType.OUTGOING),
    ]
    assert exported_ids(bookings, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1)) == [
        "id-2"
    ]
    assert exported_ids(bookings, accounts=(OTHER,)) == ["id-3"]
    assert exported_ids(bookings, kinds=(BookingKind.FEE, BookingKind.OUTGOING)) == ["id-4", "id-7"]
    only_invoices = exported_ids(bookings, item_kinds=(OpenItemKind.INVOICE,))
    assert "id-5" not in only_invoices
    assert "id-6" in only_invoices
    assert "id-4" in only_invoices  # touches no item: not a document-type question
    assert exported_ids(bookings, booking_types=(BookingType.FEE,)) == ["id-4"]
    assert "id-7" not in exported_ids(bookings, incoming_invoices=False)


def test_a_date_range_the_wrong_way_round_is_refused() -> None:
    with pytest.raises(InvalidValueError, match=r"ExportSelection\.date_to: must not be before"):
        ExportSelection(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 1))


def test_a_ledger_is_posted_first() -> None:
    payment = Movement(
        account=BANK,
        amount=to_money("10.00", "EUR"),
        booking_date=dt.date(2026, 3, 5),
        booking_type=BookingType.INCOMING,
        bank_reference="B1",
    )
    ledger = Ledger([payment], [OpenItem(number="RE-1", amount=to_money("10.00", "EUR"))])
    ledger.assign(payment.movement_id, ItemTarget(number="RE-1"), at=AT)

    batch = export(ledger, generated_at=AT, format="csv")

    assert batch.format == "csv"
    assert len(batch.booking_ids) == 1
    assert b"payment RE-1" in batch.files[0].data


def test_missing_settings_unknown_format_and_naive_time_are_refused() -> None:
    with pytest.raises(ExportError, match=r"the DATEV export needs an \[export\.datev\] table"):
        export([booking(1)], generated_at=AT)
    with pytest.raises(ExportError, match=r"the SIE export needs an \[export\.sie\] table"):
        export([booking(1)], generated_at=AT, format="sie")
    with pytest.raises(ExportError, match="unknown export format 'xls'"):
        export([booking(1)], generated_at=AT, format="xls")
    with pytest.raises(InvalidValueError, match="generated_at: must carry a time zone"):
        export([booking(1)], generated_at=dt.datetime(2026, 4, 1), format="csv")


def test_settings_from_toml_and_errors_naming_the_key_path() -> None:
    settings = ExportSettings.from_toml(
        """
        [export]
        format = "datev"
        [export.selection]
        date_from = 2026-03-01
        kinds = ["payment", "fee"]
        [export.posting]
        chart = "SKR04"
        [export.datev]
        consultant_number = 1001
        client_number = 7
        """
    )
    assert settings.datev == DatevSettings(consultant_number=1001, client_number=7)
    assert settings.selection.kinds == (BookingKind.PAYMENT, BookingKind.FEE)
    assert settings.selection.date_from == dt.date(2026, 3, 1)
    assert settings.posting.chart == "SKR04"
    with pytest.raises(InvalidValueError, match=r"^export\.datev\.client_number: must be 1 to"):
        ExportSettings.from_toml("[export.datev]\nconsultant_number = 1001\nclient_number = 0\n")
    with pytest.raises(InvalidValueError, match=r"^export\.selection\.date_from: expected a date"):
        ExportSettings.from_toml('[export.selection]\ndate_from = "2026-03-01"\n')
    with pytest.raises(InvalidValueError, match=r"^export\.format: must be one of"):
        ExportSettings.from_toml('[export]\nformat = "xls"\n')
    with pytest.raises(InvalidValueError, match=r"^export: unknown key\(s\) formt"):
        ExportSettings.from_toml('[export]\nformt = "csv"\n')


@given(
    st.integers(1, 30).flatmap(
        lambda size: st.tuples(
            st.just(size),
            st.lists(st.integers(0, size), min_size=0, max_size=4),  # where each run's input ends
            st.booleans(),
        )
    )
)
def test_exactly_once_across_runs(plan: tuple[int, list[int], bool]) -> None:
    """Runs over growing (and repeated) input: every booking is exported once, none twice."""
    size, cuts, repeat = plan
    bookings = [
        booking(n, date=dt.date(2026, 3, 1) + dt.timedelta(days=n % 28)) for n in range(size)
    ]
    record: set[str] = set()
    exported: list[str] = []
    for end in [*sorted(cuts), size, *([size] if repeat else [])]:
        batch = export(bookings[:end], generated_at=AT, format="json", already_exported=record)
        assert batch.already_exported == len(record & {b.booking_id for b in bookings[:end]})
        assert not set(batch.booking_ids) & record  # nothing sent twice
        for file in batch.files:
            inside = [b["booking_id"] for b in json.loads(file.data)["bookings"]]
            assert inside == list(file.booking_ids)
        exported.extend(batch.booking_ids)
        record |= set(batch.booking_ids)
    assert sorted(exported) == sorted(b.booking_id for b in bookings)  # nothing skipped
    last = export(bookings, generated_at=AT, format="json", already_exported=record)
    assert last.empty
    assert last.files == ()
