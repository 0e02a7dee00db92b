"""Culling for the system administrator: settings, the committee's decisions, the dry run, the real run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.retention import selectors
from sociala.retention.models import CullingAuthorization, CullingRun
from sociala.retention.permissions import may_administer_culling
from sociala.retention.services import culling

from .forms import AuthorizationForm, EndAuthorizationForm, ReportForm, SettingForm

REPORT_ROWS_SHOWN = 200


def _require_admin(user) -> None:
    if not may_administer_culling(user):
        raise Http404


def _overview(request, *, report_form=None, authorization_form=None, status=200):
    today = timezone.localdate()
    context = {
        "nav": "culling",
        "today": today,
        "setting": selectors.retention_setting(),
        "authorizations": list(CullingAuthorization.objects.select_related("committee", "recorded_by")),
        "authorizations_in_force": selectors.authorizations_in_force(today),
        "rules": selectors.rules_in_force(today),
        "report_form": report_form or ReportForm(initial={"on": today}),
        "authorization_form": authorization_form or AuthorizationForm(initial={"valid_from": today}),
        "runs": list(selectors.recent_runs()),
        "open_run": selectors.open_run(),
        "counts": selectors.counts_per_year(),
    }
    return render(request, "retention/culling.html", context, status=status)


@login_required
@require_GET
def overview(request):
    _require_admin(request.user)
    record_event(actor=request.user, action="view_culling_overview", object_type="culling")
    return _overview(request)


@login_required
def settings_form(request):
    _require_admin(request.user)
    setting = selectors.retention_setting()
    initial = (
        {
            "municipality_code": setting.municipality_code,
            "municipality_name": setting.municipality_name,
            "archive_authority": setting.archive_authority,
            "data_protection_contact": setting.data_protection_contact,
        }
        if setting
        else {}
    )
    form = SettingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            culling.save_retention_setting(actor=request.user, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Inställningarna är sparade."))
            return redirect("retention:culling")
    status = 422 if request.method == "POST" else 200
    return render(request, "retention/settings.html", {"nav": "culling", "form": form}, status=status)


@login_required
@require_POST
def authorization_create(request):
    _require_admin(request.user)
    form = AuthorizationForm(request.POST)
    if form.is_valid():
        try:
            culling.record_culling_authorization(actor=request.user, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Nämndens beslut om gallring är registrerat."))
            return redirect("retention:culling")
    return _overview(request, authorization_form=form, status=422)


@login_required
@require_POST
def authorization_end(request, authorization_id: int):
    _require_admin(request.user)
    authorization = get_object_or_404(CullingAuthorization, pk=authorization_id)
    form = EndAuthorizationForm(request.POST)
    if form.is_valid():
        try:
            culling.end_culling_authorization(
                actor=request.user, authorization=authorization, valid_to=form.cleaned_data["valid_to"]
            )
        except InvalidInput as error:
            messages.error(request, " ".join(error.errors.values()))
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Beslutet har fått ett slutdatum."))
    else:
        messages.error(request, _("Ange sista dagen beslutet gäller."))
    return redirect("retention:culling")


def _report(request, *, download: bool):
    form = ReportForm(request.GET or None)
    if not form.is_valid():
        return None, form
    try:
        report = culling.dry_run(actor=request.user, on_date=form.cleaned_data["on"], download=download)
    except InvalidInput as error:
        form.add_service_errors(error)
        return None, form
    except NotPermitted as error:
        raise Http404 from error
    return report, form


@login_required
@require_GET
def report(request):
    """The dry run: what culling would remove on a day, with the rule for each case file."""
    _require_admin(request.user)
    result, form = _report(request, download=False)
    if result is None:
        return _overview(request, report_form=form, status=422)
    context = {
        "nav": "culling",
        "report": result,
        "rows": result.rows[:REPORT_ROWS_SHOWN],
        "rows_hidden": max(0, len(result.rows) - REPORT_ROWS_SHOWN),
        "on": form.cleaned_data["on"],
        "may_run": form.cleaned_data["on"] == timezone.localdate(),
    }
    return render(request, "retention/report.html", context)


@login_required
@require_GET
def report_csv(request):
    _require_admin(request.user)
    result, form = _report(request, download=True)
    if result is None:
        return _overview(request, report_form=form, status=422)
    response = HttpResponse(selectors.report_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gallring-{result.on_date:%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def run_start(request):
    _require_admin(request.user)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bekräfta att du har kontrollerat listan innan du gallrar."))
        return redirect(reverse("retention:report") + f"?on={timezone.localdate():%Y-%m-%d}")
    try:
        run = culling.start_culling_run(actor=request.user)
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
        return redirect("retention:culling")
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, _("Gallringen har startat."))
    return redirect("retention:run_detail", run_id=run.pk)


def _run(user, run_id: int) -> CullingRun:
    _require_admin(user)
    return get_object_or_404(CullingRun.objects.select_related("started_by"), pk=run_id)


@login_required
@require_GET
def run_detail(request, run_id: int):
    run = _run(request.user, run_id)
    record_event(actor=request.user, action="view_culling_run", object_type="culling_run", object_id=run.pk)
    context = {
        "nav": "culling",
        "run": run,
        "is_stale": run.is_stale(),
        "counts": list(run.counts.select_related("district").order_by("rule_code", "district__name")),
    }
    return render(request, "retention/run_detail.html", context)


@login_required
@require_GET
def run_progress(request, run_id: int):
    """The progress bar, polled while the run goes on (counts only, not logged)."""
    run = _run(request.user, run_id)
    response = render(request, "retention/_run_progress.html", {"run": run, "is_stale": run.is_stale()})
    if request.headers.get("HX-Request") and not run.is_active:
        response["HX-Refresh"] = "true"
    return response
