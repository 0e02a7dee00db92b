"""Reads of fee data, restricted by the access policy; reads of a person's fee data are logged.

Who sees fee data: a caseworker or unit manager who may see one of the person's cases in a service
area where fees are charged (elderly care, disability, health care), and anyone with emergency access
to such a case. Fee data is social-services data about the person's finances; secrecy holds between
service areas (OSL 8:2), so an IFO caseworker who sees only an income support case does not see it.
Provider staff never see fees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from sociala.access.policy import person_access, restrict_cases
from sociala.audit.services import record_event
from sociala.cases.models import Case
from sociala.core.choices import ServiceArea

from .models import ClientInvoice, FeeDecision

FEE_SERVICE_AREAS = (ServiceArea.ELDERLY, ServiceArea.DISABILITY, ServiceArea.HEALTH)


def fee_cases(user, person) -> QuerySet[Case]:
    """The person's cases in fee-charging service areas that the user may see, newest first."""
    cases = Case.objects.filter(person=person, service_area__in=FEE_SERVICE_AREAS)
    return restrict_cases(cases, user).select_related("district").order_by("-received_on", "-pk")


def fee_case_exists(person) -> bool:
    """Whether the person has any case in a fee-charging service area (no access check: for services)."""
    return Case.objects.filter(person=person, service_area__in=FEE_SERVICE_AREAS).exists()


def fee_decisions_for_citizen(person) -> QuerySet[FeeDecision]:
    """The person's own fee decisions for the e-service (the caller is the signed-in person)."""
    return FeeDecision.objects.filter(person=person).select_related("district").order_by("-valid_from", "-pk")


def invoices_for_citizen(person) -> QuerySet[ClientInvoice]:
    """The person's own client invoices for the e-service, newest month first."""
    return ClientInvoice.objects.filter(person=person).order_by("-month", "-pk")


def may_handle_fees(user, person) -> bool:
    """Whether the user may see and write the person's fee data (see the module docstring)."""
    return fee_cases(user, person).exists()


def in_force_q(month: date, prefix: str = "") -> Q:
    """Fee decisions that apply to the whole of ``month`` (decisions always start on a month's first day)."""
    first = month.replace(day=1)
    return Q(**{f"{prefix}valid_from__lte": first}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": first})
    )


def decision_in_force(person, month: date) -> FeeDecision | None:
    """The person's fee decision for a month, if any (no access check: for services and jobs)."""
    return FeeDecision.objects.filter(in_force_q(month), person=person).order_by("-valid_from", "-pk").first()


def fee_decisions_of_person(user, person) -> QuerySet[FeeDecision]:
    """The person's fee decisions, newest first; empty when the user may not see them. The read is logged."""
    if not may_handle_fees(user, person):
        return FeeDecision.objects.none()
    access = person_access(user, person)
    record_event(
        actor=user,
        action="view_fee_decisions",
        person_id=person.pk,
        object_type="person",
        object_id=person.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
    )
    return (
        FeeDecision.objects.filter(person=person)
        .select_related("declaration", "decided_by", "district")
        .order_by("-valid_from", "-decided_at")
    )


@dataclass(frozen=True)
class InvoiceRow:
    """One client invoice as the finance export needs it (the file format belongs to the finance app)."""

    invoice_id: int
    person_id: int
    personal_identity_number: str
    month: date
    amount: int
    ocr_reference: str
    issued_on: date
    due_on: date
    cost_centre: str
    district: str
    fee_decision: str


def invoice_rows(month: date) -> list[InvoiceRow]:
    """Every client invoice for ``month``, for the finance export job (not for pages: no access filter).

    ``cost_centre`` is the code of the district committee that decided the fee; mapping it to the
    finance system's own cost centre belongs to the export.
    """
    invoices = (
        ClientInvoice.objects.filter(month=month.replace(day=1))
        .select_related("person", "district", "fee_decision")
        .order_by("pk")
    )
    return [
        InvoiceRow(
            invoice_id=invoice.pk,
            person_id=invoice.person_id,
            personal_identity_number=invoice.person.personal_identity_number,
            month=invoice.month,
            amount=invoice.amount,
            ocr_reference=invoice.ocr_reference,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
            cost_centre=invoice.district.code,
            district=invoice.district.name,
            fee_decision=invoice.fee_decision.reference,
        )
        for invoice in invoices
    ]
