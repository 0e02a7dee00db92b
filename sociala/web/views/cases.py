"""The case page and everything done from it: steps, decisions, orders, documents, deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.access.policy import restrict_cases
from sociala.audit.services import record_event
from sociala.cases import selectors, services
from sociala.cases.choices import OrderStatus, Outcome, Stage
from sociala.cases.models import Deadline, Decision, Intervention
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.documents.models import Document
from sociala.documents.services import store_upload
from sociala.organization.models import Provider
from sociala.web.forms import DecisionForm, DecisionItemFormSet, OrderForm, StepForm, UploadForm

# What each step asks of the caseworker, shown next to the diagram.
STEP_GUIDANCE = {
    Stage.INTAKE: _("Registrera det som kommit in, gör en första bedömning och gå vidare till utredning."),
    Stage.INVESTIGATION: _(
        "Utred behovet. Om avslag övervägs ska den enskilde få ta del av underlaget först."
    ),
    Stage.COMMUNICATION: _("Skicka underlaget till den enskilde och ge tid att svara innan beslut."),
    Stage.DECISION: _("Fatta beslut under din delegation. Beslutsbrevet skapas som PDF."),
    Stage.INTERVENTION: _("Skicka beställningen till utföraren. Insatsen följs sedan upp."),
    Stage.FOLLOW_UP: _("Följ upp att insatsen ger det som beslutades, och avsluta."),
    Stage.CLOSED: _("Ärendet är avslutat."),
}


@login_required
def case_detail(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    ready = case.process.ready_steps if case.process else []
    decisions = list(selectors.decisions_of_cases([case.pk]))
    interventions = list(case.interventions.prefetch_related("orders__provider"))
    context = {
        "nav": "persons",
        "case": case,
        "person": case.person,
        "ready_steps": ready,
        "guidance": STEP_GUIDANCE.get(case.stage, ""),
        "decisions": decisions,
        "interventions": interventions,
        "deadlines": list(case.deadlines.select_related("rule", "escalated_to").order_by("status", "due_on")),
        "journal": list(selectors.journal_entries(request.user, case=case, visible_case_ids=[case.pk])[:20]),
        "documents": list(case.documents.select_related("uploaded_by")),
        "step_form": StepForm(initial={"step": ready[0] if ready else ""}),
        "upload_form": UploadForm(),
        "order_form": _order_form(case, interventions),
        "today": timezone.localdate(),
        "delegation": services.delegation_for(request.user, case, timezone.localdate()),
    }
    return render(request, "web/case_detail.html", context)


def _order_form(case, interventions, data=None):
    pending = [
        i
        for i in interventions
        if i.kind in services.KINDS_NEEDING_ORDER
        and not any(o.status == OrderStatus.ACTIVE for o in i.orders.all())
    ]
    if case.stage != Stage.INTERVENTION or not pending:
        return None
    form = OrderForm(data)
    form.fields["intervention"].choices = [(str(i.pk), i.description) for i in pending]
    providers = Provider.objects.filter(districts=case.district_id).order_by("-is_municipal", "name")
    form.fields["provider"].choices = [
        (str(p.pk), p.name) for p in providers if case.service_area in p.service_areas
    ]
    return form


@login_required
def case_process_xml(request, case_id: int):
    """The BPMN of the version the case runs, for the diagram viewer."""
    case = get_object_or_404(
        restrict_cases(selectors.Case.objects.select_related("process__definition"), request.user), pk=case_id
    )
    if case.process is None:
        raise Http404
    return HttpResponse(case.process.definition.bpmn_xml, content_type="application/xml; charset=utf-8")


@login_required
@require_POST
def case_step(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, action="view_case_for_step")
    form = StepForm(request.POST)
    if case.case_type.process_code == "child_report" and request.POST.get("step") == Stage.INTAKE:
        # A report's intake ends with the initial assessment, which has its own form and rules.
        return redirect("children:case_detail", case_id=case.pk)
    if form.is_valid():
        try:
            services.complete_step(
                actor=request.user, case=case, step=form.cleaned_data["step"], data=form.cleaned_data
            )
            messages.success(request, _("Steget är klart."))
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
    return redirect("web:case_detail", case_id=case.pk)


@login_required
def decision_create(request, case_id: int):
    """The decision form: what the investigation found fills it; every part granted or refused."""
    case = selectors.case_for_user(request.user, case_id, action="view_case_for_decision")
    today = timezone.localdate()
    initial = {"period_start": today, "legal_basis": case.case_type.legal_basis}
    item_initial = [{"description": case.sought[:300], "outcome": Outcome.GRANTED}]
    form = DecisionForm(request.POST or None, initial=initial)
    items = DecisionItemFormSet(request.POST or None, initial=item_initial, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        item_rows = [
            {
                k: v
                for k, v in f.cleaned_data.items()
                if k in ("description", "scope", "amount", "outcome", "motivation")
            }
            for f in items.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            decision = services.record_decision(
                actor=request.user,
                case=case,
                items=item_rows,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                motivation=form.cleaned_data["motivation"],
                legal_basis=form.cleaned_data["legal_basis"],
            )
        except InvalidInput as error:
            for field, message in error.errors.items():
                if field.startswith("items-"):
                    _prefix, index, name = field.split("-", 2)
                    items.forms[int(index)].add_error(
                        name if name in items.forms[int(index)].fields else None, message
                    )
                else:
                    form.add_error(field if field in form.fields else None, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request,
                _("Beslut %(ref)s är fattat. Beslutsbrevet finns i akten.") % {"ref": decision.reference},
            )
            return redirect("web:case_detail", case_id=case.pk)
    context = {
        "nav": "persons",
        "case": case,
        "person": case.person,
        "form": form,
        "items": items,
        "delegation": services.delegation_for(request.user, case, today),
        "is_ready": Stage.DECISION in (case.process.ready_steps if case.process else []),
    }
    return render(request, "web/decision_form.html", context)


@login_required
def decision_letter(request, decision_id: int):
    """The stored decision letter (PDF); the decision id leads to the case and person."""
    decision = get_object_or_404(
        Decision.objects.filter(case__in=selectors.visible_cases(request.user)).select_related("case"),
        pk=decision_id,
    )
    document = (
        Document.objects.filter(
            case=decision.case, kind=Document.Kind.DECISION_LETTER, title=f"Beslut {decision.reference}"
        )
        .order_by("-uploaded_at")
        .first()
    )
    if document is None:
        raise Http404
    return _send_document(request, document)


@login_required
def decision_lookup(request, reference: str):
    """A decision reference (e.g. B2026-000123) leads straight to its case."""
    decision = get_object_or_404(
        Decision.objects.filter(case__in=selectors.visible_cases(request.user)), reference=reference
    )
    return redirect("web:case_detail", case_id=decision.case_id)


def _send_document(request, document: Document):
    record_event(
        actor=request.user,
        action="view_document",
        person_id=document.person_id,
        case_id=document.case_id,
        object_type="document",
        object_id=document.pk,
    )
    filename = f"{document.title}.pdf" if document.content_type == "application/pdf" else document.file.name
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=False,
        filename=filename.replace("/", "-"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_download(request, document_id: int):
    document = get_object_or_404(
        Document.objects.filter(case__in=selectors.visible_cases(request.user)), pk=document_id
    )
    return _send_document(request, document)


@login_required
@require_POST
def document_upload(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, action="view_case_for_upload")
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            store_upload(
                actor=request.user,
                person=case.person,
                case=case,
                uploaded_file=request.FILES.get("file"),
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("Handlingen är sparad i akten."))
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(f"{case_url(case)}#documents")


def case_url(case) -> str:
    from django.urls import reverse

    return reverse("web:case_detail", kwargs={"case_id": case.pk})


@login_required
@require_POST
def order_create(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id, action="view_case_for_order")
    interventions = list(case.interventions.prefetch_related("orders"))
    form = _order_form(case, interventions, request.POST)
    if form is None or not form.is_valid():
        messages.error(request, _("Välj insats och utförare."))
        return redirect("web:case_detail", case_id=case.pk)
    intervention = get_object_or_404(Intervention, pk=form.cleaned_data["intervention"], case=case)
    provider = get_object_or_404(Provider, pk=form.cleaned_data["provider"])
    try:
        services.send_order(
            actor=request.user,
            intervention=intervention,
            provider=provider,
            instructions=form.cleaned_data["instructions"],
        )
        messages.success(
            request, _("Beställningen är skickad till %(provider)s.") % {"provider": provider.name}
        )
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
    except NotPermitted as error:
        raise Http404 from error
    return redirect("web:case_detail", case_id=case.pk)


@login_required
@require_POST
def deadline_done(request, deadline_id: int):
    deadline = get_object_or_404(
        Deadline.objects.filter(case__in=selectors.visible_cases(request.user)).select_related("case"),
        pk=deadline_id,
    )
    try:
        services.complete_deadline(actor=request.user, deadline=deadline)
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, _("Bevakningen är klarmarkerad."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else "web:start")
