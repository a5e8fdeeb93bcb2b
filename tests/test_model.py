"""The domain model: validation on construction, money rules and the identity of movements.

Expected values are written by hand (or computed here from the documented rule),
never taken from the code under test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from moneyed import Money

from paymatch.errors import CurrencyMismatchError, InvalidValueError, PaymatchError
from paymatch.model import (
    Account,
    AccountKind,
    Allocation,
    Balance,
    BookingType,
    CashDiscount,
    ChargebackTarget,
    Counterparty,
    Evidence,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    RefundTarget,
    SourcePosition,
    Statement,
    Status,
    WriteOff,
    WriteOffReason,
    number_occurrences,
    to_money,
)
from paymatch.model.money import decimal_text, require_same_currency, to_decimal
from tests.strategies import (
    accounts,
    aware_datetimes,
    creditor_references,
    ibans,
    money,
    movements,
    open_items,
    statements,
    texts,
)

IBAN = "DE89370400440532013000"
IBAN_FORMATTED = "DE89 3704 0044 0532 0130 00"
PAYER_IBAN = "DE02120300000000202051"
OTHER_IBAN = "DE75512108001245126199"
UTC = dt.UTC
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def eur(amount: str) -> Money:
    """Money built without the helpers under test."""
    return Money(Decimal(amount), "EUR")


def movement(**changes: object) -> Movement:
    """A fixed incoming payment on ``IBAN`` with no transaction id or bank reference."""
    fields: dict[str, object] = {
        "account": IBAN,
        "amount": eur("119.95"),
        "booking_date": dt.date(2026, 3, 2),
        "booking_type": BookingType.INCOMING,
        "counterparty": Counterparty(name="Erika Mustermann", iban=PAYER_IBAN),
        "remittance_info": "RE-1001  Kundennr 4711",
        "end_to_end_id": "E2E-1",
    }
    fields.update(changes)
    return Movement(**fields)  # type: ignore[arg-type]


def allocation(**changes: object) -> Allocation:
    fields: dict[str, object] = {
        "movement_id": f"{IBAN}:tx:TX-1",
        "target": ItemTarget(number="RE-1001"),
        "amount": eur("119.95"),
        "origin": Origin.AUTOMATIC,
        "made_at": NOON,
    }
    fields.update(changes)
    return Allocation(**fields)  # type: ignore[arg-type]


def bank_account(**changes: object) -> Account:
    fields: dict[str, object] = {"kind": AccountKind.BANK, "iban": IBAN, "currency": "EUR"}
    fields.update(changes)
    return Account(**fields)  # type: ignore[arg-type]


def item(**changes: object) -> OpenItem:
    fields: dict[str, object] = {"number": "RE-1001", "amount": eur("119.95")}
    fields.update(changes)
    return OpenItem(**fields)  # type: ignore[arg-type]


# --- validation on construction --------------------------------------------------------------

#: (what is built, the field the error must name)
INVALID: list[tuple[Callable[[], object], str]] = [
    # empty or blank required text
    (lambda: item(number=""), "OpenItem.number"),
    (lambda: item(number="   "), "OpenItem.number"),
    (lambda: ItemTarget(number=""), "ItemTarget.number"),
    (lambda: movement(account=""), "Movement.account"),
    (lambda: Evidence(rule="amount", detail=""), "Evidence.detail"),
    # an empty optional text: absence is spelled None
    (lambda: movement(remittance_info=""), "Movement.remittance_info"),
    (lambda: Counterparty(name=""), "Counterparty.name"),
    # wrong types
    (lambda: item(number=1001), "OpenItem.number"),
    (lambda: movement(amount=Decimal("119.95")), "Movement.amount"),
    (lambda: movement(amount=119.95), "Movement.amount"),
    (lambda: movement(amount=Money(Decimal("NaN"), "EUR")), "Movement.amount"),
    (lambda: movement(booking_type="incoming"), "Movement.booking_type"),
    (lambda: movement(status="completed"), "Movement.status"),
    (lambda: movement(counterparty="Erika Mustermann"), "Movement.counterparty"),
    (lambda: Account(kind="bank", iban=IBAN, currency="EUR"), "Account.kind"),
    # bool is not an int
    (lambda: movement(occurrence=True), "Movement.occurrence"),
    (lambda: CashDiscount(percent="2", days=True), "CashDiscount.days"),
    (lambda: SourcePosition(line=False), "SourcePosition.line"),
    # a datetime is not a date
    (lambda: movement(booking_date=dt.datetime(2026, 3, 2, 9, 30)), "Movement.booking_date"),
    (lambda: movement(value_date=dt.datetime(2026, 3, 2)), "Movement.value_date"),
    (lambda: item(due_date=dt.datetime(2026, 3, 2)), "OpenItem.due_date"),
    (lambda: Balance(amount=eur("1"), date=dt.datetime(2026, 3, 2)), "Balance.date"),
    # money
    (lambda: item(amount=eur("-5.00")), "OpenItem.amount"),
    (lambda: allocation(amount=eur("0.00")), "Allocation.amount"),
    (lambda: allocation(amount=eur("-1.00")), "Allocation.amount"),
    (lambda: Account(kind=AccountKind.BANK, iban=IBAN, currency="ABC"), "Account.currency"),
    (lambda: Account(kind=AccountKind.BANK, iban=IBAN, currency="euro"), "Account.currency"),
    # identifiers
    (lambda: bank_account(iban="DE89370400440532013001"), "Account.iban"),
    (lambda: bank_account(bic="DEUTXXFF"), "Account.bic"),
    (lambda: Counterparty(iban="DE00 1234"), "Counterparty.iban"),
    (lambda: Counterparty(bic="COBADE"), "Counterparty.bic"),
    (lambda: item(ibans=(PAYER_IBAN, "NL91ABNA0417164301")), "OpenItem.ibans[1]"),
    (lambda: movement(creditor_reference="RF17539007547034"), "Movement.creditor_reference"),
    (lambda: Account(kind=AccountKind.PAYPAL, currency="EUR"), "Account.identifier"),
    # tuples, not lists, inside frozen objects
    (lambda: Statement(account=bank_account(), movements=[movement()]), "Statement.movements"),
    (lambda: Statement(account=bank_account(), movements=(object(),)), "Statement.movements[0]"),
    (
        lambda: allocation(evidence=[Evidence(rule="amount", detail="exact amount")]),
        "Allocation.evidence",
    ),
    # allocations
    (lambda: allocation(made_at=dt.datetime(2026, 3, 2, 12, 0)), "Allocation.made_at"),
    (lambda: allocation(made_at=dt.date(2026, 3, 2)), "Allocation.made_at"),
    (lambda: allocation(target="RE-1001"), "Allocation.target"),
    (lambda: allocation(origin="manual"), "Allocation.origin"),
    (lambda: Evidence(rule="amount", detail="exact", weight="1.5"), "Evidence.weight"),
    (lambda: Evidence(rule="amount", detail="exact", weight=0.5), "Evidence.weight"),
    # cash discount
    (lambda: CashDiscount(percent="0", days=10), "CashDiscount.percent"),
    (lambda: CashDiscount(percent="100", days=10), "CashDiscount.percent"),
    (lambda: CashDiscount(percent="-2", days=10), "CashDiscount.percent"),
    (lambda: CashDiscount(percent=2.0, days=10), "CashDiscount.percent"),
    (lambda: CashDiscount(percent="two", days=10), "CashDiscount.percent"),
    (lambda: CashDiscount(percent="2", days=-1), "CashDiscount.days"),
    # statements
    (
        lambda: Statement(
            account=bank_account(),
            period_start=dt.date(2026, 3, 2),
            period_end=dt.date(2026, 3, 1),
        ),
        "Statement.period_end",
    ),
    (
        lambda: Statement(
            account=bank_account(), movements=(movement(), movement(account=OTHER_IBAN))
        ),
        "Statement.movements[1].account",
    ),
    (
        lambda: Statement(account=bank_account(), period_start=dt.datetime(2026, 3, 1)),
        "Statement.period_start",
    ),
]


@pytest.mark.parametrize(("build", "field"), INVALID, ids=[field for _, field in INVALID])
def test_constructor_refuses_invalid_value_naming_the_field(
    build: Callable[[], object], field: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert caught.value.field == field
    assert str(caught.value) == f"{field}: {caught.value.reason}"
    assert caught.value.reason


def test_negative_open_amount_message() -> None:
    # The message errors.InvalidValueError documents, word for word.
    with pytest.raises(
        InvalidValueError, match=r"^OpenItem\.amount: must not be negative, got -5\.00 EUR$"
    ):
        item(amount=eur("-5.00"))


def test_invalid_value_error_is_a_value_error_and_a_paymatch_error() -> None:
    with pytest.raises(ValueError, match=r"^OpenItem\.number: ") as caught:
        item(number="")
    assert isinstance(caught.value, PaymatchError)


def test_statement_movement_in_another_currency_is_a_currency_mismatch() -> None:
    with pytest.raises(CurrencyMismatchError) as caught:
        Statement(account=bank_account(), movements=(movement(amount=Money(Decimal(5), "USD")),))
    assert caught.value.field == "Statement.movements[0].amount"
    assert "EUR" in caught.value.reason
    assert "USD" in caught.value.reason


def test_statement_balance_in_another_currency_is_a_currency_mismatch() -> None:
    balance = Balance(amount=Money(Decimal("10.00"), "USD"), date=dt.date(2026, 3, 1))
    with pytest.raises(CurrencyMismatchError) as caught:
        Statement(account=bank_account(), closing_balance=balance)
    assert caught.value.field == "Statement.closing_balance"


def test_statement_of_one_day_and_with_matching_movements_is_accepted() -> None:
    day = dt.date(2026, 3, 2)
    statement = Statement(
        account=bank_account(iban=IBAN_FORMATTED),
        movements=(movement(), movement(amount=eur("-3.50"), booking_type=BookingType.FEE)),
        period_start=day,
        period_end=day,
        opening_balance=Balance(amount=eur("100.00"), date=dt.date(2026, 3, 1)),
        closing_balance=Balance(amount=eur("216.45"), date=day),
    )
    assert len(statement.movements) == 2


def test_cash_discount_percent_bounds_are_exclusive() -> None:
    assert CashDiscount(percent="0.01", days=0).percent == Decimal("0.01")
    assert CashDiscount(percent="99.99", days=0).percent == Decimal("99.99")
    assert CashDiscount(percent=3, days=14).percent == Decimal(3)
    assert CashDiscount(percent=Decimal("2.5"), days=14).percent == Decimal("2.5")


def test_identifiers_are_kept_compact_and_upper_case() -> None:
    account = Account(
        kind=AccountKind.BANK, iban=IBAN_FORMATTED.lower(), bic="cobadeffxxx", currency="eur"
    )
    assert (account.iban, account.bic, account.currency) == (IBAN, "COBADEFFXXX", "EUR")
    assert Counterparty(iban="de02 1203 0000 0000 2020 51").iban == PAYER_IBAN
    assert item(ibans=("NL91 ABNA 0417 1643 00", IBAN_FORMATTED)).ibans == (
        "NL91ABNA0417164300",
        IBAN,
    )
    assert movement(creditor_reference="RF18 5390 0754 7034").creditor_reference == (
        "RF18539007547034"
    )


def test_value_objects_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        movement().hidden = True  # type: ignore[misc]


@given(ibans())
def test_any_valid_iban_is_accepted_in_any_spelling(iban: str) -> None:
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower()
    assert Account(kind=AccountKind.BANK, iban=spaced, currency="EUR").key == iban
    assert Counterparty(iban=spaced).iban == iban


@given(creditor_references())
def test_any_valid_creditor_reference_is_accepted(reference: str) -> None:
    assert movement(creditor_reference=reference).creditor_reference == reference


@given(ibans(), st.integers(min_value=4, max_value=33))
def test_an_iban_with_a_changed_digit_is_refused(iban: str, position: int) -> None:
    position = min(position, len(iban) - 1)
    assume(iban[position].isdigit())
    digit = str((int(iban[position]) + 1) % 10)
    # ISO 13616: the mod-97 check digits catch every single-digit substitution.
    with pytest.raises(InvalidValueError) as caught:
        Counterparty(iban=iban[:position] + digit + iban[position + 1 :])
    assert caught.value.field == "Counterparty.iban"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ItemTarget(number=" RE-1001"), "ItemTarget.number"),
        (lambda: movement(transaction_id="TX-1 "), "Movement.transaction_id"),
        (lambda: item(number="RE-1001\n"), "OpenItem.number"),
    ],
    ids=["ItemTarget.number", "Movement.transaction_id", "OpenItem.number"],
)
def test_text_fields_refuse_surrounding_blanks(build: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: bank_account(iban=12345), "Account.iban"),
        (lambda: item(ibans=(None,)), "OpenItem.ibans[0]"),
        (lambda: Counterparty(bic=42), "Counterparty.bic"),
    ],
    ids=["Account.iban", "OpenItem.ibans[0]", "Counterparty.bic"],
)
def test_non_string_identifier_is_an_invalid_value(build: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert caught.value.field == field


def test_open_item_ibans_refuses_a_bare_string() -> None:
    with pytest.raises(InvalidValueError) as caught:
        item(ibans=IBAN)
    assert caught.value.field == "OpenItem.ibans"


def test_occurrence_must_not_be_negative() -> None:
    with pytest.raises(InvalidValueError) as caught:
        movement(occurrence=-1)
    assert caught.value.field == "Movement.occurrence"


@pytest.mark.parametrize("field", ["line", "column"])
def test_source_position_is_1_based(field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        SourcePosition(source="a.sta", **{field: 0})
    assert caught.value.field == f"SourcePosition.{field}"


# --- money ------------------------------------------------------------------------------------


def test_to_money_keeps_the_exact_decimal() -> None:
    amount = to_money("-12.50", "eur")
    assert amount == Money(Decimal("-12.50"), "EUR")
    assert type(amount.amount) is Decimal
    assert str(amount.amount) == "-12.50"
    assert to_money(7, "EUR").amount == Decimal(7)
    assert to_money(" 0.10 ", "USD") == Money(Decimal("0.1"), "USD")


@pytest.mark.parametrize("value", [0.1, 12.0, True, None, [1]])
def test_to_money_refuses_floats_and_other_non_decimals(value: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        to_money(value, "EUR")  # type: ignore[arg-type]
    assert caught.value.field == "amount"
    assert type(value).__name__ in caught.value.reason


@pytest.mark.parametrize("value", ["", "twelve", "1,50", "NaN", "Infinity", "-inf"])
def test_to_money_refuses_text_that_is_no_finite_decimal(value: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        to_money(value, "EUR", field="Movement.amount")
    assert caught.value.field == "Movement.amount"


def test_to_money_refuses_an_unknown_currency() -> None:
    with pytest.raises(InvalidValueError) as caught:
        to_money("1", "ABC", field="OpenItem.amount")
    assert caught.value.field == "OpenItem.amount.currency"


def test_money_in_different_currencies_does_not_add() -> None:
    with pytest.raises(TypeError):
        _ = eur("1.00") + Money(Decimal("1.00"), "USD")
    with pytest.raises(TypeError):
        _ = eur("1.00") - Money(Decimal("1.00"), "USD")


def test_money_of_one_currency_adds_and_sums() -> None:
    assert eur("1.10") + eur("2.20") == eur("3.30")
    assert sum([eur("1.10"), eur("2.20"), eur("-0.30")]) == eur("3.00")


def test_require_same_currency() -> None:
    require_same_currency("Allocation.amount", eur("1"), eur("2"))  # no error
    with pytest.raises(CurrencyMismatchError) as caught:
        require_same_currency("Allocation.amount", eur("1"), Money(Decimal("2.50"), "CHF"))
    assert caught.value.field == "Allocation.amount"
    assert caught.value.reason == "must be in EUR, got 2.50 CHF"
    assert isinstance(caught.value, InvalidValueError)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1E+2"), "100"),
        (Decimal("-0.50"), "-0.50"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("12"), "12"),
    ],
)
def test_decimal_text_never_uses_an_exponent(value: Decimal, text: str) -> None:
    assert decimal_text(value) == text


@given(money(st.sampled_from(["EUR", "USD", "JPY"]), min_value=None, max_value=None, places=4))
def test_money_round_trips_through_decimal_text(amount: Money) -> None:
    assert type(amount.amount) is Decimal
    text = decimal_text(amount.amount)
    assert "E" not in text.upper()
    assert to_money(text, amount.currency) == amount
    assert to_decimal(text) == amount.amount


@given(movements())
def test_generated_movements_carry_decimal_money(m: Movement) -> None:
    assert type(m.amount.amount) is Decimal
    assert m.currency == "EUR"


# --- accounts and source positions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("account", "key"),
    [
        (Account(kind=AccountKind.BANK, iban=IBAN_FORMATTED, currency="EUR"), IBAN),
        (
            Account(kind=AccountKind.PAYPAL, identifier="shop@example.com", currency="EUR"),
            "paypal:shop@example.com",
        ),
        (
            Account(kind=AccountKind.BANK, identifier="0532013000", currency="CHF"),
            "bank:0532013000",
        ),
        (
            Account(kind=AccountKind.MOLLIE, identifier="org_123", iban=IBAN, currency="EUR"),
            IBAN,
        ),
        (
            Account(kind=AccountKind.AMAZON_PAY, identifier="A1B2C3", currency="GBP"),
            "amazon_pay:A1B2C3",
        ),
    ],
)
def test_account_key(account: Account, key: str) -> None:
    assert account.key == key


@given(accounts())
def test_account_key_is_the_iban_or_kind_and_identifier(account: Account) -> None:
    if account.iban is not None:
        assert account.key == account.iban
    else:
        assert account.key == f"{account.kind.value}:{account.identifier}"


@pytest.mark.parametrize(
    ("position", "text"),
    [
        (SourcePosition(), "<data>"),
        (SourcePosition(source="statement.sta"), "statement.sta"),
        (SourcePosition(source="statement.sta", line=12), "statement.sta, line 12"),
        (SourcePosition(source="paypal.csv", line=3, column=7), "paypal.csv, line 3, column 7"),
        (
            SourcePosition(source="camt.xml", path="/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]"),
            "camt.xml, /Document/BkToCstmrStmt/Stmt[1]/Ntry[3]",
        ),
        (SourcePosition(line=4), "<data>, line 4"),
    ],
)
def test_source_position_text(position: SourcePosition, text: str) -> None:
    assert str(position) == text


# --- movement identity ------------------------------------------------------------------------


def expected_hash(*fields: str) -> str:
    """SHA-256 of the fields joined by the ASCII unit separator, first 16 hex digits."""
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()[:16]


def test_transaction_id_wins_over_bank_reference() -> None:
    m = movement(transaction_id="TX-1", bank_reference="REF-9")
    assert m.movement_id == f"{IBAN}:tx:TX-1"


def test_bank_reference_is_used_without_transaction_id() -> None:
    assert movement(bank_reference="REF-9").movement_id == f"{IBAN}:ref:REF-9"


@pytest.mark.parametrize("placeholder", ["NONREF", "nonref", "NotProvided", "NOTAVAILABLE", "NONE"])
def test_placeholder_bank_reference_is_ignored(placeholder: str) -> None:
    m = movement(bank_reference=placeholder)
    assert m.movement_id == movement().movement_id
    assert m.movement_id.startswith(f"{IBAN}:hash:")


def test_content_hash_of_a_fixed_movement() -> None:
    # The documented fields, in order: account, booking date, amount, currency,
    # counterparty IBAN and name, remittance information with blanks collapsed,
    # end-to-end id, occurrence.
    expected = expected_hash(
        IBAN,
        "2026-03-02",
        "119.95",
        "EUR",
        PAYER_IBAN,
        "Erika Mustermann",
        "RE-1001 Kundennr 4711",
        "E2E-1",
        "0",
    )
    assert movement().movement_id == f"{IBAN}:hash:{expected}"


def test_content_hash_with_absent_fields() -> None:
    m = Movement(
        account="paypal:shop@example.com",
        amount=Money(Decimal("-3.45"), "USD"),
        booking_date=dt.date(2026, 1, 31),
        booking_type=BookingType.FEE,
        occurrence=2,
    )
    expected = expected_hash(
        "paypal:shop@example.com", "2026-01-31", "-3.45", "USD", "", "", "", "", "2"
    )
    assert m.movement_id == f"paypal:shop@example.com:hash:{expected}"


@pytest.mark.parametrize(
    "changes",
    [
        {"internal_comment": "customer called, see ticket 12"},
        {"hidden": True},
        {"status": Status.PENDING},
        {"status": Status.CANCELLED},
        {"booking_type": BookingType.SEPA_DIRECT_DEBIT},
        {"remittance_info": "RE-1001 Kundennr 4711"},
        {"remittance_info": "RE-1001\nKundennr\t\t4711"},
    ],
)
def test_changes_that_keep_the_id(changes: dict[str, object]) -> None:
    assert movement(**changes).movement_id == movement().movement_id


@pytest.mark.parametrize(
    "changes",
    [
        {"occurrence": 1},
        {"account": OTHER_IBAN},
        {"booking_date": dt.date(2026, 3, 3)},
        {"amount": eur("119.96")},
        {"amount": eur("-119.95")},
        {"amount": Money(Decimal("119.95"), "CHF")},
        {"counterparty": Counterparty(name="Erika Mustermann", iban=OTHER_IBAN)},
        {"counterparty": Counterparty(name="Max Mustermann", iban=PAYER_IBAN)},
        {"remittance_info": "RE-1002 Kundennr 4711"},
        {"remittance_info": None},
        {"end_to_end_id": "E2E-2"},
    ],
)
def test_changes_that_change_the_id(changes: dict[str, object]) -> None:
    assert movement(**changes).movement_id != movement().movement_id


def test_equal_amounts_give_the_same_movement_id() -> None:
    short, long = movement(amount=eur("120")), movement(amount=eur("120.00"))
    assert short == long
    assert short.movement_id == long.movement_id


@given(movements())
def test_a_rebuilt_movement_has_the_same_id(m: Movement) -> None:
    copy = attrs.evolve(m)
    assert copy == m
    assert copy.movement_id == m.movement_id


@given(
    movements(),
    st.booleans(),
    st.none() | texts(),
    st.sampled_from(Status),
    st.sampled_from(BookingType),
)
def test_ledger_notes_and_derived_fields_never_change_the_id(
    m: Movement, hidden: bool, comment: str | None, status: Status, booking_type: BookingType
) -> None:
    changed = attrs.evolve(
        m, hidden=hidden, internal_comment=comment, status=status, booking_type=booking_type
    )
    assert changed.movement_id == m.movement_id


@given(movements(identified=False), st.integers(min_value=1, max_value=5))
def test_occurrence_always_changes_a_content_hash_id(m: Movement, occurrence: int) -> None:
    assert attrs.evolve(m, occurrence=occurrence).movement_id != m.movement_id


@given(movements(identified=True), st.integers(min_value=1, max_value=5))
def test_occurrence_does_not_change_a_transaction_id(m: Movement, occurrence: int) -> None:
    assert m.transaction_id is not None
    changed = attrs.evolve(m, occurrence=occurrence)
    assert changed.movement_id == m.movement_id == f"{m.account}:tx:{m.transaction_id}"


# --- number_occurrences -----------------------------------------------------------------------


def test_two_identical_payments_get_occurrence_0_and_1() -> None:
    first, second = number_occurrences([movement(), movement()])
    assert (first.occurrence, second.occurrence) == (0, 1)
    assert first.movement_id != second.movement_id
    assert first.movement_id == movement().movement_id
    assert second.movement_id == movement(occurrence=1).movement_id


def test_occurrences_count_per_content() -> None:
    a, b = movement(), movement(amount=eur("5.00"))
    numbered = number_occurrences([a, b, a, b, a])
    assert [m.occurrence for m in numbered] == [0, 0, 1, 1, 2]
    assert [m.amount for m in numbered] == [a.amount, b.amount] * 2 + [a.amount]


def test_ledger_notes_do_not_tell_identical_payments_apart() -> None:
    numbered = number_occurrences([movement(), movement(hidden=True, internal_comment="dup?")])
    assert [m.occurrence for m in numbered] == [0, 1]


def test_numbering_again_gives_the_same_ids() -> None:
    raw = [movement(), movement(amount=eur("5.00")), movement()]
    first = number_occurrences(raw)
    assert [m.movement_id for m in number_occurrences(raw)] == [m.movement_id for m in first]
    assert number_occurrences(first) == first
    assert isinstance(first, tuple)


def test_number_occurrences_of_nothing() -> None:
    assert number_occurrences([]) == ()


@given(
    st.lists(movements(IBAN, identified=False), min_size=1, max_size=6).flatmap(
        lambda distinct: st.lists(st.sampled_from(distinct), max_size=12)
    )
)
def test_ids_in_a_numbered_statement_are_unique(raw: list[Movement]) -> None:
    numbered = number_occurrences(raw)
    ids = [m.movement_id for m in numbered]
    assert len(set(ids)) == len(ids)
    assert ids == [m.movement_id for m in number_occurrences(raw)]
    # numbering keeps order and content
    assert [attrs.evolve(m, occurrence=0) for m in numbered] == raw


@given(statements())
def test_generated_statements_are_consistent(statement: Statement) -> None:
    for m in statement.movements:
        assert m.account == statement.account.key
        assert m.currency == statement.account.currency


# --- open items and cash discount -------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "item_date", "deadline"),
    [
        (10, dt.date(2026, 3, 1), dt.date(2026, 3, 11)),
        (10, dt.date(2026, 2, 20), dt.date(2026, 3, 2)),
        (14, dt.date(2028, 2, 20), dt.date(2028, 3, 5)),  # a leap year
        (0, dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
        (3, dt.date(2026, 12, 30), dt.date(2027, 1, 2)),
    ],
)
def test_cash_discount_deadline(days: int, item_date: dt.date, deadline: dt.date) -> None:
    assert CashDiscount(percent="2", days=days).deadline(item_date) == deadline


def test_open_item_defaults_and_currency() -> None:
    open_item = item(amount=Money(Decimal("0.00"), "CHF"))
    assert open_item.currency == "CHF"
    assert open_item.ibans == ()
    assert open_item.kind.value == "invoice"


@given(open_items(st.sampled_from(["EUR", "CHF"])))
def test_generated_open_items_are_valid(open_item: OpenItem) -> None:
    assert open_item.amount.amount >= 0
    assert open_item.currency in {"EUR", "CHF"}
    assert attrs.evolve(open_item) == open_item


# --- allocations ------------------------------------------------------------------------------


def test_allocation_id_of_a_fixed_allocation() -> None:
    # movement id, target type and fields, amount, currency, origin, time.
    expected = expected_hash(
        f"{IBAN}:tx:TX-1",
        "ItemTarget",
        "RE-1001",
        "119.95",
        "EUR",
        "automatic",
        "2026-03-02T12:00:00+00:00",
    )
    assert allocation().allocation_id == expected


def test_allocation_id_is_deterministic_and_ignores_evidence() -> None:
    evidence = (Evidence(rule="invoice_number", detail="RE-1001 in remittance info"),)
    assert allocation().allocation_id == allocation().allocation_id
    assert allocation(evidence=evidence).allocation_id == allocation().allocation_id


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": eur("100.00")},
        {"amount": Money(Decimal("119.95"), "CHF")},
        {"target": ItemTarget(number="RE-1002")},
        {"target": WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1001")},
        {"target": ChargebackTarget(payment="RE-1001")},
        {"made_at": NOON + dt.timedelta(seconds=1)},
        {"movement_id": f"{IBAN}:tx:TX-2"},
        {"origin": Origin.MANUAL},
    ],
)
def test_allocation_id_differs_when_the_decision_differs(changes: dict[str, object]) -> None:
    assert allocation(**changes).allocation_id != allocation().allocation_id


def test_write_offs_with_other_reasons_have_other_ids() -> None:
    ids = {
        allocation(target=WriteOff(reason=reason, item="RE-1001")).allocation_id
        for reason in WriteOffReason
    }
    assert len(ids) == len(WriteOffReason)


def test_equal_allocations_in_other_time_zones_have_the_same_id() -> None:
    berlin = dt.timezone(dt.timedelta(hours=1))
    same_instant = allocation(made_at=NOON.astimezone(berlin))
    assert same_instant == allocation()
    assert same_instant.allocation_id == allocation().allocation_id


def test_equal_allocation_amounts_have_the_same_id() -> None:
    short, long = allocation(amount=eur("120")), allocation(amount=eur("120.00"))
    assert short == long
    assert short.allocation_id == long.allocation_id


@given(aware_datetimes())
def test_allocation_accepts_any_aware_time(made_at: dt.datetime) -> None:
    assert allocation(made_at=made_at).made_at == made_at


@pytest.mark.parametrize(
    ("target", "uses_money", "touches", "text"),
    [
        (ItemTarget(number="RE-1001"), True, "RE-1001", "item RE-1001"),
        (ChargebackTarget(payment="TX-1"), True, None, "chargeback of TX-1"),
        (ChargebackTarget(), True, None, "chargeback"),
        (RefundTarget(end_to_end_id="E2E-9"), True, None, "refund E2E-9"),
        (
            WriteOff(reason=WriteOffReason.CASH_DISCOUNT, item="RE-1001"),
            False,
            "RE-1001",
            "write-off (cash_discount) on item RE-1001",
        ),
        (
            WriteOff(reason=WriteOffReason.FEE_DIFFERENCE, item="RE-1001"),
            False,
            "RE-1001",
            "write-off (fee_difference) on item RE-1001",
        ),
        (
            WriteOff(reason=WriteOffReason.SMALL_DIFFERENCE),
            True,
            None,
            "write-off (small_difference)",
        ),
    ],
)
def test_allocation_targets(
    target: object, uses_money: bool, touches: str | None, text: str
) -> None:
    assert target.uses_movement_money is uses_money  # type: ignore[attr-defined]
    assert target.item == touches  # type: ignore[attr-defined]
    assert str(target) == text


def test_evidence_weight_defaults_to_one_and_is_bounded() -> None:
    assert Evidence(rule="amount", detail="exact amount").weight == Decimal(1)
    assert Evidence(rule="iban", detail="other payer", weight="-1").weight == Decimal(-1)
