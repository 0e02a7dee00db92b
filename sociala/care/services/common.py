"""What every care service shares: the audit record, the access checks, text limits."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case, emergency_only_access, restrict_persons, scope_for
from sociala.audit.services import record_event
from sociala.care.selectors import CARE_AREAS
from sociala.cases.choices import OrderStatus
from sociala.cases.models import Case, Order
from sociala.core.errors import Message, NotPermitted
from sociala.people.models import Person

MAX_TEXT = 10_000


def log(actor, action: str, case: Case, obj, **details) -> None:
    """A write in the care app, in the audit log; flagged when the actor reached the person only
    through emergency access."""
    access = emergency_only_access(actor, case.person)
    record_event(
        actor=actor,
        action=action,
        person_id=case.person_id,
        case_id=case.pk,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
        details=details,
    )


def check_care_case(actor, case: Case) -> None:
    """Writing in an elderly care or disability case: the case must be visible to the actor."""
    if case.service_area not in CARE_AREAS or not can_write_case(actor, case):
        raise NotPermitted


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("person", "case_type").get(pk=case.pk)


def lock_provider_order(actor, order: Order) -> Order:
    """The order, locked, when the actor works for its provider and the order is active; else NotPermitted."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("intervention__case__person", "provider")
        .get(pk=order.pk)
    )
    if order.provider_id not in scope_for(actor).provider_ids or order.status != OrderStatus.ACTIVE:
        raise NotPermitted
    person_id = order.intervention.case.person_id
    if not restrict_persons(Person.objects.filter(pk=person_id), actor).exists():
        raise NotPermitted
    return order


def check_text(errors: dict[str, Message], field: str, value: str, *, required: Message | None = None) -> str:
    """Strip a text; note a missing required one or one past the length limit."""
    value = (value or "").strip()
    if required is not None and not value:
        errors[field] = required
    elif len(value) > MAX_TEXT:
        errors[field] = _("Texten är för lång (högst 10 000 tecken).")
    return value


def check_past_date(errors: dict[str, Message], field: str, value: date | None, *, message: Message) -> None:
    if value is None:
        errors[field] = message
    elif value > timezone.localdate():
        errors[field] = _("Datumet kan inte ligga i framtiden.")
