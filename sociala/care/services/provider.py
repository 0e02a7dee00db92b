"""The provider's side: the implementation plan, social documentation, and messages to the caseworker."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case, scope_for
from sociala.care.choices import MessageKind, SignatureMethod
from sociala.care.models import (
    ImplementationPlan,
    ImplementationPlanVersion,
    ProviderJournalEntry,
    ProviderMessage,
)
from sociala.care.selectors import current_order_of_plan, order_terms
from sociala.cases.models import Order
from sociala.core.errors import InvalidInput, Message, NotPermitted

from .common import check_past_date, check_text, lock_provider_order, log


@transaction.atomic
def save_plan_version(
    *,
    actor,
    order: Order,
    goals: str,
    how: str,
    schedule: str,
    performed_by: str,
    client_wishes: str = "",
    participants: str = "",
) -> ImplementationPlanVersion:
    """Save the implementation plan written with the client as a new version, against the order as it
    is now (saving after a changed decision is the review of the plan)."""
    order = lock_provider_order(actor, order)
    errors: dict[str, Message] = {}
    values = {
        "goals": check_text(errors, "goals", goals, required=_("Skriv vad målen är.")),
        "how": check_text(errors, "how", how, required=_("Beskriv hur insatsen genomförs.")),
        "schedule": check_text(errors, "schedule", schedule, required=_("Beskriv när insatsen ges.")),
        "performed_by": check_text(
            errors, "performed_by", performed_by, required=_("Beskriv vem som utför insatsen.")
        ),
        "client_wishes": check_text(errors, "client_wishes", client_wishes),
        "participants": check_text(errors, "participants", participants)[:300],
    }
    if errors:
        raise InvalidInput(errors)
    case = order.intervention.case
    plan, created = ImplementationPlan.objects.get_or_create(
        person_id=case.person_id,
        provider_id=order.provider_id,
        intervention_kind=order.intervention.kind,
        defaults={"created_by": actor},
    )
    plan = ImplementationPlan.objects.select_for_update().get(pk=plan.pk)
    if not created:
        current = current_order_of_plan(plan)
        if current is None or current.pk != order.pk:
            raise InvalidInput({"__all__": _("Planen skrivs mot den senaste beställningen.")})
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ImplementationPlanVersion.objects.create(
        plan=plan, number=number, basis_order=order, basis=order_terms(order), created_by=actor, **values
    )
    log(actor, "save_implementation_plan", case, version, plan=plan.pk, version=number)
    return version


@transaction.atomic
def sign_plan_version(
    *,
    actor,
    version: ImplementationPlanVersion,
    method: str,
    signed_on: date | None,
    signed_name: str = "",
    confirmed: bool = False,
) -> ImplementationPlanVersion:
    """Record the client's signature of the latest version: on screen (confirmed, name and date) or on
    paper (the date of the signed paper)."""
    version = (
        ImplementationPlanVersion.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=version.pk)
    )
    order = current_order_of_plan(version.plan)
    if order is None:
        raise NotPermitted
    order = lock_provider_order(actor, order)
    errors: dict[str, Message] = {}
    latest = version.plan.versions.aggregate(n=Max("number"))["n"]
    if version.number != latest:
        errors["__all__"] = _("Bara den senaste versionen av planen kan signeras.")
    elif version.is_signed:
        errors["__all__"] = _("Den här versionen är redan signerad.")
    signed_name = (signed_name or "").strip()[:160]
    if method == SignatureMethod.ON_SCREEN:
        if not confirmed:
            errors["confirmed"] = _(
                "Den enskilde bekräftar att hen har tagit del av planen och godkänner den."
            )
        if not signed_name:
            errors["signed_name"] = _("Skriv den enskildes namn.")
    elif method != SignatureMethod.ON_PAPER:
        errors["method"] = _("Välj om planen signeras på skärmen eller på papper.")
    check_past_date(errors, "signed_on", signed_on, message=_("Ange datum för underskriften."))
    if errors:
        raise InvalidInput(errors)
    version.signature_method = method
    version.signed_name = signed_name
    version.signed_on = signed_on
    version.signature_recorded_by = actor
    version.signature_recorded_at = timezone.now()
    version.save(
        update_fields=[
            "signature_method",
            "signed_name",
            "signed_on",
            "signature_recorded_by",
            "signature_recorded_at",
        ]
    )
    log(actor, "sign_implementation_plan", order.intervention.case, version, method=method)
    return version


@transaction.atomic
def write_provider_journal_entry(
    *, actor, order: Order, text: str, occurred_on: date | None
) -> ProviderJournalEntry:
    """Document at the provider (SoL 11:5, LSS 21 a §); an entry is final once saved."""
    order = lock_provider_order(actor, order)
    errors: dict[str, Message] = {}
    text = check_text(errors, "text", text, required=_("Skriv anteckningen."))
    check_past_date(errors, "occurred_on", occurred_on, message=_("Ange datum för händelsen."))
    if errors:
        raise InvalidInput(errors)
    assert occurred_on is not None  # checked above
    case = order.intervention.case
    entry = ProviderJournalEntry.objects.create(
        person_id=case.person_id,
        provider_id=order.provider_id,
        order=order,
        occurred_on=occurred_on,
        text=text,
        author=actor,
    )
    log(actor, "create_provider_journal_entry", case, entry)
    return entry


@transaction.atomic
def send_provider_message(
    *, actor, order: Order, kind: str, text: str, occurred_on: date | None
) -> ProviderMessage:
    """Report back to the caseworker: changed needs, a deviation, the client in hospital or declining."""
    order = lock_provider_order(actor, order)
    errors: dict[str, Message] = {}
    if kind not in MessageKind.values:
        errors["kind"] = _("Välj vad meddelandet gäller.")
    text = check_text(errors, "text", text, required=_("Skriv vad som har hänt."))
    check_past_date(errors, "occurred_on", occurred_on, message=_("Ange när det hände."))
    if errors:
        raise InvalidInput(errors)
    assert occurred_on is not None  # checked above
    message = ProviderMessage.objects.create(
        order=order, kind=kind, text=text, occurred_on=occurred_on, sent_by=actor
    )
    log(actor, "send_provider_message", order.intervention.case, message, kind=kind)
    return message


@transaction.atomic
def mark_message_read(*, actor, message: ProviderMessage) -> ProviderMessage:
    """The caseworker has read a provider's message (it leaves the start page)."""
    message = ProviderMessage.objects.select_related("order__intervention__case__person").get(pk=message.pk)
    case = message.order.intervention.case
    if not scope_for(actor).case_unit_ids or not can_write_case(actor, case):
        raise NotPermitted
    updated = ProviderMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(
        read_by=actor, read_at=timezone.now()
    )
    message.refresh_from_db()
    if updated:
        log(actor, "read_provider_message", case, message)
    return message
