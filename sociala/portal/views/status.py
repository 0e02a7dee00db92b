"""The citizen's pages after sending: the applications, the status in words, the decision letter, and
the secure messages with the caseworker (answers to requests for completion included)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.benefits.selectors import month_decisions
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.portal import selectors, services
from sociala.portal.auth import citizen_required, current_citizen
from sociala.portal.choices import ApplicationStatus
from sociala.portal.models import CompletionItem
from sociala.web.forms import StyledForm


class MessageForm(StyledForm):
    text = forms.CharField(
        label=_("Meddelande"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=_("Bifoga en fil (frivilligt)"),
        required=False,
        help_text=_("PDF eller bild (JPEG, PNG), högst 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


def home(request):
    """Mina sidor: the applications and the months one may apply for; the login button when signed out."""
    citizen = current_citizen(request)
    if citizen is None:
        return render(request, "portal/start.html")
    request.citizen = citizen
    applications = list(selectors.applications_of(citizen))
    by_month = {a.month: a for a in applications}
    months = [
        {"month": month, "value": month.strftime("%Y-%m"), "application": by_month.get(month)}
        for month in services.application_months()
    ]
    unread = selectors.unread_for_citizen(citizen)
    rows = [
        {
            "application": application,
            "status": selectors.citizen_status(application),
            "unread": unread.get(application.pk, 0),
        }
        for application in applications
    ]
    return render(request, "portal/home.html", {"citizen": citizen, "months": months, "rows": rows})


def _log_view(citizen, application) -> None:
    record_event(
        actor=system_actor(),
        action="portal_view_case",
        person_id=application.person_id,
        case_id=application.case_id,
        object_type="income_support_application",
        object_id=application.pk,
        details=services.citizen_details(citizen),
    )


@citizen_required
def application_detail(request, application_id: int):
    """The status of a sent application in words, the decision, the caseworker and the messages."""
    application = selectors.application_for_citizen(request.citizen, application_id)
    if application.status == ApplicationStatus.DRAFT:
        return redirect("portal:application_step", application_id=application.pk, step="household")
    case = application.case
    _log_view(request.citizen, application)
    services.mark_read_by_citizen(citizen=request.citizen, application=application)
    status = selectors.citizen_status(application)
    letters = selectors.decision_letters(case)
    case_decisions = list(case.decisions.prefetch_related("items").order_by("-decided_at"))
    months = month_decisions(d.pk for d in case_decisions)
    decisions = [
        {"decision": d, "letter": letters.get(d.pk), "items": list(d.items.all()), "month": months.get(d.pk)}
        for d in case_decisions
    ]
    return render(
        request,
        "portal/application_detail.html",
        {
            "application": application,
            "case": case,
            "status": status,
            "decisions": decisions,
            "caseworker": selectors.contact_caseworker(case),
            "thread": list(selectors.case_messages(case)),
            "completions": selectors.completion_requests(case),
            "message_form": MessageForm(),
            "today": timezone.localdate(),
        },
    )


@citizen_required
@require_POST
def application_message(request, application_id: int):
    """Send a message, or answer one item of a request for completion, with a file if needed."""
    application = selectors.application_for_citizen(request.citizen, application_id)
    form = MessageForm(request.POST, request.FILES)
    item = None
    if request.POST.get("completion_item"):
        item = CompletionItem.objects.filter(
            pk=request.POST["completion_item"], request__case_id=application.case_id
        ).first()
        if item is None:
            raise Http404
    if form.is_valid():
        try:
            services.send_citizen_message(
                citizen=request.citizen,
                application=application,
                text=form.cleaned_data["text"],
                uploaded_file=form.cleaned_data["file"],
                completion_item=item,
            )
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Ditt meddelande är skickat till din handläggare."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    anchor = "#completion" if item is not None else "#messages"
    return redirect(reverse("portal:application_detail", args=[application.pk]) + anchor)


@citizen_required
def decision_letter(request, application_id: int, decision_id: int):
    """The stored decision letter (the PDF in the case file)."""
    document = selectors.letter_for_citizen(request.citizen, application_id, decision_id)
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{document.title}.pdf".replace("/", "-"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
