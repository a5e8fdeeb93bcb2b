"""The generic CSV and JSON journals, read back with the standard library's own readers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from paymatch.accounting.csv_journal import CSV_JOURNAL_COLUMNS, csv_journal_file
from paymatch.accounting.journal import Booking, BookingKind, Party, PartyRole
from paymatch.accounting.json_journal import json_journal_file
from paymatch.model import BookingType, OpenItemKind
from tests.strategies import export_texts


def booking(
    n: int,
    text: str = "payment RE-1",
    amount: str = "10.00",
    party: Party | None = None,
    document: str | None = "RE-1",
) -> Booking:
    return Booking(
        booking_id=f"b{n}",
        movement_id=f"m{n}",
        kind=BookingKind.PAYMENT,
        date=dt.date(2026, 3, 5),
        amount=Money(amount, "EUR"),
        debit="1200",
        credit="10100",
        text=text,
        account="DE89370400440532013000",
        booking_type=BookingType.INCOMING,
        document=document,
        tax_key=None,
        party=party,
        item="RE-1",
        item_kind=OpenItemKind.INVOICE,
    )


PARTY = Party(
    role=PartyRole.DEBTOR,
    account="10100",
    number="K-100",
    name='=Müller, "GmbH"',
    iban="DE02120300000000202051",
)


def test_csv_journal_columns_and_values() -> None:
    file = csv_journal_file([booking(1, party=PARTY), booking(2, text="-5 % Rabatt")])
    assert file.name == "paymatch_journal.csv"
    assert file.booking_ids == ("b1", "b2")
    assert not file.data.startswith(b"\xef\xbb\xbf")
    assert file.data.count(b"\r\n") == 3
    rows = list(csv.DictReader(io.StringIO(file.data.decode("utf-8"), newline="")))
    assert list(rows[0]) == list(CSV_JOURNAL_COLUMNS)
    assert rows[0] == {
        "booking_id": "b1",
        "movement_id": "m1",
        "date": "2026-03-05",
        "kind": "payment",
        "debit": "1200",
        "credit": "10100",
        "amount": "10.00",
        "currency": "EUR",
        "document": "RE-1",
        "text": "payment RE-1",
        "tax_key": "",
        "party_role": "debtor",
        "party_account": "10100",
        "party_number": "K-100",
        "party_name": '\'=Müller, "GmbH"',
        "item": "RE-1",
        "item_kind": "invoice",
        "account": "DE89370400440532013000",
        "booking_type": "incoming",
    }
    assert rows[1]["text"] == "'-5 % Rabatt"  # a formula start is made inert
    assert rows[1]["party_role"] == ""


def test_json_journal_round_trips() -> None:
    file = json_journal_file([booking(1, party=PARTY), booking(2, document=None)])
    document = json.loads(file.data)
    first, second = document["bookings"]
    assert first["party"] == {
        "role": "debtor",
        "account": "10100",
        "number": "K-100",
        "name": '=Müller, "GmbH"',
        "iban": "DE02120300000000202051",
        "bic": None,
    }
    assert second["party"] is None
    assert second["document"] is None
    assert first["amount"] == "10.00"
    assert list(first) == [
        *(c for c in CSV_JOURNAL_COLUMNS[:11]),
        "party",
        *CSV_JOURNAL_COLUMNS[15:],
    ]
    assert json_journal_file([]).data == b'{\n  "bookings": []\n}\n'


texts = export_texts(control=True)


@settings(max_examples=80)
@given(
    st.lists(
        st.tuples(
            texts, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1E9"), places=2)
        ),
        min_size=1,
        max_size=10,
    )
)
def test_any_texts_round_trip_and_amounts_never_change(rows: list[tuple[str, Decimal]]) -> None:
    bookings = [booking(n, text=text, amount=str(amount)) for n, (text, amount) in enumerate(rows)]
    read = list(csv.DictReader(io.StringIO(csv_journal_file(bookings).data.decode(), newline="")))
    from_json = json.loads(json_journal_file(bookings).data)["bookings"]
    for original, row, entry in zip(bookings, read, from_json, strict=True):
        assert Decimal(row["amount"]) == original.amount.amount == Decimal(entry["amount"])
        guarded = original.text.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert row["text"] == ("'" + original.text if guarded else original.text)
        assert entry["text"] == original.text
