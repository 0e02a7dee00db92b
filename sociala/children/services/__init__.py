"""Every write of the children app: reports of concern, safety assessments, initial assessments, hand-over."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_write_case, person_access
from sociala.audit.services import record_event
from sociala.cases import services as cases
from sociala.cases.choices import DeadlineStatus, Stage
from sociala.cases.models import Case, CaseType
from sociala.children.choices import MANDATORY_REPORTERS, ReporterType
from sociala.children.models import InitialAssessment, ReportOfConcern, SafetyAssessment
from sociala.children.selectors import (
    CHILD_CASE_TYPE,
    INITIAL_ASSESSMENT_RULE,
    SAFETY_ASSESSMENT_RULE,
    children_units,
    is_out_of_hours_service,
    open_child_case,
)
from sociala.core.deadlines import compute_deadline
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Unit
from sociala.people.models import Person

ADULT_AGE = 18
MIN_REASONING = 10
MIN_REASONS = 20


def _log(
    actor, action: str, obj, *, person_id: int | None, case_id: int | None, access=None, **details
) -> None:
    record_event(
        actor=actor,
        action=action,
        person_id=person_id,
        case_id=case_id,
        object_type=str(obj._meta.verbose_name).replace(" ", "_"),
        object_id=obj.pk,
        is_emergency=bool(access and access.is_emergency),
        reason=access.reason if access else "",
        details=details,
    )


def _unit_for(actor, person: Person, district_id: int | None = None) -> Unit | None:
    """The actor's children's unit for this child: the one in the child's district if the actor has it."""
    units = children_units(actor)
    wanted = district_id or person.district_id
    for unit in units:
        if unit.administration.committee_id == wanted:
            return unit
    return units[0] if units else None


def _deadline_of(case: Case, rule_code: str):
    return case.deadlines.filter(rule__code=rule_code, status=DeadlineStatus.OPEN).order_by("due_on").first()


def report_deadlines(case: Case | None, received_on: date) -> tuple[date, date | None, date | None]:
    """The report's safety assessment due date, and the initial assessment's (calendar, moved) dates:
    by the rule rows in force on the day it came in, or the open case's own deadline when it joins one."""
    safety_rule = cases.rule_in_force(SAFETY_ASSESSMENT_RULE, received_on)
    safety = compute_deadline(
        received_on,
        safety_rule.amount,
        safety_rule.unit,
        moves_to_working_day=safety_rule.moves_to_working_day,
    )
    initial_calendar = initial_due = None
    if case is None:
        rule = cases.rule_in_force(INITIAL_ASSESSMENT_RULE, received_on)
        computed = compute_deadline(
            received_on, rule.amount, rule.unit, moves_to_working_day=rule.moves_to_working_day
        )
        initial_calendar, initial_due = computed.calendar_due_on, computed.due_on
    elif case.stage == Stage.INTAKE:
        deadline = _deadline_of(case, INITIAL_ASSESSMENT_RULE)
        if deadline is not None:
            initial_calendar, initial_due = deadline.calendar_due_on, deadline.due_on
    return safety.due_on, initial_calendar, initial_due


def _validate_report(person: Person, received_on, reporter_type, text, reporter_name, reporter_contact):
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if received_on is None:
        errors["received_on"] = _("Ange datum då anmälan kom in.")
    elif received_on > today:
        errors["received_on"] = _("Datumet kan inte ligga i framtiden.")
    elif received_on < person.birth_date or person.age_on(received_on) >= ADULT_AGE:
        errors["person_id"] = _(
            "En orosanmälan gäller ett barn: personen var inte under 18 år när den kom in."
        )
    if reporter_type not in ReporterType.values:
        errors["reporter_type"] = _("Välj vem som gjorde anmälan.")
    elif reporter_type == ReporterType.ANONYMOUS_PUBLIC and (
        reporter_name.strip() or reporter_contact.strip()
    ):
        errors["reporter_name"] = _(
            "En anonym anmälare har inget namn eller kontaktuppgift. Välj en annan typ."
        )
    if not (text or "").strip():
        errors["text"] = _("Skriv vad anmälan gäller.")
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def register_report_of_concern(
    *,
    actor,
    person: Person,
    received_on: date | None,
    reporter_type: str,
    text: str,
    reporter_name: str = "",
    reporter_contact: str = "",
) -> ReportOfConcern:
    """Register a report of concern about a child; it joins the child's open case or opens a new one.

    The out-of-hours service registers through emergency access; when the child has no open case the
    report waits for the district's morning hand-over, which opens the case. The returned report
    carries ``joined_open_case`` (not stored): whether it joined a case that was already open.
    """
    # One report at a time per child, so that two reports never open two cases.
    person = Person.objects.select_for_update().get(pk=person.pk)
    access = person_access(actor, person)
    units = children_units(actor)
    out_of_hours = not units and is_out_of_hours_service(actor)
    if not access.allowed or not (units or out_of_hours):
        raise NotPermitted
    reporter_name, reporter_contact = (reporter_name or "").strip(), (reporter_contact or "").strip()
    _validate_report(person, received_on, reporter_type, text, reporter_name, reporter_contact)
    if person.district_id is None and out_of_hours:
        raise InvalidInput({"person_id": _("Barnet har ingen stadsdel i registret. Kontakta förvaltningen.")})

    case = open_child_case(actor, person)
    joined = case is not None
    if case is None and not out_of_hours:
        case = cases.open_case(
            actor=actor,
            person=person,
            case_type=CaseType.objects.get(code=CHILD_CASE_TYPE),
            received_on=received_on,
            sought=text.strip(),
            unit=_unit_for(actor, person),
        )
    safety_due, initial_calendar, initial_due = report_deadlines(case, received_on)
    report = ReportOfConcern.objects.create(
        case=case,
        person=person,
        district_id=case.district_id if case else person.district_id,
        reporter_type=reporter_type,
        is_mandatory_reporter=reporter_type in MANDATORY_REPORTERS,
        reporter_name="" if reporter_type == ReporterType.ANONYMOUS_PUBLIC else reporter_name[:200],
        reporter_contact="" if reporter_type == ReporterType.ANONYMOUS_PUBLIC else reporter_contact[:200],
        text=text.strip(),
        received_on=received_on,
        registered_at=timezone.now(),
        registered_by=actor,
        is_from_out_of_hours_service=out_of_hours,
        safety_assessment_due_on=safety_due,
        initial_assessment_calendar_due_on=initial_calendar,
        initial_assessment_due_on=initial_due,
    )
    report.joined_open_case = joined
    _log(
        actor,
        "create_report_of_concern",
        report,
        person_id=person.pk,
        case_id=report.case_id,
        access=access,
        reporter_type=reporter_type,
        joined_open_case=joined,
    )
    return report


def _check_report_write(actor, report: ReportOfConcern):
    """The actor may act on the report: through its case, or (waiting for hand-over) through the child;
    a report from the public e-form that awaits identification, as a member of any children's unit."""
    if report.person_id is None:
        if not children_units(actor):
            raise NotPermitted
        return None
    if report.case_id is not None:
        if not can_write_case(actor, report.case):
            raise NotPermitted
        return person_access(actor, report.person)
    access = person_access(actor, report.person)
    if not access.allowed:
        raise NotPermitted
    districts = {unit.administration.committee_id for unit in children_units(actor)}
    if report.district_id not in districts and not is_out_of_hours_service(actor):
        raise NotPermitted
    return access


def _complete_safety_deadline(actor, case: Case) -> None:
    """Close the case's safety assessment deadline once every report in it is assessed."""
    if case.reports_of_concern.filter(safety_assessment__isnull=True).exists():
        return
    deadline = _deadline_of(case, SAFETY_ASSESSMENT_RULE)
    if deadline is not None:
        cases.complete_deadline(actor=actor, deadline=deadline)


@transaction.atomic
def record_safety_assessment(
    *,
    actor,
    report: ReportOfConcern,
    assessed_on: date | None,
    needs_immediate_protection: bool | None,
    reasoning: str,
) -> SafetyAssessment:
    """Record the safety assessment of a report: whether the child needs protection at once, and why."""
    report = (
        ReportOfConcern.objects.select_for_update(of=("self",))
        .select_related("case", "person")
        .get(pk=report.pk)
    )
    access = _check_report_write(actor, report)
    errors: dict[str, str] = {}
    if SafetyAssessment.objects.filter(report=report).exists():
        errors["__all__"] = _("Anmälan har redan en skyddsbedömning.")
    if assessed_on is None:
        errors["assessed_on"] = _("Ange datum för skyddsbedömningen.")
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("Datumet kan inte ligga i framtiden.")
    elif assessed_on < report.received_on:
        errors["assessed_on"] = _("Skyddsbedömningen kan inte göras innan anmälan kom in.")
    if needs_immediate_protection is None:
        errors["needs_immediate_protection"] = _("Ange om barnet behöver omedelbart skydd.")
    if len((reasoning or "").strip()) < MIN_REASONING:
        errors["reasoning"] = _("Skriv hur du har bedömt barnets situation (minst 10 tecken).")
    if errors:
        raise InvalidInput(errors)
    out_of_hours = bool(access and access.is_emergency) and is_out_of_hours_service(actor)
    assessment = SafetyAssessment.objects.create(
        report=report,
        assessed_on=assessed_on,
        needs_immediate_protection=bool(needs_immediate_protection),
        reasoning=reasoning.strip(),
        assessed_by=actor,
        recorded_at=timezone.now(),
        is_from_out_of_hours_service=out_of_hours,
    )
    _log(
        actor,
        "create_safety_assessment",
        assessment,
        person_id=report.person_id,
        case_id=report.case_id,
        access=access,
        needs_immediate_protection=assessment.needs_immediate_protection,
    )
    # Under emergency access the case's deadline is left to the district's hand-over, so that every
    # write of the out-of-hours service is one flagged in the audit log.
    if report.case_id is not None and not (access and access.is_emergency):
        _complete_safety_deadline(actor, report.case)
    return assessment


@transaction.atomic
def record_initial_assessment(*, actor, case: Case, opens_investigation: bool | None, reasons: str):
    """Decide, under delegation, whether to open an investigation; completes the intake step of the case."""
    case = Case.objects.select_for_update(of=("self",)).select_related("case_type", "process").get(pk=case.pk)
    if case.case_type.code != CHILD_CASE_TYPE or not can_write_case(actor, case):
        raise NotPermitted
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if case.stage != Stage.INTAKE or InitialAssessment.objects.filter(case=case).exists():
        errors["__all__"] = _("Förhandsbedömningen är redan gjord i ärendet.")
    elif case.reports_of_concern.filter(safety_assessment__isnull=True).exists():
        errors["__all__"] = _("Gör skyddsbedömningen av varje anmälan först.")
    delegation = cases.delegation_for(actor, case, today)
    if delegation is None:
        errors["__all__"] = _("Du har inte delegation att besluta om utredning ska inledas.")
    if opens_investigation is None:
        errors["opens_investigation"] = _("Välj om utredning ska inledas eller inte.")
    if len((reasons or "").strip()) < MIN_REASONS:
        errors["reasons"] = _("Skriv skälen till beslutet (minst 20 tecken).")
    if errors:
        raise InvalidInput(errors)
    # The safety assessments are all done: their deadline closes with the intake.
    cases.complete_step(
        actor=actor, case=case, step=Stage.INTAKE, data={"open_investigation": bool(opens_investigation)}
    )
    assessment = InitialAssessment.objects.create(
        case=case,
        decided_on=today,
        opens_investigation=bool(opens_investigation),
        reasons=reasons.strip(),
        decided_by=actor,
        delegation_reference=delegation.reference,
        recorded_at=timezone.now(),
    )
    if assessment.opens_investigation:
        from .investigation import ensure_investigation

        ensure_investigation(case)
    _log(
        actor,
        "create_initial_assessment",
        assessment,
        person_id=case.person_id,
        case_id=case.pk,
        opens_investigation=assessment.opens_investigation,
        delegation=delegation.reference,
    )
    return assessment


@transaction.atomic
def take_over_report(*, actor, report: ReportOfConcern) -> ReportOfConcern:
    """The district takes over a report from the out-of-hours service: it joins or opens the child's case."""
    report = (
        ReportOfConcern.objects.select_for_update(of=("self",))
        .select_related("person", "case")
        .get(pk=report.pk)
    )
    units = [u for u in children_units(actor) if u.administration.committee_id == report.district_id]
    if not units or not report.is_from_out_of_hours_service:
        raise NotPermitted
    access = _check_report_write(actor, report)
    if report.taken_over_at is not None:
        raise InvalidInput({"__all__": _("Anmälan är redan överlämnad.")})
    Person.objects.select_for_update().filter(pk=report.person_id).first()
    if report.case_id is None:
        case = open_child_case(actor, report.person)
        if case is None:
            case = cases.open_case(
                actor=actor,
                person=report.person,
                case_type=CaseType.objects.get(code=CHILD_CASE_TYPE),
                received_on=report.received_on,
                sought=report.text,
                unit=units[0],
            )
        report.case = case
    report.taken_over_at = timezone.now()
    report.taken_over_by = actor
    report.save(update_fields=["case", "taken_over_at", "taken_over_by"])
    _log(
        actor,
        "take_over_report_of_concern",
        report,
        person_id=report.person_id,
        case_id=report.case_id,
        access=access,
    )
    _complete_safety_deadline(actor, report.case)
    return report
