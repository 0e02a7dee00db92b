"""API routes of the children app, mounted under /api/v1/children in sociala/api/api.py."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Field, Router, Schema, Status

from sociala.access.policy import restrict_persons
from sociala.api.common import ERRORS, require_personal_data_role
from sociala.api.schemas import CaseOut, Id, PathId, Text, case_out
from sociala.cases.models import Case
from sociala.people.models import Person

from . import services
from .choices import ReporterType
from .models import ReportOfConcern, SafetyAssessment
from .selectors import may_register_reports, report_for_user

router = Router(tags=["children"])


class ReportIn(Schema):
    """A report of concern about a child; ``received_on`` may be earlier than today (a paper report)."""

    person_id: Id
    received_on: date
    reporter_type: Text = Field(..., max_length=30, json_schema_extra={"enum": list(ReporterType.values)})
    text: Text = Field(..., max_length=20_000)
    reporter_name: Text = Field("", max_length=200, description="empty for an anonymous reporter")
    reporter_contact: Text = Field("", max_length=200, description="phone, e-mail or address")


class SafetyAssessmentOut(Schema):
    assessed_on: date
    needs_immediate_protection: bool
    reasoning: str
    assessed_by: str
    is_from_out_of_hours_service: bool


class ReportOut(Schema):
    """A report of concern with the deadlines it sets and the case it belongs to."""

    id: int
    person_id: int | None = Field(..., description="null while a public e-form report awaits identification")
    received_on: date
    reporter_type: str
    is_mandatory_reporter: bool
    reporter_name: str
    reporter_contact: str
    text: str
    is_from_out_of_hours_service: bool
    safety_assessment_due: date = Field(..., description="the same day as received (skyddsbedömning)")
    initial_assessment_due: date | None = Field(
        ..., description="the förhandsbedömning deadline in force; null when the case is past the intake"
    )
    initial_assessment_calendar_due: date | None = Field(
        ..., description="the calendar deadline, before any move past holidays (a setting of the rule)"
    )
    safety_assessment: SafetyAssessmentOut | None
    awaits_hand_over: bool = Field(
        ..., description="an out-of-hours report the district has not taken over; case is null until then"
    )
    case: CaseOut | None


class ReportCreatedOut(ReportOut):
    joined_open_case: bool = Field(..., description="true when the report joined the child's open case")


def _name(user) -> str:
    return user.get_full_name() or user.username


def _safety_out(assessment: SafetyAssessment | None) -> SafetyAssessmentOut | None:
    if assessment is None:
        return None
    return SafetyAssessmentOut(
        assessed_on=assessment.assessed_on,
        needs_immediate_protection=assessment.needs_immediate_protection,
        reasoning=assessment.reasoning,
        assessed_by=_name(assessment.assessed_by),
        is_from_out_of_hours_service=assessment.is_from_out_of_hours_service,
    )


def report_out(report: ReportOfConcern, case: Case | None) -> dict:
    return {
        "id": report.pk,
        "person_id": report.person_id,
        "received_on": report.received_on,
        "reporter_type": report.reporter_type,
        "is_mandatory_reporter": report.is_mandatory_reporter,
        "reporter_name": report.reporter_name,
        "reporter_contact": report.reporter_contact,
        "text": report.text,
        "is_from_out_of_hours_service": report.is_from_out_of_hours_service,
        "safety_assessment_due": report.safety_assessment_due_on,
        "initial_assessment_due": report.initial_assessment_due_on,
        "initial_assessment_calendar_due": report.initial_assessment_calendar_due_on,
        "safety_assessment": _safety_out(getattr(report, "safety_assessment", None)),
        "awaits_hand_over": report.awaits_hand_over,
        "case": case_out(case) if case is not None else None,
    }


@router.post("/reports", response={201: ReportCreatedOut, **ERRORS})
def create_report(request, payload: ReportIn):
    """Register a report of concern about a child (under 18): it joins the child's open case or opens one.

    Returns the report with the deadlines computed from ``received_on`` by the deadline rules (data).
    The out-of-hours service (socialjour) needs emergency access to the child first.
    """
    user = request.auth
    require_personal_data_role(user)
    if not may_register_reports(user):
        raise Http404
    person = restrict_persons(Person.objects.filter(pk=payload.person_id), user).first()
    if person is None:
        raise Http404
    report = services.register_report_of_concern(
        actor=user,
        person=person,
        received_on=payload.received_on,
        reporter_type=payload.reporter_type,
        text=payload.text,
        reporter_name=payload.reporter_name,
        reporter_contact=payload.reporter_contact,
    )
    return Status(
        201, ReportCreatedOut(**report_out(report, report.case), joined_open_case=report.joined_open_case)
    )


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def get_report(request, report_id: PathId):
    """One report of concern with its safety assessment and case."""
    user = request.auth
    require_personal_data_role(user)
    report, _access = report_for_user(user, report_id)
    return ReportOut(**report_out(report, report.case))
