"""Typed request and response bodies of the API; built from model objects by the functions below."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Path, Schema
from pydantic import AfterValidator

from sociala.audit.models import AuditEvent
from sociala.cases.choices import JournalCategory
from sociala.cases.models import Case, Deadline, Decision, JournalEntry
from sociala.people.models import Person, Relation

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
MAX_OFFSET = 1_000_000
# Ids are 64-bit in the database; a larger number is invalid input, not a server error.
MAX_ID = 2**63 - 1
# Dates a filter may name (the day after ``to`` must still be a date).
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(9999, 12, 30)


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; Django's forms refuse it the same way.
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
FilterDate = Annotated[date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]


# --- shared ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error except invalid input: 401, 403, 404, 429."""

    detail: str


class InvalidInputOut(Schema):
    """422: one message per field that is wrong (``__all__`` for the request as a whole)."""

    detail: str
    errors: dict[str, str]


class PageIn(Schema):
    """Limit and offset of a list."""

    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


# --- auth -----------------------------------------------------------------------------------


class TokenIn(Schema):
    username: Text = Field(..., max_length=150)
    password: Text = Field(..., max_length=500)
    code: Text = Field("", max_length=12, description="The one-time code, for users with a second factor")


class TokenOut(Schema):
    token: str


# --- persons --------------------------------------------------------------------------------


class PersonOut(Schema):
    """A person in a list or a reference from another object."""

    id: int
    personal_identity_number: str = Field(..., description="YYYYMMDD-NNNN (reserve numbers as registered)")
    first_name: str
    last_name: str
    birth_date: date
    protection_level: str = Field(
        ..., description='"" (none), confidentiality_marked, protected_registration or fictitious_identity'
    )
    is_deceased: bool


class PersonPage(Schema):
    items: list[PersonOut]
    count: int = Field(..., description="all matches; a search with q counts at most 1000, narrow it then")


class AddressOut(Schema):
    street_address: str
    postal_code: str
    city: str


class RelationOut(Schema):
    kind: str
    valid_from: date | None
    valid_to: date | None
    related: PersonOut


class PersonDetailOut(PersonOut):
    """One person as the person page shows them; address and contact only when the policy allows."""

    number_kind: str
    sex: str
    deceased_on: date | None
    district: str | None = Field(..., description="null when the address is protected")
    address: AddressOut | None
    phone: str | None
    email: str | None
    address_protected: bool
    is_emergency_access: bool = Field(
        ..., description="true when the person is open only through emergency access (nödåtkomst)"
    )
    relations: list[RelationOut]


# --- cases ----------------------------------------------------------------------------------


class CaseTypeOut(Schema):
    code: str
    name: str


class CaseOut(Schema):
    """A case in a list."""

    id: int
    reference: str
    case_type: CaseTypeOut
    service_area: str
    stage: str
    received_on: date
    assigned_to: str | None = Field(..., description="the assigned caseworker's name")


class CasePage(Schema):
    items: list[CaseOut]
    count: int


class DecisionItemOut(Schema):
    id: int
    description: str
    intervention_kind: str
    outcome: str
    scope: str
    amount: int | None = Field(..., description="whole kronor")
    legal_basis: str
    motivation: str


class DecisionOut(Schema):
    id: int
    reference: str
    outcome: str
    sought: str
    period_start: date
    period_end: date | None
    legal_basis: str
    motivation: str
    decided_by: str
    delegation_reference: str
    decided_on: date
    is_automated: bool
    appeal_instructions: str
    items: list[DecisionItemOut]


class JournalEntryOut(Schema):
    id: int
    case_id: int | None
    category: str
    title: str
    text: str
    status: str
    occurred_on: date
    author: str
    author_id: int
    created_at: datetime
    updated_at: datetime
    signed_at: datetime | None
    corrects_id: int | None
    correction_reason: str
    corrected_by: list[int] = Field(..., description="ids of the entries that correct this one")


class DeadlineOut(Schema):
    id: int
    title: str
    rule: str | None
    starts_on: date
    due_on: date
    is_overdue: bool
    assigned_to_id: int | None


class CaseDetailOut(CaseOut):
    """One case with its decisions, journal and open deadlines."""

    person: PersonOut
    intake_kind: str
    sought: str
    unit: str
    opened_at: datetime
    closed_at: datetime | None
    communicated_on: date | None
    decisions: list[DecisionOut]
    journal: list[JournalEntryOut] = Field(..., description="signed entries and the caller's own drafts")
    deadlines: list[DeadlineOut] = Field(..., description="open deadlines, earliest first")


class JournalEntryIn(Schema):
    category: Text = Field(..., max_length=20, json_schema_extra={"enum": list(JournalCategory.values)})
    text: Text = Field(..., max_length=100_000)
    title: Text = Field("", max_length=200)
    occurred_on: date | None = None
    sign: bool = False


# --- audit ----------------------------------------------------------------------------------


class AuditFilterIn(PageIn):
    person: Id | None = None
    user: Id | None = None
    date_from: FilterDate | None = Field(None, alias="from")
    date_to: FilterDate | None = Field(None, alias="to")
    is_emergency: bool | None = Field(None, description="true: only reads under emergency access")


class AuditEventOut(Schema):
    seq: int
    occurred_at: datetime
    user_id: int | None
    username: str
    role: str
    action: str
    person_id: int | None
    case_id: int | None
    object_type: str
    object_id: str
    is_emergency: bool
    reason: str
    details: dict


class AuditEventPage(Schema):
    items: list[AuditEventOut]
    count: int


# --- builders -------------------------------------------------------------------------------


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.pk,
        personal_identity_number=person.formatted_number,
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
        protection_level=person.protection_level,
        is_deceased=person.is_deceased,
    )


def person_detail_out(person: Person, access, relations: list[Relation]) -> PersonDetailOut:
    shown = access.shows_address
    return PersonDetailOut(
        **person_out(person).model_dump(),
        number_kind=person.number_kind,
        sex=person.sex,
        deceased_on=person.deceased_on,
        district=person.district.name if shown and person.district_id else None,
        address=(
            AddressOut(street_address=person.street_address, postal_code=person.postal_code, city=person.city)
            if shown
            else None
        ),
        phone=person.phone if shown else None,
        email=person.email if shown else None,
        address_protected=not shown,
        is_emergency_access=access.is_emergency,
        relations=[
            RelationOut(
                kind=r.kind, valid_from=r.valid_from, valid_to=r.valid_to, related=person_out(r.related)
            )
            for r in relations
        ],
    )


def _case_fields(case: Case) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "case_type": CaseTypeOut(code=case.case_type.code, name=case.case_type.name),
        "service_area": case.service_area,
        "stage": case.stage,
        "received_on": case.received_on,
        "assigned_to": _name(case.assigned_to),
    }


def case_out(case: Case) -> CaseOut:
    return CaseOut(**_case_fields(case))


def decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk,
        reference=decision.reference,
        outcome=decision.outcome,
        sought=decision.sought,
        period_start=decision.period_start,
        period_end=decision.period_end,
        legal_basis=decision.legal_basis,
        motivation=decision.motivation,
        decided_by=_name(decision.decided_by) or "",
        delegation_reference=decision.delegation_reference,
        decided_on=decision.decided_on,
        is_automated=decision.is_automated,
        appeal_instructions=decision.appeal_instructions,
        items=[
            DecisionItemOut(
                id=item.pk,
                description=item.description,
                intervention_kind=item.intervention_kind,
                outcome=item.outcome,
                scope=item.scope,
                amount=item.amount,
                legal_basis=item.legal_basis,
                motivation=item.motivation,
            )
            for item in decision.items.all()
        ],
    )


def journal_entry_out(entry: JournalEntry, *, corrected_by: list[int] | None = None) -> JournalEntryOut:
    return JournalEntryOut(
        id=entry.pk,
        case_id=entry.case_id,
        category=entry.category,
        title=entry.title,
        text=entry.text,
        status=entry.status,
        occurred_on=entry.occurred_on,
        author=_name(entry.author) or "",
        author_id=entry.author_id,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        signed_at=entry.signed_at,
        corrects_id=entry.corrects_id,
        correction_reason=entry.correction_reason,
        corrected_by=corrected_by if corrected_by is not None else [c.pk for c in entry.corrections.all()],
    )


def deadline_out(deadline: Deadline) -> DeadlineOut:
    return DeadlineOut(
        id=deadline.pk,
        title=deadline.title,
        rule=deadline.rule.code if deadline.rule_id else None,
        starts_on=deadline.starts_on,
        due_on=deadline.due_on,
        is_overdue=deadline.is_overdue,
        assigned_to_id=deadline.assigned_to_id,
    )


def case_detail_out(
    case: Case, *, decisions: list[Decision], journal: list[JournalEntry], deadlines: list[Deadline]
) -> CaseDetailOut:
    return CaseDetailOut(
        **_case_fields(case),
        person=person_out(case.person),
        intake_kind=case.intake_kind,
        sought=case.sought,
        unit=case.unit.name,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        communicated_on=case.communicated_on,
        decisions=[decision_out(d) for d in decisions],
        journal=[journal_entry_out(e) for e in journal],
        deadlines=[deadline_out(d) for d in deadlines],
    )


def audit_event_out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        seq=event.seq,
        occurred_at=event.occurred_at,
        user_id=event.user_id,
        username=event.username,
        role=event.role,
        action=event.action,
        person_id=event.person_id,
        case_id=event.case_id,
        object_type=event.object_type,
        object_id=event.object_id,
        is_emergency=event.is_emergency,
        reason=event.reason,
        details=event.details,
    )
