"""Builders for the finance tests: income-support decisions made directly, and bank accounts."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from sociala.cases.choices import Outcome, Stage
from sociala.cases.models import Case, CaseType, Decision, DecisionItem
from sociala.finance.models import BankAccount
from sociala.tests.factories import make_person

_REFS = itertools.count(1)


def make_decision(
    city,
    person=None,
    *,
    district: str = "Rinkeby-Kista",
    amounts=((12140, Outcome.GRANTED),),
    outcome: str = Outcome.GRANTED,
    decided_on: date | None = None,
    period_start: date = date(2026, 3, 1),
    case_type: str = "income_support_application",
) -> Decision:
    """A decided income-support case (made directly: the cases app's own tests cover deciding)."""
    person = person or make_person(city, district=district, first_name="Betal", last_name="Mottagare")
    n = next(_REFS)
    kind = CaseType.objects.get(code=case_type)
    case = Case.objects.create(
        person=person,
        case_type=kind,
        service_area=kind.service_area,
        unit=city.unit(district, kind.service_area),
        district=city.districts[district],
        stage=Stage.FOLLOW_UP,
        reference=f"FIN-{n:06d}",
        intake_kind=kind.intake_kind,
        received_on=period_start,
        sought="Försörjningsstöd",
    )
    decision = Decision.objects.create(
        case=case,
        reference=f"BFIN-{n:06d}",
        outcome=outcome,
        sought="Försörjningsstöd",
        period_start=period_start,
        period_end=period_start + timedelta(days=30),
        legal_basis="4 kap. 1 § SoL",
        motivation="Behovet är utrett och styrkt.",
        decided_by=city.users["handlaggare.ifo"],
        delegation_reference="3.1.1",
        decided_on=decided_on or timezone.localdate(),
        appeal_instructions="Överklaga inom tre veckor.",
    )
    for index, (amount, item_outcome) in enumerate(amounts):
        DecisionItem.objects.create(
            decision=decision,
            description=f"Del {index + 1}",
            outcome=item_outcome,
            amount=amount,
            legal_basis="4 kap. 1 § SoL",
        )
    return decision


def give_account(city, person, clearing="3300", account="7001011234", iban=""):
    return BankAccount.objects.create(
        person=person,
        method="bank_account",
        clearing_number="" if iban else clearing,
        account_number="" if iban else account,
        iban=iban,
        registered_by=city.users["handlaggare.ifo"],
    )
