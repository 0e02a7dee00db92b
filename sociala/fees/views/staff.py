"""The staff fee page of a person: income declarations, the price of granted services and the fee it
gives, fee decisions with their letters, and the client invoices."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.core.errors import InvalidInput, NotPermitted
from sociala.core.money import format_sek
from sociala.documents.models import Document
from sociala.fees import selectors, services
from sociala.fees.calculation import calculate_fee, check_fee_input
from sociala.fees.models import ClientInvoice
from sociala.fees.pricing import priced_interventions
from sociala.fees.rules import RulesMissing, rules_for_month
from sociala.people.selectors import person_for_user

from .forms import FeeDecisionForm, IncomeDeclarationForm

NAV = "persons"


def _person(request, person_id: int, action: str):
    person, _access = person_for_user(request.user, person_id, action=action)
    if not selectors.may_handle_fees(request.user, person):
        raise Http404
    return person


def _next_month(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def _preview(person, declaration, month: date):
    """The fee the granted services would give from ``month`` with the latest declaration; nothing saved."""
    priced = priced_interventions(person, month)
    if declaration is None or not priced:
        return priced, None, None
    totals: dict[str, int] = {}
    for row in priced:
        totals[row.service_type] = totals.get(row.service_type, 0) + row.monthly_price
    try:
        rules = rules_for_month(month)
    except RulesMissing:
        return priced, None, _("Det finns inga avgiftsregler för %(month)s.") % {"month": f"{month:%Y-%m}"}
    fee_input = check_fee_input(
        {
            "household": declaration.household,
            "age": person.age_on(month),
            "monthly_net_income": declaration.monthly_net_income,
            "housing_cost": declaration.housing_cost,
            "individual_adjustment": 0,
            "services": [{"type": k, "monthly_price": v} for k, v in sorted(totals.items())],
        }
    )
    return priced, calculate_fee(rules, fee_input), None


def _page(request, person, *, declaration_form=None, decision_form=None):
    today = timezone.localdate()
    decisions = list(selectors.fee_decisions_of_person(request.user, person))
    declarations = list(person.income_declarations.select_related("registered_by"))
    month = _next_month(today)
    priced, calculation, problem = _preview(person, declarations[0] if declarations else None, month)
    letters = {
        d.title: d
        for d in Document.objects.filter(
            person=person, kind=Document.Kind.DECISION_LETTER, title__startswith="Avgiftsbeslut"
        )
    }
    context = {
        "nav": NAV,
        "person": person,
        "decisions": [(d, letters.get(f"Avgiftsbeslut {d.reference}")) for d in decisions],
        "in_force": selectors.decision_in_force(person, today),
        "declarations": declarations,
        "invoices": list(ClientInvoice.objects.filter(person=person).order_by("-month")[:24]),
        "priced": priced,
        "preview_month": month,
        "calculation": calculation,
        "preview_problem": problem,
        "declaration_form": declaration_form
        or IncomeDeclarationForm(initial={"changed_on": today}, prefix="declaration"),
        "decision_form": decision_form or FeeDecisionForm(initial={"changed_on": today}, prefix="decision"),
    }
    return render(request, "fees/person_fees.html", context)


@login_required
def person_fees(request, person_id: int):
    person = _person(request, person_id, "view_person_fees")
    return _page(request, person)


@login_required
@require_POST
def declaration_create(request, person_id: int):
    person = _person(request, person_id, "view_person_fees")
    form = IncomeDeclarationForm(request.POST, prefix="declaration")
    if form.is_valid():
        try:
            services.record_income_declaration(actor=request.user, person=person, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Inkomstuppgiften är registrerad."))
            return redirect("fees:person_fees", person_id=person.pk)
    return _page(request, person, declaration_form=form)


@login_required
@require_POST
def decision_create(request, person_id: int):
    person = _person(request, person_id, "view_person_fees")
    form = FeeDecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.decide_fee_from_decisions(
                actor=request.user,
                person=person,
                changed_on=data["changed_on"],
                individual_adjustment=data.get("individual_adjustment") or 0,
                adjustment_reason=data.get("adjustment_reason") or "",
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request,
                _("Avgiftsbeslut %(ref)s: %(fee)s per månad från %(month)s. Brevet finns i akten.")
                % {"ref": made.reference, "fee": format_sek(made.fee), "month": f"{made.valid_from:%Y-%m}"},
            )
            return redirect("fees:person_fees", person_id=person.pk)
    return _page(request, person, decision_form=form)


@login_required
def invoice_pdf(request, invoice_id: int):
    """A client invoice as PDF, for staff who may handle the person's fees."""
    invoice = get_object_or_404(ClientInvoice.objects.select_related("person", "fee_decision"), pk=invoice_id)
    _person(request, invoice.person_id, "view_client_invoice")
    response = HttpResponse(services.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="faktura-{invoice.number}.pdf"'
    return response
