"""The caseworker's care pages: the IBIC investigation, the decision from it, the choice of provider,
reassessment, termination and the providers' messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.access.policy import scope_for
from sociala.audit.services import record_event
from sociala.care import selectors, services
from sociala.care.choices import ScopeUnit
from sociala.care.models import LifeArea, ProposedIntervention, Reassessment
from sociala.care.services.communication import communication_letter_pdf
from sociala.care.services.investigation import EDITABLE_STAGES
from sociala.cases import services as case_services
from sociala.cases.choices import OrderStatus, Outcome, Stage
from sociala.cases.models import Intervention
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Provider

from .forms import (
    ChoiceForm,
    CommunicationForm,
    CommunicationReplyForm,
    CompleteInvestigationForm,
    ContactFormSet,
    DecisionForm,
    DecisionItemFormSet,
    LifeAreaForm,
    OrderInformationForm,
    ProposalForm,
    ReassessmentForm,
    TerminationForm,
)

NAV = "care"


def _require_caseworker(user) -> None:
    if not scope_for(user).case_unit_ids:
        raise Http404


def _service_errors(form, error: InvalidInput) -> None:
    form.add_service_errors(error)


def _flash_errors(request, error: InvalidInput) -> None:
    for message in error.errors.values():
        messages.error(request, message)


@login_required
def home(request):
    """Äldreomsorg och LSS: the caseworker's open cases by stage, provider messages, due reassessments."""
    user = request.user
    if scope_for(user).provider_ids and not scope_for(user).case_unit_ids:
        return redirect("care:assignments")
    _require_caseworker(user)
    cases = list(selectors.care_cases(user)[:200])
    record_event(
        actor=user,
        action="view_care_work_list",
        object_type="list",
        details={"person_ids": sorted({c.person_id for c in cases})},
    )
    by_stage: dict[str, list] = {}
    for case in cases:
        by_stage.setdefault(case.get_stage_display(), []).append(case)
    context = {
        "nav": NAV,
        "by_stage": list(by_stage.items()),
        "provider_messages": selectors.provider_messages_for(user),
        "due_reassessments": selectors.due_reassessments_for(user),
    }
    return render(request, "care/home.html", context)


@login_required
def case_overview(request, case_id: int):
    """One elderly care or disability case: investigation, decisions with their terms, orders, actions."""
    case = selectors.care_case_for_user(request.user, case_id, action="view_care_case")
    investigation = selectors.investigation_of(case)
    decisions = list(case.decisions.prefetch_related("items__care_terms").order_by("-decided_at"))
    orders = selectors.orders_of_case(case)
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "investigation": investigation,
        "decisions": decisions,
        "orders": orders,
        "kind_labels": selectors.kind_labels(),
        "pending": _pending_interventions(case),
        "reassessment": selectors.reassessment_of(case),
        "reassessments": list(case.reassessments.select_related("case")),
        "terminations": list(case.care_terminations.select_related("recorded_by")),
        "has_active_orders": any(o.status == OrderStatus.ACTIVE for o in orders),
        "editable": case.stage in EDITABLE_STAGES,
        "delegation": case_services.delegation_for(request.user, case, timezone.localdate()),
    }
    return render(request, "care/case.html", context)


# --- the IBIC investigation ------------------------------------------------------------------


def _area_context(case, area: LifeArea, assessment, form=None, saved_at=None, editable=True) -> dict:
    selected = list(assessment.icf_codes.all()) if assessment else []
    if form is None:
        initial = (
            {f: getattr(assessment, f) for f in ("needs", "resources", "goals", "person_view")}
            if assessment
            else {}
        )
        form = LifeAreaForm(prefix=area.code, initial=initial)
    return {
        "case": case,
        "area": area,
        "assessment": assessment,
        "form": form,
        "selected_codes": selected,
        "saved_at": saved_at,
        "editable": editable,
        "open": assessment is not None and not assessment.is_empty,
    }


@login_required
def investigation(request, case_id: int):
    """The IBIC investigation: per life area needs, resources, goals, the person's view and ICF codes;
    proposed interventions; what goes with the order."""
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_care_investigation")
    found = selectors.investigation_of(case)
    assessments = {a.life_area_id: a for a in found.assessments.all()} if found else {}
    editable = case.stage in EDITABLE_STAGES
    areas = [
        _area_context(case, area, assessments.get(area.pk), editable=editable)
        for area in LifeArea.objects.filter(valid_from__lte=timezone.localdate())
    ]
    kinds = selectors.intervention_kinds(case.service_area)
    contacts = (
        [{"name": c.name, "relation": c.relation, "phone": c.phone} for c in found.contacts.all()]
        if found
        else []
    )
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "investigation": found,
        "areas": areas,
        "editable": editable,
        "info_form": OrderInformationForm(
            initial={
                "background": found.background if found else "",
                "practical_information": found.practical_information if found else "",
                "good_to_know": found.good_to_know if found else "",
            }
        ),
        "contact_forms": ContactFormSet(prefix="contacts", initial=contacts),
        "proposal_form": ProposalForm(kinds=kinds),
        "proposals": list(found.proposals.all()) if found else [],
        "kind_labels": {k.code: k.label for k in kinds},
        "scope_units": {k.code: ScopeUnit(k.scope_unit).label for k in kinds},
        "complete_form": CompleteInvestigationForm(),
        "can_complete": Stage.INVESTIGATION in (case.process.ready_steps if case.process else []),
        "life_areas": [a["area"] for a in areas],
    }
    return render(request, "care/investigation.html", context)


def _investigation_url(case, anchor: str = "") -> str:
    url = reverse("care:investigation", kwargs={"case_id": case.pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_POST
def life_area_save(request, case_id: int, area_code: str):
    """Save one life area (autosaved with htmx as the caseworker types)."""
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_investigation")
    area = get_object_or_404(LifeArea, code=area_code)
    form = LifeAreaForm(request.POST, prefix=area.code)
    codes = request.POST.getlist(f"{area.code}-icf_codes")
    saved_at = None
    assessment = None
    if form.is_valid():
        try:
            assessment = services.save_life_area_assessment(
                actor=request.user, case=case, life_area=area, icf_codes=codes, **form.cleaned_data
            )
            saved_at = timezone.localtime()
        except InvalidInput as error:
            _service_errors(form, error)
        except NotPermitted as error:
            raise Http404 from error
    if not request.headers.get("HX-Request"):
        if form.errors:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        else:
            messages.success(request, _("Livsområdet är sparat."))
        return redirect(_investigation_url(case, f"area-{area.code}"))
    if assessment is None:
        found = selectors.investigation_of(case)
        assessment = found.assessments.filter(life_area=area).first() if found else None
    context = _area_context(case, area, assessment, form=form, saved_at=saved_at)
    return render(request, "care/_life_area_status.html", context)


@login_required
def icf_search(request):
    """ICF codes matching what is typed, as checkboxes for a life area's form (htmx)."""
    if not request.user.handles_personal_data:
        raise Http404
    area = get_object_or_404(LifeArea, code=request.GET.get("area", ""))
    query = request.GET.get("icf_q", "").strip()[:100]
    selected = request.GET.getlist(f"{area.code}-icf_codes")
    codes = selectors.search_icf_codes(query, exclude=selected) if query else []
    return render(request, "care/_icf_results.html", {"area": area, "codes": codes, "query": query})


@login_required
@require_POST
def order_information_save(request, case_id: int):
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_investigation")
    form = OrderInformationForm(request.POST)
    contacts = ContactFormSet(request.POST, prefix="contacts")
    if form.is_valid() and contacts.is_valid():
        try:
            services.save_order_information(
                actor=request.user,
                case=case,
                contacts=[f.cleaned_data for f in contacts.forms if f.cleaned_data],
                **form.cleaned_data,
            )
            messages.success(request, _("Uppgifterna till beställningen är sparade."))
        except InvalidInput as error:
            _flash_errors(request, error)
        except NotPermitted as error:
            raise Http404 from error
    else:
        messages.error(request, _("Kontrollera uppgifterna till beställningen."))
    return redirect(_investigation_url(case, "order-information"))


@login_required
@require_POST
def proposal_add(request, case_id: int):
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_investigation")
    form = ProposalForm(request.POST, kinds=selectors.intervention_kinds(case.service_area))
    if form.is_valid():
        areas = LifeArea.objects.filter(code__in=request.POST.getlist("life_areas"))
        try:
            services.add_proposed_intervention(
                actor=request.user, case=case, life_areas=list(areas), **form.cleaned_data
            )
            messages.success(request, _("Insatsen är tillagd i utredningen."))
        except InvalidInput as error:
            _flash_errors(request, error)
        except NotPermitted as error:
            raise Http404 from error
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_investigation_url(case, "proposals"))


@login_required
@require_POST
def proposal_remove(request, proposal_id: int):
    _require_caseworker(request.user)
    proposal = get_object_or_404(ProposedIntervention.objects.select_related("investigation"), pk=proposal_id)
    case = selectors.care_case_for_user(
        request.user, proposal.investigation.case_id, action="view_case_for_investigation"
    )
    try:
        services.remove_proposed_intervention(actor=request.user, proposal=proposal)
        messages.success(request, _("Insatsen är borttagen ur utredningen."))
    except InvalidInput as error:
        _flash_errors(request, error)
    except NotPermitted as error:
        raise Http404 from error
    return redirect(_investigation_url(case, "proposals"))


@login_required
@require_POST
def investigation_complete(request, case_id: int):
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_step")
    form = CompleteInvestigationForm(request.POST)
    form.is_valid()
    try:
        services.complete_investigation(
            actor=request.user, case=case, refusal_intended=form.cleaned_data.get("refusal_intended", False)
        )
    except InvalidInput as error:
        _flash_errors(request, error)
        return redirect(_investigation_url(case))
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, _("Utredningen är klar."))
    return redirect("care:case", case_id=case.pk)


# --- the decision from the investigation -----------------------------------------------------


def _decision_items_initial(case) -> list[dict]:
    found = selectors.investigation_of(case)
    proposals = list(found.proposals.all()) if found else []
    if not proposals:
        # Nothing proposed: what was applied for, refused when the refusal was communicated.
        return [
            {
                "intervention_kind": case.case_type.intervention_kind,
                "description": case.sought[:300],
                "outcome": Outcome.REFUSED if case.communicated_on else Outcome.GRANTED,
            }
        ]
    return [
        {
            "intervention_kind": p.intervention_kind,
            "description": p.description,
            "scope_amount": (
                f"{p.scope_amount.normalize():f}".replace(".", ",") if p.scope_amount is not None else ""
            ),
            "goals": p.goals,
            "outcome": Outcome.GRANTED,
        }
        for p in proposals
    ]


@login_required
def decision(request, case_id: int):
    """Beslut från utredning: the proposed interventions fill the parts of the decision."""
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_decision")
    today = timezone.localdate()
    kinds = selectors.intervention_kinds(case.service_area)
    form = DecisionForm(
        request.POST or None, initial={"period_start": today, "legal_basis": case.case_type.legal_basis}
    )
    items = DecisionItemFormSet(
        request.POST or None, initial=_decision_items_initial(case), prefix="items", kinds=kinds
    )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [f.cleaned_data for f in items.forms if f.cleaned_data]
        try:
            made = services.decide_from_investigation(
                actor=request.user, case=case, items=rows, **form.cleaned_data
            )
        except InvalidInput as error:
            for field, message in error.errors.items():
                if field.startswith("items-"):
                    _prefix, index, name = field.split("-", 2)
                    target = items.forms[int(index)]
                    target.add_error(name if name in target.fields else None, message)
                else:
                    form.add_error(field if field in form.fields else None, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Beslut %(ref)s är fattat. Beslutsbrevet finns i akten.") % {"ref": made.reference}
            )
            return redirect("care:case", case_id=case.pk)
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "form": form,
        "items": items,
        "investigation": selectors.investigation_of(case),
        "scope_units": {k.code: ScopeUnit(k.scope_unit).label for k in kinds},
        "delegation": case_services.delegation_for(request.user, case, today),
        "is_ready": Stage.DECISION in (case.process.ready_steps if case.process else []),
    }
    return render(request, "care/decision.html", context)


# --- communication before a refusal ---------------------------------------------------------


@login_required
def communication(request, case_id: int):
    """Kommunicering: send the investigation with what may be refused; record the reply; go on to decide."""
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_communication")
    today = timezone.localdate()
    form = CommunicationForm(request.POST or None, initial={"sent_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.send_communication(actor=request.user, case=case, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request,
                _("Kommuniceringsbrevet är klart. Sista dag för svar är %(date)s.")
                % {"date": made.reply_due_on.isoformat()},
            )
            return redirect("care:communication", case_id=case.pk)
    communications = list(case.care_communications.select_related("sent_by", "reply_recorded_by"))
    latest = communications[0] if communications else None
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "form": form,
        "communications": communications,
        "reply_form": CommunicationReplyForm(initial={"replied_on": today}),
        "latest": latest,
        "waiting": latest is not None and not latest.is_answered_or_passed(today),
        "is_stage": case.stage == Stage.COMMUNICATION,
    }
    return render(request, "care/communication.html", context)


@login_required
@require_POST
def communication_reply(request, case_id: int, communication_id: int):
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_communication")
    found = get_object_or_404(case.care_communications, pk=communication_id)
    form = CommunicationReplyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("care:communication", case_id=case.pk)
    try:
        services.record_communication_reply(actor=request.user, communication=found, **form.cleaned_data)
    except InvalidInput as error:
        _flash_errors(request, error)
    except NotPermitted as error:
        raise Http404 from error
    else:
        messages.success(request, _("Svaret är registrerat."))
    return redirect("care:communication", case_id=case.pk)


@login_required
@require_POST
def communication_finish(request, case_id: int):
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_step")
    try:
        services.finish_communication(actor=request.user, case=case)
    except InvalidInput as error:
        _flash_errors(request, error)
        return redirect("care:communication", case_id=case.pk)
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, _("Kommuniceringen är klar. Ärendet är redo för beslut."))
    return redirect("care:case", case_id=case.pk)


@login_required
def communication_letter(request, case_id: int, communication_id: int):
    """The communication letter as sent, as PDF."""
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_communication_letter")
    found = get_object_or_404(case.care_communications.select_related("sent_by"), pk=communication_id)
    response = HttpResponse(communication_letter_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kommunicering-{case.reference}.pdf"'
    return response


# --- the choice of provider (LOV) ------------------------------------------------------------


def _pending_interventions(case) -> list[Intervention]:
    """Granted interventions without a running order."""
    if case.stage != Stage.INTERVENTION:
        return []
    return [
        i
        for i in case.interventions.prefetch_related("orders").order_by("pk")
        if not any(o.status == OrderStatus.ACTIVE for o in i.orders.all())
    ]


@login_required
def provider_choice(request, case_id: int):
    """The client chooses among the approved providers for each intervention, or gets the default;
    the choice is recorded and sent as the order."""
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_provider_choice")
    pending = _pending_interventions(case)
    previous = _previous_providers(case)
    rows = []
    posted_id = request.POST.get("intervention") if request.method == "POST" else None
    for intervention in pending:
        approved = selectors.approved_providers(intervention.kind, case.district_id, case.service_area)
        prefix = f"i{intervention.pk}"
        data = request.POST if posted_id == str(intervention.pk) else None
        initial = {}
        if intervention.kind in previous:
            initial = {"method": "client_chose", "provider": str(previous[intervention.kind].pk)}
        form = ChoiceForm(data, prefix=prefix, providers=approved, initial=initial)
        if data is not None and form.is_valid():
            provider = None
            if form.cleaned_data["provider"]:
                provider = Provider.objects.filter(pk=form.cleaned_data["provider"]).first()
            try:
                choice = services.record_provider_choice(
                    actor=request.user,
                    intervention=intervention,
                    method=form.cleaned_data["method"],
                    provider=provider,
                    chosen_on=form.cleaned_data["chosen_on"],
                    note=form.cleaned_data["note"],
                    instructions=form.cleaned_data["instructions"],
                )
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(
                    request,
                    _("Beställningen är skickad till %(provider)s.") % {"provider": choice.provider.name},
                )
                return redirect("care:provider_choice", case_id=case.pk)
        rows.append(
            {
                "intervention": intervention,
                "approved": approved,
                "form": form,
                "prefix": prefix,
                "default_ids": [str(a.provider.pk) for a in approved if a.is_default],
            }
        )
    context = {
        "nav": NAV,
        "case": case,
        "person": case.person,
        "rows": rows,
        "kind_labels": selectors.kind_labels(),
        "orders": selectors.orders_of_case(case),
        "previous": previous,
    }
    return render(request, "care/provider_choice.html", context)


def _previous_providers(case) -> dict:
    """In a reassessment, the provider the client had for each kind (the choice stands unless changed)."""
    reassessment = Reassessment.objects.filter(case=case).first()
    if reassessment is None:
        return {}
    found = {}
    for order in selectors.orders_of_case(reassessment.previous_case):
        found.setdefault(order.intervention.kind, order.provider)
    return found


# --- reassessment and termination ------------------------------------------------------------


@login_required
def reassessment(request, case_id: int):
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_reassessment")
    initial = {
        "received_on": timezone.localdate(),
        "sought": _("Omprövning av beslut i ärende %(ref)s") % {"ref": case.reference},
    }
    form = ReassessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.open_reassessment(actor=request.user, case=case, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Omprövningen är registrerad som ärende %(ref)s.") % {"ref": made.case.reference}
            )
            return redirect("care:case", case_id=made.case_id)
    return render(
        request, "care/reassessment.html", {"nav": NAV, "case": case, "person": case.person, "form": form}
    )


@login_required
@require_POST
def end_replaced(request, reassessment_id: int):
    _require_caseworker(request.user)
    found = get_object_or_404(Reassessment, pk=reassessment_id)
    case = selectors.care_case_for_user(request.user, found.case_id, action="view_case_for_reassessment")
    try:
        ended = services.end_replaced_orders(actor=request.user, reassessment=found)
    except NotPermitted as error:
        raise Http404 from error
    if ended:
        messages.success(request, _("De tidigare beställningarna är avslutade."))
    else:
        messages.error(request, _("Det nya beslutet har inte börjat gälla eller saknar beställning."))
    return redirect("care:case", case_id=case.pk)


@login_required
def termination(request, case_id: int):
    _require_caseworker(request.user)
    case = selectors.care_case_for_user(request.user, case_id, action="view_case_for_termination")
    form = TerminationForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.terminate_interventions(actor=request.user, case=case, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Insatserna är avslutade och utförarna har fått besked."))
            return redirect("care:case", case_id=case.pk)
    orders = [o for o in selectors.orders_of_case(case) if o.status == OrderStatus.ACTIVE]
    context = {"nav": NAV, "case": case, "person": case.person, "form": form, "orders": orders}
    return render(request, "care/termination.html", context)


# --- messages from providers -----------------------------------------------------------------


@login_required
def message_detail(request, message_id: int):
    _require_caseworker(request.user)
    message = selectors.message_for_user(request.user, message_id)
    case = message.order.intervention.case
    return render(
        request, "care/message.html", {"nav": NAV, "message": message, "case": case, "person": case.person}
    )


@login_required
@require_POST
def message_read(request, message_id: int):
    _require_caseworker(request.user)
    message = selectors.message_for_user(request.user, message_id)
    try:
        services.mark_message_read(actor=request.user, message=message)
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, _("Meddelandet är markerat som läst."))
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "web:start")
