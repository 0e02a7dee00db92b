"""Forms of the fee pages: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sociala.fees.choices import Household
from sociala.web.forms import DateInput, StyledForm

_KRONOR = {"min_value": 0, "max_value": 10_000_000}


class IncomeDeclarationForm(StyledForm):
    household = forms.ChoiceField(label=_("Hushåll"), choices=Household.choices, widget=forms.RadioSelect)
    monthly_net_income = forms.IntegerField(
        label=_("Nettoinkomst per månad (kronor)"),
        help_text=_(
            "Pension, bostadstillägg och andra inkomster efter skatt. För makar: er sammanlagda inkomst."
        ),
        **_KRONOR,
    )
    housing_cost = forms.IntegerField(
        label=_("Boendekostnad per månad (kronor)"),
        help_text=_("Hyra eller månadsavgift för bostaden."),
        **_KRONOR,
    )
    changed_on = forms.DateField(label=_("Uppgifterna gäller från"), widget=DateInput)
    note = forms.CharField(label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FeeDecisionForm(StyledForm):
    changed_on = forms.DateField(
        label=_("Ändringen gäller från"),
        widget=DateInput,
        help_text=_("Avgiften gäller från månaden efter, eller från samma månad om dagen är den 1:a."),
    )
    individual_adjustment = forms.IntegerField(
        label=_("Individuell justering av minimibeloppet (kronor)"),
        required=False,
        min_value=-100_000,
        max_value=100_000,
        help_text=_("Plus höjer, minus sänker. Lämna tomt om ingen justering."),
    )
    adjustment_reason = forms.CharField(
        label=_("Skäl för justeringen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
