"""The citizen's fee pages: the fee and how it was calculated, fee decisions with their letters, the
invoices with the OCR number to pay with, and the income declaration sent from the e-service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.documents.models import Document
from sociala.fees import selectors as fee_selectors
from sociala.fees import services as fee_services
from sociala.fees.choices import Household
from sociala.portal import services
from sociala.portal.auth import citizen_required
from sociala.web.forms import DateInput, StyledForm

_KRONOR = {"min_value": 0, "max_value": 10_000_000}


class DeclarationForm(StyledForm):
    household = forms.ChoiceField(
        label=_("Bor du ensam eller med make, maka eller sambo?"),
        choices=[
            (Household.SINGLE, _("Jag bor ensam")),
            (Household.COUPLE, _("Jag bor med make, maka eller sambo")),
        ],
        widget=forms.RadioSelect,
    )
    monthly_net_income = forms.IntegerField(
        label=_("Hur mycket får du in per månad efter skatt? (kronor)"),
        help_text=_(
            "Räkna med pension, bostadstillägg och andra inkomster. Bor ni två: er inkomst tillsammans."
        ),
        **_KRONOR,
    )
    housing_cost = forms.IntegerField(
        label=_("Hur mycket betalar du för din bostad per månad? (kronor)"),
        help_text=_("Hyra eller månadsavgift."),
        **_KRONOR,
    )
    changed_on = forms.DateField(label=_("Från vilket datum gäller uppgifterna?"), widget=DateInput)


def _log(citizen, action: str, obj_type: str, obj_id: int) -> None:
    record_event(
        actor=system_actor(),
        action=action,
        person_id=citizen.person_id,
        object_type=obj_type,
        object_id=obj_id,
        details=services.citizen_details(citizen),
    )


@citizen_required
def fees_overview(request):
    """Min avgift: the fee now, how it was calculated, the decisions, the invoices, how to appeal."""
    citizen = request.citizen
    person = citizen.person
    today = timezone.localdate()
    decisions = list(fee_selectors.fee_decisions_for_citizen(person))
    invoices = list(fee_selectors.invoices_for_citizen(person)[:24])
    _log(citizen, "portal_view_fees", "person", person.pk)
    letters = {
        d.title: d
        for d in Document.objects.filter(
            person=person, kind=Document.Kind.DECISION_LETTER, title__startswith="Avgiftsbeslut"
        )
    }
    context = {
        "citizen": citizen,
        "in_force": fee_selectors.decision_in_force(person, today),
        "decisions": [(d, letters.get(f"Avgiftsbeslut {d.reference}")) for d in decisions],
        "invoices": invoices,
        "may_declare": fee_selectors.fee_case_exists(person),
    }
    return render(request, "portal/fees_overview.html", context)


@citizen_required
def fees_declaration(request):
    """Lämna inkomstuppgift: the client's own figures; a running fee is recalculated from the next month."""
    citizen = request.citizen
    if not fee_selectors.fee_case_exists(citizen.person):
        raise Http404
    form = DeclarationForm(request.POST or None, initial={"changed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            fee_services.submit_income_declaration(
                actor=system_actor(),
                person=citizen.person,
                details=services.citizen_details(citizen),
                **form.cleaned_data,
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Tack! Vi har fått dina uppgifter. Ändras avgiften får du ett nytt avgiftsbeslut.")
            )
            return redirect("portal:fees_overview")
    return render(request, "portal/fees_declaration.html", {"citizen": citizen, "form": form})


@citizen_required
def fees_letter(request, decision_id: int):
    """The stored letter of one of the citizen's own fee decisions."""
    citizen = request.citizen
    decision = fee_selectors.fee_decisions_for_citizen(citizen.person).filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    document = Document.objects.filter(
        person=citizen.person, kind=Document.Kind.DECISION_LETTER, title=f"Avgiftsbeslut {decision.reference}"
    ).first()
    if document is None:
        raise Http404
    _log(citizen, "portal_view_document", "document", document.pk)
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{document.title}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
def fees_invoice(request, invoice_id: int):
    """One of the citizen's own invoices as PDF."""
    citizen = request.citizen
    invoice = (
        fee_selectors.invoices_for_citizen(citizen.person)
        .select_related("person", "fee_decision")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise Http404
    _log(citizen, "portal_view_client_invoice", "clientinvoice", invoice.pk)
    response = HttpResponse(fee_services.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="faktura-{invoice.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
