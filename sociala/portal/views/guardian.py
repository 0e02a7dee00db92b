"""A guardian's pages: the children's cases where the guardian is a party, the communications addressed
to them with a reply, and the decisions with a letter addressed to them (decision record 0021)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.children import party
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.portal.auth import citizen_required
from sociala.portal.services import citizen_details
from sociala.web.forms import StyledForm


class ReplyForm(StyledForm):
    reply = forms.CharField(
        label=_("Ditt svar"),
        max_length=party.MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Skriv vad du tycker om utredningen. Har du inget att tillägga kan du skriva det."),
    )


def _party_case(request, case_id: int, action: str = "portal_view_child_case") -> party.PartyCase:
    found = party.party_case(
        request.citizen.person, case_id, session_details=citizen_details(request.citizen), action=action
    )
    if found is None:
        raise Http404
    return found


@citizen_required
def guardian_home(request):
    """The children in the guardian's custody and their cases."""
    rows = party.cases_of_guardian(request.citizen.person, session_details=citizen_details(request.citizen))
    return render(request, "portal/guardian_home.html", {"rows": rows})


@citizen_required
def guardian_case(request, case_id: int, form=None):
    """One child's case: the status in words, the communications to this guardian, the decisions."""
    found = _party_case(request, case_id)
    return render(
        request,
        "portal/guardian_case.html",
        {"party": found, "form": form or ReplyForm(), "child": found.child},
    )


@citizen_required
@require_POST
def guardian_reply(request, case_id: int, communication_id: int):
    """The guardian replies to the communication addressed to them."""
    found = _party_case(request, case_id, action="portal_view_child_case_for_reply")
    communication = next((c for c in found.communications if c.pk == communication_id), None)
    if communication is None:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            party.reply_to_communication(
                guardian=request.citizen.person,
                communication=communication,
                reply=form.cleaned_data["reply"],
                session_details=citizen_details(request.citizen),
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Ditt svar är skickat till socialtjänsten."))
            return redirect("portal:guardian_case", case_id=case_id)
    found = _party_case(request, case_id)
    return render(request, "portal/guardian_case.html", {"party": found, "form": form, "child": found.child})


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
def guardian_communication_letter(request, case_id: int, communication_id: int):
    """The communication letter addressed to this guardian."""
    found = _party_case(request, case_id, action="portal_view_child_case_for_letter")
    communication = next((c for c in found.communications if c.pk == communication_id), None)
    if communication is None:
        raise Http404
    guardian = request.citizen.person
    party.log_letter(
        guardian, found, "guardian_communication", communication.pk, citizen_details(request.citizen)
    )
    return _pdf(
        party.communication_letter_pdf(found, guardian, communication),
        f"Kommunicering {found.case.reference}",
    )


@citizen_required
def guardian_decision_letter(request, case_id: int, decision_id: int):
    """The decision about the child in a letter addressed to this guardian."""
    found = _party_case(request, case_id, action="portal_view_child_case_for_letter")
    decision = next((d for d in found.decisions if d.pk == decision_id), None)
    if decision is None:
        raise Http404
    guardian = request.citizen.person
    party.log_letter(guardian, found, "decision", decision.pk, citizen_details(request.citizen))
    return _pdf(party.decision_letter_pdf(found, guardian, decision), f"Beslut {decision.reference}")
