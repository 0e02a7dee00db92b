"""The caseworker's side of the portal: incoming e-applications, and one case's application, messages
and requests for completion. Access goes through the access policy (``cases.selectors.case_for_user``)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.benefits.calculation import Household, Income, Member, ReasonableCosts
from sociala.benefits.explanations import line_text
from sociala.benefits.selectors import calculation_for_month
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.portal import answers as rules
from sociala.portal import selectors, services
from sociala.web.forms import DateInput, StyledForm


class StaffMessageForm(StyledForm):
    text = forms.CharField(
        label=_("Meddelande till den enskilde"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class CompletionForm(StyledForm):
    needed = forms.CharField(
        label=_("Vad behövs?"),
        help_text=_("En sak per rad, till exempel: Hyresavi för mars"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
    )
    due_on = forms.DateField(
        label=_("Sista dag"), widget=DateInput, help_text=_("ÅÅÅÅ-MM-DD"), required=False
    )
    note = forms.CharField(
        label=_("Förklaring till den enskilde (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


@login_required
def staff_inbox(request):
    """E-applications in the user's scope that wait for a decision or have unread messages."""
    cases = list(selectors.staff_inbox(request.user)[:200])
    return render(request, "portal/staff_inbox.html", {"nav": "portal", "cases": cases})


def _calculation(application):
    """The calculation of what was applied for, as reported (no job stimulus; the caseworker decides)."""
    data = (application.submitted or {}).get("calculation_input")
    if not data:
        return None, ""
    try:
        household = Household(
            members=tuple(
                Member(
                    role=m["role"],
                    age=m["age"],
                    preschool_lunch=bool(m.get("preschool_lunch")),
                    days_in_household=m.get("days_in_household"),
                )
                for m in data["members"]
            ),
            reasonable_costs=ReasonableCosts(**data["reasonable_costs"]),
            incomes=tuple(
                Income(member=i["member"], type=i["type"], amount=i["amount"], job_stimulus=False)
                for i in data["incomes"]
            ),
        )
        calculation = calculation_for_month(data["month"], household)
    except InvalidInput as error:
        return None, " ".join(error.errors.values())
    return {"result": calculation, "lines": [(line, line_text(line)) for line in calculation.lines]}, ""


@login_required
def staff_case_messages(request, case_id: int):
    """One case: the e-application as sent (changes since last month first), the calculation of what was
    applied for, the messages with the citizen, and requests for completion."""
    case = selectors.staff_case(request.user, case_id)
    application = selectors.application_of_case(case)
    message_form = StaffMessageForm()
    completion_form = CompletionForm(initial={"due_on": timezone.localdate() + timedelta(days=7)})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "message":
                message_form = StaffMessageForm(request.POST)
                if message_form.is_valid():
                    services.send_staff_message(
                        actor=request.user, case=case, text=message_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Meddelandet är skickat till den enskildes e-tjänst."))
                    return redirect("portal:staff_case_messages", case_id=case.pk)
            elif action == "completion":
                completion_form = CompletionForm(request.POST)
                if completion_form.is_valid():
                    data = completion_form.cleaned_data
                    services.request_completion(
                        actor=request.user,
                        case=case,
                        items=data["needed"].splitlines(),
                        due_on=data["due_on"],
                        text=data["note"],
                    )
                    messages.success(request, _("Begäran om komplettering är skickad."))
                    return redirect("portal:staff_case_messages", case_id=case.pk)
        except InvalidInput as error:
            if action == "completion":
                errors = {("needed" if key == "items" else key): value for key, value in error.errors.items()}
                completion_form.add_service_errors(InvalidInput(errors))
            else:
                message_form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
    services.mark_read_by_staff(actor=request.user, case=case)
    context = {
        "nav": "portal",
        "case": case,
        "person": case.person,
        "application": application,
        "thread": list(selectors.case_messages(case)),
        "completions": selectors.completion_requests(case),
        "message_form": message_form,
        "completion_form": completion_form,
        "today": timezone.localdate(),
    }
    if application is not None:
        applicant = case.person.first_name
        context["sections"] = rules.summary(
            application.answers, month=application.month, applicant_name=applicant
        )
        context["changes"] = (
            rules.differences(application.answers, application.prefilled_from.answers)
            if application.prefilled_from is not None
            else None
        )
        context["calculation"], context["calculation_error"] = _calculation(application)
        context["attachments"] = [a for a in application.attachments.all() if a.document_id]
    return render(request, "portal/staff_case_messages.html", context)
