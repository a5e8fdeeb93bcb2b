"""The public JSON shapes of paymatch.wire: keys, values, round trips and errors with paths."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paymatch.errors import CurrencyMismatchError, InvalidValueError, OverAllocationError
from paymatch.ledger import Ledger
from paymatch.model import (
    Account,
    AccountKind,
    Allocation,
    AllocationTarget,
    Balance,
    BookingType,
    CashDiscount,
    ChargebackTarget,
    Counterparty,
    Evidence,
    ItemTarget,
    Movement,
    OpenItem,
    OpenItemKind,
    Origin,
    RefundTarget,
    SourcePosition,
    Statement,
    Status,
    WriteOff,
    WriteOffReason,
    to_money,
)
from paymatch.wire import (
    allocation_from_json,
    allocation_to_json,
    converter,
    ledger_document,
    ledger_from_document,
    make_converter,
    movement_from_json,
    movement_to_json,
    open_item_from_json,
    open_item_to_json,
    statement_from_json,
    statement_to_json,
    statements_document,
    statements_from_document,
)

ACCOUNT_IBAN = "DE89370400440532013000"
PAYER_IBAN = "DE02120300000000202051"
CET = dt.timezone(dt.timedelta(hours=1))

MOVEMENT_KEYS = [
    "movement_id",
    "account",
    "transaction_id",
    "bank_reference",
    "end_to_end_id",
    "mandate_id",
    "creditor_reference",
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "booking_type",
    "status",
    "reversal",
    "counterparty",
    "remittance_info",
    "bank_transaction_code",
    "reference_transaction_id",
    "internal_comment",
    "hidden",
    "occurrence",
    "source",
]


def full_movement() -> Movement:
    return Movement(
        account=ACCOUNT_IBAN,
        amount=to_money("1250.00", "EUR"),
        booking_date=dt.date(2026, 3, 2),
        value_date=dt.date(2026, 3, 3),
        booking_type=BookingType.INCOMING,
        status=Status.PENDING,
        counterparty=Counterparty(
            name="Muster GmbH",
            iban=PAYER_IBAN,
            bic="COBADEFFXXX",
            account_number="4711",
            ultimate_name="Anna Muster",
        ),
        remittance_info="RE-1001 thank you",
        creditor_reference="RF18 5390 0754 7034",
        end_to_end_id="E2E-1",
        mandate_id="M-7",
        bank_reference="BREF-9",
        transaction_id="TX-1",
        reference_transaction_id="TX-0",
        bank_transaction_code="PMNT-RCDT-ESCT",
        reversal=True,
        internal_comment="checked by Anna",
        hidden=True,
        occurrence=2,
        source=SourcePosition(source="march.xml", line=12, column=5, path="/Document/Ntry[3]"),
    )


FULL_MOVEMENT_JSON = {
    "movement_id": "DE89370400440532013000:tx:TX-1",
    "account": "DE89370400440532013000",
    "transaction_id": "TX-1",
    "bank_reference": "BREF-9",
    "end_to_end_id": "E2E-1",
    "mandate_id": "M-7",
    "creditor_reference": "RF18539007547034",
    "booking_date": "2026-03-02",
    "value_date": "2026-03-03",
    "amount": "1250.00",
    "currency": "EUR",
    "booking_type": "incoming",
    "status": "pending",
    "reversal": True,
    "counterparty": {
        "name": "Muster GmbH",
        "iban": "DE02120300000000202051",
        "bic": "COBADEFFXXX",
        "account_number": "4711",
        "ultimate_name": "Anna Muster",
    },
    "remittance_info": "RE-1001 thank you",
    "bank_transaction_code": "PMNT-RCDT-ESCT",
    "reference_transaction_id": "TX-0",
    "internal_comment": "checked by Anna",
    "hidden": True,
    "occurrence": 2,
    "source": {"source": "march.xml", "line": 12, "column": 5, "path": "/Document/Ntry[3]"},
}


def small_movement(amount: str = "-12.50", transaction_id: str = "TX-2") -> Movement:
    return Movement(
        account=ACCOUNT_IBAN,
        amount=to_money(amount, "EUR"),
        booking_date=dt.date(2026, 1, 5),
        booking_type=BookingType.OUTGOING,
        transaction_id=transaction_id,
    )


SMALL_MOVEMENT_JSON = {
    "movement_id": "DE89370400440532013000:tx:TX-2",
    "account": "DE89370400440532013000",
    "transaction_id": "TX-2",
    "bank_reference": None,
    "end_to_end_id": None,
    "mandate_id": None,
    "creditor_reference": None,
    "booking_date": "2026-01-05",
    "value_date": None,
    "amount": "-12.50",
    "currency": "EUR",
    "booking_type": "outgoing",
    "status": "completed",
    "reversal": False,
    "counterparty": {
        "name": None,
        "iban": None,
        "bic": None,
        "account_number": None,
        "ultimate_name": None,
    },
    "remittance_info": None,
    "bank_transaction_code": None,
    "reference_transaction_id": None,
    "internal_comment": None,
    "hidden": False,
    "occurrence": 0,
    "source": None,
}


def bank_account() -> Account:
    return Account(kind=AccountKind.BANK, iban=ACCOUNT_IBAN, bic="COBADEFFXXX", currency="EUR")


def statement(*movements: Movement) -> Statement:
    return Statement(
        account=bank_account(),
        movements=movements,
        statement_id="2026/001",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        opening_balance=Balance(amount=to_money("100.00", "EUR"), date=dt.date(2025, 12, 31)),
        closing_balance=Balance(amount=to_money("87.50", "EUR"), date=dt.date(2026, 1, 31)),
        format="camt053",
        source="january.xml",
    )


def refused(read: Callable[[object], object], data: object) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as caught:
        read(data)
    assert isinstance(caught.value, ValueError)
    return caught.value


# -- MOVEMENT -----------------------------------------------------------------------------------


def test_movement_has_exactly_the_contract_keys_in_order() -> None:
    assert list(movement_to_json(full_movement())) == MOVEMENT_KEYS
    assert list(movement_to_json(small_movement())) == MOVEMENT_KEYS


def test_movement_values_are_json_ready() -> None:
    assert movement_to_json(full_movement()) == FULL_MOVEMENT_JSON


def test_absent_values_are_null_and_defaults_are_written() -> None:
    assert movement_to_json(small_movement()) == SMALL_MOVEMENT_JSON


def test_enums_are_plain_strings() -> None:
    data = movement_to_json(full_movement())
    assert type(data["booking_type"]) is str
    assert type(data["status"]) is str


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("12.34567", "12.34567"),
        ("-0.50", "-0.50"),
        ("-1250.00", "-1250.00"),
        (Decimal("1E+2"), "100"),
        (Decimal("-1.5E-7"), "-0.00000015"),
        (7, "7"),
    ],
)
def test_amounts_are_signed_decimal_strings_keeping_places(
    amount: Decimal | int | str, text: str
) -> None:
    movement = attrs.evolve(small_movement(), amount=to_money(amount, "EUR"))
    assert movement_to_json(movement)["amount"] == text
    assert movement_from_json(movement_to_json(movement)).amount.amount == Decimal(text)


def test_movement_round_trip_through_json_text() -> None:
    for movement in (full_movement(), small_movement()):
        text = json.dumps(movement_to_json(movement))
        assert movement_from_json(json.loads(text)) == movement


def test_movement_without_output_only_id_and_defaults_reads() -> None:
    data = {
        "account": ACCOUNT_IBAN,
        "amount": "-12.50",
        "currency": "eur",
        "booking_date": "2026-01-05",
        "booking_type": "outgoing",
        "transaction_id": "TX-2",
        "status": None,
        "counterparty": None,
        "a_key_from_a_newer_writer": 1,
    }
    assert movement_from_json(data) == small_movement()


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"amount": 12.5}, "$.amount", "must be a decimal string, got 12.5 (float)"),
        ({"amount": 12}, "$.amount", "must be a decimal string, got 12 (int)"),
        ({"amount": "1.5E+2"}, "$.amount", "must be a decimal string, got '1.5E+2' (str)"),
        ({"amount": "NaN"}, "$.amount", "must be a decimal string, got 'NaN' (str)"),
        ({"amount": "12,50"}, "$.amount", "must be a decimal string, got '12,50' (str)"),
        (
            {"booking_date": "2026-13-01"},
            "$.booking_date",
            "must be a date YYYY-MM-DD, got '2026-13-01' (str)",
        ),
        (
            {"value_date": "20260301"},
            "$.value_date",
            "must be a date YYYY-MM-DD, got '20260301' (str)",
        ),
        (
            {"booking_type": "wire"},
            "$.booking_type",
            "must be one of 'incoming', 'outgoing', 'sepa_prenotified', 'sepa_direct_debit', "
            "'refund', 'chargeback', 'fee', 'payout', 'transfer', 'interest', 'other', "
            "got 'wire' (str)",
        ),
        (
            {"status": "done"},
            "$.status",
            "must be one of 'completed', 'pending', 'cancelled', 'failed', got 'done' (str)",
        ),
        ({"reversal": "false"}, "$.reversal", "must be true or false, got 'false' (str)"),
        ({"occurrence": "1"}, "$.occurrence", "must be an integer, got '1' (str)"),
        ({"occurrence": True}, "$.occurrence", "must be an integer, got True (bool)"),
        ({"transaction_id": 5}, "$.transaction_id", "must be a string, got 5 (int)"),
        ({"account": None}, "$.account", "must be a string, got null"),
        ({"currency": "EURO"}, "$.currency", "unknown ISO 4217 currency code 'EURO'"),
        ({"remittance_info": ""}, "$.remittance_info", "must not be empty"),
        ({"counterparty": "Bob"}, "$.counterparty", "must be an object, got 'Bob' (str)"),
        ({"source": {"line": "12"}}, "$.source.line", "must be an integer, got '12' (str)"),
    ],
)
def test_movement_errors_name_the_json_path(
    change: dict[str, object], field: str, reason: str
) -> None:
    error = refused(movement_from_json, {**SMALL_MOVEMENT_JSON, **change})
    assert (error.field, error.reason) == (field, reason)
    assert str(error) == f"{field}: {reason}"


@pytest.mark.parametrize("key", ["account", "amount", "currency", "booking_date", "booking_type"])
def test_missing_required_key_is_named(key: str) -> None:
    data = {name: value for name, value in SMALL_MOVEMENT_JSON.items() if name != key}
    error = refused(movement_from_json, data)
    assert (error.field, error.reason) == (f"$.{key}", "is required but missing")


def test_model_refusal_gets_the_json_path_and_keeps_its_reason() -> None:
    data = {**SMALL_MOVEMENT_JSON, "counterparty": {"iban": "DE89370400440532013001"}}
    error = refused(movement_from_json, data)
    assert error.field == "$.counterparty.iban"
    assert error.reason == "not a valid IBAN ('DE89370400440532013001'): Invalid checksum digits"


def test_bad_creditor_reference_is_refused_at_its_key() -> None:
    error = refused(movement_from_json, {**SMALL_MOVEMENT_JSON, "creditor_reference": "RF00 1"})
    assert error.field == "$.creditor_reference"


def test_mismatching_movement_id_is_refused() -> None:
    data = {**SMALL_MOVEMENT_JSON, "movement_id": "DE89370400440532013000:tx:OTHER"}
    error = refused(movement_from_json, data)
    assert error.field == "$.movement_id"
    assert error.reason == (
        "is derived and output-only; must be 'DE89370400440532013000:tx:TX-2' if given, "
        "got 'DE89370400440532013000:tx:OTHER'"
    )


def test_not_an_object_is_refused_at_the_root() -> None:
    error = refused(movement_from_json, ["amount", "12.50"])
    assert (error.field, error.reason) == ("$", "must be an object, got ['amount', '12.50'] (list)")


# -- STATEMENT and the parse document ---------------------------------------------------------


STATEMENT_JSON = {
    "format": "camt053",
    "source": "january.xml",
    "account": {
        "kind": "bank",
        "iban": "DE89370400440532013000",
        "bic": "COBADEFFXXX",
        "identifier": None,
        "name": None,
        "currency": "EUR",
        "key": "DE89370400440532013000",
    },
    "statement_id": "2026/001",
    "period_start": "2026-01-01",
    "period_end": "2026-01-31",
    "opening_balance": {"amount": "100.00", "currency": "EUR", "date": "2025-12-31"},
    "closing_balance": {"amount": "87.50", "currency": "EUR", "date": "2026-01-31"},
    "movements": [SMALL_MOVEMENT_JSON],
    "diagnostics": [],
}


def test_statement_shape() -> None:
    data = statement_to_json(statement(small_movement()))
    assert data == STATEMENT_JSON
    assert list(data) == list(STATEMENT_JSON)
    assert list(data["account"]) == list(STATEMENT_JSON["account"])  # type: ignore[call-overload]


def test_statement_without_balances_or_source_has_nulls() -> None:
    bare = Statement(account=bank_account())
    data = statement_to_json(bare)
    assert data["source"] is None
    assert data["opening_balance"] is None
    assert data["closing_balance"] is None
    assert data["movements"] == []
    assert statement_from_json(data) == bare


def test_statement_diagnostics_are_written_and_ignored_on_reading() -> None:
    diagnostics = [{"level": "warning", "line": 7, "amount": Decimal("1E+1")}]
    data = statement_to_json(statement(), diagnostics)
    assert data["diagnostics"] == [{"level": "warning", "line": 7, "amount": "10"}]
    assert statement_from_json({**data, "diagnostics": "anything"}) == statement()


def test_statement_round_trip() -> None:
    original = statement(small_movement(), small_movement("3.00", "TX-3"))
    assert statement_from_json(json.loads(json.dumps(statement_to_json(original)))) == original


def test_statement_source_is_the_source_name() -> None:
    read = statement_from_json({**STATEMENT_JSON, "source": "february.xml"})
    assert read.source == "february.xml"


def test_mismatching_account_key_is_refused() -> None:
    data = copy.deepcopy(STATEMENT_JSON)
    data["account"]["key"] = "paypal:shop"  # type: ignore[index]
    error = refused(statement_from_json, data)
    assert error.field == "$.account.key"


def test_document_shape_and_round_trip() -> None:
    statements = (statement(small_movement()), statement())
    document = statements_document(statements, [[{"code": "W1"}], []])
    assert list(document) == ["statements"]
    assert document["statements"] == [
        {**STATEMENT_JSON, "diagnostics": [{"code": "W1"}]},
        {**STATEMENT_JSON, "movements": []},
    ]
    assert statements_from_document(json.loads(json.dumps(document))) == statements


def test_document_without_diagnostics() -> None:
    assert statements_document([statement(small_movement())]) == {"statements": [STATEMENT_JSON]}


def test_document_diagnostics_must_match_the_statements() -> None:
    with pytest.raises(InvalidValueError, match="one entry per statement"):
        statements_document([statement()], [[], []])


def four_movement_document() -> dict[str, object]:
    movements = [small_movement(f"{n}.00", f"TX-{n}") for n in (1, 2, 3, 4)]
    return json.loads(json.dumps(statements_document([statement(*movements)])))  # type: ignore[no-any-return]


def test_document_error_path_reaches_into_movements() -> None:
    document = four_movement_document()
    document["statements"][0]["movements"][3]["amount"] = 12.5  # type: ignore[index]
    error = refused(statements_from_document, document)
    assert error.field == "$.statements[0].movements[3].amount"
    assert error.reason == "must be a decimal string, got 12.5 (float)"


def test_statement_refusal_gets_the_path_of_the_movement() -> None:
    document = four_movement_document()
    movement = document["statements"][0]["movements"][1]  # type: ignore[index]
    movement["account"] = PAYER_IBAN
    del movement["movement_id"]
    error = refused(statements_from_document, document)
    assert error.field == "$.statements[0].movements[1].account"
    assert error.reason == (
        "must be the statement's account 'DE89370400440532013000', got 'DE02120300000000202051'"
    )


def test_currency_mismatch_keeps_its_class() -> None:
    data = copy.deepcopy(STATEMENT_JSON)
    data["movements"] = []
    data["opening_balance"]["currency"] = "USD"  # type: ignore[index]
    error = refused(statement_from_json, data)
    assert isinstance(error, CurrencyMismatchError)
    assert error.field == "$.opening_balance"


@pytest.mark.parametrize(
    ("document", "field", "reason"),
    [
        ({}, "$.statements", "is required but missing"),
        ({"statements": "abc"}, "$.statements", "must be a list, got 'abc' (str)"),
        ({"statements": [7]}, "$.statements[0]", "must be an object, got 7 (int)"),
    ],
)
def test_malformed_documents(document: object, field: str, reason: str) -> None:
    error = refused(statements_from_document, document)
    assert (error.field, error.reason) == (field, reason)


# -- OPEN ITEM ---------------------------------------------------------------------------------


def invoice() -> OpenItem:
    return OpenItem(
        number="RE-1001",
        kind=OpenItemKind.INVOICE,
        invoice_number="RE-1001",
        customer_number="K-17",
        customer_name="Muster GmbH",
        amount=to_money("1250.00", "EUR"),
        date=dt.date(2026, 2, 20),
        due_date=dt.date(2026, 3, 6),
        ibans=(PAYER_IBAN, "AT611904300234573201"),
        payment_reference="RF18539007547034",
        transaction_id="PAYID-1",
        cash_discount=CashDiscount(percent="2.5", days=10),
    )


OPEN_ITEM_JSON = {
    "number": "RE-1001",
    "kind": "invoice",
    "invoice_number": "RE-1001",
    "customer_number": "K-17",
    "customer_name": "Muster GmbH",
    "amount": "1250.00",
    "currency": "EUR",
    "date": "2026-02-20",
    "due_date": "2026-03-06",
    "ibans": ["DE02120300000000202051", "AT611904300234573201"],
    "payment_reference": "RF18539007547034",
    "transaction_id": "PAYID-1",
    "cash_discount": {"percent": "2.5", "days": 10},
}


def test_open_item_shape_and_round_trip() -> None:
    data = open_item_to_json(invoice())
    assert data == OPEN_ITEM_JSON
    assert list(data) == list(OPEN_ITEM_JSON)
    assert open_item_from_json(json.loads(json.dumps(data))) == invoice()


def test_open_item_minimal_with_one_iban_and_empty_values() -> None:
    data = {
        "number": "A-7",
        "amount": "19.99",
        "currency": "EUR",
        "iban": "DE02 1203 0000 0000 2020 51",
        "customer_name": "",
        "due_date": "",
        "kind": " ",
    }
    assert open_item_from_json(data) == OpenItem(
        number="A-7", amount=to_money("19.99", "EUR"), ibans=(PAYER_IBAN,)
    )


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"number": ""}, "$.number", "must not be empty"),
        ({"amount": ""}, "$.amount", "must be a decimal string, got '' (str)"),
        ({"amount": "-5.00"}, "$.amount", "must not be negative, got -5.00 EUR"),
        (
            {"iban": "DE02120300000000202052"},
            "$.iban",
            "not a valid IBAN ('DE02120300000000202052'): Invalid checksum digits",
        ),
        (
            {"ibans": [PAYER_IBAN, "DE02120300000000202052"]},
            "$.ibans[1]",
            "not a valid IBAN ('DE02120300000000202052'): Invalid checksum digits",
        ),
        ({"ibans": PAYER_IBAN}, "$.ibans", f"must be a list, got '{PAYER_IBAN}' (str)"),
        (
            {"cash_discount": {"percent": "150", "days": 10}},
            "$.cash_discount.percent",
            "must be between 0 and 100, got 150",
        ),
        ({"kind": "order_x"}, "$.kind", "must be one of 'order', 'invoice', got 'order_x' (str)"),
    ],
)
def test_open_item_errors(change: dict[str, object], field: str, reason: str) -> None:
    error = refused(open_item_from_json, {**OPEN_ITEM_JSON, **change})
    assert (error.field, error.reason) == (field, reason)


# -- ALLOCATION --------------------------------------------------------------------------------


def allocation(target: AllocationTarget) -> Allocation:
    return Allocation(
        movement_id="DE89370400440532013000:tx:TX-1",
        target=target,
        amount=to_money("1225.00", "EUR"),
        origin=Origin.AUTOMATIC,
        made_at=dt.datetime(2026, 3, 2, 10, 15, tzinfo=CET),
        evidence=(
            Evidence(rule="invoice_number", detail="RE-1001 in remittance info", weight="0.85"),
            Evidence(rule="amount", detail="amount differs", weight="-0.1"),
        ),
    )


@pytest.mark.parametrize(
    ("target", "target_json"),
    [
        (ItemTarget(number="RE-1001"), {"type": "item", "number": "RE-1001"}),
        (ChargebackTarget(), {"type": "chargeback", "payment": None}),
        (ChargebackTarget(payment="X:tx:1"), {"type": "chargeback", "payment": "X:tx:1"}),
        (RefundTarget(end_to_end_id="E2E-9"), {"type": "refund", "end_to_end_id": "E2E-9"}),
        (
            WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1001"),
            {"type": "write_off", "reason": "cash_discount", "item": "RE-1001"},
        ),
    ],
)
def test_allocation_shape_and_round_trip(
    target: AllocationTarget, target_json: dict[str, object]
) -> None:
    original = allocation(target)
    data = allocation_to_json(original)
    assert data == {
        "allocation_id": original.allocation_id,  # the model derives it
        "movement_id": "DE89370400440532013000:tx:TX-1",
        "target": target_json,
        "amount": "1225.00",
        "currency": "EUR",
        "origin": "automatic",
        "made_at": "2026-03-02T10:15:00+01:00",
        "evidence": [
            {"rule": "invoice_number", "detail": "RE-1001 in remittance info", "weight": "0.85"},
            {"rule": "amount", "detail": "amount differs", "weight": "-0.1"},
        ],
    }
    assert list(data) == [
        "allocation_id",
        "movement_id",
        "target",
        "amount",
        "currency",
        "origin",
        "made_at",
        "evidence",
    ]
    assert list(data["target"]) == list(target_json)  # type: ignore[call-overload]
    assert allocation_from_json(json.loads(json.dumps(data))) == original


def test_allocation_reads_utc_written_with_z() -> None:
    data = {**allocation_to_json(allocation(ItemTarget(number="RE-1001"))), "allocation_id": None}
    data["made_at"] = "2026-03-02T09:15:00Z"
    assert allocation_from_json(data).made_at == dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (
            {"target": {"type": "invoice", "number": "RE-1001"}},
            "$.target.type",
            "must be one of 'item', 'chargeback', 'refund', 'write_off', got 'invoice' (str)",
        ),
        (
            {"target": {"number": "RE-1001"}},
            "$.target.type",
            "must be one of 'item', 'chargeback', 'refund', 'write_off', got null",
        ),
        ({"target": {"type": "item"}}, "$.target.number", "is required but missing"),
        (
            {"made_at": "2026-03-02T10:15:00"},
            "$.made_at",
            "must carry a time zone, got naive 2026-03-02T10:15:00",
        ),
        (
            {"made_at": "yesterday"},
            "$.made_at",
            "must be an ISO 8601 date and time with offset, got 'yesterday' (str)",
        ),
        (
            {"evidence": [{"rule": "r", "detail": "d", "weight": 0.5}]},
            "$.evidence[0].weight",
            "must be a decimal string, got 0.5 (float)",
        ),
        ({"amount": "0.00"}, "$.amount", "must be greater than zero, got 0.00 EUR"),
    ],
)
def test_allocation_errors(change: dict[str, object], field: str, reason: str) -> None:
    data = {**allocation_to_json(allocation(ItemTarget(number="RE-1001"))), **change}
    error = refused(allocation_from_json, data)
    assert (error.field, error.reason) == (field, reason)


def test_mismatching_allocation_id_is_refused() -> None:
    original = allocation(ItemTarget(number="RE-1001"))
    data = {**allocation_to_json(original), "allocation_id": "0000000000000000"}
    error = refused(allocation_from_json, data)
    assert error.field == "$.allocation_id"
    assert error.reason == (
        f"is derived and output-only; must be {original.allocation_id!r} if given, "
        "got '0000000000000000'"
    )


# -- converters --------------------------------------------------------------------------------


def test_make_converter_gives_independent_converters() -> None:
    own = make_converter()
    assert own is not converter
    own.register_unstructure_hook(Decimal, lambda amount: f"{amount} (own)")
    assert movement_to_json(small_movement(), converter=own)["amount"] == "-12.50 (own)"
    assert movement_to_json(small_movement())["amount"] == "-12.50"


# -- properties --------------------------------------------------------------------------------

IBANS = [PAYER_IBAN, "GB29NWBK60161331926819", "NL91ABNA0417164300", "CH9300762011623852957"]
texts = st.text(min_size=1, max_size=24).map(str.strip).filter(bool)
optional_texts = st.none() | texts
amounts = st.decimals(
    min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False
) | st.builds(Decimal, st.sampled_from(["1E+2", "-5E-3", "0E-7", "-0.00"]))

movements = st.builds(
    Movement,
    account=st.just(ACCOUNT_IBAN),
    amount=st.builds(to_money, amounts, st.sampled_from(["EUR", "CHF", "JPY", "KWD"])),
    booking_date=st.dates(),
    booking_type=st.sampled_from(BookingType),
    value_date=st.none() | st.dates(),
    status=st.sampled_from(Status),
    counterparty=st.builds(
        Counterparty,
        name=optional_texts,
        iban=st.none() | st.sampled_from(IBANS),
        bic=st.none() | st.sampled_from(["COBADEFFXXX", "DEUTDEFF"]),
        account_number=optional_texts,
        ultimate_name=optional_texts,
    ),
    remittance_info=optional_texts,
    creditor_reference=st.none() | st.sampled_from(["RF18539007547034", "RF712348231"]),
    end_to_end_id=optional_texts,
    mandate_id=optional_texts,
    bank_reference=optional_texts,
    transaction_id=optional_texts,
    reference_transaction_id=optional_texts,
    bank_transaction_code=optional_texts,
    reversal=st.booleans(),
    internal_comment=optional_texts,
    hidden=st.booleans(),
    occurrence=st.integers(min_value=0, max_value=9),
    source=st.none()
    | st.builds(
        SourcePosition,
        source=optional_texts,
        line=st.none() | st.integers(min_value=1),
        column=st.none() | st.integers(min_value=1),
        path=optional_texts,
    ),
)


@given(movements)
def test_every_movement_survives_json_text(movement: Movement) -> None:
    data = movement_to_json(movement)
    assert list(data) == MOVEMENT_KEYS
    assert movement_from_json(json.loads(json.dumps(data))) == movement


@given(movements)
def test_amount_text_is_exact_and_never_exponent(movement: Movement) -> None:
    text = movement_to_json(movement)["amount"]
    assert isinstance(text, str)
    assert "e" not in text.lower()
    assert Decimal(text) == movement.amount.amount
    assert Decimal(text).as_tuple().exponent == min(movement.amount.amount.as_tuple().exponent, 0)


# -- LEDGER: a dump of movements, open items and allocations ----------------------------------


def _ledger_with_allocations() -> Ledger:
    at = dt.datetime(2026, 3, 6, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    payment = Movement(
        account="DE89370400440532013000",
        amount=to_money("98.00", "EUR"),
        booking_date=dt.date(2026, 3, 5),
        booking_type=BookingType.INCOMING,
        bank_reference="B1",
        hidden=False,
    )
    ledger = Ledger([payment], [OpenItem(number="RE-1", amount=to_money("100.00", "EUR"))])
    ledger.assign(payment.movement_id, ItemTarget(number="RE-1"), to_money("98.00", "EUR"), at=at)
    ledger.assign(
        payment.movement_id,
        WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1"),
        to_money("2.00", "EUR"),
        at=at,
        origin=Origin.AUTOMATIC,
        evidence=[Evidence(rule="references", detail="RE-1 in remittance", weight="0.9")],
    )
    return ledger


def test_a_ledger_dump_reads_back_with_the_same_allocations() -> None:
    ledger = _ledger_with_allocations()
    text = json.dumps(ledger_document(ledger))

    restored = ledger_from_document(json.loads(text))

    assert restored.movements == ledger.movements
    assert restored.open_items == ledger.open_items
    assert restored.allocations == ledger.allocations
    assert restored.open_amount("RE-1") == to_money("0.00", "EUR")
    assert json.loads(text)["allocations"][1]["target"] == {
        "type": "write_off",
        "reason": "cash_discount",
        "item": "RE-1",
    }


def test_a_ledger_dump_with_a_bad_value_names_its_path() -> None:
    document = ledger_document(_ledger_with_allocations())
    document["allocations"][0]["amount"] = 98.0  # type: ignore[index]
    with pytest.raises(InvalidValueError, match=r"^\$\.allocations\[0\]\.amount: "):
        ledger_from_document(document)


def test_a_ledger_dump_that_over_allocates_is_refused_by_the_ledger() -> None:
    document = ledger_document(_ledger_with_allocations())
    document["allocations"][0]["amount"] = "99.00"  # type: ignore[index]
    del document["allocations"][0]["allocation_id"]  # type: ignore[attr-defined]  # derived
    with pytest.raises(OverAllocationError):
        ledger_from_document(document)
