"""Payment runs: the list, starting a run, its progress bar and summary, the files, resuming."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.finance import selectors, services
from sociala.finance.conf import finance_config
from sociala.finance.permissions import may_start_payment_run, may_view_payment_runs

from .forms import StartRunForm

RUNS_SHOWN = 50


def _run_list(request, form, status=200):
    runs = list(selectors.runs_for_user(request.user)[:RUNS_SHOWN])
    context = {
        "runs": runs,
        "form": form,
        "may_start": may_start_payment_run(request.user),
        "open_run": next((r for r in runs if r.is_open), None),
    }
    return render(request, "finance/run_list.html", context, status=status)


@login_required
@require_GET
def run_list(request):
    if not may_view_payment_runs(request.user):
        raise Http404
    record_event(actor=request.user, action="view_payment_runs", object_type="payment_run")
    return _run_list(request, StartRunForm() if may_start_payment_run(request.user) else None)


@login_required
@require_POST
def run_start(request):
    if not may_start_payment_run(request.user):
        raise Http404
    form = StartRunForm(request.POST)
    if form.is_valid():
        try:
            run, created = services.start_payment_run(
                actor=request.user, payment_date=form.cleaned_data["payment_date"]
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            if created:
                messages.success(request, _("Utbetalningskörningen har startat."))
            else:
                messages.success(
                    request,
                    _("Det finns redan en utbetalningskörning för dagen. Ingen ny körning startades."),
                )
            return redirect("finance:run_detail", run_id=run.pk)
    return _run_list(request, form, status=422)


def _progress_context(run):
    return {"run": run, "is_stale": run.is_stale(after_seconds=finance_config().stale_after_seconds)}


def _summary_context(request, run):
    return {
        **_progress_context(run),
        "may_start": may_start_payment_run(request.user),
        "district_totals": selectors.district_totals(run),
        "method_totals": selectors.method_totals(run),
        "held_counts": selectors.held_counts(run),
    }


@login_required
@require_GET
def run_detail(request, run_id: int):
    run = selectors.run_for_user(request.user, run_id)
    record_event(actor=request.user, action="view_payment_run", object_type="payment_run", object_id=run.pk)
    context = _summary_context(request, run)
    # The left-out decisions name persons: only for those who handle them, within their own cases.
    context["held_decisions"] = (
        selectors.held_decisions_for_user(request.user, run)
        if context["may_start"] and request.user.handles_personal_data
        else []
    )
    return render(request, "finance/run_detail.html", context)


@login_required
@require_GET
def run_progress(request, run_id: int):
    """The progress bar, polled every second while the run is going (no personal data, not logged)."""
    run = selectors.run_for_user(request.user, run_id)
    context = _progress_context(run)
    response = render(request, "finance/_progress.html", context)
    if request.headers.get("HX-Request") and (not run.is_active or context["is_stale"]):
        # The run ended while the page watched it: reload the page for the summary and the files.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_resume(request, run_id: int):
    run = selectors.run_for_user(request.user, run_id)
    try:
        services.resume_payment_run(actor=request.user, run=run)
    except NotPermitted as error:
        raise Http404 from error
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, _("Körningen har återupptagits."))
    return redirect("finance:run_detail", run_id=run.pk)


def _send(run, field, content_type: str, filename: str):
    response = FileResponse(
        field.open("rb"), content_type=content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def run_bank_file(request, run_id: int):
    """The pain.001 file (names and accounts of every payee): only for those who start runs."""
    run = selectors.run_for_user(request.user, run_id)
    if not may_start_payment_run(request.user) or not run.bank_file:
        raise Http404
    services.record_file_download(actor=request.user, run=run, kind="bank")
    return _send(run, run.bank_file, "application/xml", f"pain001-{run.payment_date:%Y%m%d}.xml")


@login_required
@require_GET
def run_accounting_file(request, run_id: int):
    """The SIE 4i file (totals per cost centre, no persons)."""
    run = selectors.run_for_user(request.user, run_id)
    if not run.accounting_file:
        raise Http404
    services.record_file_download(actor=request.user, run=run, kind="accounting")
    return _send(
        run, run.accounting_file, "application/octet-stream", f"utbetalning-{run.payment_date:%Y%m%d}.si"
    )
