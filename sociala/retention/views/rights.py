"""The person's rights: noting an objection to a journal entry, producing a register extract."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sociala.cases import selectors as case_selectors
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.selectors import person_for_user
from sociala.retention.permissions import may_produce_register_extract, may_record_objection
from sociala.retention.selectors import objections_by_entry
from sociala.retention.services import rights

from .forms import ExtractForm, ObjectionForm


@login_required
def objection_create(request, entry_id: int):
    """Note the person's objection to a signed entry (SoL 14 kap. 6 §); the entry stays as it is."""
    entry = case_selectors.journal_entry_for_user(request.user, entry_id)
    if entry.case_id is None or not entry.is_signed or not may_record_objection(request.user, entry):
        raise Http404
    case = case_selectors.case_for_user(request.user, entry.case_id, action="view_case_for_journal")
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rights.record_entry_objection(actor=request.user, entry=entry, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Invändningen är antecknad vid anteckningen."))
            return redirect(reverse("web:case_detail", args=[case.pk]) + f"#entry-{entry.pk}")
    context = {
        "nav": "persons",
        "entry": entry,
        "case": case,
        "form": form,
        "objections": objections_by_entry([entry.pk]).get(entry.pk, []),
    }
    return render(request, "retention/objection_form.html", context, status=422 if form.errors else 200)


@login_required
def register_extract(request, person_id: int):
    """The register extract (GDPR art. 15): the form, then the PDF for the staff member to check and send."""
    person, access = person_for_user(request.user, person_id, action="view_person_for_register_extract")
    if not may_produce_register_extract(request.user, person):
        raise Http404
    form = ExtractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pdf, extract_request = rights.produce_register_extract(
                actor=request.user, person=person, **form.cleaned_data
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="registerutdrag-{extract_request.produced_at:%Y%m%d}-{extract_request.pk}.pdf"'
            )
            response["Cache-Control"] = "no-store"
            response["X-Content-Type-Options"] = "nosniff"
            return response
    context = {
        "nav": "persons",
        "person": person,
        "access": access,
        "form": form,
        "earlier": list(person.register_extracts.select_related("produced_by")[:10]),
    }
    return render(request, "retention/register_extract.html", context, status=422 if form.errors else 200)
