"""Forms of the children's pages: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sociala.children.choices import ReporterType
from sociala.web.forms import DateInput, StyledForm

YES_NO = [("", _("Välj")), ("yes", _("Ja")), ("no", _("Nej"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReportForm(StyledForm):
    number = forms.CharField(label=_("Barnets personnummer"), max_length=20, help_text=_("ÅÅÅÅMMDD-NNNN"))
    received_on = forms.DateField(
        label=_("Anmälan kom in"), widget=DateInput, help_text=_("Tidigare datum om anmälan kom på papper")
    )
    reporter_type = forms.ChoiceField(
        label=_("Vem gjorde anmälan?"), choices=[("", _("Välj"))] + list(ReporterType.choices)
    )
    reporter_name = forms.CharField(
        label=_("Anmälarens namn eller verksamhet"),
        max_length=200,
        required=False,
        help_text=_("Lämnas tomt när anmälaren är anonym"),
    )
    reporter_contact = forms.CharField(
        label=_("Anmälarens kontaktuppgifter"),
        max_length=200,
        required=False,
        help_text=_("Telefon eller e-post"),
    )
    text = forms.CharField(
        label=_("Vad gäller oron för barnet?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000
    )


class SafetyAssessmentForm(StyledForm):
    assessed_on = forms.DateField(label=_("Datum för skyddsbedömningen"), widget=DateInput)
    needs_immediate_protection = forms.TypedChoiceField(
        label=_("Behöver barnet omedelbart skydd?"), choices=YES_NO, coerce=_yes_no, empty_value=None
    )
    reasoning = forms.CharField(
        label=_("Bedömning"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("Vad du har tagit ställning till och vad som görs nu"),
    )


class InitialAssessmentForm(StyledForm):
    opens_investigation = forms.TypedChoiceField(
        label=_("Beslut"),
        choices=[("", _("Välj")), ("yes", _("Inled utredning")), ("no", _("Inled inte utredning"))],
        coerce=_yes_no,
        empty_value=None,
    )
    reasons = forms.CharField(
        label=_("Skäl för beslutet"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )
