"""The IBIC investigation and the decision that is filled from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sociala.care.choices import ScopeUnit
from sociala.care.models import (
    IcfCode,
    InterventionKind,
    InterventionTerms,
    Investigation,
    InvestigationContact,
    LifeArea,
    LifeAreaAssessment,
    ProposedIntervention,
    Reassessment,
)
from sociala.care.selectors import format_scope
from sociala.cases import services as case_services
from sociala.cases.choices import Outcome, Stage
from sociala.cases.models import Case, Decision
from sociala.core.choices import ServiceArea
from sociala.core.errors import InvalidInput, Message
from sociala.documents.models import Document
from sociala.documents.services import render_pdf, store_generated_pdf

from .common import check_care_case, check_text, lock_case, log

# Before the decision the investigation is a working document; after it, it is the record.
EDITABLE_STAGES = frozenset({Stage.INTAKE, Stage.INVESTIGATION, Stage.COMMUNICATION})
MAX_CONTACTS = 5
# The largest scope that makes sense in each unit (a month has at most 744 hours, 31 days).
MAX_SCOPE = {
    ScopeUnit.HOURS_PER_MONTH: Decimal(744),
    ScopeUnit.ACTIVITIES_PER_WEEK: Decimal(50),
    ScopeUnit.DAYS_PER_MONTH: Decimal(31),
}


def _check_editable(case: Case) -> None:
    if case.stage not in EDITABLE_STAGES:
        raise InvalidInput(
            {"__all__": _("Utredningen är låst när beslutet är fattat. Gör en omprövning för att ändra.")}
        )


def _investigation(actor, case: Case) -> Investigation:
    investigation, created = Investigation.objects.get_or_create(
        case=case, defaults={"created_by": actor, "updated_by": actor}
    )
    if created:
        log(actor, "create_care_investigation", case, investigation)
    return investigation


def _touch(actor, investigation: Investigation) -> None:
    investigation.updated_by = actor
    investigation.updated_at = timezone.now()
    investigation.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def save_life_area_assessment(
    *,
    actor,
    case: Case,
    life_area: LifeArea,
    needs: str = "",
    resources: str = "",
    goals: str = "",
    person_view: str = "",
    icf_codes: list[str] | tuple[str, ...] = (),
) -> LifeAreaAssessment:
    """Save needs, resources, goals and the person's own view in one life area, with ICF codes."""
    case = lock_case(case)
    check_care_case(actor, case)
    _check_editable(case)
    errors: dict[str, Message] = {}
    texts = {
        name: check_text(errors, name, value)
        for name, value in (
            ("needs", needs),
            ("resources", resources),
            ("goals", goals),
            ("person_view", person_view),
        )
    }
    wanted = sorted({code.strip() for code in icf_codes if code and code.strip()})
    codes = list(IcfCode.objects.filter(code__in=wanted))
    if len(codes) != len(wanted):
        errors["icf_codes"] = _("Välj ICF-koder ur listan.")
    if errors:
        raise InvalidInput(errors)
    investigation = _investigation(actor, case)
    assessment, _created = LifeAreaAssessment.objects.update_or_create(
        investigation=investigation,
        life_area=life_area,
        defaults={**texts, "updated_by": actor, "updated_at": timezone.now()},
    )
    assessment.icf_codes.set(codes)
    _touch(actor, investigation)
    log(actor, "save_life_area_assessment", case, assessment, life_area=life_area.code, icf_codes=wanted)
    return assessment


@transaction.atomic
def save_order_information(
    *,
    actor,
    case: Case,
    background: str = "",
    practical_information: str = "",
    good_to_know: str = "",
    contacts: list[dict] | None = None,
) -> Investigation:
    """Save the background and what the provider will need: practical information, contact persons and
    good-to-know notes (these go with the order; the rest of the investigation does not)."""
    case = lock_case(case)
    check_care_case(actor, case)
    _check_editable(case)
    errors: dict[str, Message] = {}
    values = {
        "background": check_text(errors, "background", background),
        "practical_information": check_text(errors, "practical_information", practical_information),
        "good_to_know": check_text(errors, "good_to_know", good_to_know),
    }
    rows = []
    for index, contact in enumerate(contacts or []):
        name, relation, phone = (
            (contact.get(key) or "").strip()[:limit]
            for key, limit in (("name", 160), ("relation", 120), ("phone", 40))
        )
        if not (name or relation or phone):
            continue
        if not name:
            errors[f"contacts-{index}-name"] = _("Ange kontaktpersonens namn.")
        rows.append((name, relation, phone))
    if len(rows) > MAX_CONTACTS:
        errors["contacts"] = _("Ange högst fem kontaktpersoner.")
    if errors:
        raise InvalidInput(errors)
    investigation = _investigation(actor, case)
    for field, value in values.items():
        setattr(investigation, field, value)
    investigation.updated_by, investigation.updated_at = actor, timezone.now()
    investigation.save()
    investigation.contacts.all().delete()
    InvestigationContact.objects.bulk_create(
        InvestigationContact(investigation=investigation, name=n, relation=r, phone=p, position=i)
        for i, (n, r, p) in enumerate(rows)
    )
    log(actor, "save_care_order_information", case, investigation, contacts=len(rows))
    return investigation


def parse_scope(errors: dict[str, Message], field: str, kind: InterventionKind, raw) -> Decimal | None:
    """The scope as a number in the kind's unit; none for kinds without a scope."""
    if kind.scope_unit in (ScopeUnit.NONE, ScopeUnit.PLACE):
        return None
    if raw in (None, ""):
        errors[field] = _("Ange omfattningen (%(unit)s).") % {"unit": ScopeUnit(kind.scope_unit).label}
        return None
    try:
        amount = Decimal(str(raw).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        errors[field] = _("Omfattningen ska vara ett tal, till exempel 32 eller 2,5.")
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_SCOPE[ScopeUnit(kind.scope_unit)]:
        errors[field] = _("Omfattningen ska vara större än 0 och högst %(max)s %(unit)s.") % {
            "max": MAX_SCOPE[ScopeUnit(kind.scope_unit)],
            "unit": ScopeUnit(kind.scope_unit).label,
        }
        return None
    if amount != amount.quantize(Decimal("0.1")):
        errors[field] = _("Ange omfattningen med högst en decimal.")
        return None
    return amount


def _kind_for_case(errors: dict[str, Message], field: str, case: Case, code: str) -> InterventionKind | None:
    kind = InterventionKind.objects.filter(code=code, service_area=case.service_area).first()
    if kind is None:
        errors[field] = _("Välj en insats inom ärendets verksamhetsområde.")
    return kind


@transaction.atomic
def add_proposed_intervention(
    *,
    actor,
    case: Case,
    intervention_kind: str,
    description: str,
    scope_amount=None,
    goals: str = "",
    life_areas: list[LifeArea] | tuple[LifeArea, ...] = (),
) -> ProposedIntervention:
    """Propose an intervention that meets the needs found (it fills a part of the decision)."""
    case = lock_case(case)
    check_care_case(actor, case)
    _check_editable(case)
    errors: dict[str, Message] = {}
    kind = _kind_for_case(errors, "intervention_kind", case, intervention_kind)
    description = check_text(errors, "description", description, required=_("Beskriv insatsen."))[:300]
    goals = check_text(errors, "goals", goals, required=_("Skriv målet med insatsen."))
    amount = parse_scope(errors, "scope_amount", kind, scope_amount) if kind else None
    if errors:
        raise InvalidInput(errors)
    assert kind is not None  # checked above
    investigation = _investigation(actor, case)
    proposal = ProposedIntervention.objects.create(
        investigation=investigation,
        intervention_kind=kind.code,
        description=description,
        scope_amount=amount,
        goals=goals,
        position=investigation.proposals.count(),
    )
    proposal.life_areas.set(life_areas)
    _touch(actor, investigation)
    log(actor, "add_proposed_intervention", case, proposal, intervention_kind=kind.code)
    return proposal


@transaction.atomic
def remove_proposed_intervention(*, actor, proposal: ProposedIntervention) -> None:
    """Take back a proposed intervention before the decision."""
    case = lock_case(proposal.investigation.case)
    check_care_case(actor, case)
    _check_editable(case)
    log(actor, "remove_proposed_intervention", case, proposal, intervention_kind=proposal.intervention_kind)
    proposal.delete()


@transaction.atomic
def complete_investigation(*, actor, case: Case, refusal_intended: bool = False) -> Case:
    """Finish the investigation step: at least one life area documented and, unless a refusal is
    intended (then the material is communicated first), at least one proposed intervention."""
    case = lock_case(case)
    check_care_case(actor, case)
    investigation = Investigation.objects.filter(case=case).first()
    errors: dict[str, Message] = {}
    if investigation is None or all(a.is_empty for a in investigation.assessments.all()):
        errors["__all__"] = _("Beskriv behov, resurser och mål i minst ett livsområde först.")
    elif not refusal_intended and not investigation.proposals.exists():
        errors["__all__"] = _("Föreslå minst en insats, eller markera att avslag övervägs.")
    if errors:
        raise InvalidInput(errors)
    return case_services.complete_step(
        actor=actor, case=case, step=Stage.INVESTIGATION, data={"refusal_intended": refusal_intended}
    )


def _granted_unit(kind: InterventionKind, outcome) -> str:
    """The scope unit of a decided part: the kind's unit when granted, none when refused."""
    return ScopeUnit.NONE if outcome == Outcome.REFUSED else kind.scope_unit


@transaction.atomic
def decide_from_investigation(
    *,
    actor,
    case: Case,
    items: list[dict],
    period_start: date | None,
    period_end: date | None,
    motivation: str,
    legal_basis: str = "",
) -> Decision:
    """Make the decision with the parts the investigation proposed: each part an intervention kind,
    its scope in the kind's unit, its goals, granted or refused; the care terms are kept with each part.

    ``items``: dicts with intervention_kind, description, scope_amount, goals, outcome, motivation."""
    case = lock_case(case)
    check_care_case(actor, case)
    errors: dict[str, Message] = {}
    rows = []
    for index, item in enumerate(items):
        prefix = f"items-{index}-"
        kind = _kind_for_case(errors, f"{prefix}intervention_kind", case, item.get("intervention_kind") or "")
        outcome = item.get("outcome") or ""
        granted = outcome != Outcome.REFUSED
        goals = check_text(
            errors,
            f"{prefix}goals",
            item.get("goals") or "",
            required=_("Skriv målet med insatsen.") if granted else None,
        )
        amount = None
        if kind is not None and granted:
            amount = parse_scope(errors, f"{prefix}scope_amount", kind, item.get("scope_amount"))
        rows.append((item, kind, amount, goals))
    if errors:
        raise InvalidInput(errors)
    case_items = []
    with translation.override("sv"):
        for item, kind, amount, _goals in rows:
            assert kind is not None  # checked above
            case_items.append(
                {
                    "description": item.get("description") or "",
                    "intervention_kind": kind.code,
                    "outcome": item.get("outcome"),
                    "scope": format_scope(amount, _granted_unit(kind, item.get("outcome"))),
                    "legal_basis": kind.legal_basis,
                    "motivation": item.get("motivation") or "",
                }
            )
    decision = case_services.record_decision(
        actor=actor,
        case=case,
        items=case_items,
        period_start=period_start,
        period_end=period_end,
        motivation=motivation,
        legal_basis=legal_basis,
        produce_letter=False,
    )
    for (_item, kind, amount, goals), decision_item in zip(rows, decision.items.order_by("pk"), strict=True):
        assert kind is not None
        InterventionTerms.objects.create(
            decision_item=decision_item,
            intervention_kind=kind.code,
            scope_amount=amount,
            scope_unit=_granted_unit(kind, decision_item.outcome),
            goals=goals,
        )
    Reassessment.objects.filter(case=case).update(replaces_from=decision.period_start)
    log(actor, "record_intervention_terms", case, decision, items=len(rows))
    store_generated_pdf(
        actor=actor,
        person=case.person,
        case=case,
        kind=Document.Kind.DECISION_LETTER,
        title=f"Beslut {decision.reference}",
        data=care_decision_letter_pdf(decision),
    )
    return decision


def care_decision_letter_pdf(decision: Decision) -> bytes:
    """The care decision letter as PDF bytes (Swedish): the outcome first, then each intervention with its
    scope, period, legal basis and goals, the client's goals from the IBIC investigation, the reasons and
    how to appeal."""
    case = decision.case
    with translation.override("sv"):
        labels = {k.code: k.name for k in InterventionKind.objects.all()}
        rows = [
            {
                "item": item,
                "kind_name": labels.get(item.intervention_kind, ""),
                "goals": getattr(getattr(item, "care_terms", None), "goals", ""),
            }
            for item in decision.items.select_related("care_terms").order_by("pk")
        ]
        investigation = Investigation.objects.filter(case=case).first()
        goals = (
            [
                {"area": a.life_area.name, "goals": a.goals}
                for a in investigation.assessments.select_related("life_area")
                if a.goals.strip()
            ]
            if investigation is not None
            else []
        )
        return render_pdf(
            "care/decision_letter.html",
            {
                "decision": decision,
                "case": case,
                "person": case.person,
                "rows": rows,
                "goals": goals,
                "communication": case.care_communications.order_by("-sent_on", "-pk").first(),
                "is_health_care": case.service_area == ServiceArea.HEALTH,
                "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
            },
        )
