"""SEPA refunds (pain.001.001.09), validated against the ISO 20022 schema and read back."""

from __future__ import annotations

import datetime as dt
import importlib.resources
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from moneyed import Money

from paymatch.accounting.sepa_transfer import (
    PAIN_001_NAMESPACE,
    SepaTransferSettings,
    pain001_file,
    sepa_text,
)
from paymatch.errors import ExportError, InvalidValueError
from paymatch.ledger import Ledger, RefundInstruction
from paymatch.model import BookingType, Counterparty, ItemTarget, Movement, OpenItem, to_money

#: The ISO 20022 schema, as the sepaxml package ships it (a test-only dependency).
SCHEMA = etree.XMLSchema(
    etree.parse(str(importlib.resources.files("sepaxml") / "schemas" / "pain.001.001.09.xsd"))
)
NS = {"p": PAIN_001_NAMESPACE}
SETTINGS = SepaTransferSettings(
    debtor_name="Beispiel Shop GmbH", debtor_iban="DE89 3704 0044 0532 0130 00"
)
CREATED = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
EXECUTION = dt.date(2026, 4, 2)


def refund(
    n: int, amount: str = "20.00", currency: str = "EUR", **fields: object
) -> RefundInstruction:
    values: dict[str, object] = {
        "movement_id": f"m{n}",
        "amount": Money(amount, currency),
        "end_to_end_id": f"REFUND-{n}",
        "remittance_info": f"Refund of payment {n}",
        "creditor_name": "Anna Schmidt",
        "creditor_iban": "DE02120300000000202051",
    }
    values.update(fields)
    return RefundInstruction(**values)  # type: ignore[arg-type]


def document(
    instructions: list[RefundInstruction], sepa: SepaTransferSettings = SETTINGS
) -> etree._Element:
    file = pain001_file(
        instructions,
        sepa,
        message_id="MSG-2026-04-01",
        created_at=CREATED,
        execution_date=EXECUTION,
    )
    tree = etree.fromstring(file.data)
    SCHEMA.assertValid(tree)
    return tree


def test_a_refund_from_the_ledger_end_to_end() -> None:
    payment = Movement(
        account="DE89370400440532013000",
        amount=to_money("150.00", "EUR"),
        booking_date=dt.date(2026, 3, 5),
        booking_type=BookingType.INCOMING,
        counterparty=Counterparty(
            name="Jürgen Groß & Söhne", iban="DE02120300000000202051", bic="BYLADEM1001"
        ),
        remittance_info="RE-1001 <danke>",
        bank_reference="B1",
    )
    ledger = Ledger([payment], [OpenItem(number="RE-1001", amount=to_money("100.00", "EUR"))])
    at = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)
    ledger.assign(payment.movement_id, ItemTarget(number="RE-1001"), at=at)
    instruction = ledger.refund_rest(payment.movement_id, at=at)

    tree = document([instruction])

    assert tree.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "1"
    assert tree.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "50.00"
    assert tree.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm", namespaces=NS) == (
        "2026-04-01T09:30:00+02:00"
    )
    transfer = tree.find("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", namespaces=NS)
    assert transfer is not None
    assert transfer.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == instruction.end_to_end_id
    assert transfer.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "50.00"
    assert transfer.find("p:Amt/p:InstdAmt", namespaces=NS).get("Ccy") == "EUR"  # type: ignore[union-attr]
    assert transfer.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Juergen Gross + Soehne"
    assert transfer.findtext("p:CdtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == "BYLADEM1001"
    assert transfer.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == (
        "Refund of payment of 2026-03-05: RE-1001 danke"
    )
    payment_info = tree.find("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)
    assert (
        payment_info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "DE89370400440532013000"
    )  # type: ignore[union-attr]
    assert (
        payment_info.findtext("p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == "NOTPROVIDED"
    )  # type: ignore[union-attr]
    assert payment_info.findtext("p:ChrgBr", namespaces=NS) == "SLEV"  # type: ignore[union-attr]
    assert payment_info.findtext("p:ReqdExctnDt/p:Dt", namespaces=NS) == "2026-04-02"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("instructions", "message"),
    [
        (
            [refund(1, creditor_iban=None)],
            "refund REFUND-1 of movement m1: the payer's IBAN is unknown",
        ),
        ([refund(1, creditor_name=None)], "the payer's name is unknown"),
        ([refund(1, amount="0.005")], "amount 0.005 is not 0.01"),
        ([refund(1, amount="10.00"), refund(1)], "the end-to-end id appears twice"),
        ([refund(1, end_to_end_id="R" * 36)], "35 SEPA characters"),
        ([], "at least one refund"),
    ],
)
def test_what_sepa_cannot_carry_is_refused(
    instructions: list[RefundInstruction], message: str
) -> None:
    with pytest.raises(ExportError, match=message):
        document(instructions)


def test_other_currencies_and_bad_settings_are_refused() -> None:
    with pytest.raises(ExportError, match="SEPA transfers are in EUR, not USD"):
        document([refund(1, amount="5.00", currency="USD")])
    with pytest.raises(InvalidValueError, match=r"SepaTransferSettings\.debtor_iban"):
        SepaTransferSettings(debtor_name="Shop", debtor_iban="DE00123")


def test_sepa_text_transliterates_and_cuts() -> None:
    assert (
        sepa_text("Müller & Söhne \u2013 Straße \u2116 5 <b>", 70)
        == "Mueller + Soehne Strasse No 5 b"
    )
    assert sepa_text("é" * 80, 70) == "e" * 70
    assert sepa_text("😀", 70) == ""


names = st.text(min_size=1, max_size=90).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            names,
            names,
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_refunds_give_a_schema_valid_document_with_the_right_sums(
    rows: list[tuple[str, str, Decimal]],
) -> None:
    instructions = [
        refund(n, amount=str(amount), creditor_name=name, remittance_info=text)
        for n, (name, text, amount) in enumerate(rows)
        if sepa_text(name, 70)
    ]
    if not instructions:
        return
    tree = document(instructions)
    transfers = tree.findall(".//p:CdtTrfTxInf", namespaces=NS)
    assert len(transfers) == len(instructions)
    amounts = [Decimal(t.findtext("p:Amt/p:InstdAmt", namespaces=NS) or "") for t in transfers]
    assert amounts == [r.amount.amount for r in instructions]
    assert Decimal(tree.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) or "") == sum(amounts)
