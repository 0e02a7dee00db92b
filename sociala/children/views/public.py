"""The public e-form for a report of concern: no login, the same receipt whether the child exists or not."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from sociala.accounts.views import client_ip
from sociala.children.services import public
from sociala.core.errors import InvalidInput

from .forms import PublicReportForm

RECEIPT_KEY = "children.public_report_receipt"
# A report is text only: a request far larger than the longest allowed answers is refused unread.
MAX_REQUEST_BYTES = 64 * 1024


@never_cache
def report_concern(request):
    """The e-form; on success the reporter is sent to the receipt (POST, redirect, GET)."""
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
        return HttpResponse(_("Anmälan är för stor."), status=413, content_type="text/plain; charset=utf-8")
    form = PublicReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = public.submit_public_report(address=client_ip(request), **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        else:
            request.session[RECEIPT_KEY] = {
                "reference": report.reference,
                "received_on": report.received_on.isoformat(),
            }
            return redirect("children:report_concern_received")
    return render(request, "children/public_report_form.html", {"form": form})


@never_cache
def report_concern_received(request):
    """The receipt: the reference number and what happens next, nothing about the child or a case."""
    receipt = request.session.get(RECEIPT_KEY)
    if receipt is None:
        return redirect("children:report_concern")
    return render(request, "children/public_report_received.html", {"receipt": receipt})
