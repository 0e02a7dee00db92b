"""The system administrator's page of the choice scheme (LOV): which provider is approved for which
kind of intervention, in which districts, from when to when."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.accounts.choices import Role
from sociala.audit.services import record_event
from sociala.care import services
from sociala.care.models import InterventionKind, ProviderApproval
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Provider
from sociala.web.forms import DateInput, StyledForm


class ApprovalForm(StyledForm):
    provider = forms.ModelChoiceField(label=_("Utförare"), queryset=Provider.objects.order_by("name"))
    intervention_kind = forms.ChoiceField(label=_("Insats"))
    valid_from = forms.DateField(label=_("Godkänd från"), widget=DateInput)
    is_default = forms.BooleanField(label=_("Ickevalsalternativ (kommunens utförare)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention_kind"].choices = [(k.code, k.label) for k in InterventionKind.objects.all()]


class EndApprovalForm(StyledForm):
    valid_to = forms.DateField(label=_("Sista dag"), widget=DateInput)


def _require_admin(user) -> None:
    if not user.has_role(Role.SYSTEM_ADMINISTRATOR):
        raise Http404


@login_required
def approvals(request):
    """Every approval, current and past, and the form to approve a provider."""
    _require_admin(request.user)
    form = ApprovalForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.approve_provider(
                actor=request.user,
                provider=data["provider"],
                intervention_kind=data["intervention_kind"],
                valid_from=data["valid_from"],
                is_default=data["is_default"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Utföraren är godkänd."))
            return redirect("care:approvals")
    rows = list(
        ProviderApproval.objects.select_related("provider")
        .prefetch_related("provider__districts")
        .order_by("intervention_kind", "-is_default", "provider__name", "-valid_from")
    )
    record_event(actor=request.user, action="view_provider_approvals", object_type="list", details={})
    labels = {k.code: k.label for k in InterventionKind.objects.all()}
    context = {
        "nav": "approvals",
        "form": form,
        "rows": [(a, labels.get(a.intervention_kind, a.intervention_kind)) for a in rows],
        "end_form": EndApprovalForm(initial={"valid_to": timezone.localdate()}),
        "today": timezone.localdate(),
    }
    return render(request, "care/approvals.html", context)


@login_required
@require_POST
def approval_end(request, approval_id: int):
    _require_admin(request.user)
    approval = get_object_or_404(ProviderApproval, pk=approval_id)
    form = EndApprovalForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("care:approvals")
    try:
        services.end_provider_approval(
            actor=request.user, approval=approval, valid_to=form.cleaned_data["valid_to"]
        )
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
    except NotPermitted as error:
        raise Http404 from error
    else:
        messages.success(request, _("Godkännandet är avslutat."))
    return redirect("care:approvals")
