"""A labelled test bed for the matching engine: open items, a CAMT.053 and the truth.

``generate(cases_per_kind, seed)`` builds customers with open orders and
invoices, and one bank statement (camt.053.001.08) whose entries each belong to
a *case kind* — a situation the engine meets in real accounts — with what the
right answer is:

* should be assigned automatically (``expected``: item -> amount, and the
  write-offs), e.g. an exact reference, a reference with noise, IBAN + amount;
* designed to be ambiguous (``ambiguous``): no automatic assignment is right,
  e.g. the same amount open for two customers and nothing else to go by;
* not a payment for open items (``not_applicable``), with the payment a
  chargeback belongs to (``related``).

The background customers' items share amounts with the cases, so amount-only
look-alikes exist everywhere, as in a real shop. Used by
``benchmarks/match_quality.py`` and, at a small size, by the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from schwifty import IBAN

from paymatch.matching.names import normalise_name

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
OUR_IBAN = "DE89370400440532013000"
BOOKED = dt.date(2026, 3, 10)
AS_OF = dt.date(2026, 3, 31)
FIRST = [
    "Hans",
    "Anna",
    "Jürgen",
    "Sören",
    "Özlem",
    "Marie",
    "Lukas",
    "Sophie",
    "Jonas",
    "Lea",
    "Felix",
    "Mia",
    "Paul",
    "Emma",
    "Ben",
    "Hannah",
    "Elias",
    "Lina",
    "Noah",
    "Clara",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weiß",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
]
TRADES = ["Bau", "Elektro", "Holz", "Metall", "Garten", "Druck", "Reisen", "Technik", "Handel"]
FORMS = ["GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "UG (haftungsbeschränkt)"]


@dataclass
class Case:
    """One bank entry and the right answer for it."""

    kind: str
    reference: str  # the entry's AcctSvcrRef: the movement's bank_reference after parsing
    expected: dict[str, Decimal] = field(default_factory=dict)  # item -> money assigned
    write_offs: dict[str, Decimal] = field(default_factory=dict)  # item -> amount written off
    ambiguous: bool = False
    not_applicable: bool = False
    related: str | None = None  # reference of the payment a chargeback belongs to


@dataclass
class Customer:
    number: str
    name: str
    iban: str
    ibans_known: bool  # whether the ERP knows the IBAN (items carry it)


@dataclass
class TestBed:
    """The generated open items (contract-2 CSV), statement and truth."""

    open_items_csv: bytes
    statement: bytes
    cases: list[Case]


@dataclass
class _Entry:
    reference: str
    amount: Decimal  # signed
    family: tuple[str, str, str]  # domain, family, sub-family
    name: str | None = None
    iban: str | None = None
    lines: tuple[str, ...] = ()
    end_to_end_id: str | None = None
    creditor_reference: str | None = None
    mandate_id: str | None = None


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.items: list[dict[str, str]] = []
        self.entries: list[_Entry] = []
        self.cases: list[Case] = []
        self.customers: list[Customer] = []
        self.names_used: set[str] = set()
        self.sequence = 0

    # -- people and items -----------------------------------------------------------

    def _next(self) -> int:
        self.sequence += 1
        return self.sequence

    def _name(self) -> str:
        """A person or a company; two customers never share a name once legal forms are gone."""
        while True:
            if self.rng.random() < 0.3:
                key = f"{self.rng.choice(LAST)} {self.rng.choice(TRADES)}"
                name = f"{key} {self.rng.choice(FORMS)}"
            elif self.rng.random() < 0.5:
                key = name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            else:  # a double name: enough people for a hundred thousand customers
                last = "-".join(self.rng.sample(LAST, 2))
                key = name = f"{self.rng.choice(FIRST)} {last}"
            key = normalise_name(key)  # "Anna Koch-Wolf" and "Anna Wolf-Koch" are one name
            if key not in self.names_used:
                self.names_used.add(key)
                return name

    def customer(self, *, ibans_known: bool = True) -> Customer:
        n = self._next()
        iban = str(IBAN.generate("DE", bank_code="50010517", account_code=f"{n:010d}"))
        customer = Customer(f"K{n:05d}", self._name(), iban, ibans_known)
        self.customers.append(customer)
        return customer

    def amount(self) -> Decimal:
        """Amounts from a small set, so look-alikes of every amount exist."""
        return Decimal(self.rng.randrange(1000, 40000, 50)) / 100

    def item(
        self,
        customer: Customer,
        amount: Decimal | None = None,
        *,
        skonto: bool = False,
        payment_reference: str | None = None,
    ) -> dict[str, str]:
        n = self._next()
        row = {
            "number": f"AU-2026-{n:05d}",
            "invoice_number": f"RE-2026-{n:05d}",
            "customer_number": customer.number,
            "customer_name": customer.name,
            "amount": str(amount if amount is not None else self.amount()),
            "currency": "EUR",
            "date": "2026-03-02",
            "due_date": "2026-03-16",
            "iban": customer.iban if customer.ibans_known else "",
            "payment_reference": payment_reference or "",
            "transaction_id": "",
            "skonto_percent": "2" if skonto else "",
        }
        self.items.append(row)
        return row

    # -- entries --------------------------------------------------------------------

    def entry(self, kind: str, amount: Decimal, **fields: object) -> Case:
        reference = f"BANK-{self._next():07d}"
        family = fields.pop("family", ("PMNT", "RCDT", "ESCT"))
        self.entries.append(_Entry(reference, amount, family, **fields))  # type: ignore[arg-type]
        case = Case(kind, reference)
        self.cases.append(case)
        return case

    def payment(
        self, kind: str, payer: Customer, amount: Decimal, *lines: str, **fields: object
    ) -> Case:
        return self.entry(kind, amount, name=payer.name, iban=payer.iban, lines=lines, **fields)


def _noisy(number: str, rng: random.Random) -> str:
    """An order or invoice number as customers write it."""
    prefix, year, digits = number.split("-")
    forms = [
        f"{prefix} {year} {digits}",
        f"{prefix.lower()}{year}/{digits}",
        f"{prefix}.{year}.{digits}",
        f"Best.-Nr.:{prefix}{year}{digits}",
        f"Re. {prefix}-{year}-{digits}",
        f"{prefix}-{year}-{int(digits)}",
    ]
    return rng.choice(forms)


def _typo(number: str, rng: random.Random) -> str:
    """One character wrong in the year (every number here is of 2026, so it names no other)."""
    prefix, year, digits = number.split("-")
    if rng.random() < 0.5:
        wrong = year[:2] + year[3] + year[2]  # two neighbours swapped: 2026 -> 2062
    else:
        wrong = year[:3] + rng.choice("01345789")  # one digit wrong: 2026 -> 2021
    return f"{prefix}-{wrong}-{digits}"


def _payer_name(name: str, rng: random.Random) -> str:
    """The customer's name as a bank shows the payer: other order, no umlauts, upper case."""
    if " GmbH" in name or " AG" in name or " KG" in name or " e.K." in name or " UG" in name:
        base = name.split(" GmbH")[0].split(" AG")[0].split(" KG")[0].split(" e.K.")[0]
        base = base.split(" UG")[0]
        return rng.choice([base.upper(), base, f"{base} GMBH"])
    first, last = name.split(" ", 1)
    folded = last.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")
    return rng.choice([f"{last}, {first}", f"{first.upper()} {folded.upper()}", name])


# -- case kinds ------------------------------------------------------------------------


def _exact_reference(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.payment("exact reference", c, amount, f"Bestellung {row['number']}").expected = {
        row["number"]: amount
    }


def _invoice_number(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.payment("invoice number", c, amount, f"Rechnung {row['invoice_number']}").expected = {
        row["number"]: amount
    }


def _reference_noise(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    text = _noisy(row[b.rng.choice(["number", "invoice_number"])], b.rng)
    b.payment("reference with noise", c, amount, f"Zahlung {text}").expected = {
        row["number"]: amount
    }


def _split_reference(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    number = row["invoice_number"]
    lines = (f"Rechnung {number[:8]}", f"{number[8:]} vielen Dank")
    b.payment("reference split over lines", c, amount, *lines).expected = {row["number"]: amount}


def _typo_case(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.payment(
        "one-character typo", c, amount, f"Rechnung {_typo(row['invoice_number'], b.rng)}"
    ).expected = {row["number"]: amount}


def _end_to_end(b: _Builder) -> None:
    c = b.customer(ibans_known=False)
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.entry(
        "reference only in end-to-end id",
        amount,
        name="Online Shop Kunde",
        lines=("Danke",),
        end_to_end_id=row["number"],
    ).expected = {row["number"]: amount}


def _rf(b: _Builder) -> None:
    from stdnum import iso11649

    c = b.customer(ibans_known=False)
    body = f"{b._next():012d}"
    reference = iso11649.format(_rf_of(body))
    row = b.item(c, payment_reference=reference)
    amount = Decimal(row["amount"])
    b.entry(
        "RF creditor reference",
        amount,
        name=_payer_name(c.name, b.rng),
        creditor_reference=reference.replace(" ", ""),
    ).expected = {row["number"]: amount}


def _rf_of(body: str) -> str:
    """An ISO 11649 reference for ``body`` (check digits: mod 97 of body + 'RF00')."""
    numeric = "".join(str(int(ch, 36)) for ch in body + "RF00")
    check = 98 - int(numeric) % 97
    return f"RF{check:02d}{body}"


def _payer_differs(b: _Builder) -> None:
    c = b.customer()
    payer = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.payment(
        "payer differs from customer", payer, amount, f"fuer {c.name} {row['invoice_number']}"
    ).expected = {row["number"]: amount}


def _name_amount(b: _Builder) -> None:
    c = b.customer(ibans_known=False)
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.entry(
        "name + amount",
        amount,
        name=_payer_name(c.name, b.rng),
        iban=c.iban,
        lines=("Danke fuer die Lieferung",),
    ).expected = {row["number"]: amount}


def _iban_amount(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.entry(
        "IBAN + amount", amount, name="Konto Inhaber", iban=c.iban, lines=("Ueberweisung",)
    ).expected = {row["number"]: amount}


def _combined_refs(b: _Builder) -> None:
    c = b.customer()
    one, two = b.item(c), b.item(c)
    a1, a2 = Decimal(one["amount"]), Decimal(two["amount"])
    b.payment(
        "combined with references",
        c,
        a1 + a2,
        f"RE {one['invoice_number']} und {two['invoice_number']}",
    ).expected = {one["number"]: a1, two["number"]: a2}


def _combined_no_refs(b: _Builder) -> None:
    c = b.customer()
    one, two = b.item(c), b.item(c)
    third = b.item(c, Decimal(one["amount"]) + Decimal(two["amount"]) + Decimal("17.30"))
    del third
    a1, a2 = Decimal(one["amount"]), Decimal(two["amount"])
    b.payment("combined without references", c, a1 + a2, "Sammelzahlung").expected = {
        one["number"]: a1,
        two["number"]: a2,
    }


def _partial(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c, Decimal("480.00"))
    b.payment("partial payment", c, Decimal("200.00"), f"Anzahlung {row['number']}").expected = {
        row["number"]: Decimal("200.00")
    }


def _over(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.payment("over-payment", c, amount + Decimal("25.00"), f"{row['invoice_number']}").expected = {
        row["number"]: amount
    }


def _cash_discount(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c, Decimal("250.00"), skonto=True)
    case = b.payment(
        "cash discount", c, Decimal("245.00"), f"{row['invoice_number']} abzgl. 2% Skonto"
    )
    case.expected = {row["number"]: Decimal("245.00")}
    case.write_offs = {row["number"]: Decimal("5.00")}


def _two_customers_same_amount(b: _Builder) -> None:
    amount = b.amount()
    b.item(b.customer(), amount)
    b.item(b.customer(), amount)
    stranger = Customer(
        "-",
        "Fremde Person",
        str(IBAN.generate("DE", bank_code="10010010", account_code=f"{b._next():010d}")),
        False,
    )
    b.payment("decoy: same amount, two customers", stranger, amount, "Zahlung").ambiguous = True


def _same_customer_equal_items(b: _Builder) -> None:
    c = b.customer()
    amount = b.amount()
    b.item(c, amount)
    b.item(c, amount)
    b.payment("decoy: one customer, two equal items", c, amount, "Zahlung").ambiguous = True


def _unknown_reference(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    b.payment(
        "decoy: unknown order number", c, amount, f"Bestellung AU-2026-9{b._next() % 10000:04d}"
    ).ambiguous = True


def _similar_name(b: _Builder) -> None:
    """Another person of the customer's family name pays the customer's amount: no IBAN known."""
    c = b.customer(ibans_known=False)
    row = b.item(c)
    first, _, last = c.name.partition(" ")
    if not last or " GmbH" in c.name or c.name.endswith((" AG", " KG", " e.K.")):
        last = c.name.split(" ")[0]
    other = next(f for f in FIRST if f != first)
    stranger = Customer("-", f"{other} {last}", c.iban.replace("5001", "1001", 1), False)
    b.entry(
        "decoy: similar name, another person",
        Decimal(row["amount"]),
        name=stranger.name,
        lines=("Danke",),
    ).ambiguous = True


def _paid_reference(b: _Builder) -> None:
    """The customer quotes an invoice paid earlier in the statement; another is open for it."""
    c = b.customer()
    paid_row = b.item(c)
    amount = Decimal(paid_row["amount"])
    b.item(c, amount)  # the same amount still open on another invoice
    b.payment("paid first", c, amount, f"Rechnung {paid_row['invoice_number']}").expected = {
        paid_row["number"]: amount
    }
    b.payment(
        "decoy: quotes an invoice already paid", c, amount, f"Rechnung {paid_row['invoice_number']}"
    ).ambiguous = True


def _outgoing(b: _Builder) -> None:
    b.entry(
        "outgoing",
        -b.amount(),
        family=("PMNT", "ICDT", "ESCT"),
        name="Lieferant GmbH",
        lines=("Rechnung L-778",),
    ).not_applicable = True


def _fee(b: _Builder) -> None:
    b.entry(
        "bank fee", Decimal("-7.50"), family=("ACMT", "MDOP", "CHRG"), lines=("Kontofuehrung",)
    ).not_applicable = True


def _chargeback(b: _Builder) -> None:
    c = b.customer()
    row = b.item(c)
    amount = Decimal(row["amount"])
    e2e = f"DD-{b._next()}"
    mandate = f"MAND-{c.number}"
    collected = b.payment(
        "direct debit collected",
        c,
        amount,
        f"Lastschrift {row['number']}",
        family=("PMNT", "IDDT", "ESDD"),
        end_to_end_id=e2e,
        mandate_id=mandate,
    )
    collected.expected = {row["number"]: amount}
    returned = b.payment(
        "chargeback",
        c,
        -amount,
        "Ruecklastschrift MD06",
        family=("PMNT", "IDDT", "UPDD"),
        end_to_end_id=e2e,
        mandate_id=mandate,
    )
    returned.not_applicable = True
    returned.related = collected.reference


KINDS: dict[str, Callable[[_Builder], None]] = {
    "exact reference": _exact_reference,
    "invoice number": _invoice_number,
    "reference with noise": _reference_noise,
    "reference split over lines": _split_reference,
    "one-character typo": _typo_case,
    "reference only in end-to-end id": _end_to_end,
    "RF creditor reference": _rf,
    "payer differs from customer": _payer_differs,
    "name + amount": _name_amount,
    "IBAN + amount": _iban_amount,
    "combined with references": _combined_refs,
    "combined without references": _combined_no_refs,
    "partial payment": _partial,
    "over-payment": _over,
    "cash discount": _cash_discount,
    "decoy: same amount, two customers": _two_customers_same_amount,
    "decoy: one customer, two equal items": _same_customer_equal_items,
    "decoy: unknown order number": _unknown_reference,
    "decoy: similar name, another person": _similar_name,
    "decoy: quotes an invoice already paid": _paid_reference,
    "outgoing": _outgoing,
    "bank fee": _fee,
    "chargeback": _chargeback,
}


def generate(cases_per_kind: int = 50, seed: int = 2026, background: int = 2000) -> TestBed:
    """A test bed with ``cases_per_kind`` entries of each kind among ``background`` customers."""
    b = _Builder(seed)
    for _ in range(background):
        customer = b.customer(ibans_known=b.rng.random() < 0.5)
        for _ in range(b.rng.randint(1, 2)):
            b.item(customer)
    makers = [maker for maker in KINDS.values() for _ in range(cases_per_kind)]
    b.rng.shuffle(makers)
    for maker in makers:
        maker(b)
    b.rng.shuffle(b.items)
    return TestBed(_items_csv(b.items), _camt(b.entries), b.cases)


def _items_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _camt(entries: list[_Entry]) -> bytes:
    total = sum((e.amount for e in entries), Decimal(0))
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NS}"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>MATCH-BENCH</MsgId><CreDtTm>2026-03-10T18:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>MATCH-1</Id><Acct><Id><IBAN>{OUR_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>",
        _balance("OPBD", Decimal(0)),
        _balance("CLBD", total),
    ]
    parts.extend(_entry_xml(e) for e in entries)
    parts.append("</Stmt></BkToCstmrStmt></Document>\n")
    return "".join(parts).encode()


def _balance(code: str, amount: Decimal) -> str:
    mark = "CRDT" if amount >= 0 else "DBIT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt>'
        f"<CdtDbtInd>{mark}</CdtDbtInd><Dt><Dt>{BOOKED.isoformat()}</Dt></Dt></Bal>"
    )


def _entry_xml(e: _Entry) -> str:
    credit = e.amount > 0
    domain, family, sub = e.family
    party = "Dbtr" if credit else "Cdtr"
    refs = f"<EndToEndId>{escape(e.end_to_end_id)}</EndToEndId>" if e.end_to_end_id else ""
    if e.mandate_id:
        refs += f"<MndtId>{escape(e.mandate_id)}</MndtId>"
    parties = ""
    if e.name or e.iban:
        parties = "<RltdPties>"
        if e.name:
            parties += f"<{party}><Pty><Nm>{escape(e.name)}</Nm></Pty></{party}>"
        if e.iban:
            parties += f"<{party}Acct><Id><IBAN>{e.iban}</IBAN></Id></{party}Acct>"
        parties += "</RltdPties>"
    remittance = "".join(f"<Ustrd>{escape(line)}</Ustrd>" for line in e.lines)
    if e.creditor_reference:
        remittance += (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{e.creditor_reference}</Ref></CdtrRefInf></Strd>"
        )
    remittance = f"<RmtInf>{remittance}</RmtInf>" if remittance else ""
    return (
        f'<Ntry><Amt Ccy="EUR">{abs(e.amount):.2f}</Amt><CdtDbtInd>{"CRDT" if credit else "DBIT"}'
        f"</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{BOOKED.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{BOOKED.isoformat()}</Dt></ValDt><AcctSvcrRef>{e.reference}</AcctSvcrRef>"
        f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd>"
        f"</Fmly></Domn></BkTxCd><NtryDtls><TxDtls>"
        f"<Refs>{refs or '<EndToEndId>NOTPROVIDED</EndToEndId>'}"
        f"</Refs>{parties}{remittance}</TxDtls></NtryDtls></Ntry>"
    )


@dataclass
class KindScore:
    """How the engine did on one case kind."""

    cases: int = 0
    should_assign: int = 0  # cases whose right answer is an automatic assignment
    assigned: int = 0  # automatic assignments made
    right: int = 0  # automatic assignments exactly as expected (items, amounts, write-offs)
    wrong: list[str] = field(default_factory=list)  # bank references of wrong automatic ones
    missed: list[str] = field(default_factory=list)  # should have been assigned, was not
    other_errors: list[str] = field(default_factory=list)  # wrong status or related movement


def evaluate(results: list[object], cases: list[Case]) -> dict[str, KindScore]:
    """Score match results (``MatchResult`` objects) against the truth, per case kind."""
    from paymatch.matching import MatchStatus

    by_reference = {r.movement.bank_reference: r for r in results}  # type: ignore[attr-defined]
    ids = {ref: r.movement.movement_id for ref, r in by_reference.items()}  # type: ignore[attr-defined]
    scores: dict[str, KindScore] = {}
    for case in cases:
        score = scores.setdefault(case.kind, KindScore())
        score.cases += 1
        result = by_reference[case.reference]
        got = {a.item: a.amount.amount for a in result.allocations}
        written = {w.item: w.amount.amount for w in result.write_offs}
        automatic = result.status in (MatchStatus.ASSIGNED, MatchStatus.PARTIALLY_ASSIGNED)
        if case.expected:
            score.should_assign += 1
        if automatic:
            score.assigned += 1
            if got == case.expected and written == case.write_offs:
                score.right += 1
            else:
                score.wrong.append(case.reference)
        elif case.expected:
            score.missed.append(case.reference)
        if case.not_applicable and result.status is not MatchStatus.NOT_APPLICABLE:
            score.other_errors.append(f"{case.reference}: {result.status.value}")
        if case.related and result.related_movement != ids[case.related]:
            score.other_errors.append(f"{case.reference}: related {result.related_movement}")
    return scores
