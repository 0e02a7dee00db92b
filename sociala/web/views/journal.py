"""Journal: the history with filters, writing with autosave, signing, corrections, phrases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.access.policy import scope_for
from sociala.accounts.models import User
from sociala.cases import selectors, services
from sociala.cases.models import Phrase
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.selectors import person_for_user
from sociala.web.forms import CorrectionForm, JournalFilterForm, JournalForm, PhraseForm


@login_required
def journal_list(request, person_id: int):
    """A person's journal across the cases the user may see, filterable by case, category, author, period."""
    person, _access = person_for_user(request.user, person_id, action="view_journal")
    cases = list(selectors.cases_of_person(request.user, person))
    base = selectors.journal_entries(request.user, person=person)
    authors = User.objects.filter(pk__in=base.values("author_id")).order_by("last_name")
    form = JournalFilterForm(request.GET or None, authors=authors)
    entries = base
    case_id = request.GET.get("case", "")
    if form.is_valid():
        data = form.cleaned_data
        case = next((c for c in cases if str(c.pk) == case_id), None)
        entries = selectors.journal_entries(
            request.user,
            person=person,
            case=case,
            category=data["category"],
            author_id=int(data["author"]) if data["author"] else None,
            period_from=data["period_from"],
            period_to=data["period_to"],
        )
    return render(
        request,
        "web/journal_list.html",
        {
            "nav": "persons",
            "person": person,
            "cases": cases,
            "form": form,
            "entries": list(entries[:200]),
            "case_id": case_id,
        },
    )


def _render_form(request, case, form, entry):
    context = {
        "nav": "persons",
        "case": case,
        "person": case.person,
        "form": form,
        "entry": entry,
        "phrases": selectors.phrases_for(request.user),
    }
    return render(request, "web/journal_form.html", context)


@login_required
def journal_new(request, case_id: int):
    """Write a new entry; the first autosave creates the draft and the page continues on it."""
    case = selectors.case_for_user(request.user, case_id, action="view_case_for_journal")
    form = JournalForm(initial={"occurred_on": timezone.localdate(), "category": "contact"})
    return _render_form(request, case, form, None)


@login_required
def journal_edit(request, entry_id: int):
    entry = selectors.journal_entry_for_user(request.user, entry_id)
    if entry.is_signed or entry.author_id != request.user.pk:
        return redirect("web:journal_correct", entry_id=entry.pk)
    case = selectors.case_for_user(request.user, entry.case_id, action="view_case_for_journal")
    form = JournalForm(
        initial={
            "occurred_on": entry.occurred_on,
            "category": entry.category,
            "title": entry.title,
            "text": entry.text,
        }
    )
    return _render_form(request, case, form, entry)


@login_required
@require_POST
def journal_save(request, case_id: int):
    """Autosave (htmx) and explicit save/sign of a draft."""
    # Logged as a read only when the form is shown again; a save or a sign logs its own write.
    case = selectors.case_for_user(request.user, case_id, log=False)
    form = JournalForm(request.POST)
    entry = None
    if request.POST.get("entry"):
        entry = selectors.journal_entry_for_user(request.user, int(request.POST["entry"]))
    is_htmx = bool(request.headers.get("HX-Request"))
    if form.is_valid():
        try:
            sign = request.POST.get("action") == "sign"
            entry = services.save_journal_entry(
                actor=request.user,
                case=case,
                entry=entry,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                occurred_on=form.cleaned_data["occurred_on"],
                sign=sign,
            )
            if sign:
                messages.success(request, _("Anteckningen är signerad."))
                return redirect("web:case_detail", case_id=case.pk)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
    if is_htmx:
        return render(
            request,
            "web/_autosave_status.html",
            {"form": form, "entry": entry, "saved_at": timezone.localtime()},
        )
    if not form.errors:
        messages.success(request, _("Utkastet är sparat."))
        return redirect("web:journal_edit", entry_id=entry.pk)
    selectors.log_case_read(request.user, case, "view_case_for_journal")
    return _render_form(request, case, form, entry)


@login_required
def journal_correct(request, entry_id: int):
    """Correct a signed entry with a new linked entry; the original stays as it was."""
    entry = selectors.journal_entry_for_user(request.user, entry_id)
    case = selectors.case_for_user(request.user, entry.case_id, action="view_case_for_journal")
    form = CorrectionForm(request.POST or None, initial={"text": entry.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_journal_entry(
                actor=request.user,
                entry=entry,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Rättelsen är sparad och signerad."))
            return redirect("web:case_detail", case_id=case.pk)
    return render(
        request,
        "web/journal_correct.html",
        {
            "nav": "persons",
            "case": case,
            "person": case.person,
            "entry": entry,
            "form": form,
        },
    )


@login_required
def phrases(request):
    """The unit's phrases: list, add, edit."""
    if not scope_for(request.user).case_unit_ids:
        raise Http404
    editing = None
    if request.GET.get("edit"):
        editing = get_object_or_404(
            selectors.phrases_for(request.user).filter(unit__isnull=False), pk=request.GET["edit"]
        )
    form = PhraseForm(
        request.POST or None,
        initial=(
            {"title": editing.title, "text": editing.text, "category": editing.category} if editing else None
        ),
    )
    if request.method == "POST" and form.is_valid():
        phrase = None
        if request.POST.get("phrase"):
            phrase = get_object_or_404(Phrase, pk=request.POST["phrase"])
        try:
            services.save_phrase(actor=request.user, phrase=phrase, **form.cleaned_data)
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Frasen är sparad."))
            return redirect("web:phrases")
    return render(
        request,
        "web/phrases.html",
        {
            "nav": "phrases",
            "phrases": selectors.phrases_for(request.user).select_related("unit"),
            "form": form,
            "editing": editing,
        },
    )
