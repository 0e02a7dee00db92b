"""Payees' bank accounts (caseworkers) and districts' cost centres (controller)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.finance import selectors, services
from sociala.finance.permissions import may_manage_cost_centres
from sociala.organization.models import Committee

from .forms import BankAccountForm, CostCentreForm


@login_required
@require_http_methods(["GET", "POST"])
def bank_account(request, person_id: int):
    person, current, accounts = selectors.bank_account_page(request.user, person_id)
    initial = {"method": current.method} if current else {}
    form = BankAccountForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.register_bank_account(actor=request.user, person=person, **form.cleaned_data)
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Utbetalningssättet är sparat."))
                return redirect("finance:bank_account", person_id=person.pk)
        status = 422
    context = {"person": person, "current": current, "accounts": accounts, "form": form}
    return render(request, "finance/bank_account.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cost_centres(request):
    if not may_manage_cost_centres(request.user):
        raise Http404
    form = CostCentreForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_cost_centre(actor=request.user, **form.cleaned_data)
            except InvalidInput as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Kostnadsstället är sparat."))
                return redirect("finance:cost_centres")
        status = 422
    else:
        record_event(actor=request.user, action="view_cost_centres", object_type="cost_centre")
    by_district = {c.district_id: c for c in selectors.cost_centres()}
    districts = [
        (district, by_district.get(district.pk))
        for district in Committee.objects.filter(kind=Committee.Kind.DISTRICT).order_by("name")
    ]
    return render(request, "finance/cost_centres.html", {"form": form, "districts": districts}, status=status)
