"""API routes of the retention app, mounted under /api/v1/retention in sociala/api/api.py.

* ``GET /culling/report?on=YYYY-MM-DD``: the dry run (system administrator): what would be culled on
  the day, with the rule for each case file; ids, references and dates only, no names.
* ``GET /journal-entries/{id}/objections``: the person's objections noted on a journal entry.
* ``POST /journal-entries/{id}/objections``: note an objection (SoL 14 kap. 6 §); the entry is not changed.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from sociala.api.common import ERRORS, require_personal_data_role
from sociala.api.schemas import FilterDate, PathId, Text
from sociala.audit.services import record_event
from sociala.cases.selectors import journal_entry_for_user

from .choices import ReceivedVia
from .models import EntryObjection
from .permissions import may_administer_culling, may_record_objection
from .selectors import objections_by_entry
from .services import culling, rights

router = Router(tags=["retention"])


class ReportIn(Schema):
    on: FilterDate = Field(..., description="The day culling would run (YYYY-MM-DD)")


class ReportRowOut(Schema):
    case_file: int = Field(..., description="The internal number of the case file (the person's id)")
    district: str
    cases: list[str]
    last_entry_on: date
    rule: str
    legal_source: str
    reason: str
    keep_until: date | None
    cull_by: date | None
    overdue: bool
    committee_decision: bool


class ReportOut(Schema):
    on_date: date
    municipality_code: str | None
    research_municipality: bool
    examined: int
    due: list[ReportRowOut]
    kept: dict[str, int]


@router.get("/culling/report", response={200: ReportOut, **ERRORS})
def culling_report(request, params: Query[ReportIn]):
    """What culling would remove on a day (the dry run); for the system administrator."""
    user = request.auth
    if not may_administer_culling(user):
        raise HttpError(403, str(_("Bara systemförvaltaren får se gallringen.")))
    report = culling.dry_run(actor=user, on_date=params.on)
    return ReportOut(
        on_date=report.on_date,
        municipality_code=report.setting.municipality_code if report.setting else None,
        research_municipality=report.research_rule is not None,
        examined=report.examined,
        due=[
            ReportRowOut(
                case_file=row.person_id,
                district=row.district,
                cases=row.case_references,
                last_entry_on=row.last_entry_on,
                rule=row.decision.rule.code,
                legal_source=row.decision.rule.legal_source,
                reason=row.decision.reason,
                keep_until=row.decision.keep_until,
                cull_by=row.decision.cull_by,
                overdue=row.is_overdue,
                committee_decision=row.is_authorized,
            )
            for row in report.rows
        ],
        kept=dict(report.kept),
    )


class ObjectionIn(Schema):
    text: Text = Field(..., max_length=8000, description="What the person says is wrong, in their words")
    received_via: Text = Field(..., max_length=20, json_schema_extra={"enum": list(ReceivedVia.values)})
    received_on: FilterDate


class ObjectionOut(Schema):
    id: int
    entry_id: int
    text: str
    received_via: str
    received_on: date
    recorded_by: str
    recorded_at: datetime


def _objection_out(objection: EntryObjection) -> ObjectionOut:
    return ObjectionOut(
        id=objection.pk,
        entry_id=objection.entry_id,
        text=objection.text,
        received_via=objection.received_via,
        received_on=objection.received_on,
        recorded_by=objection.recorded_by.get_full_name() or objection.recorded_by.get_username(),
        recorded_at=objection.recorded_at,
    )


def _entry(user, entry_id: int):
    require_personal_data_role(user)
    entry = journal_entry_for_user(user, entry_id)
    if entry.case_id is None or not entry.is_signed:
        raise Http404
    return entry


@router.get("/journal-entries/{entry_id}/objections", response={200: list[ObjectionOut], **ERRORS})
def list_objections(request, entry_id: PathId):
    """The objections noted on a signed journal entry, oldest first."""
    user = request.auth
    entry = _entry(user, entry_id)
    objections = objections_by_entry([entry.pk]).get(entry.pk, [])
    record_event(
        actor=user,
        action="view_entry_objections",
        person_id=entry.person_id,
        case_id=entry.case_id,
        object_type="journal_entry",
        object_id=entry.pk,
    )
    return [_objection_out(o) for o in objections]


@router.post("/journal-entries/{entry_id}/objections", response={201: ObjectionOut, **ERRORS})
def create_objection(request, entry_id: PathId, payload: ObjectionIn):
    """Note the person's objection to a signed entry; the entry itself is never changed."""
    user = request.auth
    entry = _entry(user, entry_id)
    if not may_record_objection(user, entry):
        raise Http404
    objection = rights.record_entry_objection(
        actor=user,
        entry=entry,
        text=payload.text,
        received_via=payload.received_via,
        received_on=payload.received_on,
    )
    objection.recorded_by = user
    return Status(201, _objection_out(objection))
