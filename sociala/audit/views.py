"""The log reviewer's pages: the review queue, one flagged access with its context and verdict, the
monthly random sample and the monthly report (PDF)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sociala.audit import review, selectors
from sociala.audit.models import ReviewCursor, ReviewFlag, ReviewRuleCode, ReviewVerdictChoice
from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Committee
from sociala.people.models import Person
from sociala.web.forms import StyledForm


class MonthField(forms.CharField):
    """A month as ÅÅÅÅ-MM."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            if not (2000 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError
        except ValueError:
            raise forms.ValidationError(_("Ange månaden som ÅÅÅÅ-MM.")) from None
        return (year, month)


def _district_choices(user):
    districts = review.reviewer_district_ids(user)
    committees = Committee.objects.filter(kind=Committee.Kind.DISTRICT).order_by("name")
    if districts is not None:
        committees = committees.filter(pk__in=districts)
    return [(c.pk, c.name) for c in committees]


class QueueFilterForm(StyledForm):
    district = forms.TypedChoiceField(label=_("Stadsdel"), coerce=int, required=False, empty_value=None)
    rule = forms.ChoiceField(
        label=_("Regel"), required=False, choices=[("", _("Alla")), *ReviewRuleCode.choices]
    )
    status = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[("open", _("Ej granskade")), ("done", _("Granskade")), ("all", _("Alla"))],
    )
    month = MonthField(label=_("Månad"), required=False, max_length=7, help_text=_("ÅÅÅÅ-MM"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Alla"))] + _district_choices(user)


class SampleForm(StyledForm):
    district = forms.TypedChoiceField(label=_("Stadsdel"), coerce=int)
    month = MonthField(label=_("Månad"), max_length=7, help_text=_("ÅÅÅÅ-MM"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = _district_choices(user)
        self.fields["month"].initial = timezone.localdate().strftime("%Y-%m")


class VerdictForm(StyledForm):
    verdict = forms.ChoiceField(
        label=_("Utfall"), choices=ReviewVerdictChoice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när åtkomsten ska följas upp eller var otillåten"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].widget.attrs["class"] = "radio-button__input"


def _require_reviewer(user) -> None:
    if not review.may_review(user):
        raise Http404


@login_required
def review_queue(request):
    """Flagged accesses waiting for a verdict, with filters; the sample and the report per district."""
    _require_reviewer(request.user)
    form = QueueFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    flags = selectors.review_queue(
        request.user,
        district_id=filters.get("district"),
        rule=filters.get("rule") or None,
        status=filters.get("status") or "open",
        month=filters.get("month"),
    )
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    persons = Person.objects.in_bulk({f.person_id for f in page if f.person_id})
    record_event(actor=request.user, action="review_audit_log", details={"queue": dict(request.GET.lists())})
    context = {
        "nav": "review",
        "form": form,
        "page": page,
        "persons": persons,
        "districts": dict(_district_choices(request.user)),
        "sample_form": SampleForm(user=request.user, prefix="sample"),
        "cursor": ReviewCursor.objects.filter(id=1).first(),
        "query": request.GET.urlencode(),
    }
    return render(request, "audit/review_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_flag(request, flag_id: int):
    """One flagged access with its context (the day's events, the user's assignments, the person's
    cases, emergency grants and consents) and the verdict form."""
    _require_reviewer(request.user)
    flag = get_object_or_404(ReviewFlag, pk=flag_id)
    if not review.may_review_flag(request.user, flag):
        raise Http404
    form = VerdictForm(request.POST or None, initial={"verdict": flag.verdict or None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review.record_verdict(actor=request.user, flag=flag, **form.cleaned_data)
            except InvalidInput as error:
                form.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Granskningen är sparad."))
                following = selectors.review_queue(request.user).filter(pk__gt=flag.pk).order_by("pk").first()
                if following is not None:
                    return redirect("audit:review_flag", flag_id=following.pk)
                return redirect("audit:review_queue")
        status = 422
    else:
        record_event(
            actor=request.user,
            action="view_review_flag",
            person_id=flag.person_id,
            object_type="review_flag",
            object_id=flag.pk,
        )
    context = {"nav": "review", "ctx": selectors.flag_context(flag), "form": form}
    return render(request, "audit/review_flag.html", context, status=status)


@login_required
@require_POST
def review_sample(request):
    """Draw the month's random sample of a district's accesses into the queue (once per month)."""
    _require_reviewer(request.user)
    form = SampleForm(request.POST, user=request.user, prefix="sample")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("audit:review_queue")
    year, month = form.cleaned_data["month"]
    try:
        flags = review.draw_monthly_sample(
            actor=request.user, district_id=form.cleaned_data["district"], year=year, month=month
        )
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
        return redirect("audit:review_queue")
    except NotPermitted as error:
        raise Http404 from error
    messages.success(request, _("Stickprovet har %(count)s åtkomster.") % {"count": len(flags)})
    query = urlencode(
        {
            "rule": "random_sample",
            "status": "all",
            "district": form.cleaned_data["district"],
            "month": f"{year}-{month:02d}",
        }
    )
    return redirect(f"{reverse('audit:review_queue')}?{query}")


@login_required
def review_report(request):
    """The month's log review of one district as a PDF, for the committee's documentation."""
    _require_reviewer(request.user)
    form = SampleForm(request.GET, user=request.user, prefix="sample")
    if not form.is_valid():
        raise Http404
    district = get_object_or_404(Committee, pk=form.cleaned_data["district"])
    year, month = form.cleaned_data["month"]
    report = selectors.monthly_review_report(district.pk, year, month)
    from sociala.documents.services import render_pdf

    pdf = render_pdf(
        "audit/review_report.html",
        {
            "district": district,
            "report": report,
            "month": f"{year}-{month:02d}",
            "generated_at": timezone.localtime(),
            "generated_by": request.user,
        },
    )
    record_event(
        actor=request.user,
        action="download_review_report",
        object_type="district",
        object_id=district.pk,
        details={"month": f"{year}-{month:02d}"},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="loggkontroll-{district.code}-{year}-{month:02d}.pdf"'
    )
    return response
