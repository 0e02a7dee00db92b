"""Every write to fees: income declarations, fee decisions with their letter, monthly client invoices.

When a fee changes (SoL 32:10): a change applies from the month after the month it happened in, or
from its own month when it covers the whole month (it happened on the 1st). A new income declaration
therefore makes a new fee decision from then, which replaces the decision in force from that month.
A change of the price base amount may change the fee without notice first: ``recalculate_for_year``
makes the new decisions from 1 January.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sociala.accounts.services import SYSTEM_USERNAME
from sociala.audit.services import record_event
from sociala.cases.models import Case
from sociala.core.errors import InvalidInput, Message, NotPermitted
from sociala.core.ocr import ocr_reference
from sociala.documents.models import Document
from sociala.documents.services import render_pdf, store_generated_pdf
from sociala.people.models import Person

from .calculation import HOUSEHOLD_ERROR, amount_error, calculate_fee, check_fee_input
from .choices import GROUP_OF_SERVICE, DeclarationSource, FeeDecisionReason, FeeGroup, Household
from .models import ClientInvoice, FeeDecision, IncomeDeclaration
from .pricing import granted_services
from .rules import RulesMissing, rules_for_month
from .selectors import decision_in_force, fee_case_exists, fee_cases, in_force_q

LEGAL_BASIS = "32 kap. 5–10 §§ socialtjänstlagen (2025:400)"
LEGAL_BASIS_LSS = "19 och 21 §§ lagen (1993:387) om stöd och service till vissa funktionshindrade"


def fee_start_month(changed_on: date) -> date:
    """The first day of the month a change applies from (SoL 32:10 second paragraph)."""
    return changed_on if changed_on.day == 1 else _next_month(changed_on)


def _last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _next_month(month: date) -> date:
    return _last_day(month) + timedelta(days=1)


def _is_system(actor) -> bool:
    return getattr(actor, "username", None) == SYSTEM_USERNAME


def _fee_case(actor, person) -> Case | None:
    """The case that opens the person's fee data to the actor (its district decides and is paid)."""
    return fee_cases(actor, person).first()


def _log(actor, action: str, obj, person_id: int, **details) -> None:
    record_event(
        actor=actor,
        action=action,
        person_id=person_id,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        details=details,
    )


def appeal_instructions(committee_name: str) -> str:
    """How to appeal a fee decision, always in Swedish (the same words as every decision letter)."""
    with translation.override("sv"):
        return str(
            _(
                "Du kan överklaga beslutet hos förvaltningsrätten. Skicka eller lämna överklagandet till "
                "%(committee)s. Överklagandet måste ha kommit in inom tre veckor från den dag du fick del av "
                "beslutet. Skriv vilket beslut du överklagar, varför du tycker att det är fel och hur du vill "
                "att det ska ändras. Skriv under överklagandet och ange namn, personnummer, adress och "
                "telefonnummer. Vi kan ompröva beslutet innan vi skickar överklagandet till domstolen. "
                "Behöver du hjälp? Kontakta din handläggare."
            )
            % {"committee": committee_name}
        )


# --- income declarations ---------------------------------------------------------------------


@transaction.atomic
def record_income_declaration(
    *,
    actor,
    person: Person,
    household: str,
    monthly_net_income: int,
    housing_cost: int,
    changed_on: date,
    received_on: date | None = None,
    source: str = DeclarationSource.STAFF,
    note: str = "",
) -> IncomeDeclaration:
    """Record a client's income declaration; a running fee is recalculated from the month after the change."""
    if _fee_case(actor, person) is None:
        raise NotPermitted
    return _record_declaration(
        actor=actor,
        person=person,
        household=household,
        monthly_net_income=monthly_net_income,
        housing_cost=housing_cost,
        changed_on=changed_on,
        received_on=received_on,
        source=source,
        note=note,
    )


@transaction.atomic
def submit_income_declaration(
    *,
    actor,
    person: Person,
    household: str,
    monthly_net_income: int,
    housing_cost: int,
    changed_on: date,
    details: dict,
) -> IncomeDeclaration:
    """The client's own income declaration from the e-service, made by the system actor on the signed-in
    citizen's behalf (``details`` say who); only for a person with a case where fees are charged."""
    if not _is_system(actor) or not fee_case_exists(person):
        raise NotPermitted
    return _record_declaration(
        actor=actor,
        person=person,
        household=household,
        monthly_net_income=monthly_net_income,
        housing_cost=housing_cost,
        changed_on=changed_on,
        received_on=None,
        source=DeclarationSource.PORTAL,
        note="",
        details=details,
    )


def _record_declaration(
    *,
    actor,
    person: Person,
    household: str,
    monthly_net_income: int,
    housing_cost: int,
    changed_on: date,
    received_on: date | None,
    source: str,
    note: str,
    details: dict | None = None,
) -> IncomeDeclaration:
    today = timezone.localdate()
    received_on = received_on or today
    errors: dict[str, Message] = {}
    if household not in Household.values:
        errors["household"] = HOUSEHOLD_ERROR
    for name, value in (("monthly_net_income", monthly_net_income), ("housing_cost", housing_cost)):
        problem = amount_error(value)
        if problem:
            errors[name] = problem
    if not isinstance(changed_on, date):
        errors["changed_on"] = _("Ange från vilket datum uppgifterna gäller.")
    if received_on > today:
        errors["received_on"] = _("Datumet kan inte ligga i framtiden.")
    if source not in DeclarationSource.values:
        errors["source"] = _("Okänd källa för inkomstuppgiften.")
    if errors:
        raise InvalidInput(errors)
    declaration = IncomeDeclaration.objects.create(
        person=person,
        household=household,
        monthly_net_income=monthly_net_income,
        housing_cost=housing_cost,
        changed_on=changed_on,
        received_on=received_on,
        source=source,
        note=(note or "").strip(),
        registered_by=actor,
    )
    _log(
        actor,
        "create_income_declaration",
        declaration,
        person.pk,
        changed_on=changed_on.isoformat(),
        source=source,
        **(details or {}),
    )
    running = decision_in_force(person, fee_start_month(changed_on)) or _latest_decision(person)
    if running is not None:
        decide_fee(
            actor=actor,
            person=person,
            declaration=declaration,
            services=running.inputs["services"],
            individual_adjustment=running.individual_adjustment,
            adjustment_reason=running.adjustment_reason,
            changed_on=changed_on,
            reason=FeeDecisionReason.DECLARATION,
        )
    return declaration


def _latest_decision(person) -> FeeDecision | None:
    """The decision that applies last (until further notice), if the person has a running fee."""
    return (
        FeeDecision.objects.filter(person=person, valid_to__isnull=True)
        .order_by("-valid_from", "-pk")
        .first()
    )


# --- fee decisions ---------------------------------------------------------------------------


@transaction.atomic
def decide_fee(
    *,
    actor,
    person: Person,
    services: Iterable[Mapping],
    changed_on: date,
    individual_adjustment: int = 0,
    adjustment_reason: str = "",
    declaration: IncomeDeclaration | None = None,
    reason: str | None = None,
) -> FeeDecision:
    """Decide the client's fee from the month after a change, replacing the decision in force from then.

    ``services`` are the granted services with their prices: ``[{"type": "home_care", "monthly_price": 3500}]``.
    The calculation, its inputs and the rule version are stored with the decision, and the letter is
    kept in the case file. Without a ``reason`` it is the first fee decision or changed services.
    """
    case = _fee_case(actor, person)
    if case is None and not _is_system(actor):
        raise NotPermitted
    # One decision at a time per person: the replacement below must see every earlier one.
    person = Person.objects.select_for_update().get(pk=person.pk)
    declaration = declaration or (
        IncomeDeclaration.objects.filter(person=person).order_by("-received_on", "-pk").first()
    )
    if declaration is None:
        raise InvalidInput({"declaration": _("Registrera en inkomstuppgift innan avgiften beslutas.")})
    if not isinstance(changed_on, date):
        raise InvalidInput({"changed_on": _("Ange från vilket datum ändringen gäller.")})
    valid_from = fee_start_month(changed_on)
    try:
        rules = rules_for_month(valid_from)
    except RulesMissing:
        raise InvalidInput(
            {
                "changed_on": _(
                    "Det finns inga avgiftsregler för %(month)s. Be en administratör lägga in dem."
                )
                % {"month": f"{valid_from:%Y-%m}"}
            }
        ) from None
    fee_input = check_fee_input(
        {
            "household": declaration.household,
            "age": person.age_on(valid_from),
            "monthly_net_income": declaration.monthly_net_income,
            "housing_cost": declaration.housing_cost,
            "individual_adjustment": individual_adjustment,
            "services": [dict(service) for service in services],
        }
    )
    adjustment_reason = (adjustment_reason or "").strip()
    if individual_adjustment and not adjustment_reason:
        raise InvalidInput(
            {"adjustment_reason": _("Skriv varför minimibeloppet justeras (32 kap. 9 § socialtjänstlagen).")}
        )
    if reason is None:
        has_earlier = FeeDecision.objects.filter(person=person).exists()
        reason = FeeDecisionReason.SERVICES if has_earlier else FeeDecisionReason.FIRST
    with translation.override("sv"):
        calculation = calculate_fee(rules, fee_input)
    district = case.district if case is not None else _district_without_case(person, valid_from)
    has_lss = any(GROUP_OF_SERVICE[s.type] == FeeGroup.LSS for s in fee_input.services)
    decision = FeeDecision.objects.create(
        person=person,
        declaration=declaration,
        reference=uuid.uuid4().hex[:20],
        reason=reason,
        valid_from=valid_from,
        district=district,
        age=fee_input.age,
        individual_adjustment=individual_adjustment,
        adjustment_reason=adjustment_reason,
        inputs=fee_input.as_dict(),
        rules=rules.version(),
        lines=calculation.as_dict()["lines"],
        fee_basis=calculation.fee_basis,
        minimum_amount=calculation.minimum_amount,
        reserved_amount=calculation.reserved_amount,
        fee_capacity=calculation.fee_capacity,
        max_fee=calculation.max_fee,
        fee=calculation.fee,
        legal_basis=f"{LEGAL_BASIS}; {LEGAL_BASIS_LSS}" if has_lss else LEGAL_BASIS,
        appeal_instructions=appeal_instructions(district.name),
        decided_by=actor,
        decided_on=timezone.localdate(),
    )
    decision.reference = f"A{decision.decided_on.year}-{decision.pk:06d}"
    decision.save(update_fields=["reference"])
    replaced = _replace_from(person, decision)
    _log(
        actor,
        "create_fee_decision",
        decision,
        person.pk,
        fee=decision.fee,
        valid_from=valid_from.isoformat(),
        reason=reason,
        replaces=replaced,
    )
    store_fee_decision_letter(actor=actor, decision=decision, case=case)
    return decision


def _district_without_case(person, valid_from: date):
    """For the system actor: the district of the fee being replaced, else where the person lives."""
    previous = decision_in_force(person, valid_from) or _latest_decision(person)
    district = previous.district if previous is not None else person.district
    if district is None:
        raise InvalidInput(
            {"district": _("Personen saknar stadsdel; avgiften kan inte knytas till en nämnd.")}
        )
    return district


def _replace_from(person, decision: FeeDecision) -> list[int]:
    """End every other decision that still applies on or after the new one's first month."""
    start = decision.valid_from
    earlier = (
        FeeDecision.objects.filter(person=person)
        .exclude(pk=decision.pk)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .exclude(valid_to__lt=F("valid_from"))
    )
    replaced = []
    for old in earlier:
        # Ends the month before the new one; one that had not started yet never applies.
        old.valid_to = (
            start - timedelta(days=1) if old.valid_from < start else old.valid_from - timedelta(days=1)
        )
        old.replaced_by = decision
        old.save(update_fields=["valid_to", "replaced_by"])
        replaced.append(old.pk)
    return replaced


def fee_decision_letter_pdf(decision: FeeDecision) -> bytes:
    """The fee decision letter as PDF bytes (always Swedish): the fee first, then how it was calculated."""
    with translation.override("sv"):
        return render_pdf(
            "fees/fee_decision_letter.html",
            {
                "decision": decision,
                "person": decision.person,
                "declaration": decision.declaration,
                "lines": decision.lines,
                "replaces": list(decision.replaces.order_by("valid_from")),
                "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
            },
        )


def store_fee_decision_letter(*, actor, decision: FeeDecision, case: Case | None = None) -> Document:
    """Produce the letter and keep it in the person's case file; the stored PDF is the record."""
    return store_generated_pdf(
        actor=actor,
        person=decision.person,
        case=case,
        kind=Document.Kind.DECISION_LETTER,
        title=f"Avgiftsbeslut {decision.reference}",
        data=fee_decision_letter_pdf(decision),
    )


def recalculate_for_year(*, actor, year: int) -> list[FeeDecision]:
    """New decisions from 1 January for running fees decided under an earlier price base amount (32:10)."""
    january = date(year, 1, 1)
    rules_for_month(january)  # RulesMissing: enter the year's price base amount first
    running = (
        FeeDecision.objects.filter(in_force_q(january), rules__year__lt=year)
        .select_related("person", "declaration")
        .order_by("pk")
    )
    made = []
    for old in running:
        if not _is_system(actor) and _fee_case(actor, old.person) is None:
            continue
        made.append(
            decide_fee(
                actor=actor,
                person=old.person,
                declaration=old.declaration,
                services=old.inputs["services"],
                individual_adjustment=old.individual_adjustment,
                adjustment_reason=old.adjustment_reason,
                changed_on=january,
                reason=FeeDecisionReason.PRICE_BASE_AMOUNT,
            )
        )
    return made


# --- client invoices -------------------------------------------------------------------------


PAYMENT_DAYS = 30


def invoice_due_on(month: date, issued_on: date) -> date:
    """Fees are invoiced after the month: due on the last day of the following month, and never
    sooner than 30 days after the invoice date (a late invoice still gives time to pay)."""
    return max(_last_day(_next_month(month)), issued_on + timedelta(days=PAYMENT_DAYS))


def issue_invoices(*, actor, month: date, person: Person | None = None) -> list[ClientInvoice]:
    """Invoice each client whose fee decision for ``month`` has a fee above zero, once per month.

    Run by the monthly billing job as the system actor; a caseworker may run it for persons whose fee
    data they may handle. Months already invoiced are skipped, so running it twice changes nothing.
    """
    month = month.replace(day=1)
    decisions = (
        FeeDecision.objects.filter(in_force_q(month), fee__gt=0).select_related("person").order_by("pk")
    )
    if person is not None:
        decisions = decisions.filter(person=person)
    issued = []
    for decision in decisions:
        if not _is_system(actor) and _fee_case(actor, decision.person) is None:
            continue
        invoice = _issue_invoice(actor, decision, month)
        if invoice is not None:
            issued.append(invoice)
    return issued


@transaction.atomic
def _issue_invoice(actor, decision: FeeDecision, month: date) -> ClientInvoice | None:
    Person.objects.select_for_update().get(pk=decision.person_id)
    if ClientInvoice.objects.filter(person_id=decision.person_id, month=month).exists():
        return None
    today = timezone.localdate()
    invoice = ClientInvoice.objects.create(
        person_id=decision.person_id,
        fee_decision=decision,
        month=month,
        amount=decision.fee,
        ocr_reference=uuid.uuid4().hex[:25],
        district_id=decision.district_id,
        issued_on=today,
        due_on=invoice_due_on(month, today),
        issued_by=actor,
    )
    # The invoice number is the month and the row id: unique, and short enough to type.
    invoice.ocr_reference = ocr_reference(f"{month:%y%m}{invoice.pk:08d}")
    invoice.save(update_fields=["ocr_reference"])
    _log(
        actor,
        "create_client_invoice",
        invoice,
        decision.person_id,
        month=month.isoformat(),
        amount=invoice.amount,
        ocr=invoice.ocr_reference,
    )
    return invoice


def invoice_pdf(invoice: ClientInvoice) -> bytes:
    """The client invoice as PDF bytes (Swedish), with the OCR reference to pay with."""
    with translation.override("sv"):
        return render_pdf(
            "fees/invoice.html",
            {
                "invoice": invoice,
                "person": invoice.person,
                "decision": invoice.fee_decision,
                "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
                "bankgiro": getattr(settings, "SOCIALA_FEES_BANKGIRO", ""),
            },
        )


@transaction.atomic
def decide_fee_from_decisions(
    *,
    actor,
    person: Person,
    changed_on: date,
    individual_adjustment: int = 0,
    adjustment_reason: str = "",
) -> FeeDecision:
    """Decide the fee with the price of the services granted in the person's decisions: each running
    intervention's scope times the price list (pricing.py), from the month after the change."""
    if _fee_case(actor, person) is None:
        raise NotPermitted
    if not isinstance(changed_on, date):
        raise InvalidInput({"changed_on": _("Ange från vilket datum ändringen gäller.")})
    services = granted_services(person, fee_start_month(changed_on))
    if not services:
        raise InvalidInput(
            {
                "changed_on": _(
                    "Personen har inga beviljade insatser med avgift %(month)s. Avgiften kan inte beslutas."
                )
                % {"month": f"{fee_start_month(changed_on):%Y-%m}"}
            }
        )
    return decide_fee(
        actor=actor,
        person=person,
        services=services,
        changed_on=changed_on,
        individual_adjustment=individual_adjustment,
        adjustment_reason=adjustment_reason,
    )
