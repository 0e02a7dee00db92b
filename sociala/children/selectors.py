"""Reads of reports of concern and children's cases, restricted by the access policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sociala.access.policy import PersonAccess, person_access, restrict_persons, scope_for
from sociala.accounts.choices import Role
from sociala.audit.services import record_event
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Case, Deadline
from sociala.cases.selectors import visible_cases
from sociala.core.choices import ServiceArea
from sociala.organization.models import Unit
from sociala.people.models import Person

from .models import Placement, ReportOfConcern

CHILD_CASE_TYPE = "child_report_of_concern"
SAFETY_ASSESSMENT_RULE = "child_safety_assessment"
INITIAL_ASSESSMENT_RULE = "child_initial_assessment"
INVESTIGATION_RULE = "child_investigation"
# LVU deadlines and the six-monthly considerations of placements, shown together on the overview.
CARE_RULES = (
    "child_lvu_submission",
    "child_lvu_court_custody",
    "child_lvu_application",
    "child_sol_placement_consideration",
    "child_lvu_consideration",
    "child_lvu_review",
)

# Units have no kind yet: the children's unit of a district is the one named so (see sociala.demo).
CHILDREN_UNIT_PREFIX = "Barn och unga"
ADULT_AGE = 18
# The morning hand-over lists what the out-of-hours service registered since this hour yesterday.
HAND_OVER_FROM = time(16, 0)


def is_children_unit(unit: Unit) -> bool:
    """True for a unit that handles children and young people."""
    return unit.service_area == ServiceArea.INDIVIDUAL_FAMILY and unit.name.startswith(CHILDREN_UNIT_PREFIX)


def children_units(user) -> list[Unit]:
    """The children's units where the user works as caseworker or manager (cached on the user object)."""
    today = timezone.localdate()
    cached = getattr(user, "_children_units", None)
    if cached and cached[0] == today:
        return cached[1]
    ids = scope_for(user).case_unit_ids
    # The units come with the user's assignments (read once per request for the scope): no query.
    units = {a.unit_id: a.unit for a in user.active_assignments(today) if a.unit_id in ids}
    found = [units[pk] for pk in sorted(units) if is_children_unit(units[pk])]
    user._children_units = (today, found)
    return found


def is_out_of_hours_service(user) -> bool:
    """True for the duty team (socialjour) that acts city-wide at night through emergency access."""
    return (
        user.is_authenticated
        and user.has_role(Role.OUT_OF_HOURS)
        and ServiceArea.INDIVIDUAL_FAMILY in scope_for(user).emergency_areas
    )


def may_register_reports(user) -> bool:
    """Caseworkers and managers of a children's unit, and the out-of-hours service."""
    return bool(children_units(user)) or is_out_of_hours_service(user)


def child_cases(user) -> QuerySet[Case]:
    """Children's cases (reports of concern) the user may see."""
    return visible_cases(user).filter(case_type__code=CHILD_CASE_TYPE)


def open_child_case(user, person: Person) -> Case | None:
    """The child's open case that the user may see (the oldest, should there be more than one)."""
    return (
        child_cases(user)
        .filter(person=person)
        .exclude(stage=Stage.CLOSED)
        .select_related("process", "case_type")
        .order_by("received_on", "pk")
        .first()
    )


def child_person_by_number(user, number: str) -> Person | None:
    """The person with this identity number, if the user may see them (missing and hidden look alike)."""
    return restrict_persons(Person.objects.filter(personal_identity_number=number), user).first()


def child_for_identification(user, number: str) -> Person | None:
    """For the city-wide queue: the child with exactly this number, in any district, for a member of a
    children's unit. The caller learns only that the child exists; a child outside the user's scope is
    handed to its district without the user seeing the person (``identify_report_child``)."""
    if not children_units(user):
        return None
    person = Person.objects.filter(personal_identity_number=number, is_deceased=False).first()
    if person is None or person.age_on(timezone.localdate()) >= ADULT_AGE:
        return None
    return person


def _reports_q(user) -> Q:
    """Reports in cases the user sees, and reports waiting for hand-over the user may act on."""
    q = Q(case__in=visible_cases(user))
    districts = {unit.administration.committee_id for unit in children_units(user)}
    if districts:
        # Reports from the public e-form whose child is not yet identified: the city-wide queue.
        q |= Q(person__isnull=True)
        q |= Q(
            case__isnull=True,
            district_id__in=districts,
            person__in=restrict_persons(Person.objects.all(), user),
        )
    if is_out_of_hours_service(user):
        q |= Q(case__isnull=True, person__in=restrict_persons(Person.objects.all(), user))
    return q


def visible_reports(user) -> QuerySet[ReportOfConcern]:
    """Reports of concern the user may see."""
    if not scope_for(user).sees_personal_data:
        return ReportOfConcern.objects.none()
    return ReportOfConcern.objects.filter(_reports_q(user))


def report_for_user(
    user, report_id: int, *, action: str = "view_report_of_concern"
) -> tuple[ReportOfConcern, PersonAccess]:
    """Open one report: 404 when missing or out of scope; the read is logged (flagged under emergency)."""
    report = (
        visible_reports(user)
        .select_related(
            "person",
            "case__case_type",
            "case__assigned_to",
            "district",
            "registered_by",
            "taken_over_by",
            "safety_assessment__assessed_by",
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    if report.person_id is None:
        access = PersonAccess(True)
    else:
        access = person_access(user, report.person)
    if not access.allowed and report.case_id is None:
        raise Http404
    record_event(
        actor=user,
        action=action,
        person_id=report.person_id,
        case_id=report.case_id,
        object_type="report_of_concern",
        object_id=report.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
    )
    return report, access


def reports_awaiting_identification(user) -> QuerySet[ReportOfConcern]:
    """The city-wide queue: reports from the public e-form whose child the intake team must identify."""
    if not children_units(user):
        return ReportOfConcern.objects.none()
    return (
        visible_reports(user)
        .filter(person__isnull=True)
        .order_by("safety_assessment_due_on", "registered_at")
    )


def reports_of_case(case: Case) -> QuerySet[ReportOfConcern]:
    """A case's reports with their safety assessments, oldest first."""
    return case.reports_of_concern.select_related(
        "registered_by", "safety_assessment__assessed_by", "taken_over_by"
    ).order_by("received_on", "registered_at", "pk")


def hand_over_start(now: datetime | None = None) -> datetime:
    """Yesterday at 16:00 local time: where the morning hand-over list begins."""
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.combine(today - timedelta(days=1), HAND_OVER_FROM))


def hand_over_reports(user, now: datetime | None = None) -> list[ReportOfConcern]:
    """Out-of-hours reports for the districts of the user's children's units: since yesterday 16:00,
    and any older one not yet taken over."""
    districts = {unit.administration.committee_id for unit in children_units(user)}
    if not districts:
        return []
    since = hand_over_start(now)
    return list(
        visible_reports(user)
        .filter(district_id__in=districts, is_from_out_of_hours_service=True)
        .filter(Q(registered_at__gte=since) | Q(taken_over_at__isnull=True))
        .select_related("person", "case", "registered_by", "taken_over_by", "safety_assessment")
        .order_by("registered_at", "pk")
    )


@dataclass
class OverviewRow:
    """One line of the overview: what is due in which child's case, and when."""

    person: Person
    what: str
    due_on: date
    today: date
    case: Case | None = None
    report: ReportOfConcern | None = None

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0


@dataclass
class Overview:
    """The manager's dashboard: open reports, initial assessments and investigations, earliest first."""

    reports: list[OverviewRow] = field(default_factory=list)
    initial_assessments: list[OverviewRow] = field(default_factory=list)
    investigations: list[OverviewRow] = field(default_factory=list)
    care: list[OverviewRow] = field(default_factory=list)

    @property
    def person_ids(self) -> list[int]:
        rows = self.reports + self.initial_assessments + self.investigations + self.care
        return sorted({row.person.pk for row in rows})

    @property
    def overdue_count(self) -> int:
        rows = self.reports + self.initial_assessments + self.investigations + self.care
        return sum(1 for row in rows if row.is_overdue)


def _open_deadlines(user, rule_code: str | tuple[str, ...], unit_ids: list[int]) -> QuerySet[Deadline]:
    codes = (rule_code,) if isinstance(rule_code, str) else rule_code
    return (
        Deadline.objects.filter(
            status=DeadlineStatus.OPEN,
            rule__code__in=codes,
            case__in=child_cases(user).filter(unit_id__in=unit_ids),
        )
        .select_related("case__person", "case__assigned_to", "rule")
        .order_by("due_on", "pk")
    )


def overview(user, today: date | None = None, *, limit: int = 500) -> Overview:
    """Open work in the user's children's units, with days left; for the unit manager's dashboard."""
    today = today or timezone.localdate()
    units = children_units(user)
    result = Overview()
    if not units:
        return result
    unit_ids = [unit.pk for unit in units]
    districts = {unit.administration.committee_id for unit in units}
    reports = (
        visible_reports(user)
        .filter(safety_assessment__isnull=True)
        .filter(Q(case__unit_id__in=unit_ids) | Q(case__isnull=True, district_id__in=districts))
        .select_related("person", "case__assigned_to")
        .order_by("safety_assessment_due_on", "pk")[:limit]
    )
    result.reports = [
        OverviewRow(r.person, "safety_assessment", r.safety_assessment_due_on, today, r.case, r)
        for r in reports
    ]
    waiting = (
        visible_reports(user)
        .filter(case__isnull=True, district_id__in=districts, safety_assessment__isnull=False)
        .select_related("person")
        .order_by("initial_assessment_due_on", "pk")[:limit]
    )
    result.reports += [
        OverviewRow(r.person, "hand_over", r.initial_assessment_due_on, today, None, r) for r in waiting
    ]
    result.initial_assessments = [
        OverviewRow(d.case.person, "initial_assessment", d.due_on, today, d.case)
        for d in _open_deadlines(user, INITIAL_ASSESSMENT_RULE, unit_ids)[:limit]
    ]
    result.investigations = [
        OverviewRow(d.case.person, "investigation", d.due_on, today, d.case)
        for d in _open_deadlines(user, INVESTIGATION_RULE, unit_ids)[:limit]
    ]
    result.care = [
        OverviewRow(d.case.person, d.rule.label, d.due_on, today, d.case)
        for d in _open_deadlines(user, CARE_RULES, unit_ids)[:limit]
    ]
    return result


def my_child_cases(user) -> QuerySet[Case]:
    """The user's own open children's cases, for the caseworker's page."""
    return (
        child_cases(user)
        .filter(assigned_to=user)
        .exclude(stage=Stage.CLOSED)
        .select_related("person")
        .order_by("received_on", "pk")
    )


def placement_for_user(user, placement_id: int, *, action: str = "view_placement") -> Placement | None:
    """One placement in a child's case the user may see; the read is logged. None when out of scope."""
    placement = (
        Placement.objects.filter(pk=placement_id, case__in=child_cases(user))
        .select_related("case__person", "case__case_type", "case__unit", "case__assigned_to", "decision")
        .first()
    )
    if placement is not None:
        record_event(
            actor=user,
            action=action,
            person_id=placement.person_id,
            case_id=placement.case_id,
            object_type="placement",
            object_id=placement.pk,
        )
    return placement


def placements_of_person(user, person: Person) -> QuerySet[Placement]:
    """The child's placements in cases the user may see, newest first."""
    return (
        Placement.objects.filter(person=person, case__in=child_cases(user))
        .select_related("case", "decision")
        .order_by("-starts_on", "-pk")
    )
