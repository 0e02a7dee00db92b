"""The choice of provider (LOV) and the order it becomes; consent; reassessment and termination."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case, scope_for
from sociala.accounts.choices import Role
from sociala.audit.services import record_event
from sociala.care.choices import ChoiceMethod, ScopeUnit, TerminationReason
from sociala.care.models import (
    InterventionKind,
    InterventionTerms,
    Investigation,
    InvestigationContact,
    LifeAreaAssessment,
    OrderDetails,
    ProposedIntervention,
    ProviderApproval,
    ProviderChoice,
    Reassessment,
    Termination,
)
from sociala.care.selectors import approved_providers, details_of
from sociala.cases import services as case_services
from sociala.cases.choices import OrderStatus, Outcome, Stage
from sociala.cases.models import Case, Intervention, Order
from sociala.core.errors import InvalidInput, Message, NotPermitted
from sociala.organization.models import Provider

from .common import check_care_case, check_past_date, check_text, lock_case, log


def _terms_of(intervention: Intervention) -> InterventionTerms | None:
    return InterventionTerms.objects.filter(decision_item_id=intervention.decision_item_id).first()


@transaction.atomic
def record_provider_choice(
    *,
    actor,
    intervention: Intervention,
    method: str,
    chosen_on: date | None,
    provider: Provider | None = None,
    note: str = "",
    instructions: str = "",
) -> ProviderChoice:
    """Record how the provider was chosen (the client chose among the approved, or the default) and
    send the order with what the provider needs: interventions, scope, goals, practical information,
    contact persons and good-to-know notes."""
    case = lock_case(intervention.case)
    check_care_case(actor, case)
    intervention = Intervention.objects.get(pk=intervention.pk)
    errors: dict[str, Message] = {}
    today = timezone.localdate()
    approved = approved_providers(intervention.kind, case.district_id, case.service_area, today)
    if method == ChoiceMethod.DEFAULT:
        defaults = [a.provider for a in approved if a.is_default]
        if not defaults:
            errors["method"] = _("Det finns inget ickevalsalternativ för insatsen i stadsdelen.")
        else:
            provider = defaults[0]
    elif method == ChoiceMethod.CLIENT_CHOSE:
        if provider is None or provider.pk not in {a.provider.pk for a in approved}:
            errors["provider"] = _("Välj en av de godkända utförarna.")
    else:
        errors["method"] = _("Ange om den enskilde valde utförare eller fick ickevalsalternativet.")
    check_past_date(errors, "chosen_on", chosen_on, message=_("Ange när valet gjordes."))
    note = check_text(errors, "note", note)
    instructions = check_text(errors, "instructions", instructions)
    if errors:
        raise InvalidInput(errors)
    assert provider is not None and chosen_on is not None  # checked above
    order = case_services.send_order(
        actor=actor, intervention=intervention, provider=provider, instructions=instructions
    )
    terms = _terms_of(intervention)
    investigation = Investigation.objects.filter(case=case).first()
    OrderDetails.objects.create(
        order=order,
        intervention_kind=intervention.kind,
        scope_amount=terms.scope_amount if terms else None,
        scope_unit=terms.scope_unit if terms else ScopeUnit.NONE,
        goals=terms.goals if terms else "",
        period_start=intervention.starts_on,
        period_end=intervention.ends_on,
        practical_information=investigation.practical_information if investigation else "",
        good_to_know=investigation.good_to_know if investigation else "",
        contacts=[
            {"name": c.name, "relation": c.relation, "phone": c.phone}
            for c in (investigation.contacts.all() if investigation else [])
        ],
    )
    choice = ProviderChoice.objects.create(
        intervention=intervention,
        provider=provider,
        method=method,
        chosen_on=chosen_on,
        note=note,
        recorded_by=actor,
        order=order,
    )
    log(actor, "record_provider_choice", case, choice, provider=provider.organization_number, method=method)
    reassessment = Reassessment.objects.filter(case=case).first()
    if reassessment is not None:
        end_replaced_orders(actor=actor, reassessment=reassessment, today=today)
    return choice


@transaction.atomic
def record_journal_consent(*, actor, order: Order, given: bool, note: str = "") -> OrderDetails:
    """Record the client's consent (or its withdrawal) that the authority may read the provider's
    social documentation for this order; recorded by the provider's staff or the caseworker."""
    order = Order.objects.select_related("intervention__case__person", "care_details").get(pk=order.pk)
    case = order.intervention.case
    is_provider = order.provider_id in scope_for(actor).provider_ids and order.status == OrderStatus.ACTIVE
    if not (is_provider or can_write_case(actor, case)):
        raise NotPermitted
    details = details_of(order)
    if details is None:
        raise InvalidInput({"__all__": _("Beställningen skickades utan uppgifter från utredningen.")})
    errors: dict[str, Message] = {}
    note = check_text(errors, "consent_note", note)[:300]
    if errors:
        raise InvalidInput(errors)
    details = OrderDetails.objects.select_for_update().get(pk=details.pk)
    details.authority_may_read_journal = bool(given)
    details.consent_recorded_by = actor
    details.consent_recorded_at = timezone.now()
    details.consent_note = note
    details.save(
        update_fields=[
            "authority_may_read_journal",
            "consent_recorded_by",
            "consent_recorded_at",
            "consent_note",
        ]
    )
    log(actor, "record_journal_consent", case, order, given=bool(given))
    return details


def end_replaced_orders(*, actor, reassessment: Reassessment, today: date | None = None) -> int:
    """End the orders under the old decision once the new decision has started and either its orders
    are sent or it granted nothing that needs one; returns how many were ended."""
    today = today or timezone.localdate()
    with transaction.atomic():
        reassessment = Reassessment.objects.select_for_update().get(pk=reassessment.pk)
        if reassessment.previous_orders_ended_at or not reassessment.replaces_from:
            return 0
        if reassessment.replaces_from > today:
            return 0
        new_case = reassessment.case
        has_new_order = Order.objects.filter(intervention__case=new_case, status=OrderStatus.ACTIVE).exists()
        granted_nothing = (
            new_case.decisions.exists() and not new_case.decisions.exclude(outcome=Outcome.REFUSED).exists()
        )
        if not (has_new_order or granted_nothing):
            return 0
        old_orders = list(
            Order.objects.filter(intervention__case=reassessment.previous_case, status=OrderStatus.ACTIVE)
        )
        for order in old_orders:
            case_services.end_order(actor=actor, order=order)
        reassessment.previous_orders_ended_at = timezone.now()
        reassessment.save(update_fields=["previous_orders_ended_at"])
        log(actor, "end_replaced_orders", reassessment.previous_case, reassessment, orders=len(old_orders))
        return len(old_orders)


@transaction.atomic
def terminate_interventions(
    *, actor, case: Case, reason: str, ended_on: date | None, note: str = ""
) -> Termination:
    """End every running order of the case because the client moved, died or declines; the reason is kept."""
    case = lock_case(case)
    check_care_case(actor, case)
    errors: dict[str, Message] = {}
    if reason not in TerminationReason.values:
        errors["reason"] = _("Välj varför insatserna upphör.")
    check_past_date(errors, "ended_on", ended_on, message=_("Ange från vilket datum insatserna upphör."))
    note = check_text(errors, "note", note)
    orders = list(Order.objects.filter(intervention__case=case, status=OrderStatus.ACTIVE))
    if not orders:
        errors["__all__"] = _("Ärendet har inga pågående beställningar att avsluta.")
    if errors:
        raise InvalidInput(errors)
    assert ended_on is not None  # checked above
    for order in orders:
        case_services.end_order(actor=actor, order=order)
    termination = Termination.objects.create(
        case=case,
        reason=reason,
        ended_on=ended_on,
        note=note,
        order_ids=[o.pk for o in orders],
        recorded_by=actor,
    )
    log(actor, "terminate_interventions", case, termination, reason=reason, orders=len(orders))
    return termination


@transaction.atomic
def open_reassessment(
    *, actor, case: Case, received_on: date | None, sought: str, copy_investigation: bool = True
) -> Reassessment:
    """Start an omprövning: a new case of the same type, with the old investigation and the granted
    interventions copied in, whose decision will replace the old one from its first day."""
    case = lock_case(case)
    check_care_case(actor, case)
    if not case.decisions.exclude(outcome=Outcome.REFUSED).exists():
        raise InvalidInput({"__all__": _("Bara ett beviljat beslut kan omprövas.")})
    if Reassessment.objects.filter(previous_case=case).exclude(case__stage=Stage.CLOSED).exists():
        raise InvalidInput({"__all__": _("Det finns redan en pågående omprövning av ärendet.")})
    if received_on is None:
        raise InvalidInput({"received_on": _("Ange datum då ärendet kom in.")})
    new_case = case_services.open_case(
        actor=actor,
        person=case.person,
        case_type=case.case_type,
        received_on=received_on,
        sought=sought,
        unit=case.unit,
        assigned_to=case.assigned_to,
    )
    # A reassessment goes straight to the investigation: the intake is the decision to reassess.
    new_case = case_services.complete_step(
        actor=actor, case=new_case, step=Stage.INTAKE, data={"open_investigation": True}
    )
    reassessment = Reassessment.objects.create(previous_case=case, case=new_case, opened_by=actor)
    if copy_investigation:
        _copy_investigation(actor, case, new_case)
    log(actor, "open_reassessment", case, reassessment, new_case=new_case.pk)
    return reassessment


def _copy_investigation(actor, old_case: Case, new_case: Case) -> None:
    old = Investigation.objects.filter(case=old_case).first()
    new = Investigation.objects.create(
        case=new_case,
        background=old.background if old else "",
        practical_information=old.practical_information if old else "",
        good_to_know=old.good_to_know if old else "",
        created_by=actor,
        updated_by=actor,
    )
    if old is not None:
        InvestigationContact.objects.bulk_create(
            InvestigationContact(
                investigation=new, name=c.name, relation=c.relation, phone=c.phone, position=c.position
            )
            for c in old.contacts.all()
        )
        for assessment in old.assessments.prefetch_related("icf_codes"):
            copy = LifeAreaAssessment.objects.create(
                investigation=new,
                life_area_id=assessment.life_area_id,
                needs=assessment.needs,
                resources=assessment.resources,
                goals=assessment.goals,
                person_view=assessment.person_view,
                updated_by=actor,
            )
            copy.icf_codes.set(assessment.icf_codes.all())
    # What was granted becomes the proposal to start from.
    position = 0
    for intervention in old_case.interventions.select_related("decision_item__care_terms"):
        terms = getattr(intervention.decision_item, "care_terms", None)
        ProposedIntervention.objects.create(
            investigation=new,
            intervention_kind=intervention.kind,
            description=intervention.description,
            scope_amount=terms.scope_amount if terms else None,
            goals=terms.goals if terms else "",
            position=position,
        )
        position += 1
    log(actor, "create_care_investigation", new_case, new, copied_from=old_case.pk)


@transaction.atomic
def approve_provider(
    *, actor, provider: Provider, intervention_kind: str, valid_from: date, is_default: bool = False
) -> ProviderApproval:
    """Approve a provider in the choice scheme for a kind of intervention (system administrators)."""
    if not actor.has_role(Role.SYSTEM_ADMINISTRATOR):
        raise NotPermitted
    kind = InterventionKind.objects.filter(code=intervention_kind).first()
    if kind is None:
        raise InvalidInput({"intervention_kind": _("Okänd insats.")})
    if kind.service_area not in provider.service_areas:
        raise InvalidInput({"provider": _("Utföraren utför inte insatser inom det här verksamhetsområdet.")})
    approval, _created = ProviderApproval.objects.update_or_create(
        provider=provider,
        intervention_kind=intervention_kind,
        valid_from=valid_from,
        defaults={"is_default": is_default},
    )
    record_event(
        actor=actor,
        action="approve_provider",
        object_type="providerapproval",
        object_id=approval.pk,
        details={"provider": provider.organization_number, "kind": intervention_kind, "default": is_default},
    )
    return approval


@transaction.atomic
def end_provider_approval(*, actor, approval: ProviderApproval, valid_to: date | None) -> ProviderApproval:
    """End a provider's approval in the choice scheme from a date (system administrators); the row stays
    as history, and clients who chose the provider before keep their orders until reassessed."""
    if not actor.has_role(Role.SYSTEM_ADMINISTRATOR):
        raise NotPermitted
    approval = ProviderApproval.objects.select_for_update().get(pk=approval.pk)
    errors: dict[str, Message] = {}
    if valid_to is None:
        errors["valid_to"] = _("Ange sista dagen som godkännandet gäller.")
    elif valid_to < approval.valid_from:
        errors["valid_to"] = _("Slutdatum kan inte ligga före startdatum.")
    elif approval.valid_to is not None:
        errors["valid_to"] = _("Godkännandet har redan ett slutdatum.")
    if errors:
        raise InvalidInput(errors)
    assert valid_to is not None
    approval.valid_to = valid_to
    approval.save(update_fields=["valid_to"])
    record_event(
        actor=actor,
        action="end_provider_approval",
        object_type="providerapproval",
        object_id=approval.pk,
        details={
            "provider": approval.provider.organization_number,
            "kind": approval.intervention_kind,
            "valid_to": valid_to.isoformat(),
        },
    )
    return approval
