"""Reads of the care app, restricted by the access policy; reads of personal data are logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import person_access, restrict_cases, restrict_persons, scope_for
from sociala.audit.services import record_event
from sociala.cases import selectors as case_selectors
from sociala.cases.choices import OrderStatus
from sociala.cases.models import Case, Order
from sociala.core.choices import ServiceArea
from sociala.organization.models import Provider
from sociala.people.models import Person

from .choices import ScopeUnit
from .models import (
    IcfCode,
    ImplementationPlan,
    InterventionKind,
    Investigation,
    OrderDetails,
    ProviderApproval,
    ProviderJournalEntry,
    ProviderMessage,
    Reassessment,
)

# Service areas whose applications are investigated with IBIC here.
CARE_AREAS = frozenset({ServiceArea.ELDERLY, ServiceArea.DISABILITY, ServiceArea.HEALTH})
ICF_RESULT_LIMIT = 15


# --- code lists ------------------------------------------------------------------------------


def intervention_kinds(service_area: str, on: date | None = None) -> list[InterventionKind]:
    """The kinds of intervention of a service area in force on a date."""
    on = on or timezone.localdate()
    return list(InterventionKind.objects.filter(service_area=service_area, valid_from__lte=on))


def intervention_kind(code: str) -> InterventionKind | None:
    return InterventionKind.objects.filter(code=code).first()


def kind_labels() -> dict[str, str]:
    return {kind.code: kind.label for kind in InterventionKind.objects.all()}


def search_icf_codes(query: str, *, exclude=(), limit: int = ICF_RESULT_LIMIT) -> list[IcfCode]:
    """ICF codes whose code or title (Swedish or English) contains every word of the query."""
    codes = IcfCode.objects.exclude(code__in=list(exclude))
    for word in (query or "").lower().split()[:5]:
        codes = codes.filter(search_text__contains=word)
    return list(codes.order_by("code")[:limit])


def format_scope(amount, unit: str) -> str:
    """'32 timmar per månad' in the current language, with a decimal comma in Swedish; housing is
    granted as 'en plats'."""
    if unit == ScopeUnit.PLACE:
        return str(_("en plats"))
    if unit == ScopeUnit.NONE or amount is None:
        return ""
    text = format(Decimal(amount).normalize(), "f")
    return f"{text.replace('.', ',')} {ScopeUnit(unit).label}"


# --- cases -----------------------------------------------------------------------------------


def care_case_for_user(user, case_id: int, *, action: str) -> Case:
    """An elderly care or disability case the user may see: 404 otherwise; the read is logged."""
    exists = case_selectors.visible_cases(user).filter(pk=case_id, service_area__in=CARE_AREAS).exists()
    if not exists:
        raise Http404
    return case_selectors.case_for_user(user, case_id, action=action)


def care_cases(user) -> QuerySet[Case]:
    """The user's open elderly care and disability cases, by stage."""
    return (
        case_selectors.my_open_cases(user)
        .filter(service_area__in=CARE_AREAS)
        .select_related("person", "case_type")
    )


def investigation_of(case: Case) -> Investigation | None:
    return (
        Investigation.objects.filter(case=case)
        .prefetch_related(
            "assessments__icf_codes", "assessments__life_area", "contacts", "proposals__life_areas"
        )
        .first()
    )


def reassessment_of(case: Case) -> Reassessment | None:
    return Reassessment.objects.filter(case=case).select_related("previous_case").first()


# --- the choice scheme -----------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovedProvider:
    provider: Provider
    is_default: bool


def approved_providers(
    kind: str, district_id: int, service_area: str, on: date | None = None
) -> list[ApprovedProvider]:
    """Providers approved for a kind of intervention that work in the district and service area;
    the municipality's default (ickevalsalternativ) first."""
    on = on or timezone.localdate()
    approvals = (
        ProviderApproval.objects.filter(
            intervention_kind=kind, valid_from__lte=on, provider__districts=district_id
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("provider")
        .order_by("-is_default", "provider__name")
    )
    found: dict[int, ApprovedProvider] = {}
    for approval in approvals:
        if service_area in approval.provider.service_areas and approval.provider_id not in found:
            found[approval.provider_id] = ApprovedProvider(approval.provider, approval.is_default)
    return list(found.values())


def default_provider(
    kind: str, district_id: int, service_area: str, on: date | None = None
) -> Provider | None:
    for approved in approved_providers(kind, district_id, service_area, on):
        if approved.is_default:
            return approved.provider
    return None


# --- orders ----------------------------------------------------------------------------------


def details_of(order: Order) -> OrderDetails | None:
    try:
        return order.care_details
    except OrderDetails.DoesNotExist:
        return None


@dataclass(frozen=True)
class OrderAccess:
    """How the user reaches an order: as its provider (while active) or as the authority."""

    as_provider: bool
    as_authority: bool


def _order_access(user, order: Order) -> OrderAccess:
    scope = scope_for(user)
    as_provider = (
        order.provider_id in scope.provider_ids
        and order.status == OrderStatus.ACTIVE
        and restrict_persons(Person.objects.filter(pk=order.intervention.case.person_id), user).exists()
    )
    as_authority = bool(scope.case_unit_ids or scope.emergency_areas) and (
        restrict_cases(Case.objects.filter(pk=order.intervention.case_id), user).exists()
    )
    return OrderAccess(as_provider, as_authority)


def order_for_user(
    user, order_id: int, *, action: str = "view_order", allow=None
) -> tuple[Order, OrderAccess]:
    """One order: for its provider's staff while it is active, and for the caseworkers who see the case.
    ``allow(order, access)`` narrows it further (checked before the read is logged). Missing and forbidden
    are both 404; the read is logged."""
    order = (
        Order.objects.select_related(
            "intervention__case__person",
            "intervention__case__case_type",
            "intervention__case__assigned_to",
            "intervention__case__unit",
            "provider",
            "care_details",
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise Http404
    access = _order_access(user, order)
    if not (access.as_provider or access.as_authority):
        raise Http404
    if allow is not None and not allow(order, access):
        raise Http404
    case = order.intervention.case
    reach = person_access(user, case.person)
    record_event(
        actor=user,
        action=action,
        person_id=case.person_id,
        case_id=case.pk,
        object_type="order",
        object_id=order.pk,
        is_emergency=reach.is_emergency,
        reason=reach.reason,
    )
    return order, access


def provider_orders(user) -> list[Order]:
    """The active orders of the user's providers (Mina uppdrag), newest first."""
    return list(
        case_selectors.active_orders_for_provider_user(user)
        .select_related("care_details", "intervention__case__person__district")
        .order_by("intervention__case__person__last_name", "intervention__case__person__first_name", "pk")[
            :200
        ]
    )


def orders_of_case(case: Case) -> list[Order]:
    return list(
        Order.objects.filter(intervention__case=case)
        .select_related("provider", "intervention", "care_details", "provider_choice__recorded_by")
        .order_by("-sent_at")
    )


def order_terms(order: Order) -> dict:
    """The parts of an order a plan is written against (see OrderDetails.terms)."""
    details = details_of(order)
    if details is not None:
        return details.terms()
    intervention = order.intervention
    return {
        "intervention_kind": intervention.kind,
        "description": intervention.description,
        "scope_amount": "",
        "scope_unit": "",
        "scope": intervention.scope,
        "goals": "",
        "period_start": intervention.starts_on.isoformat(),
        "period_end": intervention.ends_on.isoformat() if intervention.ends_on else "",
    }


TERM_LABELS = {
    "intervention_kind": _("Insats"),
    "description": _("Beskrivning"),
    "scope": _("Omfattning"),
    "goals": _("Mål"),
    "period_start": _("Gäller från"),
    "period_end": _("Gäller till"),
}


def _readable_terms(terms: dict, labels: dict[str, str]) -> dict[str, str]:
    readable = {key: str(terms.get(key, "")) for key in TERM_LABELS}
    readable["intervention_kind"] = labels.get(readable["intervention_kind"], readable["intervention_kind"])
    if terms.get("scope_unit") in ScopeUnit.values:
        amount = terms.get("scope_amount") or None
        readable["scope"] = format_scope(Decimal(amount) if amount else None, terms["scope_unit"])
    return readable


def term_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """What differs between two sets of order terms, in words: (label, before, after)."""
    labels = kind_labels()
    before, after = _readable_terms(old, labels), _readable_terms(new, labels)
    return [
        (str(label), before[key] or "–", after[key] or "–")
        for key, label in TERM_LABELS.items()
        if before[key] != after[key]
    ]


# --- the implementation plan -----------------------------------------------------------------


def plan_for_order(order: Order) -> ImplementationPlan | None:
    return ImplementationPlan.objects.filter(
        person_id=order.intervention.case.person_id,
        provider_id=order.provider_id,
        intervention_kind=order.intervention.kind,
    ).first()


def current_order_of_plan(plan: ImplementationPlan) -> Order | None:
    """The newest active order the plan carries out (a new decision's order replaces the old one)."""
    return (
        Order.objects.filter(
            provider_id=plan.provider_id,
            intervention__case__person_id=plan.person_id,
            intervention__kind=plan.intervention_kind,
            status=OrderStatus.ACTIVE,
        )
        .select_related("intervention__case__person", "provider", "care_details")
        .order_by("-sent_at", "-pk")
        .first()
    )


def plan_for_user(user, plan_id: int, *, action: str = "view_implementation_plan"):
    """A plan for the staff of its provider while the provider has an active order for it; 404 otherwise."""
    plan = ImplementationPlan.objects.select_related("person", "provider").filter(pk=plan_id).first()
    if plan is None or plan.provider_id not in scope_for(user).provider_ids:
        raise Http404
    order = current_order_of_plan(plan)
    if order is None or not restrict_persons(Person.objects.filter(pk=plan.person_id), user).exists():
        raise Http404
    record_event(
        actor=user,
        action=action,
        person_id=plan.person_id,
        case_id=order.intervention.case_id,
        object_type="implementation_plan",
        object_id=plan.pk,
    )
    return plan, order


# --- social documentation at the provider ----------------------------------------------------


def provider_journal(person_id: int, provider_id: int) -> QuerySet[ProviderJournalEntry]:
    """The provider's own documentation about a client (only for the provider's staff)."""
    return ProviderJournalEntry.objects.filter(person_id=person_id, provider_id=provider_id).select_related(
        "author"
    )


def authority_may_read_journal(order: Order) -> bool:
    details = details_of(order)
    return details is not None and details.authority_may_read_journal


def provider_journal_for_authority(order: Order) -> QuerySet[ProviderJournalEntry]:
    """What the authority may read of the provider's documentation: only under a recorded consent."""
    if not authority_may_read_journal(order):
        return ProviderJournalEntry.objects.none()
    return ProviderJournalEntry.objects.filter(order=order).select_related("author")


# --- messages to the caseworker --------------------------------------------------------------


def provider_messages_for(user) -> list[ProviderMessage]:
    """Unread messages from providers about the cases the user is assigned to (the start page)."""
    if not scope_for(user).case_unit_ids:
        return []
    cases = case_selectors.assigned_cases(user)
    return list(
        ProviderMessage.objects.filter(read_at__isnull=True, order__intervention__case__in=cases)
        .select_related("order__intervention__case__person", "order__provider")
        .order_by("-sent_at")[:20]
    )


def due_reassessments_for(user, today: date | None = None) -> list[Reassessment]:
    """Reassessments whose new decision has started while orders under the old one still run."""
    if not scope_for(user).case_unit_ids:
        return []
    today = today or timezone.localdate()
    cases = case_selectors.assigned_cases(user)
    due = (
        Reassessment.objects.filter(
            case__in=cases, replaces_from__lte=today, previous_orders_ended_at__isnull=True
        )
        .filter(previous_case__interventions__orders__status=OrderStatus.ACTIVE)
        .select_related("case__person", "previous_case")
        .distinct()
    )
    return list(due[:20])


def messages_of_order(order: Order) -> QuerySet[ProviderMessage]:
    return ProviderMessage.objects.filter(order=order).select_related("sent_by", "read_by")


def message_for_user(user, message_id: int) -> ProviderMessage:
    """A message for the caseworkers who see its case; 404 otherwise."""
    message = (
        ProviderMessage.objects.filter(
            pk=message_id, order__intervention__case__in=case_selectors.visible_cases(user)
        )
        .select_related("order__intervention__case__person", "order__provider", "sent_by", "read_by")
        .first()
    )
    if message is None:
        raise Http404
    case = message.order.intervention.case
    record_event(
        actor=user,
        action="view_provider_message",
        person_id=case.person_id,
        case_id=case.pk,
        object_type="provider_message",
        object_id=message.pk,
    )
    return message
