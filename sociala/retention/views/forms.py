"""Forms of the retention pages: parse and show errors; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.organization.models import Committee
from sociala.retention.choices import IdentityCheck, ReceivedVia
from sociala.web.forms import DateInput, StyledForm


class SettingForm(StyledForm):
    municipality_code = forms.CharField(
        label=_("Kommunkod"), max_length=4, help_text=_("Fyra siffror enligt SCB, till exempel 0180")
    )
    municipality_name = forms.CharField(label=_("Kommunens namn"), max_length=120)
    archive_authority = forms.CharField(
        label=_("Arkivmyndighet"), max_length=200, required=False, help_text=_("Tar emot arkivpaket")
    )
    data_protection_contact = forms.CharField(
        label=_("Dataskyddsombudets kontaktuppgifter"),
        max_length=300,
        required=False,
        help_text=_("Visas i registerutdrag"),
    )


class AuthorizationForm(StyledForm):
    committee = forms.ModelChoiceField(label=_("Nämnd"), queryset=Committee.objects.none())
    decision_reference = forms.CharField(
        label=_("Protokollsparagraf eller diarienummer"),
        max_length=120,
        help_text=_("Till exempel SN 2026-02-17 § 12"),
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput)
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput)
    valid_to = forms.DateField(
        label=_("Gäller till och med"),
        widget=DateInput,
        required=False,
        help_text=_("Lämna tomt för tills vidare"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.order_by("name")


class EndAuthorizationForm(StyledForm):
    valid_to = forms.DateField(label=_("Sista dag beslutet gäller"), widget=DateInput)


class ReportForm(StyledForm):
    on = forms.DateField(label=_("Gallringsdag"), widget=DateInput, help_text=_("ÅÅÅÅ-MM-DD"))


class ObjectionForm(StyledForm):
    text = forms.CharField(
        label=_("Vad personen anser är fel"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        help_text=_("Med personens egna ord. Anteckningen ändras inte."),
    )
    received_via = forms.ChoiceField(label=_("Hur invändningen kom in"), choices=ReceivedVia.choices)
    received_on = forms.DateField(label=_("Kom in"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ExtractForm(StyledForm):
    received_on = forms.DateField(label=_("Begäran kom in"), widget=DateInput)
    identity_check = forms.ChoiceField(
        label=_("Så har den som begärde utdraget styrkt sin identitet"), choices=IdentityCheck.choices
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
