"""Forms of the finance pages: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sociala.finance.choices import PaymentMethod
from sociala.organization.models import Committee
from sociala.web.forms import DateInput, StyledForm


class StartRunForm(StyledForm):
    payment_date = forms.DateField(label=_("Utbetalningsdag"), widget=DateInput, help_text=_("ÅÅÅÅ-MM-DD"))


class BankAccountForm(StyledForm):
    method = forms.ChoiceField(label=_("Utbetalningssätt"), choices=PaymentMethod.choices)
    clearing_number = forms.CharField(label=_("Clearingnummer"), max_length=10, required=False)
    account_number = forms.CharField(label=_("Kontonummer"), max_length=20, required=False)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=40,
        required=False,
        help_text=_("I stället för clearing- och kontonummer"),
    )


class CostCentreForm(StyledForm):
    district = forms.ModelChoiceField(label=_("Stadsdelsnämnd"), queryset=Committee.objects.none())
    code = forms.CharField(label=_("Kostnadsställe"), max_length=20)
    name = forms.CharField(label=_("Benämning"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Committee.objects.filter(kind=Committee.Kind.DISTRICT).order_by(
            "name"
        )
