"""The monthly e-application: one question group per page, saved as the person types, then sent."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.core.errors import InvalidInput, NotPermitted
from sociala.portal import answers as rules
from sociala.portal import selectors, services
from sociala.portal.auth import citizen_required
from sociala.portal.models import ApplicationAttachment

PAGES = {
    "household": {
        "heading": _("Vilka bor i ditt hushåll?"),
        "intro": _(
            "Svara för dig själv först. Lägg sedan till alla som bor med dig: make, maka eller sambo, "
            "barn och andra vuxna."
        ),
        "rows_heading": _("Andra som bor med dig"),
        "rows_help": _("Du behöver inte skriva in dig själv här."),
        "add_label": _("Lägg till en person"),
        "empty_rows": _("Du har inte lagt till någon. Bor du ensam kan du gå vidare."),
    },
    "costs": {
        "heading": _("Ditt boende och dina kostnader"),
        "intro": _("Skriv vad du betalar varje månad. Skriv hela kronor."),
        "rows_heading": _("Andra kostnader du söker pengar för"),
        "rows_help": _(
            "Till exempel medicin, tandvård eller glasögon. Ladda upp kvittot eller kostnadsförslaget "
            "i steget Kvitton och underlag."
        ),
        "add_label": _("Lägg till en kostnad"),
        "empty_rows": _("Du har inte lagt till några andra kostnader."),
    },
    "incomes": {
        "heading": _("Inkomster och tillgångar"),
        "intro": _(
            "Skriv alla inkomster som du och de andra i hushållet får den här månaden, efter skatt. "
            "Till exempel lön, a-kassa, sjukpenning, föräldrapenning, studiemedel, pension, "
            "underhållsstöd och barnbidrag."
        ),
        "rows_heading": _("Inkomster den här månaden"),
        "rows_help": "",
        "add_label": _("Lägg till en inkomst"),
        "empty_rows": _(
            "Du har inte lagt till någon inkomst. Har ingen i hushållet någon inkomst kan du gå vidare."
        ),
        "rows_first": True,
    },
    "changes": {
        "heading": _("Har något ändrats?"),
        "intro": _("Berätta om något är annorlunda jämfört med förra gången du sökte."),
    },
}
ROWS_KEY = {"household": "members", "costs": "other_costs", "incomes": "incomes"}


def _steps_nav(application, current: str) -> list[dict]:
    return [
        {
            "step": step,
            "title": rules.STEP_TITLES[step],
            "number": number,
            "url": reverse("portal:application_step", args=[application.pk, step]),
            "is_current": step == current,
        }
        for number, step in enumerate(rules.STEPS, start=1)
    ]


def _neighbours(step: str) -> tuple[str | None, str | None]:
    index = rules.STEPS.index(step)
    previous = rules.STEPS[index - 1] if index > 0 else None
    following = rules.STEPS[index + 1] if index + 1 < len(rules.STEPS) else None
    return previous, following


def _step_url(application, step: str, anchor: str = "main") -> str:
    """A step's page; the anchor is explicit, since a redirect keeps the fragment of the page it left."""
    return reverse("portal:application_step", args=[application.pk, step]) + f"#{anchor}"


def _draft(request, application_id: int):
    return selectors.application_for_citizen(request.citizen, application_id)


@citizen_required
@require_POST
def application_start(request):
    """Start (or continue) the application for a month; a new one is prefilled from the last one."""
    try:
        month = date.fromisoformat(f"{request.POST.get('month', '')}-01")
    except ValueError:
        month = None
    try:
        application = services.start_application(citizen=request.citizen, month=month)
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
        return redirect("portal:home")
    if not application.is_draft:
        return redirect("portal:application_detail", application_id=application.pk)
    return redirect(_step_url(application, "household"))


@citizen_required
def application_step(request, application_id: int, step: str):
    """One question group: shows the answers so far, saves what is posted, checks it on "Fortsätt"."""
    application = _draft(request, application_id)
    if not application.is_draft:
        return redirect("portal:application_detail", application_id=application.pk)
    if step == "documents":
        return documents(request, application)
    if step == "review":
        return review(request, application)
    if step not in rules.GROUPS:
        raise Http404
    applicant = application.person.first_name
    previous, following = _neighbours(step)
    check = False
    if request.method == "POST":
        raw = rules.raw_from_post(step, request.POST)
        action = request.POST.get("action", "next")
        rows_key = ROWS_KEY.get(step)
        if rows_key and action == "add":
            raw[rows_key] = [*raw.get(rows_key, []), {}]
        elif rows_key and action.startswith("remove-"):
            index = action.removeprefix("remove-")
            rows = list(raw.get(rows_key, []))
            if index.isdigit() and int(index) < len(rows):
                rows.pop(int(index))
            raw[rows_key] = rows
        try:
            application = services.save_answers(
                citizen=request.citizen, application=application, step=step, raw=raw
            )
        except (InvalidInput, NotPermitted):
            return redirect("portal:application_detail", application_id=application.pk)
        if action == "add" or action.startswith("remove-"):
            return redirect(_step_url(application, step, "rows"))
        if action == "back" and previous:
            return redirect(_step_url(application, previous))
        if action == "later":
            messages.success(request, _("Din ansökan är sparad. Du kan fortsätta när du vill."))
            return redirect("portal:home")
        check = True
    elif request.GET.get("check") == "1":
        check = True
    if check:
        valid, form, formsets = rules.check_step(
            step, answers=application.answers, month=application.month, applicant_name=applicant
        )
        if valid and request.method == "POST":
            return redirect(_step_url(application, following))
    else:
        form, formsets = rules.build_forms(
            step, answers=application.answers, month=application.month, applicant_name=applicant
        )
    changes = []
    if step == "changes" and application.prefilled_from is not None:
        changes = rules.differences(application.answers, application.prefilled_from.answers)
    rows_key = ROWS_KEY.get(step)
    return render(
        request,
        "portal/application_step.html",
        {
            "application": application,
            "step": step,
            "page": PAGES[step],
            "steps": _steps_nav(application, step),
            "step_number": rules.STEPS.index(step) + 1,
            "step_count": len(rules.STEPS),
            "form": form,
            "formset": formsets.get(rows_key) if rows_key else None,
            "rows": (
                [
                    (row, rules.ROW_LABELS[rows_key] % {"number": n})
                    for n, row in enumerate(formsets[rows_key], 1)
                ]
                if rows_key
                else []
            ),
            "previous": previous,
            "changes": changes,
            "month": application.month,
        },
    )


@citizen_required
@require_POST
def application_autosave(request, application_id: int, step: str):
    """Autosave (htmx): keep the group's answers as typed and say when they were saved."""
    application = _draft(request, application_id)
    if step not in rules.GROUPS:
        raise Http404
    error = ""
    try:
        services.save_answers(
            citizen=request.citizen,
            application=application,
            step=step,
            raw=rules.raw_from_post(step, request.POST),
        )
    except InvalidInput as problem:
        error = " ".join(problem.errors.values())
    except NotPermitted as problem:
        raise Http404 from problem
    return render(request, "portal/_autosave.html", {"saved_at": timezone.localtime(), "error": error})


def documents(request, application):
    """Receipts and documents: photos or PDFs, checked by their content, listed with a remove button."""
    form = rules.AttachmentForm()
    if request.method == "POST":
        form = rules.AttachmentForm(request.POST, request.FILES)
        if request.POST.get("action") == "next":
            return redirect(_step_url(application, "review"))
        if request.POST.get("action") == "back":
            return redirect(_step_url(application, "changes"))
        if form.is_valid():
            try:
                services.add_attachment(
                    citizen=request.citizen,
                    application=application,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Filen är sparad i din ansökan."))
                return redirect(_step_url(application, "documents"))
    return render(
        request,
        "portal/application_documents.html",
        {
            "application": application,
            "step": "documents",
            "steps": _steps_nav(application, "documents"),
            "step_number": rules.STEPS.index("documents") + 1,
            "step_count": len(rules.STEPS),
            "form": form,
            "attachments": list(application.attachments.all()),
        },
    )


@citizen_required
@require_POST
def attachment_remove(request, application_id: int, attachment_id: int):
    application = _draft(request, application_id)
    attachment = get_object_or_404(ApplicationAttachment, pk=attachment_id, application=application)
    try:
        services.remove_attachment(citizen=request.citizen, attachment=attachment)
    except (InvalidInput, NotPermitted) as error:
        raise Http404 from error
    messages.success(request, _("Filen är borttagen."))
    return redirect(_step_url(application, "documents"))


def review(request, application):
    """Every answer on one page, the declaration, and the button that sends the application."""
    applicant = application.person.first_name
    _result, failed = rules.normalized(application.answers, month=application.month, applicant_name=applicant)
    form = rules.DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect(_step_url(application, "documents"))
        form.is_valid()  # the box itself; the service checks it again with every answer
        try:
            services.send_application(
                citizen=request.citizen,
                application=application,
                declaration=bool(form.cleaned_data.get("declaration")),
            )
        except InvalidInput as error:
            for key, message in error.errors.items():
                if key != "declaration":
                    form.add_error(None, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Din ansökan är skickad. Du får svar här i e-tjänsten."))
            return redirect("portal:application_detail", application_id=application.pk)
    return render(
        request,
        "portal/application_review.html",
        {
            "application": application,
            "step": "review",
            "steps": _steps_nav(application, "review"),
            "step_number": len(rules.STEPS),
            "step_count": len(rules.STEPS),
            "sections": rules.summary(application.answers, month=application.month, applicant_name=applicant),
            "failed": [(step, rules.STEP_TITLES[step]) for step in failed],
            "attachments": list(application.attachments.all()),
            "form": form,
        },
    )
