"""Consent records of one person: record a consent and its withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sociala.access import services
from sociala.access.models import Consent
from sociala.access.policy import relevant_consents, scope_for
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.selectors import person_for_user

from .forms import ConsentRecordForm, ConsentWithdrawForm


@login_required
@require_http_methods(["GET", "POST"])
def person_consents(request, person_id: int):
    """The person's consents that concern the user's service areas, and a form to record a new one."""
    if not scope_for(request.user).case_unit_ids:
        raise Http404
    person, access = person_for_user(request.user, person_id, action="view_consents")
    form = ConsentRecordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_consent(actor=request.user, person=person, **form.cleaned_data)
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Samtycket är registrerat."))
                return redirect("access:person_consents", person_id=person.pk)
        status = 422
    context = {
        "nav": "persons",
        "person": person,
        "access": access,
        "consents": relevant_consents(request.user, person),
        "form": form,
        "withdraw_form": ConsentWithdrawForm(prefix="withdraw"),
    }
    return render(request, "access/person_consents.html", context, status=status)


@login_required
@require_POST
def consent_withdraw(request, consent_id: int):
    """Note the person's withdrawal of one consent."""
    consent = get_object_or_404(Consent.objects.select_related("person"), pk=consent_id)
    if consent not in relevant_consents(request.user, consent.person):
        raise Http404
    form = ConsentWithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.withdraw_consent(actor=request.user, consent=consent, **form.cleaned_data)
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Återkallandet är registrerat. Samtycket gäller inte längre."))
    else:
        messages.error(request, _("Ange datum som ÅÅÅÅ-MM-DD och hur återkallandet lämnades."))
    return redirect("access:person_consents", person_id=consent.person_id)
