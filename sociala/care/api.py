"""API routes of the care app, mounted under /api/v1/care in sociala/api/api.py."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from sociala.api.common import ERRORS, require_personal_data_role
from sociala.api.schemas import PathId, Text
from sociala.audit.services import record_event

from . import selectors, services
from .choices import MessageKind

router = Router(tags=["care"])


class IcfCodeOut(Schema):
    code: str
    title: str = Field(..., description="Swedish title")
    title_en: str


class IcfSearchIn(Schema):
    q: Text = Field("", max_length=100, description="Code or words of the title, Swedish or English")


@router.get("/icf-codes", response={200: list[IcfCodeOut], **ERRORS})
def search_icf_codes(request, params: Query[IcfSearchIn]):
    """ICF codes of activities and participation (a code list, no personal data)."""
    return [
        IcfCodeOut(code=c.code, title=c.title, title_en=c.title_en)
        for c in selectors.search_icf_codes(params.q, limit=50)
    ]


class ContactOut(Schema):
    name: str
    relation: str
    phone: str


class OrderOut(Schema):
    """What the provider receives: not the investigation."""

    id: int
    person_id: int
    person_name: str
    personal_identity_number: str
    provider: str
    status: str
    intervention_kind: str
    description: str
    scope: str = Field(..., description="In words, e.g. '32 timmar per månad'")
    period_start: date
    period_end: date | None
    goals: str
    practical_information: str
    good_to_know: str
    contacts: list[ContactOut]
    caseworker: str


def order_out(order) -> OrderOut:
    details = selectors.details_of(order)
    intervention = order.intervention
    person = intervention.case.person
    assignee = intervention.case.assigned_to
    return OrderOut(
        id=order.pk,
        person_id=person.pk,
        person_name=person.full_name,
        personal_identity_number=person.personal_identity_number,
        provider=order.provider.name,
        status=order.status,
        intervention_kind=intervention.kind,
        description=intervention.description,
        scope=selectors.format_scope(details.scope_amount, details.scope_unit)
        if details
        else intervention.scope,
        period_start=intervention.starts_on,
        period_end=intervention.ends_on,
        goals=details.goals if details else "",
        practical_information=details.practical_information if details else "",
        good_to_know=details.good_to_know if details else "",
        contacts=[ContactOut(**c) for c in details.contacts] if details else [],
        caseworker=assignee.get_full_name() if assignee else "",
    )


@router.get("/orders", response={200: list[OrderOut], **ERRORS})
def list_orders(request):
    """The active orders of the caller's provider (provider staff); empty for others."""
    user = request.auth
    require_personal_data_role(user)
    orders = selectors.provider_orders(user)
    record_event(
        actor=user,
        action="view_provider_assignments",
        object_type="list",
        details={"person_ids": sorted({o.intervention.case.person_id for o in orders})},
    )
    return [order_out(o) for o in orders]


@router.get("/orders/{order_id}", response={200: OrderOut, **ERRORS})
def get_order(request, order_id: PathId):
    """One order, for its provider while active and for the caseworkers who see the case."""
    user = request.auth
    require_personal_data_role(user)
    order, _access = selectors.order_for_user(user, order_id)
    return order_out(order)


class MessageIn(Schema):
    kind: Text = Field(..., max_length=20, json_schema_extra={"enum": list(MessageKind.values)})
    occurred_on: date
    text: Text = Field(..., max_length=10_000)


class MessageOut(Schema):
    id: int
    kind: str
    occurred_on: date
    text: str


@router.post("/orders/{order_id}/messages", response={201: MessageOut, **ERRORS})
def send_message(request, order_id: PathId, payload: MessageIn):
    """The provider reports back to the caseworker (changed needs, deviation, in hospital, declines)."""
    user = request.auth
    require_personal_data_role(user)
    order, access = selectors.order_for_user(
        user, order_id, action="view_order_for_message", allow=lambda o, a: a.as_provider
    )
    message = services.send_provider_message(
        actor=user, order=order, kind=payload.kind, text=payload.text, occurred_on=payload.occurred_on
    )
    return Status(
        201, MessageOut(id=message.pk, kind=message.kind, occurred_on=message.occurred_on, text=message.text)
    )


class AssessmentOut(Schema):
    life_area: str
    needs: str
    resources: str
    goals: str
    person_view: str
    icf_codes: list[str]


class ProposalOut(Schema):
    intervention_kind: str
    description: str
    scope: str
    goals: str


class InvestigationOut(Schema):
    case_id: int
    background: str
    assessments: list[AssessmentOut]
    proposals: list[ProposalOut]


@router.get("/cases/{case_id}/investigation", response={200: InvestigationOut, **ERRORS})
def get_investigation(request, case_id: PathId):
    """The IBIC investigation of a case, for the caseworkers who see the case."""
    user = request.auth
    require_personal_data_role(user)
    case = selectors.care_case_for_user(user, case_id, action="view_care_investigation")
    found = selectors.investigation_of(case)
    if found is None:
        raise Http404
    units = {k.code: k.scope_unit for k in selectors.intervention_kinds(case.service_area)}
    return InvestigationOut(
        case_id=case.pk,
        background=found.background,
        assessments=[
            AssessmentOut(
                life_area=a.life_area.code,
                needs=a.needs,
                resources=a.resources,
                goals=a.goals,
                person_view=a.person_view,
                icf_codes=sorted(c.code for c in a.icf_codes.all()),
            )
            for a in found.assessments.all()
        ],
        proposals=[
            ProposalOut(
                intervention_kind=p.intervention_kind,
                description=p.description,
                scope=selectors.format_scope(p.scope_amount, units.get(p.intervention_kind, "none")),
                goals=p.goals,
            )
            for p in found.proposals.all()
        ],
    )
