"""The provider's pages (phone first): my assignments, the order, the implementation plan, the provider's
journal and messages to the caseworker; the order page also serves the caseworker."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.access.policy import person_access, scope_for
from sociala.audit.services import record_event
from sociala.care import selectors, services
from sociala.care.models import ImplementationPlanVersion
from sociala.core.errors import InvalidInput, NotPermitted

from .forms import ConsentForm, MessageForm, PlanForm, ProviderJournalForm, SignatureForm

NAV = "care"


@login_required
def assignments(request):
    """Mina uppdrag: the active orders of the user's provider, one tap to each."""
    if not scope_for(request.user).provider_ids:
        raise Http404
    orders = selectors.provider_orders(request.user)
    record_event(
        actor=request.user,
        action="view_provider_assignments",
        object_type="list",
        details={"person_ids": sorted({o.intervention.case.person_id for o in orders})},
    )
    return render(
        request,
        "care/assignments.html",
        {"nav": NAV, "orders": orders, "kind_labels": selectors.kind_labels()},
    )


def _order_context(request, order, access) -> dict:
    case = order.intervention.case
    details = selectors.details_of(order)
    context = {
        "nav": NAV,
        "order": order,
        "case": case,
        "person": case.person,
        "details": details,
        "access": access,
        "reach": person_access(request.user, case.person),
        "kind_labels": selectors.kind_labels(),
        "consent_form": ConsentForm(
            initial={"given": "yes" if details and details.authority_may_read_journal else "no"}
        ),
        "authority_may_read_journal": selectors.authority_may_read_journal(order),
    }
    if access.as_provider:
        context["plan"] = selectors.plan_for_order(order)
        context["message_form"] = MessageForm()
    context["provider_messages"] = list(selectors.messages_of_order(order)[:20])
    return context


@login_required
def order_detail(request, order_id: int):
    """The order with exactly what the provider needs (never the whole investigation)."""
    order, access = selectors.order_for_user(request.user, order_id)
    return render(request, "care/order.html", _order_context(request, order, access))


@login_required
@require_POST
def message_send(request, order_id: int):
    order, access = selectors.order_for_user(
        request.user, order_id, action="view_order_for_message", allow=lambda o, a: a.as_provider
    )
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.send_provider_message(actor=request.user, order=order, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Meddelandet är skickat till handläggaren."))
            return redirect("care:order", order_id=order.pk)
    context = _order_context(request, order, access)
    context["message_form"] = form
    return render(request, "care/order.html", context)


@login_required
@require_POST
def consent(request, order_id: int):
    """Record whether the client consents to the authority reading the provider's documentation."""
    order, _access = selectors.order_for_user(request.user, order_id, action="view_order_for_consent")
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.record_journal_consent(
                actor=request.user,
                order=order,
                given=form.cleaned_data["given"] == "yes",
                note=form.cleaned_data["consent_note"],
            )
            messages.success(request, _("Samtycket är registrerat."))
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
    else:
        messages.error(request, _("Ange om den enskilde samtycker."))
    return redirect("care:order", order_id=order.pk)


# --- the implementation plan -----------------------------------------------------------------


def _plan_initial_from_order(order) -> dict:
    details = selectors.details_of(order)
    return {"goals": details.goals if details else ""}


@login_required
def plan_for_order(request, order_id: int):
    """Create the implementation plan from the order (or go to the plan that already exists)."""
    order, access = selectors.order_for_user(
        request.user, order_id, action="view_order_for_plan", allow=lambda o, a: a.as_provider
    )
    plan = selectors.plan_for_order(order)
    if plan is not None and plan.versions.exists():
        return redirect("care:plan", plan_id=plan.pk)
    form = PlanForm(request.POST or None, initial=_plan_initial_from_order(order))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.save_plan_version(actor=request.user, order=order, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Genomförandeplanen är sparad som version %(n)s.") % {"n": version.number}
            )
            return redirect("care:plan", plan_id=version.plan_id)
    context = {
        "nav": NAV,
        "order": order,
        "person": order.intervention.case.person,
        "details": selectors.details_of(order),
        "form": form,
        "kind_labels": selectors.kind_labels(),
    }
    return render(request, "care/plan_new.html", context)


def _plan_context(plan, order, *, form=None, sign_form=None) -> dict:
    versions = list(plan.versions.select_related("created_by", "signature_recorded_by"))
    latest = versions[0] if versions else None
    changes = []
    if latest is not None:
        changes = selectors.term_changes(latest.basis, selectors.order_terms(order))
    if form is None:
        initial = (
            {
                f: getattr(latest, f)
                for f in ("goals", "how", "schedule", "performed_by", "client_wishes", "participants")
            }
            if latest
            else _plan_initial_from_order(order)
        )
        if changes:
            details = selectors.details_of(order)
            if details is not None:
                initial["goals"] = details.goals
        form = PlanForm(initial=initial)
    return {
        "nav": NAV,
        "plan": plan,
        "order": order,
        "person": plan.person,
        "details": selectors.details_of(order),
        "versions": versions,
        "latest": latest,
        "changes": changes,
        "form": form,
        "sign_form": sign_form or SignatureForm(initial={"signed_name": plan.person.full_name}),
        "kind_labels": selectors.kind_labels(),
    }


@login_required
def plan_detail(request, plan_id: int):
    """The plan: the latest version, what changed in the decision since, a new version, the signature,
    and the history of versions."""
    plan, order = selectors.plan_for_user(request.user, plan_id)
    form = None
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                version = services.save_plan_version(actor=request.user, order=order, **form.cleaned_data)
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(
                    request, _("Genomförandeplanen är sparad som version %(n)s.") % {"n": version.number}
                )
                return redirect("care:plan", plan_id=plan.pk)
    return render(request, "care/plan.html", _plan_context(plan, order, form=form))


@login_required
@require_POST
def plan_sign(request, plan_id: int, number: int):
    plan, order = selectors.plan_for_user(
        request.user, plan_id, action="view_implementation_plan_for_signature"
    )
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404
    form = SignatureForm(request.POST)
    if form.is_valid():
        try:
            services.sign_plan_version(actor=request.user, version=version, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Underskriften är registrerad."))
            return redirect("care:plan", plan_id=plan.pk)
    return render(request, "care/plan.html", _plan_context(plan, order, sign_form=form))


@login_required
def plan_version(request, plan_id: int, number: int):
    plan, order = selectors.plan_for_user(request.user, plan_id)
    version = (
        ImplementationPlanVersion.objects.filter(plan=plan, number=number)
        .select_related("created_by", "signature_recorded_by")
        .first()
    )
    if version is None:
        raise Http404
    context = {
        "nav": NAV,
        "plan": plan,
        "order": order,
        "person": plan.person,
        "version": version,
        "kind_labels": selectors.kind_labels(),
    }
    return render(request, "care/plan_version.html", context)


# --- social documentation at the provider ----------------------------------------------------


@login_required
def journal(request, order_id: int):
    """The provider's journal about the client: written by the provider's staff; read by the caseworker
    only where the client's consent is recorded."""
    order, access = selectors.order_for_user(
        request.user,
        order_id,
        action="view_provider_journal",
        allow=lambda o, a: (
            a.as_provider or (request.method == "GET" and selectors.authority_may_read_journal(o))
        ),
    )
    case = order.intervention.case
    form = None
    if access.as_provider:
        entries = selectors.provider_journal(case.person_id, order.provider_id)
        form = ProviderJournalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.write_provider_journal_entry(actor=request.user, order=order, **form.cleaned_data)
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Anteckningen är sparad."))
                return redirect("care:journal", order_id=order.pk)
    else:
        entries = selectors.provider_journal_for_authority(order)
    context = {
        "nav": NAV,
        "order": order,
        "person": case.person,
        "entries": list(entries[:200]),
        "form": form,
        "access": access,
    }
    return render(request, "care/journal.html", context)
