"""The matching engine: what it assigns alone, what it only suggests, and what it leaves."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from paymatch.errors import InvalidValueError, OverAllocationError
from paymatch.ledger import Ledger
from paymatch.matching import MatchConfig, MatchStatus, match
from paymatch.model import (
    BookingType,
    CashDiscount,
    Counterparty,
    ItemTarget,
    Movement,
    OpenItem,
    Origin,
    Status,
    WriteOffReason,
    to_money,
)
from paymatch.wire import movement_to_json

BANK = "DE89370400440532013000"
PAYER = "DE02120300000000202051"
OTHER_PAYER = "DE75512108001245126199"
AS_OF = dt.date(2026, 3, 31)
AT = dt.datetime(2026, 3, 31, 18, 0, tzinfo=dt.UTC)
_count = iter(range(1, 10_000))


def paid(
    amount: str,
    text: str | None = None,
    *,
    iban: str | None = None,
    name: str | None = None,
    day: int = 10,
    **fields: object,
) -> Movement:
    fields.setdefault(
        "booking_type", BookingType.INCOMING if Decimal(amount) > 0 else BookingType.OUTGOING
    )
    fields.setdefault("bank_reference", f"B-{next(_count)}")
    return Movement(
        account=BANK,
        amount=to_money(amount, "EUR"),
        booking_date=dt.date(2026, 3, day),
        counterparty=Counterparty(name=name, iban=iban),
        remittance_info=text,
        **fields,  # type: ignore[arg-type]
    )


def item(number: str, amount: str, **fields: object) -> OpenItem:
    return OpenItem(number=number, amount=to_money(amount, "EUR"), **fields)  # type: ignore[arg-type]


def one(movement: Movement, items: list[OpenItem], **options: object):  # type: ignore[no-untyped-def]
    (result,) = match([movement], items, as_of=AS_OF, **options).results  # type: ignore[arg-type]
    return result


def allocated(result) -> dict[str, Decimal]:  # type: ignore[no-untyped-def]
    return {a.item: a.amount.amount for a in result.allocations}


# -- exact references and ids ----------------------------------------------------------------


def test_a_reference_and_the_exact_amount_are_assigned_with_their_evidence() -> None:
    result = one(paid("120.00", "Rechnung RE-1001"), [item("RE-1001", "120.00")])
    assert result.status is MatchStatus.ASSIGNED
    assert allocated(result) == {"RE-1001": Decimal("120.00")}
    assert result.allocations[0].rule == "reference"
    assert [e.rule for e in result.evidence] == ["reference", "amount.exact"]
    assert result.unassigned_amount.amount == 0
    assert result.confidence >= Decimal("0.9")
    assert result.reason is None


@pytest.mark.parametrize(
    "text",
    ["re 1001", "Re.1001", "Rechnung Nr. RE/1001", "Best.-Nr.:RE1001", "rechnung re-01001"],
)
def test_format_noise_around_a_reference_is_tolerated(text: str) -> None:
    result = one(paid("80.00", text), [item("RE-1001", "80.00")])
    assert allocated(result) == {"RE-1001": Decimal("80.00")}


def test_a_number_contained_in_a_longer_one_is_no_reference() -> None:
    result = one(paid("80.00", "Kundennummer 110015"), [item("1001", "80.00")])
    assert result.status is not MatchStatus.ASSIGNED
    assert "reference" not in [e.rule for e in result.evidence]


def test_the_invoice_number_finds_its_order() -> None:
    items = [item("AU-7", "55.00", invoice_number="RE-2026-0099")]
    result = one(paid("55.00", "RE-2026-0099"), items)
    assert allocated(result) == {"AU-7": Decimal("55.00")}


def test_a_reference_only_in_the_end_to_end_id_is_found() -> None:
    result = one(
        paid("55.00", "Danke", end_to_end_id="AU-2026-0042"), [item("AU-2026-0042", "55.00")]
    )
    assert allocated(result) == {"AU-2026-0042": Decimal("55.00")}


def test_a_structured_creditor_reference_pays_its_item() -> None:
    items = [item("RE-5", "10.00", payment_reference="RF18 5390 0754 7034")]
    result = one(paid("10.00", creditor_reference="RF18539007547034"), items)
    assert allocated(result) == {"RE-5": Decimal("10.00")}
    assert result.allocations[0].rule == "creditor_reference"


def test_a_provider_transaction_id_stored_with_the_order_pays_it() -> None:
    items = [item("AU-9", "49.90", transaction_id="PAYID-ABC")]
    result = one(paid("49.90", transaction_id="PAYID-ABC"), items)
    assert allocated(result) == {"AU-9": Decimal("49.90")}
    assert result.allocations[0].rule == "transaction_id"


def test_one_typo_is_accepted_only_when_the_amount_agrees() -> None:
    items = [item("RE-2026-4711", "99.00"), item("RE-2026-5000", "10.00")]
    typo = one(paid("99.00", "Rechnung RE-2026-4717"), items)
    assert allocated(typo) == {"RE-2026-4711": Decimal("99.00")}
    assert "reference.typo" in [e.rule for e in typo.evidence]
    other_amount = one(paid("50.00", "Rechnung RE-2026-4717"), items)
    assert other_amount.status is MatchStatus.SUGGESTED


# -- party and amount --------------------------------------------------------------------------


def test_a_known_iban_and_the_exact_amount_are_assigned() -> None:
    items = [item("AU-1", "70.00", customer_number="K1", ibans=(PAYER,)), item("AU-2", "70.00")]
    result = one(paid("70.00", "Ueberweisung", iban=PAYER), items)
    assert allocated(result) == {"AU-1": Decimal("70.00")}
    assert [e.rule for e in result.evidence] == ["iban", "amount.exact"]


def test_the_payers_name_in_another_spelling_and_the_amount_are_assigned() -> None:
    items = [
        item("AU-1", "70.00", customer_number="K1", customer_name="Jürgen Müller"),
        item("AU-2", "70.00", customer_number="K2", customer_name="Anna Weiß"),
    ]
    result = one(paid("70.00", "Danke", name="MUELLER, JUERGEN"), items)
    assert allocated(result) == {"AU-1": Decimal("70.00")}


def test_the_amount_alone_is_never_assigned() -> None:
    result = one(paid("70.00", "Danke"), [item("AU-1", "70.00")])
    assert result.status is MatchStatus.SUGGESTED
    assert [plan.items for plan in result.suggestions] == [("AU-1",)]
    assert result.allocations == ()


def test_the_same_amount_for_two_customers_is_ambiguous() -> None:
    items = [
        item("AU-1", "70.00", customer_number="K1"),
        item("AU-2", "70.00", customer_number="K2"),
    ]
    result = one(paid("70.00", "Danke"), items)
    assert result.status is MatchStatus.AMBIGUOUS
    assert "AU-1" in (result.reason or "")
    assert "AU-2" in (result.reason or "")


def test_two_equal_items_of_the_paying_customer_are_ambiguous() -> None:
    items = [
        item("AU-1", "70.00", customer_number="K1", ibans=(PAYER,)),
        item("AU-2", "70.00", customer_number="K1", ibans=(PAYER,)),
    ]
    result = one(paid("70.00", "Danke", iban=PAYER), items)
    assert result.status is MatchStatus.AMBIGUOUS
    assert {plan.items for plan in result.suggestions} == {("AU-1",), ("AU-2",)}


def test_a_quoted_invoice_wins_over_the_customers_other_equal_invoice() -> None:
    known = {"customer_number": "K1", "customer_name": "Anna Weiß", "ibans": (PAYER,)}
    items = [item("RE-1", "70.00", **known), item("RE-2", "70.00", **known)]
    result = one(paid("70.00", "Rechnung RE-2", iban=PAYER, name="Anna Weiss"), items)
    # IBAN and name support both invoices; only the reference tells them apart
    assert allocated(result) == {"RE-2": Decimal("70.00")}


def test_a_quoted_order_number_we_do_not_know_stops_a_weaker_match() -> None:
    items = [item("AU-2026-00017", "70.00", customer_number="K1", ibans=(PAYER,))]
    result = one(paid("70.00", "Bestellung AU-2026-99999", iban=PAYER), items)
    assert result.status is not MatchStatus.ASSIGNED
    assert "reference.unknown" in [e.rule for e in result.evidence]


def test_tied_names_are_rejected() -> None:
    items = [
        item("AU-1", "70.00", customer_number="K1", customer_name="Hans Müller"),
        item("AU-2", "80.00", customer_number="K2", customer_name="Müller, Hans"),
    ]
    result = one(paid("70.00", "Danke", name="Hans Mueller"), items)
    assert "name" not in [e.rule for e in result.evidence]
    assert result.status is MatchStatus.SUGGESTED


# -- how the money is spent --------------------------------------------------------------------


def test_a_combined_payment_of_referenced_items_pays_each() -> None:
    items = [item("RE-1", "30.00"), item("RE-2", "45.50")]
    result = one(paid("75.50", "RE-1 und RE-2"), items)
    assert allocated(result) == {"RE-1": Decimal("30.00"), "RE-2": Decimal("45.50")}


def test_a_combined_payment_without_references_is_found_among_the_customers_items() -> None:
    items = [
        item("AU-1", "30.00", customer_number="K1", ibans=(PAYER,)),
        item("AU-2", "45.50", customer_number="K1", ibans=(PAYER,)),
        item("AU-3", "99.00", customer_number="K1", ibans=(PAYER,)),
    ]
    result = one(paid("75.50", "Sammelzahlung", iban=PAYER), items)
    assert allocated(result) == {"AU-1": Decimal("30.00"), "AU-2": Decimal("45.50")}
    assert "amount.combined" in [e.rule for e in result.evidence]


def test_a_part_payment_with_a_reference_leaves_the_item_partly_open() -> None:
    ledger = Ledger([], [item("RE-1", "480.00")])
    movement = paid("200.00", "Anzahlung RE-1")
    ledger.add_movements([movement])
    report = match([movement], ledger.open_items, as_of=AS_OF, ledger=ledger)
    (result,) = report.results
    assert result.status is MatchStatus.ASSIGNED
    assert allocated(result) == {"RE-1": Decimal("200.00")}
    report.apply(ledger, at=AT)
    assert ledger.open_amount("RE-1").amount == Decimal("280.00")


def test_an_over_payment_leaves_the_rest_unassigned() -> None:
    result = one(paid("130.00", "RE-1"), [item("RE-1", "100.00")])
    assert result.status is MatchStatus.PARTIALLY_ASSIGNED
    assert allocated(result) == {"RE-1": Decimal("100.00")}
    assert result.unassigned_amount.amount == Decimal("30.00")


def test_a_cash_discount_within_the_terms_is_written_off() -> None:
    terms = CashDiscount(percent="2", days=10)
    items = [item("RE-1", "250.00", date=dt.date(2026, 3, 2), cash_discount=terms)]
    result = one(paid("245.00", "RE-1 abzgl. Skonto", day=10), items)
    assert allocated(result) == {"RE-1": Decimal("245.00")}
    assert [(w.item, w.amount.amount, w.reason) for w in result.write_offs] == [
        ("RE-1", Decimal("5.00"), WriteOffReason.CASH_DISCOUNT)
    ]
    late = one(paid("245.00", "RE-1 abzgl. Skonto", day=20), items)
    assert late.write_offs == ()  # past the terms: a part payment, not a discount
    assert allocated(late) == {"RE-1": Decimal("245.00")}


def test_a_small_fee_difference_is_written_off() -> None:
    result = one(paid("99.50", "RE-1"), [item("RE-1", "100.00")])
    assert [(w.amount.amount, w.reason) for w in result.write_offs] == [
        (Decimal("0.50"), WriteOffReason.FEE_DIFFERENCE)
    ]
    assert result.status is MatchStatus.ASSIGNED


def test_two_payments_never_fill_one_item_twice() -> None:
    items = [item("RE-1", "100.00")]
    report = match([paid("100.00", "RE-1"), paid("100.00", "RE-1")], items, as_of=AS_OF)
    first, second = report.results
    assert first.status is MatchStatus.ASSIGNED
    assert second.status is not MatchStatus.ASSIGNED
    assert second.allocations == ()
    assert [e.rule for e in second.evidence] == ["reference.paid"]
    assert "no longer open" in (second.reason or "")


def test_items_in_another_currency_are_not_candidates() -> None:
    items = [OpenItem(number="RE-1", amount=to_money("100.00", "CHF"))]
    result = one(paid("100.00", "RE-1"), items)
    assert result.allocations == ()


# -- movements that are not payments for open items ---------------------------------------------


@pytest.mark.parametrize(
    ("movement", "words"),
    [
        (paid("-50.00", "Lieferant"), "outgoing"),
        (paid("-7.50", "Gebuehr", booking_type=BookingType.FEE), "fee"),
        (paid("500.00", "Auszahlung", booking_type=BookingType.PAYOUT), "payout"),
        (paid("100.00", "RE-1", status=Status.PENDING), "pending"),
        (paid("100.00", "RE-1", hidden=True), "hidden"),
        (paid("100.00", "RE-1", day=31, booking_type=BookingType.INCOMING), None),
    ],
)
def test_movements_that_are_no_payments_are_not_applicable(
    movement: Movement, words: str | None
) -> None:
    result = one(movement, [item("RE-1", "100.00")])
    if words is None:  # booked on the as-of date itself: matched
        assert result.status is MatchStatus.ASSIGNED
        return
    assert result.status is MatchStatus.NOT_APPLICABLE
    assert words in (result.reason or "")
    assert result.allocations == ()


def test_a_movement_booked_after_the_as_of_date_is_left_alone() -> None:
    (result,) = match(
        [paid("100.00", "RE-1", day=31)], [item("RE-1", "100.00")], as_of=dt.date(2026, 3, 30)
    ).results
    assert result.status is MatchStatus.NOT_APPLICABLE


def test_a_chargeback_is_linked_to_the_payment_it_takes_back() -> None:
    collected = paid(
        "60.00",
        "RE-1",
        end_to_end_id="DD-1",
        mandate_id="M-1",
        booking_type=BookingType.SEPA_DIRECT_DEBIT,
    )
    returned = paid(
        "-60.00",
        "Ruecklastschrift",
        end_to_end_id="DD-1",
        mandate_id="M-1",
        booking_type=BookingType.CHARGEBACK,
        reversal=True,
    )
    report = match([collected, returned], [item("RE-1", "60.00")], as_of=AS_OF)
    first, second = report.results
    assert first.status is MatchStatus.ASSIGNED
    assert second.status is MatchStatus.NOT_APPLICABLE
    assert second.related_movement == collected.movement_id
    assert [e.rule for e in second.evidence] == ["related.end_to_end_id"]


def test_a_provider_fee_is_linked_by_its_reference_transaction_id() -> None:
    payment = paid("100.00", "RE-1", transaction_id="TX-1")
    fee = paid("-2.00", "fee", booking_type=BookingType.FEE, reference_transaction_id="TX-1")
    report = match([payment, fee], [item("RE-1", "100.00")], as_of=AS_OF)
    assert report.results[1].related_movement == payment.movement_id


# -- the report, determinism and the ledger ------------------------------------------------------


def test_every_movement_appears_once_in_input_order_and_the_json_is_contract_3() -> None:
    movements = [paid("-5.00", "x"), paid("120.00", "RE-1"), paid("3.00", "nothing")]
    report = match(movements, [item("RE-1", "120.00")], as_of=AS_OF)
    document = report.to_json()
    results = document["results"]
    assert isinstance(results, list)
    assert [r["movement"] for r in results] == [movement_to_json(m) for m in movements]
    for entry in results:
        assert set(entry) >= {
            "movement",
            "status",
            "allocations",
            "write_offs",
            "unassigned_amount",
            "confidence",
            "evidence",
            "suggestions",
            "related_movement",
        }
    assert [r["status"] for r in results] == ["not_applicable", "assigned", "unmatched"]
    assert results[1]["allocations"] == [
        {"item": "RE-1", "amount": "120.00", "currency": "EUR", "rule": "reference"}
    ]
    summary = document["summary"]
    assert isinstance(summary, dict)
    assert summary["movements"] == 3
    assert summary["statuses"]["assigned"] == 1  # type: ignore[index]


def test_the_same_inputs_give_the_same_report() -> None:
    movements = [paid("70.00", "Danke", iban=PAYER), paid("120.00", "RE-1")]
    items = [item("RE-1", "120.00"), item("AU-1", "70.00", customer_number="K", ibans=(PAYER,))]
    assert match(movements, items, as_of=AS_OF) == match(movements, items, as_of=AS_OF)


def test_as_of_must_be_a_date() -> None:
    with pytest.raises(InvalidValueError, match="as_of"):
        match([], [], as_of=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))


def test_running_twice_with_the_ledger_assigns_nothing_twice() -> None:
    movement = paid("120.00", "RE-1")
    ledger = Ledger([movement], [item("RE-1", "120.00")])
    first = match([movement], ledger.open_items, as_of=AS_OF, ledger=ledger)
    booked = first.apply(ledger, at=AT)
    assert [(a.origin, a.amount.amount) for a in booked] == [(Origin.AUTOMATIC, Decimal("120.00"))]
    second = match([movement], ledger.open_items, as_of=AS_OF, ledger=ledger)
    assert second.results[0].status is MatchStatus.NOT_APPLICABLE
    assert second.apply(ledger, at=AT) == ()


def test_apply_is_all_or_nothing_when_the_ledger_changed_since_matching() -> None:
    first, second, cash = paid("120.00", "RE-1"), paid("80.00", "RE-2"), paid("80.00", "cash")
    ledger = Ledger([first, second, cash], [item("RE-1", "120.00"), item("RE-2", "80.00")])
    report = match([first, second], ledger.open_items, as_of=AS_OF, ledger=ledger)
    assert [r.status for r in report.results] == [MatchStatus.ASSIGNED, MatchStatus.ASSIGNED]
    ledger.assign(cash.movement_id, ItemTarget(number="RE-2"), at=AT)  # by hand, meanwhile
    with pytest.raises(OverAllocationError):
        report.apply(ledger, at=AT)  # RE-1 was booked first, then RE-2 refused: RE-1 undone
    assert [a.origin for a in ledger.allocations] == [Origin.MANUAL]
    assert ledger.open_amount("RE-1").amount == Decimal("120.00")


def test_manual_work_is_never_touched_and_teaches_the_payer() -> None:
    earlier = paid("10.00", "Anzahlung", iban=OTHER_PAYER)
    items = [
        item("AU-1", "10.00", customer_number="K1"),
        item("AU-2", "35.00", customer_number="K1"),
    ]
    ledger = Ledger([earlier], items)
    ledger.assign(earlier.movement_id, ItemTarget(number="AU-1"), at=AT)  # by hand
    later = paid("35.00", "Rest", iban=OTHER_PAYER)
    ledger.add_movements([later])
    report = match([earlier, later], ledger.open_items, as_of=AS_OF, ledger=ledger)
    untouched, learned = report.results
    assert untouched.status is MatchStatus.NOT_APPLICABLE
    assert "manual" in (untouched.reason or "")
    assert allocated(learned) == {"AU-2": Decimal("35.00")}
    assert "payer" in [e.rule for e in learned.evidence]


def test_the_configuration_moves_the_threshold() -> None:
    strict = MatchConfig.from_toml("threshold = 0.999")
    result = one(paid("120.00", "RE-1"), [item("RE-1", "120.00")], config=strict)
    assert result.status is MatchStatus.SUGGESTED


# -- quality on the labelled test bed -----------------------------------------------------------


def test_the_labelled_test_bed_meets_the_quality_targets() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from match_cases import AS_OF as BED_AS_OF
    from match_cases import evaluate, generate

    from paymatch import parse
    from paymatch.matching import read_open_items

    bed = generate(cases_per_kind=8, seed=7, background=300)
    items = read_open_items(bed.open_items_csv)
    movements = [m for s in parse(bed.statement).statements for m in s.movements]
    scores = evaluate(list(match(movements, items, as_of=BED_AS_OF).results), bed.cases)
    problems = {
        kind: (s.wrong, s.missed, s.other_errors)
        for kind, s in scores.items()
        if s.wrong or s.missed or s.other_errors
    }
    assert problems == {}
    assert sum(s.assigned for k, s in scores.items() if k.startswith("decoy")) == 0
