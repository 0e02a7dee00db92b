"""Builders for the retention tests: a whole case file in every app, dated in the past.

The case is opened through the cases service (so it has its process instance), everything else is
written directly and dated on the day asked for: the apps' own tests cover their services.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sociala.access.models import EmergencyAccess
from sociala.cases import services as cases
from sociala.cases.choices import JournalStatus, OrderStatus, Outcome, Stage
from sociala.cases.models import Case, CaseType, Decision, DecisionItem, Intervention, JournalEntry, Order
from sociala.children.models import InitialAssessment, ReportOfConcern, SafetyAssessment
from sociala.documents.models import Document
from sociala.documents.services import store_generated_pdf
from sociala.fees.models import ClientInvoice, FeeDecision, IncomeDeclaration
from sociala.finance.models import BankAccount, Payment, PaymentRun
from sociala.people.models import Person, Relation
from sociala.retention.models import EntryObjection, RegisterExtractRequest
from sociala.tests.factories import adult_numbers, make_person

_N = itertools.count(1)
PDF = b"%PDF-1.4\n% Sociala test\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def plain_number() -> str:
    """An adult's test number not born on the 5th, 15th or 25th (not in the research sample), unused."""
    for number in adult_numbers():
        if (
            int(number[6:8]) not in (5, 15, 25)
            and not Person.objects.filter(personal_identity_number=number).exists()
        ):
            return number
    raise LookupError("no unused test number left")


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@dataclass
class CaseFile:
    """What was built for one person, to check afterwards that it is gone or still there."""

    person: Person
    relative: Person | None = None
    cases: list[Case] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add(self, obj) -> None:
        self.rows.setdefault(obj._meta.label, []).append(obj.pk)


def old_case(
    city,
    person,
    *,
    day: date,
    code: str = "income_support_application",
    unit_key: str | None = None,
    closed: bool = True,
    username: str = "handlaggare.ifo",
) -> Case:
    """A case opened through the service and moved back to ``day`` (closed the same month)."""
    kind = CaseType.objects.get(code=code)
    case = cases.open_case(
        actor=city.users[username],
        person=person,
        case_type=kind,
        received_on=day,
        sought="Ansökan (test)",
        unit=city.unit("Rinkeby-Kista", unit_key or kind.service_area),
    )
    updates = {"opened_at": moment(day, 9)}
    if closed:
        updates.update(stage=Stage.CLOSED, closed_at=moment(day + timedelta(days=20)))
    Case.objects.filter(pk=case.pk).update(**updates)
    case.refresh_from_db()
    return case


def full_case_file(
    city, *, number: str | None = None, day: date = date(2019, 3, 4), child: bool = False, **person_fields
) -> CaseFile:
    """A case file with a row in every app that keeps personal data, everything dated around ``day``."""
    caseworker = city.users["handlaggare.ifo"]
    person = make_person(
        city, number=number or (None if child else plain_number()), child=child, **person_fields
    )
    Person.objects.filter(pk=person.pk).update(created_at=moment(day - timedelta(days=30)))
    built = CaseFile(person=person, relative=None)
    built.add(person)
    case = old_case(city, person, day=day)
    built.cases.append(case)
    built.add(case)
    n = next(_N)
    decision = Decision.objects.create(
        case=case,
        reference=f"BRET-{n:06d}",
        outcome=Outcome.GRANTED,
        sought="Försörjningsstöd",
        period_start=day,
        period_end=day + timedelta(days=30),
        legal_basis="12 kap. 1 § SoL",
        motivation="Behovet är utrett.",
        decided_by=caseworker,
        delegation_reference="3.1.1",
        decided_on=day + timedelta(days=5),
        decided_at=moment(day + timedelta(days=5)),
        appeal_instructions="Överklaga inom tre veckor.",
    )
    item = DecisionItem.objects.create(
        decision=decision,
        description="Försörjningsstöd",
        outcome=Outcome.GRANTED,
        amount=9800,
        legal_basis="SoL",
    )
    intervention = Intervention.objects.create(
        case=case,
        decision_item=item,
        kind="income_support",
        description="Försörjningsstöd",
        starts_on=day,
        ends_on=day + timedelta(days=30),
    )
    order = Order.objects.create(
        intervention=intervention,
        provider=city.providers["kontaktperson"],
        status=OrderStatus.ENDED,
        sent_at=moment(day + timedelta(days=6)),
        ended_at=moment(day + timedelta(days=30)),
    )
    for obj in (decision, item, intervention, order):
        built.add(obj)
    entry = JournalEntry.objects.create(
        person=person,
        case=case,
        category="contact",
        title="Besök",
        text="Personen berättade om sin situation.",
        status=JournalStatus.SIGNED,
        author=caseworker,
        occurred_on=day + timedelta(days=2),
        created_at=moment(day + timedelta(days=2)),
        updated_at=moment(day + timedelta(days=2)),
        signed_at=moment(day + timedelta(days=2), 11),
    )
    correction = JournalEntry.objects.create(
        person=person,
        case=case,
        category="contact",
        title="Besök",
        text="Rättad text.",
        status=JournalStatus.SIGNED,
        author=caseworker,
        occurred_on=day + timedelta(days=2),
        created_at=moment(day + timedelta(days=3)),
        updated_at=moment(day + timedelta(days=3)),
        signed_at=moment(day + timedelta(days=3)),
        corrects=entry,
        correction_reason="Fel datum",
    )
    objection = EntryObjection.objects.create(
        entry=entry,
        text="Jag sa inte så.",
        received_via="letter",
        received_on=day + timedelta(days=9),
        recorded_by=caseworker,
        recorded_at=moment(day + timedelta(days=9)),
    )
    for obj in (entry, correction, objection):
        built.add(obj)
    for title in ("Beslut", "Inkommen handling"):
        document = store_generated_pdf(
            actor=caseworker,
            person=person,
            case=case,
            kind=Document.Kind.DECISION_LETTER,
            title=title,
            data=PDF,
        )
        Document.objects.filter(pk=document.pk).update(uploaded_at=moment(day + timedelta(days=5)))
        built.add(document)
        built.files.append(document.file.name)
    declaration = IncomeDeclaration.objects.create(
        person=person,
        household="single",
        monthly_net_income=14000,
        housing_cost=5000,
        changed_on=day,
        received_on=day,
        registered_by=caseworker,
        registered_at=moment(day),
    )
    old_fee = _fee_decision(
        city, person, declaration, day, f"AV-{n:06d}-1", valid_to=day + timedelta(days=60)
    )
    new_fee = _fee_decision(
        city,
        person,
        declaration,
        day + timedelta(days=61),
        f"AV-{n:06d}-2",
        valid_to=day + timedelta(days=90),
    )
    FeeDecision.objects.filter(pk=old_fee.pk).update(replaced_by=new_fee)
    invoice = ClientInvoice.objects.create(
        person=person,
        fee_decision=old_fee,
        month=day.replace(day=1),
        amount=1200,
        ocr_reference=f"9{n:08d}55",
        district=city.districts["Rinkeby-Kista"],
        issued_on=day + timedelta(days=10),
        due_on=day + timedelta(days=40),
        issued_by=caseworker,
        issued_at=moment(day + timedelta(days=10)),
    )
    for obj in (declaration, old_fee, new_fee, invoice):
        built.add(obj)
    account = BankAccount.objects.create(
        person=person,
        method="bank_account",
        clearing_number="3300",
        account_number="7001011234",
        registered_by=caseworker,
        registered_at=moment(day),
    )
    run = PaymentRun.objects.create(
        payment_date=day + timedelta(days=7 + n),
        started_by=city.users["chef.ifo"],
        status="completed",
        is_open=None,
    )
    payment = Payment.objects.create(
        run=run,
        decision=decision,
        person=person,
        district=city.districts["Rinkeby-Kista"],
        cost_centre="6100",
        amount="9800.00",
        method="bank_account",
        creditor_name=person.full_name,
        clearing_number="3300",
        account_number="7001011234",
        remittance_information="Ekonomiskt bistånd",
        created_at=moment(day + timedelta(days=7)),
    )
    grant = EmergencyAccess.objects.create(
        user=city.users["handlaggare.ifo.bromma"],
        person=person,
        reason="Akut ärende på natten",
        granted_at=moment(day),
        expires_at=moment(day, 12),
    )
    relative = make_person(city, number=plain_number(), first_name="Anhörig", last_name="Testsson")
    built.relative = relative
    relation = Relation.objects.create(person=person, related=relative, kind="partner")
    back = Relation.objects.create(person=relative, related=person, kind="partner")
    extract = RegisterExtractRequest.objects.create(
        person=person, received_on=day, identity_check="e_id", produced_by=caseworker, sha256="0" * 64
    )
    for obj in (account, payment, grant, relation, back, extract):
        built.add(obj)
    built.add(case.process)
    built.rows["cases.Deadline"] = list(case.deadlines.values_list("pk", flat=True))
    return built


def _fee_decision(city, person, declaration, valid_from: date, reference: str, *, valid_to: date | None):
    return FeeDecision.objects.create(
        person=person,
        declaration=declaration,
        reference=reference,
        reason="new",
        valid_from=valid_from,
        valid_to=valid_to,
        district=city.districts["Rinkeby-Kista"],
        age=60,
        inputs={},
        rules={},
        lines=[],
        fee_basis=0,
        minimum_amount=0,
        reserved_amount=0,
        fee_capacity=0,
        max_fee=0,
        fee=0,
        legal_basis="32 kap. SoL",
        appeal_instructions="Överklaga inom tre veckor.",
        decided_by=city.users["handlaggare.ao"],
        decided_on=valid_from,
        decided_at=moment(valid_from),
    )


def child_case_file(
    city, *, number: str, day: date, investigation: bool, placement: str | None = None
) -> CaseFile:
    """A child's report of concern, its safety and initial assessment, and perhaps a placement."""
    caseworker = city.users["handlaggare.barn"]
    person = make_person(city, number=number, first_name="Barn", last_name="Testsson")
    Person.objects.filter(pk=person.pk).update(created_at=moment(day - timedelta(days=3)))
    built = CaseFile(person=person)
    built.add(person)
    case = old_case(
        city,
        person,
        day=day,
        code="child_report_of_concern",
        unit_key="children",
        username="handlaggare.barn",
    )
    built.cases.append(case)
    built.add(case)
    report = ReportOfConcern.objects.create(
        case=case,
        person=person,
        district=city.districts["Rinkeby-Kista"],
        reporter_type="school",
        is_mandatory_reporter=True,
        text="Barnet har sagt att det är bråk hemma.",
        received_on=day,
        registered_at=moment(day),
        registered_by=caseworker,
        safety_assessment_due_on=day,
    )
    safety = SafetyAssessment.objects.create(
        report=report,
        assessed_on=day,
        needs_immediate_protection=False,
        reasoning="Inget akut skyddsbehov.",
        assessed_by=caseworker,
        recorded_at=moment(day, 15),
    )
    assessment = InitialAssessment.objects.create(
        case=case,
        decided_on=day + timedelta(days=10),
        opens_investigation=investigation,
        reasons="Oron är sådan att en utredning behövs." if investigation else "Ingen utredning behövs.",
        decided_by=caseworker,
        delegation_reference="4.1.1",
        recorded_at=moment(day + timedelta(days=10)),
    )
    for obj in (report, safety, assessment):
        built.add(obj)
    if placement:
        decision = Decision.objects.create(
            case=case,
            reference=f"BBARN-{next(_N):06d}",
            outcome=Outcome.GRANTED,
            sought="Vård utanför hemmet",
            period_start=day + timedelta(days=20),
            legal_basis="SoL",
            motivation="Barnet behöver vård utanför hemmet.",
            decided_by=caseworker,
            delegation_reference="4.1.1",
            decided_on=day + timedelta(days=20),
            appeal_instructions="Överklaga inom tre veckor.",
        )
        item = DecisionItem.objects.create(
            decision=decision, description="Familjehem", outcome=Outcome.GRANTED, legal_basis="SoL"
        )
        intervention = Intervention.objects.create(
            case=case,
            decision_item=item,
            kind=placement,
            description="Familjehem",
            starts_on=day + timedelta(days=20),
            ends_on=day + timedelta(days=200),
        )
        for obj in (decision, item, intervention):
            built.add(obj)
    built.add(case.process)
    return built
