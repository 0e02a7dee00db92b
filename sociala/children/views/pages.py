"""The children's pages: the caseworker's work list with the morning hand-over, the manager's overview,
registering a report, the safety assessment, the initial assessment and the child's case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.access.policy import can_request_emergency_access
from sociala.audit.services import record_event
from sociala.cases import selectors as case_selectors
from sociala.cases.services import delegation_for
from sociala.children import selectors, services
from sociala.children.services import public
from sociala.children.services.investigation import parties_of
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number

from .forms import IdentifyChildForm, InitialAssessmentForm, ReportForm, SafetyAssessmentForm

NAV = "children"


def _require_children_role(user) -> None:
    if not selectors.may_register_reports(user):
        raise Http404


def _log_list(user, action: str, person_ids) -> None:
    """A page listing children by name is a read of their data: one event naming them all."""
    record_event(
        actor=user, action=action, object_type="list", details={"person_ids": sorted(set(person_ids))}
    )


@login_required
def home(request):
    """The children's caseworker's page: the morning hand-over from the out-of-hours service and own cases."""
    user = request.user
    _require_children_role(user)
    hand_over = selectors.hand_over_reports(user)
    cases = list(selectors.my_child_cases(user)[:200])
    deadlines = {}
    for deadline in case_selectors.open_deadlines_of_cases([c.pk for c in cases]):
        deadlines.setdefault(deadline.case_id, deadline)
    rows = [(case, deadlines.get(case.pk)) for case in cases]
    _log_list(
        user, "view_children_work_list", [r.person_id for r in hand_over] + [c.person_id for c in cases]
    )
    context = {
        "nav": NAV,
        "today": timezone.localdate(),
        "hand_over": hand_over,
        "hand_over_start": selectors.hand_over_start(),
        "rows": rows,
        "has_children_unit": bool(selectors.children_units(user)),
        "unidentified_count": selectors.reports_awaiting_identification(user).count(),
        "is_out_of_hours": selectors.is_out_of_hours_service(user),
        "may_request_emergency": can_request_emergency_access(user),
    }
    return render(request, "children/home.html", context)


@login_required
def overview(request):
    """The unit manager's dashboard: open reports, initial assessments and investigations with days left."""
    user = request.user
    if not selectors.children_units(user):
        raise Http404
    data = selectors.overview(user)
    _log_list(user, "view_children_overview", data.person_ids)
    return render(request, "children/overview.html", {"nav": NAV, "overview": data})


@login_required
def report_create(request):
    """Register a report of concern about a child (the out-of-hours service after emergency access)."""
    user = request.user
    _require_children_role(user)
    initial = {"received_on": timezone.localdate(), "number": request.GET.get("number", "")}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        try:
            number = parse_identity_number(data["number"]).value
        except InvalidIdentityNumber as error:
            form.add_error("number", error.message)
        else:
            person = selectors.child_person_by_number(user, number)
            if person is None:
                form.add_error(
                    "number",
                    _(
                        "Du har ingen åtkomst till någon person med det personnumret. Socialjouren begär nödåtkomst först."
                    ),
                )
        if person is not None:
            try:
                report = services.register_report_of_concern(
                    actor=user,
                    person=person,
                    received_on=data["received_on"],
                    reporter_type=data["reporter_type"],
                    text=data["text"],
                    reporter_name=data["reporter_name"],
                    reporter_contact=data["reporter_contact"],
                )
            except InvalidInput as error:
                if "person_id" in error.errors:
                    error.errors["number"] = error.errors.pop("person_id")
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                if report.joined_open_case:
                    messages.success(request, _("Anmälan är registrerad i barnets pågående ärende."))
                else:
                    messages.success(request, _("Anmälan är registrerad."))
                return redirect("children:report_detail", report_id=report.pk)
    context = {
        "nav": NAV,
        "form": form,
        "may_request_emergency": can_request_emergency_access(user),
        "is_out_of_hours": selectors.is_out_of_hours_service(user),
    }
    return render(request, "children/report_form.html", context)


@login_required
def report_detail(request, report_id: int):
    """One report: who reported what, when the safety assessment is due, and its assessment."""
    report, access = selectors.report_for_user(request.user, report_id)
    siblings = list(selectors.reports_of_case(report.case)) if report.case_id else [report]
    context = {
        "nav": NAV,
        "identify_form": IdentifyChildForm() if report.awaits_identification else None,
        "report": report,
        "person": report.person,
        "access": access,
        "assessment": getattr(report, "safety_assessment", None),
        "report_count": len(siblings),
        "may_take_over": report.awaits_hand_over
        and any(
            u.administration.committee_id == report.district_id
            for u in selectors.children_units(request.user)
        ),
        "today": timezone.localdate(),
    }
    return render(request, "children/report_detail.html", context)


@login_required
def safety_assessment_create(request, report_id: int):
    """Record the safety assessment of one report (the same day it came in)."""
    report, access = selectors.report_for_user(
        request.user, report_id, action="view_report_for_safety_assessment"
    )
    if getattr(report, "safety_assessment", None) is not None:
        return redirect("children:report_detail", report_id=report.pk)
    form = SafetyAssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_safety_assessment(
                actor=request.user,
                report=report,
                assessed_on=form.cleaned_data["assessed_on"],
                needs_immediate_protection=form.cleaned_data["needs_immediate_protection"],
                reasoning=form.cleaned_data["reasoning"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Skyddsbedömningen är sparad."))
            if report.case_id:
                return redirect("children:case_detail", case_id=report.case_id)
            return redirect("children:report_detail", report_id=report.pk)
    context = {"nav": NAV, "form": form, "report": report, "person": report.person, "access": access}
    return render(request, "children/safety_assessment_form.html", context)


@login_required
@require_POST
def report_take_over(request, report_id: int):
    """The district takes over a report from the out-of-hours service (the morning hand-over)."""
    report, _access = selectors.report_for_user(request.user, report_id, action="view_report_for_take_over")
    try:
        report = services.take_over_report(actor=request.user, report=report)
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
        return redirect("children:report_detail", report_id=report.pk)
    except NotPermitted as error:
        raise Http404 from error
    messages.success(
        request, _("Anmälan är överlämnad till ärende %(ref)s.") % {"ref": report.case.reference}
    )
    return redirect("children:case_detail", case_id=report.case_id)


def _child_case(user, case_id: int, action: str):
    case = case_selectors.case_for_user(user, case_id, action=action)
    if case.case_type.code != selectors.CHILD_CASE_TYPE:
        raise Http404
    return case


@login_required
def case_detail(request, case_id: int):
    """A child's case: the reports in it, their safety assessments, the initial assessment and deadlines."""
    case = _child_case(request.user, case_id, "view_case")
    reports = list(selectors.reports_of_case(case))
    assessment = getattr(case, "initial_assessment", None)
    today = timezone.localdate()
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "reports": reports,
        "unassessed": [r for r in reports if getattr(r, "safety_assessment", None) is None],
        "initial_assessment": assessment,
        "deadlines": list(case.deadlines.select_related("rule").order_by("status", "due_on")),
        "may_assess": case.stage == "intake" and assessment is None,
        "delegation": delegation_for(request.user, case, today),
        "today": today,
        "investigation": getattr(case, "child_investigation", None),
        "has_investigation": case.stage != "intake"
        and case.deadlines.filter(rule__code=selectors.INVESTIGATION_RULE).exists(),
        "placements": list(selectors.placements_of_person(request.user, case.person)),
        "decisions": list(case.decisions.prefetch_related("items")),
        "lvu_matter": case.lvu_matters.order_by("-pk").first(),
        "plan_count": case.child_plans.count(),
        "parties": parties_of(case.person),
    }
    return render(request, "children/case_detail.html", context)


@login_required
def initial_assessment_create(request, case_id: int):
    """The initial assessment: decide whether to open an investigation, with reasons."""
    case = _child_case(request.user, case_id, "view_case_for_initial_assessment")
    if case.stage != "intake":
        return redirect("children:case_detail", case_id=case.pk)
    form = InitialAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_initial_assessment(
                actor=request.user,
                case=case,
                opens_investigation=form.cleaned_data["opens_investigation"],
                reasons=form.cleaned_data["reasons"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            if assessment.opens_investigation:
                messages.success(request, _("Utredning inleds. Utredningen ska vara klar inom fyra månader."))
            else:
                messages.success(request, _("Beslut att inte inleda utredning. Ärendet är avslutat."))
            return redirect("children:case_detail", case_id=case.pk)
    reports = list(selectors.reports_of_case(case))
    deadline = case.deadlines.filter(rule__code=selectors.INITIAL_ASSESSMENT_RULE).order_by("-pk").first()
    context = {
        "nav": NAV,
        "form": form,
        "case": case,
        "person": case.person,
        "reports": reports,
        "deadline": deadline,
        "delegation": delegation_for(request.user, case, timezone.localdate()),
    }
    return render(request, "children/initial_assessment_form.html", context)


@login_required
def reports_unidentified(request):
    """The city-wide queue: reports from the public e-form whose child the intake team must identify."""
    if not selectors.children_units(request.user):
        raise Http404
    reports = list(selectors.reports_awaiting_identification(request.user)[:500])
    record_event(
        actor=request.user,
        action="view_reports_awaiting_identification",
        object_type="list",
        details={"report_ids": [r.pk for r in reports]},
    )
    context = {"nav": NAV, "reports": reports, "today": timezone.localdate()}
    return render(request, "children/reports_unidentified.html", context)


@login_required
def report_identify(request, report_id: int):
    """Identify the child of a public report by personnummer and link the report to the child's case."""
    report, access = selectors.report_for_user(
        request.user, report_id, action="view_report_for_identification"
    )
    if not report.awaits_identification:
        return redirect("children:report_detail", report_id=report.pk)
    form = IdentifyChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = None
        try:
            number = parse_identity_number(form.cleaned_data["number"]).value
        except InvalidIdentityNumber as error:
            form.add_error("number", error.message)
        else:
            person = selectors.child_for_identification(request.user, number)
            if person is None:
                form.add_error("number", _("Det finns inget barn med det personnumret i folkbokföringen."))
        if person is not None:
            try:
                report = public.identify_report_child(actor=request.user, report=report, person=person)
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                if not selectors.visible_reports(request.user).filter(pk=report.pk).exists():
                    # The child lives in a district the user does not work in: the case is theirs now.
                    messages.success(
                        request,
                        _(
                            "Barnet är identifierat. Anmälan är överlämnad till barnets stadsdel, %(district)s."
                        )
                        % {"district": report.district.name},
                    )
                    return redirect("children:reports_unidentified")
                messages.success(
                    request,
                    _("Barnet är identifierat. Anmälan ligger i ärende %(ref)s.")
                    % {"ref": report.case.reference},
                )
                return redirect("children:report_detail", report_id=report.pk)
    context = {"nav": NAV, "report": report, "person": None, "access": access, "identify_form": form}
    return render(request, "children/report_detail.html", context)
