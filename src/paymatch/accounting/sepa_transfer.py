"""SEPA credit transfers (pain.001.001.09) for "refund the remaining amount".

Implements ISO 20022 ``CustomerCreditTransferInitiationV09`` (message
pain.001.001.09) as the EPC's SEPA Credit Transfer implementation guidelines
and the German DK "Anlage 3" use it: one group header, one payment
information block (``PmtMtd`` TRF, service level SEPA, charges ``SLEV``), one
``CdtTrfTxInf`` per :class:`~paymatch.ledger.RefundInstruction` the ledger made
(``Ledger.refund_rest``), with its end-to-end id, amount in EUR, the payer's
name, IBAN and BIC where known, and the unstructured remittance information.

Texts are converted to the SEPA character set (EPC guidelines, section 1.4:
``a-z A-Z 0-9 / - ? : ( ) . , ' +`` and space): German umlauts and ß are
transliterated (``ä`` -> ``ae``, ``ß`` -> ``ss``), other accented letters lose
their accent, ``&`` becomes ``+``, anything else a blank; then blanks are
collapsed and the text cut to the schema's length (names 70, remittance 140,
ids 35).

>>> import datetime as dt
>>> from moneyed import Money
>>> from paymatch.ledger import RefundInstruction
>>> refund = RefundInstruction(movement_id="m1", amount=Money("20.00", "EUR"),
...     end_to_end_id="REFUND-1", remittance_info="Erstattung Überzahlung RE-1001",
...     creditor_name="Jürgen Müller & Söhne", creditor_iban="DE02120300000000202051")
>>> settings = SepaTransferSettings(debtor_name="Beispiel Shop GmbH",
...                                 debtor_iban="DE89370400440532013000")
>>> file = pain001_file([refund], settings, message_id="MSG-1",
...     created_at=dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC),
...     execution_date=dt.date(2026, 4, 2))
>>> file.name, file.booking_ids
('pain.001.001.09_MSG-1.xml', ('REFUND-1',))
>>> b"<Nm>Juergen Mueller + Soehne</Nm>" in file.data
True
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, BinaryIO

import attrs
from lxml import etree

from paymatch.accounting.files import ExportFile
from paymatch.errors import ExportError, InvalidValueError
from paymatch.ledger import RefundInstruction
from paymatch.model import _checks
from paymatch.model.identifiers import compact_bic, compact_iban

__all__ = ["PAIN_001_NAMESPACE", "SepaTransferSettings", "pain001_file", "write_pain001"]

PAIN_001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
_NOT_SEPA = re.compile(r"[^a-zA-Z0-9/\-?:().,'+ ]")
_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "&": "+"}
)
_LARGEST = Decimal("999999999.99")


def sepa_text(text: str, limit: int) -> str:
    """``text`` in the SEPA character set, blanks collapsed, at most ``limit`` characters."""
    text = unicodedata.normalize("NFKD", text.translate(_GERMAN))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NOT_SEPA.sub(" ", text).split())[:limit].strip()


def _debtor_iban(value: str) -> str:
    return compact_iban(value, field="SepaTransferSettings.debtor_iban")


def _debtor_bic(value: str | None) -> str | None:
    return None if value is None else compact_bic(value, field="SepaTransferSettings.debtor_bic")


@attrs.frozen(kw_only=True)
class SepaTransferSettings:
    """The business's own account the refunds are paid from, and who sends the order.

    ``debtor_iban`` is validated and kept compact; without ``debtor_bic`` the
    debtor agent is ``NOTPROVIDED`` (SEPA needs no BIC within the EEA).
    ``initiating_party`` defaults to ``debtor_name``; ``batch_booking`` asks
    the bank for one booking of the whole batch.
    """

    debtor_name: str = attrs.field(validator=_checks.text)
    debtor_iban: str = attrs.field(converter=_debtor_iban)
    debtor_bic: str | None = attrs.field(default=None, converter=_debtor_bic)
    initiating_party: str | None = attrs.field(default=None, validator=_checks.optional_text)
    batch_booking: bool = attrs.field(default=True, validator=_checks.of_type(bool))


def _checked(instructions: Sequence[RefundInstruction]) -> Decimal:
    """Refuse what a SEPA transfer cannot carry; return the control sum."""
    if not instructions:
        raise ExportError("a pain.001 needs at least one refund")
    seen: set[str] = set()
    total = Decimal(0)
    for refund in instructions:
        where = f"refund {refund.end_to_end_id} of movement {refund.movement_id}"
        if refund.end_to_end_id in seen:
            raise ExportError(f"{where}: the end-to-end id appears twice in the batch")
        seen.add(refund.end_to_end_id)
        if refund.creditor_iban is None:
            raise ExportError(f"{where}: the payer's IBAN is unknown; a person must supply it")
        if not refund.creditor_name or not sepa_text(refund.creditor_name, 70):
            raise ExportError(f"{where}: the payer's name is unknown; a person must supply it")
        amount = refund.amount.amount
        if refund.amount.currency.code != "EUR":
            raise ExportError(f"{where}: SEPA transfers are in EUR, not {refund.amount.currency}")
        if amount != amount.quantize(Decimal("0.01")) or not 0 < amount <= _LARGEST:
            raise ExportError(f"{where}: amount {amount} is not 0.01 to {_LARGEST} in cents")
        if (
            len(refund.end_to_end_id) > 35
            or sepa_text(refund.end_to_end_id, 35) != refund.end_to_end_id
        ):
            raise ExportError(f"{where}: the end-to-end id must be 35 SEPA characters")
        total += amount
    return total


def write_pain001(
    instructions: Sequence[RefundInstruction],
    stream: BinaryIO,
    settings: SepaTransferSettings,
    *,
    message_id: str,
    created_at: dt.datetime,
    execution_date: dt.date,
) -> None:
    """Write one pain.001.001.09 document paying every refund of ``instructions``."""
    if created_at.utcoffset() is None:
        raise InvalidValueError("created_at", "must carry a time zone")
    if not message_id or sepa_text(message_id, 35) != message_id:
        raise InvalidValueError(
            "message_id", f"must be 1 to 35 SEPA characters, got {message_id!r}"
        )
    total = _checked(instructions)
    count = str(len(instructions))
    control_sum = f"{total:.2f}"
    # the default namespace has the key None, which lxml takes and its stubs do not know
    namespaces: Any = {None: PAIN_001_NAMESPACE}
    document = etree.Element(f"{{{PAIN_001_NAMESPACE}}}Document", nsmap=namespaces)
    initiation = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created_at.isoformat(timespec="seconds"))
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", control_sum)
    _sub(
        _sub(header, "InitgPty"),
        "Nm",
        sepa_text(settings.initiating_party or settings.debtor_name, 70),
    )
    payment = _sub(initiation, "PmtInf")
    _sub(payment, "PmtInfId", message_id)
    _sub(payment, "PmtMtd", "TRF")
    _sub(payment, "BtchBookg", "true" if settings.batch_booking else "false")
    _sub(payment, "NbOfTxs", count)
    _sub(payment, "CtrlSum", control_sum)
    _sub(_sub(_sub(payment, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
    _sub(_sub(payment, "ReqdExctnDt"), "Dt", execution_date.isoformat())
    _sub(_sub(payment, "Dbtr"), "Nm", sepa_text(settings.debtor_name, 70))
    _sub(_sub(_sub(payment, "DbtrAcct"), "Id"), "IBAN", settings.debtor_iban)
    _agent(_sub(payment, "DbtrAgt"), settings.debtor_bic)
    _sub(payment, "ChrgBr", "SLEV")
    for refund in instructions:
        transfer = _sub(payment, "CdtTrfTxInf")
        _sub(_sub(transfer, "PmtId"), "EndToEndId", refund.end_to_end_id)
        amount = _sub(_sub(transfer, "Amt"), "InstdAmt", f"{refund.amount.amount:.2f}")
        amount.set("Ccy", "EUR")
        if refund.creditor_bic:
            _agent(_sub(transfer, "CdtrAgt"), refund.creditor_bic)
        _sub(_sub(transfer, "Cdtr"), "Nm", sepa_text(refund.creditor_name or "", 70))
        assert refund.creditor_iban is not None  # checked above
        _sub(_sub(_sub(transfer, "CdtrAcct"), "Id"), "IBAN", refund.creditor_iban)
        remittance = sepa_text(refund.remittance_info, 140)
        if remittance:
            _sub(_sub(transfer, "RmtInf"), "Ustrd", remittance)
    stream.write(
        etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    )


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{PAIN_001_NAMESPACE}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _agent(parent: etree._Element, bic: str | None) -> None:
    institution = _sub(parent, "FinInstnId")
    if bic:
        _sub(institution, "BICFI", bic)
    else:
        _sub(_sub(institution, "Othr"), "Id", "NOTPROVIDED")


def pain001_file(
    instructions: Sequence[RefundInstruction],
    settings: SepaTransferSettings,
    *,
    message_id: str,
    created_at: dt.datetime,
    execution_date: dt.date,
) -> ExportFile:
    """The pain.001 file ``pain.001.001.09_<message id>.xml``.

    Its ``booking_ids`` are the refunds' end-to-end ids, so the caller can
    record them as sent together with the file, as for bookings.
    """
    stream = io.BytesIO()
    write_pain001(
        instructions,
        stream,
        settings,
        message_id=message_id,
        created_at=created_at,
        execution_date=execution_date,
    )
    return ExportFile(
        name=f"pain.001.001.09_{message_id}.xml",
        data=stream.getvalue(),
        booking_ids=tuple(refund.end_to_end_id for refund in instructions),
    )
